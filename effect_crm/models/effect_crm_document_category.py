from odoo import fields, models


class EffectCrmDocumentCategory(models.Model):
    _name = "effect.crm.document.category"
    _description = "Customer Document Category"
    _inherit = ["effect.crm.text.mixin"]  # one Unicode form: "unique" holds for Vietnamese
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    document_count = fields.Integer(compute="_compute_document_count")

    def _compute_document_count(self):
        counts = dict(
            self.env["effect.crm.document"]._read_group(
                [("category_id", "in", self.ids)], ["category_id"], ["__count"]
            )
        )
        for category in self:
            category.document_count = counts.get(category, 0)
