from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    effect_handoff_user_id = fields.Many2one(
        related="company_id.effect_handoff_user_id",
        readonly=False,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
