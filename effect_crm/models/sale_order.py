import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext, is_html_empty

from ..tools.promotions import line_discount

_logger = logging.getLogger(__name__)

CUSTOMER_STATUSES = [
    ("not_sent", "Not Sent"),
    ("sent", "Sent"),
    ("received", "Received"),
    ("accepted", "Accepted"),
    ("refused", "Refused"),
    ("expired", "Expired"),
]
# the date recorded for each status
STATUS_DATE_FIELDS = {
    "sent": "effect_sent_date",
    "received": "effect_received_date",
    "accepted": "effect_accepted_date",
    "refused": "effect_refused_date",
    "expired": "effect_expired_date",
}
# status -> the statuses it may be reached from
STATUS_FROM = {
    "sent": {"not_sent"},
    "received": {"sent"},
    "accepted": {"not_sent", "sent", "received", "refused", "expired"},
    "refused": {"sent", "received", "expired"},
    "expired": {"sent", "received"},
}
# What the customer was sent: frozen once a quotation is sent, and on every
# revision that a newer one replaced. Workflow fields (state, signature,
# invoicing, the customer status) stay writable so that Odoo's flows still work.
FROZEN_ORDER_FIELDS = (
    "partner_id",
    "partner_invoice_id",
    "partner_shipping_id",
    "order_line",
    "pricelist_id",
    "currency_id",
    "company_id",
    "payment_term_id",
    "fiscal_position_id",
    "validity_date",
    "note",
    "client_order_ref",
    "effect_promotion_id",
    "effect_revision",
    "effect_root_order_id",
    "effect_previous_revision_id",
)


