from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    effect_next_action_mandatory = fields.Boolean(
        "Next Action Mandatory",
        help="Every interaction must plan the next action, unless the customer is "
        "inactive or the opportunity is lost.",
    )
