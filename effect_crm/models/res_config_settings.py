from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    effect_next_action_mandatory = fields.Boolean(
        related="company_id.effect_next_action_mandatory", readonly=False
    )
