from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    effect_share_interactions = fields.Boolean(
        "Salespeople See Colleagues' Interactions",
        default=True,
        help="When off, a salesperson with own-documents access sees only the interactions "
        "they logged, even on customers they share with colleagues.",
    )
    effect_contract_renewal_days = fields.Integer(
        "Contract Renewal Notice (days)",
        default=30,
        help="How many days before a contract ends its salesperson gets a renewal activity.",
    )
    effect_next_action_mandatory = fields.Boolean(
        "Next Action Mandatory",
        help="Every interaction must plan the next action, unless the customer is "
        "inactive or the opportunity is lost.",
    )

    def write(self, vals):
        result = super().write(vals)
        if "effect_share_interactions" in vals:
            self.env.registry.clear_cache()  # record rules read this setting
        return result
