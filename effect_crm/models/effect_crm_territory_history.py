from odoo import fields, models

ASSIGNMENT_REASONS = [
    ("criteria", "Territory criteria"),
    ("manual", "Set by hand"),
    ("reassignment", "Reassignment"),
]


class EffectCrmTerritoryHistory(models.Model):
    """One change of a customer's territory or salesperson. Written by the system, never edited."""

    _name = "effect.crm.territory.history"
    _description = "Customer Assignment History"
    _order = "date desc, id desc"
    _log_access = True

    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(related="partner_id.company_id", store=True, index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    territory_from_id = fields.Many2one(
        "effect.crm.territory", "From Territory", ondelete="set null", readonly=True
    )
    territory_to_id = fields.Many2one(
        "effect.crm.territory", "To Territory", ondelete="set null", readonly=True
    )
    user_from_id = fields.Many2one("res.users", "From Salesperson", readonly=True)
    user_to_id = fields.Many2one("res.users", "To Salesperson", readonly=True)
    reason = fields.Selection(ASSIGNMENT_REASONS, required=True, readonly=True)
    reassignment_id = fields.Many2one(
        "effect.crm.reassignment", ondelete="set null", readonly=True, index=True
    )
    author_id = fields.Many2one(
        "res.users", "Changed by", default=lambda self: self.env.user, readonly=True
    )
