from odoo import fields, models


class EffectCrmContractType(models.Model):
    _name = "effect.crm.contract.type"
    _description = "Contract Type"
    _inherit = ["effect.crm.text.mixin"]  # one Unicode form: "unique" holds for Vietnamese
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _name_uniq = models.Constraint(
        "UNIQUE(name)",
        "A contract type with this name already exists.",
    )
