from odoo import fields, models


class EffectCrmInteractionType(models.Model):
    _inherit = "effect.crm.interaction.type"

    effect_is_collection = fields.Boolean(
        "Debt Collection",
        help="Interactions of this type are collection calls: they record the payment "
        "date the customer promised, and report to the accountant who asked for the call.",
    )
