from odoo import fields, models


class EffectCrmPromotionCategory(models.Model):
    _name = "effect.crm.promotion.category"
    _description = "Promotion Category"
    _inherit = ["effect.crm.text.mixin"]  # one Unicode form: "unique" holds for Vietnamese
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    promotion_count = fields.Integer(compute="_compute_promotion_count")

    def _compute_promotion_count(self):
        counts = dict(
            self.env["effect.crm.promotion"]._read_group(
                [("category_id", "in", self.ids)], ["category_id"], ["__count"]
            )
        )
        for category in self:
            category.promotion_count = counts.get(category, 0)
