from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    effect_contract_renewal_days = fields.Integer(
        "Contract Renewal Notice (days)",
        default=30,
        help="How many days before a contract ends its salesperson gets a renewal activity.",
    )
