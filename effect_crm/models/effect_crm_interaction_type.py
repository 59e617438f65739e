from odoo import api, fields, models


class EffectCrmInteractionType(models.Model):
    """A kind of contact with a customer: phone call, meeting, visit, quote sent…

    Each type names the Odoo activity type used when such a contact is planned
    as the next action, so a planned action done from the agenda is logged
    with the matching interaction type.
    """

    _name = "effect.crm.interaction.type"
    _description = "Interaction Type"
    _inherit = ["effect.crm.text.mixin"]  # one Unicode form: "unique" holds for Vietnamese
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    icon = fields.Char(default="fa-comments", help="Font Awesome icon, e.g. fa-phone")
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        "Planned As",
        ondelete="set null",
        help="The activity type of a next action of this kind, on the agenda and in "
        "Odoo's activities.",
    )
    active = fields.Boolean(default=True)
    interaction_count = fields.Integer("Interactions", compute="_compute_interaction_count")

    _name_uniq = models.Constraint(
        "UNIQUE(name)",
        "An interaction type with this name already exists.",
    )

    def _compute_interaction_count(self):
        counts = dict(
            self.env["effect.crm.interaction"]._read_group(
                [("type_id", "in", self.ids)], ["type_id"], ["__count"]
            )
        )
        for interaction_type in self:
            interaction_type.interaction_count = counts.get(interaction_type, 0)

    @api.model
    def _for_activity_type(self, activity_type):
        """The interaction type of a planned action of ``activity_type``."""
        if not activity_type:
            return self.browse()
        return self.search([("activity_type_id", "=", activity_type.id)], limit=1)
