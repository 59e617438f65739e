from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from .res_partner import RECEIVABLE_GROUPS


class EffectCrmCollection(models.Model):
    """An accountant asks the customer's salesperson to call about what it owes.

    The salesperson gets a "Debt Collection" activity on the customer (on the agenda);
    the collection call they log as an interaction does it, and the request keeps the
    call: its outcome and the promised payment date, for the accountant to see.
    """

    _name = "effect.crm.collection"
    _description = "Collection Request"
    _order = "date_deadline desc, id desc"
    _rec_name = "partner_id"
    _inherit = ["effect.crm.customer.mixin", "effect.crm.classification.mixin"]

    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('parent_id', '=', False)]",
    )
    user_id = fields.Many2one(
        "res.users",
        "Salesperson",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        required=True,
        index=True,
        domain="[('share', '=', False)]",
        help="Who calls the customer: its salesperson unless you choose another.",
    )
    requested_by_id = fields.Many2one(
        "res.users",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    date_deadline = fields.Date(
        "Call By", required=True, default=lambda self: self._default_date_deadline()
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    amount_overdue = fields.Monetary(
        "Overdue When Requested",
        readonly=True,
        groups=RECEIVABLE_GROUPS,
        help="The customer's overdue amount then.",
    )
    note = fields.Html("Instructions")
    state = fields.Selection(
        [("open", "Open"), ("done", "Called"), ("cancelled", "Cancelled")],
        required=True,
        readonly=True,
        default="open",
        index=True,
    )
    activity_id = fields.Many2one(
        "mail.activity", readonly=True, index="btree_not_null", ondelete="set null"
    )
    interaction_id = fields.Many2one(
        "effect.crm.interaction", "Collection Call", readonly=True, ondelete="set null"
    )
    call_date = fields.Datetime(related="interaction_id.date", string="Called On")
    outcome_id = fields.Many2one(related="interaction_id.outcome_id", string="Outcome")
    outcome_kind = fields.Selection(related="interaction_id.outcome_kind")
    promised_date = fields.Date(
        related="interaction_id.effect_promised_date", string="Promised Payment Date"
    )
    promised_amount = fields.Monetary(
        related="interaction_id.effect_promised_amount", string="Promised Amount"
    )
    call_notes = fields.Html(related="interaction_id.notes", string="Call Notes")

    def _default_date_deadline(self):
        return self.env["effect.crm.clock"]._effect_today() + timedelta(days=2)

    @api.depends("partner_id")
    def _compute_user_id(self):
        for request in self:
            request.user_id = request.partner_id.commercial_partner_id.user_id

    @api.model_create_multi
    def create(self, vals_list):
        self._effect_check_customer_create(vals_list)
        Partner = self.env["res.partner"]
        for vals in vals_list:
            if vals.get("partner_id"):
                customer = Partner.browse(vals["partner_id"]).commercial_partner_id
                vals["partner_id"] = customer.id
                # the accountant reads the customer's receivables (checked by the field's
                # groups) to record what was overdue when they asked
                vals.setdefault("amount_overdue", customer.effect_amount_overdue)
        requests = super().create(vals_list)
        requests._effect_schedule_calls()
        return requests

    def _effect_schedule_calls(self):
        for request in self:
            if not request.user_id:
                raise UserError(
                    self.env._(
                        "%(customer)s has no salesperson: choose who should call.",
                        customer=request.partner_id.display_name,
                    )
                )
            # the amount only for a salesperson who may see what the customer owes
            summary = (
                self.env._(
                    "Collect %(amount)s overdue",
                    amount=request.currency_id.format(request.amount_overdue),
                )
                if request.user_id.has_groups(RECEIVABLE_GROUPS)
                else self.env._("Collect the overdue payment")
            )
            # sudo: accountants read customers but may not edit CRM customers, which
            # Odoo asks to plan an activity on one; asking the salesperson to call a
            # customer the accountant may read is what this request is for
            request.activity_id = request.partner_id.sudo().activity_schedule(
                "effect_crm_accounting.mail_activity_type_collection",
                date_deadline=request.date_deadline,
                user_id=request.user_id.id,
                summary=summary,
                note=request.note or Markup(""),
            )

    def _effect_called(self, interaction):
        """The salesperson logged the call: keep it and tell the accountant how it went."""
        # sudo: the promise is read to report it to the accountant, also when the
        # salesperson who logged it may not see receivables
        promise = interaction.sudo()
        for request in self:
            # sudo: the request is the accountant's; the salesperson only reports on it
            request.sudo().write({"interaction_id": interaction.id, "state": "done"})
            parts = [
                self.env._(
                    "Collection call by %(salesperson)s: %(subject)s.",
                    salesperson=interaction.user_id.name,
                    subject=interaction.name,
                )
            ]
            if interaction.outcome_id:
                parts.append(
                    self.env._("Outcome: %(outcome)s.", outcome=interaction.outcome_id.name)
                )
            if promise.effect_promised_date and promise.effect_promised_amount:
                parts.append(
                    self.env._(
                        "Payment of %(amount)s promised on %(date)s.",
                        amount=promise.effect_company_currency_id.format(
                            promise.effect_promised_amount
                        ),
                        date=format_date(self.env, promise.effect_promised_date),
                    )
                )
            elif promise.effect_promised_date:
                parts.append(
                    self.env._(
                        "Payment promised on %(date)s.",
                        date=format_date(self.env, promise.effect_promised_date),
                    )
                )
            else:
                parts.append(self.env._("No payment date promised."))
            requester = request.sudo().requested_by_id
            # sudo: a report, to the accountant who asked for it, of a call the
            # salesperson was allowed to log on this customer; a notification to them
            # only, not a note on the customer that every salesperson reads (it says
            # what the customer promised to pay)
            if requester.active:
                request.partner_id.sudo().message_notify(
                    body=Markup("<p>%s</p>") % " ".join(parts),
                    partner_ids=requester.partner_id.ids,
                    subject=self.env._("Collection call"),
                    author_id=self.env.user.partner_id.id,
                )

    def action_effect_open_call(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "effect.crm.interaction",
            "res_id": self.interaction_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
