from odoo import fields, models


class EffectCrmBusinessType(models.Model):
    _name = "effect.crm.business.type"
    _description = "Customer Business Type"
    _inherit = ["effect.crm.text.mixin"]  # one Unicode form: "unique" holds for Vietnamese
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _name_uniq = models.Constraint(
        "UNIQUE(name)",
        "A business type with this name already exists.",
    )