class SaleOrder(models.Model):
    _name = "sale.order"
    # the concurrency mixin first: its check runs right after this class's write
    _inherit = [
        "effect.crm.concurrency.mixin",
        "sale.order",
        "effect.crm.customer.mixin",
        "effect.crm.classification.mixin",
    ]
    _effect_customer_fields = ("partner_id", "partner_invoice_id", "partner_shipping_id")

    # --- revisions -------------------------------------------------------
    effect_revision = fields.Integer(
        "Revision",
        default=1,
        copy=False,
        readonly=True,
        help="1 for the first quotation, then 2, 3… for each new revision.",
    )
    effect_root_order_id = fields.Many2one(
        "sale.order",
        "Original Quotation",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The first revision of this quotation (empty on the first one itself).",
    )
    effect_previous_revision_id = fields.Many2one(
        "sale.order", "Previous Revision", copy=False, readonly=True, index="btree_not_null"
    )
    effect_next_revision_id = fields.Many2one(
        "sale.order", "Next Revision", copy=False, readonly=True, index="btree_not_null"
    )
    effect_is_current_revision = fields.Boolean(
        "Current Revision",
        default=True,
        copy=False,
        readonly=True,
        index=True,
        help="Unset when a newer revision replaces this one.",
    )
    effect_revision_ids = fields.Many2many(
        "sale.order",
        string="Revisions",
        compute="_compute_effect_revision_ids",
        help="Every revision of this quotation, the first one included.",
    )
    effect_revision_count = fields.Integer("Revision Count", compute="_compute_effect_revision_ids")
    effect_revision_pdf_id = fields.Many2one(
        "ir.attachment",
        "Revision PDF",
        copy=False,
        readonly=True,
        help="The PDF of this revision, kept when a newer revision replaced it.",
    )
    effect_is_frozen = fields.Boolean("Frozen", compute="_compute_effect_is_frozen")

    # --- customer-side status ---------------------------------------------
    effect_customer_status = fields.Selection(
        CUSTOMER_STATUSES,
        "Customer Status",
        default="not_sent",
        required=True,
        copy=False,
        index=True,
        tracking=True,
        readonly=True,
        help="Where the quotation is on the customer's side: sent, received (opened), "
        "accepted, refused, or expired (validity date passed).",
    )
    effect_sent_date = fields.Datetime("Sent On", copy=False, readonly=True)
    effect_received_date = fields.Datetime("Received On", copy=False, readonly=True)
    effect_accepted_date = fields.Datetime("Accepted On", copy=False, readonly=True)
    effect_refused_date = fields.Datetime("Refused On", copy=False, readonly=True)
    effect_expired_date = fields.Datetime("Expired On", copy=False, readonly=True)

    # --- promotion, contracts, statistics --------------------------------
    effect_promotion_id = fields.Many2one(
        "effect.crm.promotion",
        "Promotion",
        readonly=True,
        index="btree_not_null",
        tracking=True,
        help="The promotion applied to this quotation's lines.",
    )
    effect_contract_ids = fields.One2many("effect.crm.contract", "sale_order_id", "Contracts")
    effect_contract_count = fields.Integer(
        "Contract Count", compute="_compute_effect_contract_count"
    )
    # the customer's classification (effect.crm.classification.mixin); quotations
    # are often filtered by business type
    partner_business_type_id = fields.Many2one(index="btree_not_null")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    def _compute_effect_revision_ids(self):
        roots = self.mapped(lambda order: order._origin.effect_root_order_id or order._origin)
        chains = self.search(
            ["|", ("id", "in", roots.ids), ("effect_root_order_id", "in", roots.ids)],
            order="effect_revision, id",
        )
        for order in self:
            root = order._origin.effect_root_order_id or order._origin
            order.effect_revision_ids = chains.filtered(
                lambda o, root=root: o == root or o.effect_root_order_id == root
            )
            order.effect_revision_count = len(order.effect_revision_ids)

    @api.depends("state", "effect_sent_date", "effect_is_current_revision")
    def _compute_effect_is_frozen(self):
        for order in self:
            order.effect_is_frozen = order._effect_frozen()

    def _compute_effect_contract_count(self):
        counts = dict(
            self.env["effect.crm.contract"]._read_group(
                [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]
            )
        )
        for order in self:
            order.effect_contract_count = counts.get(order, 0)

    # ------------------------------------------------------------------
    # Revisions are immutable once sent
    # ------------------------------------------------------------------

    def _effect_frozen(self):
        """A replaced revision, or a quotation that was sent, keeps what the customer saw."""
        self.ensure_one()
        if not self.id:
            return False
        if not self.effect_is_current_revision:
            return True
        # sent at some point (its sent date stays): an order confirmed without being sent,
        # then cancelled and set back to quotation, was never seen and is changed freely
        return self.state in ("draft", "sent", "cancel") and bool(self.effect_sent_date)

    def _effect_check_frozen(self, field_names):
        """Refuse a change of ``field_names`` on a frozen revision, with the reason."""
        frozen_fields = [name for name in field_names if name in FROZEN_ORDER_FIELDS]
        if not frozen_fields:
            return
        for order in self:
            if not order._effect_frozen():
                continue
            labels = ", ".join(
                sorted({self._fields[name]._description_string(self.env) for name in frozen_fields})
            )
            if not order.effect_is_current_revision:
                raise UserError(
                    self.env._(
                        "%(name)s was replaced by %(next)s and can no longer be changed "
                        "(%(fields)s). Work on the current revision.",
                        name=order.name,
                        next=order._effect_current_revision().name,
                        fields=labels,
                    )
                )
            raise UserError(
                self.env._(
                    "%(name)s was sent to the customer and can no longer be changed "
                    "(%(fields)s). Click “New Revision” to prepare a changed quotation.",
                    name=order.name,
                    fields=labels,
                )
            )

    def _effect_current_revision(self):
        self.ensure_one()
        current = self.effect_revision_ids.filtered("effect_is_current_revision")
        return current[:1] or self

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # before Odoo's create and its follow-ups (followers, the customer's defaults)
        self._effect_check_customer_create(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        # before anything else: the status changes below write on the customer's timeline
        self._effect_check_customer_write(vals)
        self._effect_check_frozen(vals)
        previous_states = {order: order.state for order in self} if "state" in vals else {}
        result = super().write(vals)
        if vals.get("signature"):
            # signed on the portal: the customer accepted, even when a payment is still due
            self._effect_set_customer_status("accepted")
        if previous_states:
            if vals["state"] == "sent":
                self.filtered(lambda o: previous_states[o] == "draft")._effect_set_customer_status(
                    "sent"
                )
            elif vals["state"] == "sale":
                self.filtered(
                    lambda o: previous_states[o] in ("draft", "sent")
                )._effect_set_customer_status("accepted")
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_effect_frozen(self):
        for order in self:
            if order._effect_frozen() or order.effect_next_revision_id:
                raise UserError(
                    self.env._(
                        "%(name)s was sent to the customer or replaced by a newer revision: "
                        "it is kept and cannot be deleted.",
                        name=order.name,
                    )
                )

    # ------------------------------------------------------------------
    # Customer-side status
    # ------------------------------------------------------------------

    def _effect_set_customer_status(self, status, strict=False):
        """Move to ``status`` the orders that may reach it; record it on the customer.

        ``strict``: refuse (with a message) instead of skipping orders that cannot.
        """
        labels = dict(self._fields["effect_customer_status"]._description_selection(self.env))
        movable = self.filtered(lambda o: o.effect_customer_status in STATUS_FROM[status])
        if strict and movable != self:
            order = (self - movable)[0]
            raise UserError(
                self.env._(
                    "%(name)s cannot be marked %(new)s: its customer status is %(current)s.",
                    name=order.name,
                    new=labels[status],
                    current=labels[order.effect_customer_status],
                )
            )
        if not movable:
            return movable
        now = fields.Datetime.now()
        movable.write({"effect_customer_status": status, STATUS_DATE_FIELDS[status]: now})
        movable._effect_record_customer_event(status)
        return movable

    def _effect_record_customer_event(self, status):
        """Record a change of customer status on the quotation and, as an interaction,
        on the customer's timeline: the one place where quote events reach the customer."""
        labels = dict(self._fields["effect_customer_status"]._description_selection(self.env))
        quote_type = self.env.ref("effect_crm.interaction_type_quote")
        events = []
        for order in self:
            body = Markup(self.env._("Quotation %(quotation)s: %(status)s.")) % {
                "quotation": order._get_html_link(),
                "status": labels[status],
            }
            order._message_log(body=body)
            events.append(
                {
                    "name": self.env._(
                        "Quotation %(quotation)s: %(status)s",
                        quotation=order.name,
                        status=labels[status],
                    ),
                    "partner_id": order.partner_id.commercial_partner_id.id,
                    "contact_id": order.partner_id.id if order.partner_id.parent_id else False,
                    "user_id": (order.user_id or self.env.user).id,
                    "company_id": order.company_id.id,
                    "type_id": quote_type.id,
                    # the customer received, accepted or refused; we sent, or it expired
                    "direction": "incoming"
                    if status in ("received", "accepted", "refused")
                    else "outgoing",
                    "sale_order_id": order.id,
                }
            )
        self.env["effect.crm.interaction"]._effect_record_events(events)

    def _effect_check_status_button(self):
        """The customer-status buttons are the sales team's, on customers it works."""
        if not self.env.su and not self.env.user.has_group("sales_team.group_sale_salesman"):
            raise AccessError(
                self.env._("Only salespeople can record what the customer did with a quotation.")
            )
        self._effect_check_customer_action()

    def action_effect_mark_sent(self):
        """The salesperson sent the quotation another way (printed, Zalo, by hand)."""
        self._effect_check_status_button()
        self._effect_set_customer_status("sent", strict=True)
        self.filtered(lambda o: o.state == "draft").write({"state": "sent"})
        return True

    def action_effect_mark_received(self):
        self._effect_check_status_button()
        self._effect_check_current()
        self._effect_set_customer_status("received", strict=True)
        return True

    def action_effect_mark_accepted(self):
        self._effect_check_status_button()
        self._effect_check_current()
        self._effect_set_customer_status("accepted", strict=True)
        return True

    def action_effect_mark_refused(self):
        self._effect_check_status_button()
        self._effect_set_customer_status("refused", strict=True)
        return True

    def _effect_mark_received_by_customer(self):
        """The customer opened the quotation (portal link): sent becomes received."""
        return self.filtered(
            lambda o: o.effect_customer_status == "sent"
        )._effect_set_customer_status("received")

    @api.model
    def _cron_effect_expire_quotations(self):
        """Quotations whose validity date passed without an answer become expired."""
        # run on the company's today, not on the technical user's (effect.crm.clock)
        orders = self.with_context(tz=self.env["effect.crm.clock"]._effect_company_tz())
        today = orders.env["effect.crm.clock"]._effect_today()
        orders = orders.search(
            [
                ("effect_customer_status", "in", ("sent", "received")),
                ("effect_is_current_revision", "=", True),
                ("state", "in", ("draft", "sent")),
                ("validity_date", "<", today),
            ]
        )
        return orders._effect_set_customer_status("expired")

    # ------------------------------------------------------------------
    # Revisions
    # ------------------------------------------------------------------

    def _effect_check_current(self):
        for order in self:
            if not order.effect_is_current_revision:
                raise UserError(
                    self.env._(
                        "%(name)s was replaced by %(next)s: use the current revision.",
                        name=order.name,
                        next=order._effect_current_revision().name,
                    )
                )

    def _has_to_be_signed(self):
        # a replaced revision can no longer be accepted or refused on the portal
        return super()._has_to_be_signed() and self.effect_is_current_revision

    def action_confirm(self):
        # before Odoo's confirmation and what follows it (a won prospect's hand-off)
        self._effect_check_customer_action()
        self._effect_check_current()
        return super().action_confirm()

    def _effect_keep_revision_pdf(self):
        """Keep the PDF of the quotation as an attachment (once)."""
        for order in self.filtered(lambda o: not o.effect_revision_pdf_id):
            content, _report_type = self.env["ir.actions.report"]._render_qweb_pdf(
                "sale.action_report_saleorder", order.ids
            )
            order.effect_revision_pdf_id = self.env["ir.attachment"].create(
                {
                    "name": f"{order.name}.pdf",
                    "raw": content,
                    "res_model": order._name,
                    "res_id": order.id,
                    "mimetype": "application/pdf",
                }
            )

    @api.model
    def _cron_effect_keep_revision_pdfs(self):
        """Scheduled action: keep the PDF of each revision replaced since its last run.

        "New Revision" asks for it (``_trigger``) instead of rendering it in the user's
        request: wkhtmltopdf fetches the report's styles from the server, so with two
        workers, two salespeople revising at once held both workers, each render waiting
        for a worker to serve its styles, until the time limit (bench/RESULTS.md, issue
        16). A replaced revision cannot change, so its PDF made a moment later is the one
        that was sent. A PDF that fails (wkhtmltopdf missing) is logged and tried again
        at the next run; the others are kept.
        """
        Cron = self.env["ir.cron"]
        pending = self.search(
            [("effect_next_revision_id", "!=", False), ("effect_revision_pdf_id", "=", False)],
            order="id",
        )
        for done, order in enumerate(pending, 1):
            try:
                with self.env.cr.savepoint():
                    order._effect_keep_revision_pdf()
            except Exception:
                _logger.exception(
                    "The PDF of the replaced revision %s could not be made", order.name
                )
            if Cron._commit_progress(1, remaining=len(pending) - done) <= 0:
                return  # out of time: the scheduler runs it again for the rest

    def action_effect_new_revision(self):
        """Freeze this sent quotation and make the next revision the working copy."""
        self.ensure_one()
        self._effect_check_customer_action()
        self._effect_check_current()
        if self.state == "sale":
            raise UserError(
                self.env._(
                    "%(name)s is a confirmed order: it is no longer revised.", name=self.name
                )
            )
        if self.effect_customer_status == "not_sent":
            raise UserError(
                self.env._(
                    "%(name)s has not been sent to the customer yet: change it directly.",
                    name=self.name,
                )
            )
        root = self.effect_root_order_id or self
        number = self.effect_revision + 1
        revision = self.copy(
            {
                "name": f"{root.name}-R{number}",
                "effect_revision": number,
                "effect_root_order_id": root.id,
                "effect_previous_revision_id": self.id,
                "origin": self.origin,
                "opportunity_id": self.opportunity_id.id,
            }
        )
        self.write({"effect_is_current_revision": False, "effect_next_revision_id": revision.id})
        # the PDF of this revision, as sent, is made after the request
        self.env.ref("effect_crm.ir_cron_effect_revision_pdf")._trigger()
        self._message_log(
            body=Markup(self.env._("Replaced by the new revision %(revision)s."))
            % {"revision": revision._get_html_link()}
        )
        # the quotation's name is typed by users: escaped, only the link is markup
        revision._message_log(
            body=Markup(self.env._("Revision %(number)s of %(root)s, replacing %(previous)s."))
            % {"number": number, "root": root.name, "previous": self._get_html_link()}
        )
        return revision._effect_form_action()

    def _effect_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_effect_compare_revisions(self):
        """Compare this revision with the previous one (either can then be changed)."""
        self.ensure_one()
        previous = self.effect_previous_revision_id or self.effect_next_revision_id
        if not previous:
            raise UserError(
                self.env._("%(name)s has no other revision to compare with.", name=self.name)
            )
        wizard = self.env["effect.crm.quote.compare"].create(
            {"order_a_id": previous.id, "order_b_id": self.id}
        )
        return wizard.action_compare()

    def action_effect_open_revision_pdf(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.effect_revision_pdf_id.id}?download=true",
            "target": "self",
        }

    def _effect_revision_snapshot(self):
        """This revision as plain data for :func:`tools.revision_diff.diff_revisions`."""
        self.ensure_one()
        env = self.env
        lines = []
        for line in self.order_line:
            if line.display_type:
                key = ("text", line.display_type, line.name)
                label = line.name
            else:
                key = ("product", line.product_id.id)
                label = line.product_id.display_name
            lines.append(
                {
                    "key": key,
                    "label": label,
                    "description": line.name,
                    "quantity": line.product_uom_qty,
                    "uom": line.product_uom_id.name or "",
                    "price_unit": line.price_unit,
                    "discount": line.discount,
                    "taxes": ", ".join(line.tax_ids.mapped("name")),
                    "subtotal": line.price_subtotal,
                }
            )
        field_label = self._effect_field_label
        return {
            "lines": lines,
            "totals": {
                field_label("amount_untaxed"): self.amount_untaxed,
                field_label("amount_tax"): self.amount_tax,
                field_label("amount_total"): self.amount_total,
            },
            "terms": {
                field_label("partner_id"): self.partner_id.display_name,
                field_label("currency_id"): self.currency_id.name,
                field_label("pricelist_id"): self.pricelist_id.display_name or "",
                field_label("payment_term_id"): self.payment_term_id.display_name or "",
                field_label("validity_date"): (
                    self.validity_date and fields.Date.to_string(self.validity_date)
                )
                or "",
                field_label("effect_promotion_id"): self.effect_promotion_id.display_name or "",
                env._("Terms and Conditions"): ""
                if is_html_empty(self.note)
                else html2plaintext(self.note or "").strip(),
            },
        }

    def _effect_field_label(self, name):
        return self._fields[name]._description_string(self.env)

    # ------------------------------------------------------------------
    # Promotions
    # ------------------------------------------------------------------

    def _effect_apply_promotion(self, promotion):
        """Set the promotion's discount on the matching lines and record it."""
        self.ensure_one()
        self._effect_check_frozen(["order_line", "effect_promotion_id"])
        promotion._effect_check_applicable(self)
        lines = self.order_line.filtered(
            lambda line: not line.display_type and promotion._effect_matches(line.product_id)
        )
        if not lines:
            raise UserError(
                self.env._(
                    "No line of %(order)s is for a product of the promotion %(promotion)s.",
                    order=self.name,
                    promotion=promotion.display_name,
                )
            )
        value = self._effect_promotion_value(promotion)
        for line in lines:
            line.discount = line_discount(promotion.discount_type, value, line.price_unit)
        values = {"effect_promotion_id": promotion.id}
        terms = promotion.terms
        if not is_html_empty(terms) and html2plaintext(terms) not in html2plaintext(
            self.note or ""
        ):
            values["note"] = (self.note or Markup()) + Markup(terms)
        self.write(values)
        return lines

    def _effect_promotion_value(self, promotion):
        """The promotion's percentage, or its amount in the quotation's currency."""
        self.ensure_one()
        if promotion.discount_type != "fixed":
            return promotion.discount_percentage
        return promotion.currency_id._convert(
            promotion.discount_amount,
            self.currency_id,
            self.company_id,
            self.date_order or self.env["effect.crm.clock"]._effect_today(),
        )

    def action_effect_apply_promotion(self):
        self.ensure_one()
        self._effect_check_frozen(["order_line"])
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Apply a Promotion"),
            "res_model": "effect.crm.promotion.apply",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    # ------------------------------------------------------------------
    # Contracts
    # ------------------------------------------------------------------

    def action_effect_create_contract(self):
        """A contract (draft) from this accepted quotation."""
        self.ensure_one()
        self._effect_check_current()
        if self.effect_customer_status != "accepted" and self.state != "sale":
            raise UserError(
                self.env._(
                    "%(name)s has not been accepted by the customer: a contract is made "
                    "from an accepted quotation.",
                    name=self.name,
                )
            )
        contract = self.env["effect.crm.contract"].create(self._effect_contract_values())
        return contract._effect_form_action()

    def action_effect_contract_from_template(self):
        """A contract version merged from a template: the quotation's contract, or a new one."""
        self.ensure_one()
        contract = self.effect_contract_ids.sorted("id", reverse=True)[:1]
        if not contract:
            contract = self.env["effect.crm.contract"].browse(
                self.action_effect_create_contract()["res_id"]
            )
        action = contract.action_create_from_template()
        action["context"]["default_sale_order_id"] = self.id
        return action

    def _effect_contract_values(self):
        self.ensure_one()
        return {
            "title": self.env._("Contract for %(quotation)s", quotation=self.name),
            "partner_id": self.partner_id.commercial_partner_id.id,
            "user_id": self.user_id.id or self.env.user.id,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "amount": self.amount_total,
            "sale_order_id": self.id,
            "terms_summary": ""
            if is_html_empty(self.note)
            else html2plaintext(self.note or "").strip(),
        }

    def action_effect_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "effect_crm.effect_crm_contract_action"
        )
        action["domain"] = [("sale_order_id", "=", self.id)]
        action["context"] = {"default_sale_order_id": self.id}
        if self.effect_contract_count == 1:
            action.update(self.effect_contract_ids._effect_form_action())
        return action

    # --- automation rules (examples shipped inactive) -------------------

    def _effect_plan_refusal_follow_up(self, days=30):
        """Example rule: a refused quotation gets a follow-up call ``days`` days later."""
        for order in self:
            order.partner_id.commercial_partner_id._effect_plan_call(
                self.env._("Follow up the refused quotation %(quotation)s", quotation=order.name),
                days=days,
            )
