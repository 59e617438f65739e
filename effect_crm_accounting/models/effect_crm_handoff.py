from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# what each checklist item asks for, as accounting reads it
ITEM_LABELS = {
    "tax_code": _lt("Valid tax code"),
    "invoice_address": _lt("Invoicing address (street, city or province, country)"),
    "payment_term": _lt("Payment terms"),
    "receivable_account": _lt("Receivable account"),
    "credit_limit": _lt("Credit limit"),
}

TRIGGERS = [
    ("manual", "Won by hand"),
    ("sale_order", "Order confirmed"),
    ("invoice", "Invoice posted"),
]


class EffectCrmHandoff(models.Model):
    """A prospect became a customer: what accounting needs was checked, and the
    accounting team was asked to take over.

    An incomplete hand-off lists what is missing; it completes by itself when the
    customer's data is completed (or from "Check Again"). The stage change is never
    refused: a won customer is a fact, and an order or an invoice must not be blocked
    by missing accounting data. Nothing is left half-done: the stage, the hand-off,
    the chatter note and the accounting activity are written together or not at all.
    """

    _name = "effect.crm.handoff"
    _description = "Customer Hand-off to Accounting"
    # the accounting team's activity lives on the hand-off, not on the customer, where it
    # would pass for the customer's next sales action
    _inherit = ["mail.thread", "mail.activity.mixin", "effect.crm.customer.mixin"]
    _effect_customer_fields = ("partner_id", "sale_order_id")
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    user_id = fields.Many2one(
        "res.users", "Salesperson", readonly=True, index=True, help="The customer's salesperson."
    )
    author_id = fields.Many2one(
        "res.users", "Handed Off By", readonly=True, default=lambda self: self.env.user
    )
    territory_id = fields.Many2one("effect.crm.territory", readonly=True)
    trigger = fields.Selection(TRIGGERS, required=True, readonly=True, default="manual")
    sale_order_id = fields.Many2one("sale.order", "Order", readonly=True, ondelete="set null")
    move_id = fields.Many2one("account.move", "Invoice", readonly=True, ondelete="set null")
    state = fields.Selection(
        [("incomplete", "Incomplete"), ("complete", "Complete")],
        required=True,
        readonly=True,
        index=True,
        default="incomplete",
        tracking=True,
    )
    checklist = fields.Json(
        "Checklist Results",
        readonly=True,
        help="The checklist items and whether each was present: [[item, passed]].",
    )
    missing_summary = fields.Char("Missing", compute="_compute_checklist_display")
    checklist_html = fields.Html("Checklist", compute="_compute_checklist_display")
    date_completed = fields.Datetime("Completed On", readonly=True)
    note = fields.Text("Note to Accounting")
    activity_id = fields.Many2one(
        "mail.activity", "Accounting Activity", readonly=True, ondelete="set null"
    )

    # the open hand-offs of a customer are looked up on every change of its data
    _partner_state_idx = models.Index("(partner_id, state)")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("checklist")
    def _compute_checklist_display(self):
        for handoff in self:
            items = handoff.checklist or []
            handoff.missing_summary = ", ".join(
                self.env._(ITEM_LABELS[item]) for item, passed in items if not passed
            )
            handoff.checklist_html = self._effect_checklist_html(items)

    @api.model
    def _effect_checklist_html(self, items):
        rows = Markup("").join(
            Markup('<li><i class="fa %s me-2" title="%s"/>%s</li>')
            % (
                "fa-check text-success" if passed else "fa-times text-danger",
                self.env._("Present") if passed else self.env._("Missing"),
                self.env._(ITEM_LABELS[item]),
            )
            for item, passed in items
        )
        return Markup('<ul class="list-unstyled mb-0">%s</ul>') % rows

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _effect_create_for(self, partners, trigger="manual", order=None, move=None, note=None):
        """Hand these customers (commercial partners just won) off to accounting."""
        checklists = partners._effect_handoff_checklist()
        vals_list = []
        for partner in partners:
            items = checklists[partner.id]
            vals_list.append(
                {
                    "partner_id": partner.id,
                    "company_id": (partner.company_id or self.env.company).id,
                    "user_id": partner.user_id.id,
                    "territory_id": partner.effect_territory_id.id,
                    "trigger": trigger,
                    "sale_order_id": order.id if order else False,
                    "move_id": move.id if move else False,
                    "checklist": items,
                    "state": "complete" if all(passed for _item, passed in items) else "incomplete",
                    "note": note or False,
                    "date_completed": fields.Datetime.now()
                    if all(passed for _item, passed in items)
                    else False,
                }
            )
        # sudo: the hand-off is the system's record of a stage change the user was
        # allowed to make; nobody creates one by hand
        handoffs = self.sudo().create(vals_list)
        handoffs._effect_notify_accounting()
        handoffs._effect_log_on_customer()
        return handoffs.sudo(False)

    def _effect_accounting_user(self):
        """Who takes over the customer for accounting, in the hand-off's company."""
        self.ensure_one()
        company = self.company_id
        if company.effect_handoff_user_id.active:
            return company.effect_handoff_user_id
        return (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("all_group_ids", "in", self.env.ref("account.group_account_manager").ids),
                    ("company_ids", "in", company.ids),
                    ("share", "=", False),
                    ("id", "!=", self.env.ref("base.user_root").id),
                ],
                order="id",
                limit=1,
            )
        )

    def _effect_notify_accounting(self):
        """Plan the accounting team's activity on the hand-off: take over the customer."""
        for handoff in self.sudo():
            accountant = handoff._effect_accounting_user()
            if not accountant:
                continue
            note = Markup("<p>%s</p>%s") % (
                self.env._("What accounting needs:")
                if handoff.state == "complete"
                else self.env._("Missing before the first invoice:"),
                handoff.checklist_html,
            )
            if handoff.note:
                note += Markup("<p>%s</p>") % handoff.note
            handoff.activity_id = handoff.activity_schedule(
                "effect_crm_accounting.mail_activity_type_handoff",
                user_id=accountant.id,
                summary=self.env._(
                    "Take over customer %(customer)s", customer=handoff.partner_id.name
                ),
                note=note,
            )

    def _effect_log_on_customer(self):
        for handoff in self.sudo():
            reason = dict(self._fields["trigger"]._description_selection(self.env))[handoff.trigger]
            source = handoff.sale_order_id.name or handoff.move_id.name
            if source:
                reason = f"{reason} ({source})"
            if handoff.state == "complete":
                body = self.env._(
                    "Handed off to accounting: %(reason)s. Everything accounting needs is there.",
                    reason=reason,
                )
            else:
                body = self.env._(
                    "Handed off to accounting: %(reason)s. Incomplete, missing: %(missing)s.",
                    reason=reason,
                    missing=handoff.missing_summary,
                )
            handoff.partner_id._message_log(body=Markup("<p>%s</p>") % body)

    def _effect_recheck(self):
        """Run the checklist again on incomplete hand-offs; complete those now complete."""
        incomplete = self.filtered(lambda handoff: handoff.state == "incomplete")
        if not incomplete:
            return self.browse()
        checklists = incomplete.partner_id._effect_handoff_checklist()
        completed = self.browse()
        for handoff in incomplete.sudo():
            items = checklists[handoff.partner_id.id]
            if items == handoff.checklist:
                continue
            values = {"checklist": items}
            if all(passed for _item, passed in items):
                values.update(state="complete", date_completed=fields.Datetime.now())
                completed |= handoff
            # sudo: the checklist is the system's reading of the customer's data
            handoff.write(values)
        for handoff in completed:
            handoff.partner_id._message_log(
                body=Markup("<p>%s</p>")
                % self.env._("Hand-off complete: accounting has everything it needs.")
            )
        return completed

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_effect_complete(self):
        """The accountant's dialog to complete the customer's accounting side."""
        self.ensure_one()
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Complete Accounting Information"),
            "res_model": "effect.crm.handoff.complete",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_handoff_id": self.id},
        }

    def action_effect_recheck(self):
        self.check_access("write")
        completed = self._effect_recheck()
        still = self.filtered(lambda handoff: handoff.state == "incomplete") - completed
        if not still:
            return True
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Still incomplete"),
                "message": self.env._("Missing: %(missing)s", missing=still[0].missing_summary),
                "type": "warning",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
