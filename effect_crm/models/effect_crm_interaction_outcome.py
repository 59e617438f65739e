from odoo import fields, models


class EffectCrmInteractionOutcome(models.Model):
    """How a contact with a customer ended: interested, call back later, no answer…"""

    _name = "effect.crm.interaction.outcome"
    _description = "Interaction Outcome"
    _inherit = ["effect.crm.text.mixin"]  # one Unicode form: "unique" holds for Vietnamese
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection(
        [("positive", "Positive"), ("neutral", "Neutral"), ("negative", "Negative")],
        required=True,
        default="neutral",
        help="Groups outcomes in the statistics.",
    )
    active = fields.Boolean(default=True)

    _name_uniq = models.Constraint(
        "UNIQUE(name)",
        "An interaction outcome with this name already exists.",
    )
