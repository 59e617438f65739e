from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

from .res_partner import RECEIVABLE_GROUPS


class EffectCrmInteraction(models.Model):
    _inherit = "effect.crm.interaction"

    effect_is_collection = fields.Boolean(related="type_id.effect_is_collection")
    effect_promised_date = fields.Date(
        "Promised Payment Date",
        tracking=True,
        groups=RECEIVABLE_GROUPS,
        help="Debt collection: the date the customer promised to pay.",
    )
    effect_company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    effect_promised_amount = fields.Monetary(
        "Promised Amount",
        currency_field="effect_company_currency_id",
        groups=RECEIVABLE_GROUPS,
        help="Debt collection: the amount the customer promised to pay on that date.",
    )

    _promised_date_idx = models.Index(
        "(partner_id, date DESC) WHERE effect_promised_date IS NOT NULL"
    )

    @api.constrains("effect_promised_amount", "effect_promised_date")
    def _check_effect_promise(self):
        """A promise to pay is an amount (not negative) on a day not before the call."""
        clock = self.env["effect.crm.clock"]
        # sudo: to read the promise this user has just written (only the receivables
        # group writes it, and the check runs only when it is written)
        for interaction in self.sudo():
            if interaction.effect_promised_amount < 0:
                raise ValidationError(
                    self.env._(
                        "%(subject)s: the promised amount cannot be negative.",
                        subject=interaction.name,
                    )
                )
            promised = interaction.effect_promised_date
            called = interaction.date and clock._effect_local_date(interaction.date)
            if promised and called and promised < called:
                raise ValidationError(
                    self.env._(
                        "%(subject)s: the payment cannot be promised for %(promised)s, "
                        "before the call of %(called)s.",
                        subject=interaction.name,
                        promised=format_date(self.env, promised),
                        called=format_date(self.env, called),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._effect_link_collection_request(vals) for vals in vals_list]
        interactions = super().create(vals_list)
        interactions._effect_report_collection()
        return interactions

    def _effect_link_collection_request(self, vals):
        """A collection call logged from the customer (not from the agenda) does the
        open collection request of its salesperson on that customer."""
        if vals.get("done_activity_id") or not vals.get("type_id") or not vals.get("partner_id"):
            return vals
        if not self.env["effect.crm.interaction.type"].browse(vals["type_id"]).effect_is_collection:
            return vals
        customer = self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id
        request = self.env["effect.crm.collection"].search(
            [
                ("partner_id", "=", customer.id),
                ("user_id", "=", vals.get("user_id") or self.env.uid),
                ("state", "=", "open"),
                ("activity_id", "!=", False),
            ],
            order="date_deadline, id",
            limit=1,
        )
        return dict(vals, done_activity_id=request.activity_id.id) if request else vals

    def _effect_report_collection(self):
        """A call that did a collection request completes it and reports to the accountant."""
        done = self.filtered("done_activity_id")
        if not done:
            return
        # sudo: only to find the requests these calls did; the user logged the calls
        requests = (
            self.env["effect.crm.collection"]
            .sudo()
            .search([("activity_id", "in", done.done_activity_id.ids), ("state", "=", "open")])
        )
        for interaction in done:
            request = requests.filtered(
                lambda r, i=interaction: r.activity_id == i.done_activity_id
            )
            if request:
                request.with_env(self.env)._effect_called(interaction)
