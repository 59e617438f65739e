from odoo import api, fields, models
from odoo.exceptions import ValidationError


class EffectCrmSize(models.Model):
    _name = "effect.crm.size"
    _description = "Customer Size Band"
    _inherit = ["effect.crm.text.mixin"]  # one Unicode form: "unique" holds for Vietnamese
    _order = "sequence, headcount_min, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    headcount_min = fields.Integer("Headcount From", default=0)
    headcount_max = fields.Integer("Headcount To", help="Leave empty (0) for an open-ended band.")
    active = fields.Boolean(default=True)

    _headcount_min_positive = models.Constraint(
        "CHECK(headcount_min >= 0)",
        "The lower bound of a size band cannot be negative.",
    )

    @api.constrains("headcount_min", "headcount_max")
    def _check_headcount_range(self):
        for band in self:
            if band.headcount_max and band.headcount_max < band.headcount_min:
                raise ValidationError(
                    self.env._(
                        "Size band %(name)s: the upper bound (%(max)s) is lower "
                        "than the lower bound (%(min)s).",
                        name=band.name,
                        max=band.headcount_max,
                        min=band.headcount_min,
                    )
                )
