from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    effect_handoff_user_id = fields.Many2one(
        "res.users",
        "Accounting Contact for Hand-offs",
        domain="[('share', '=', False), ('company_ids', 'in', id)]",
        help="Who gets the activity when a prospect becomes a customer. Empty: the first "
        "accounting administrator of the company.",
    )
