from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    effect_share_interactions = fields.Boolean(
        related="company_id.effect_share_interactions", readonly=False
    )
    effect_contract_renewal_days = fields.Integer(
        related="company_id.effect_contract_renewal_days", readonly=False
    )
    effect_next_action_mandatory = fields.Boolean(
        related="company_id.effect_next_action_mandatory", readonly=False
    )
