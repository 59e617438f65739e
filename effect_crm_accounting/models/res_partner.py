from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain

from odoo.addons.effect_crm.models.res_partner import server_fact

from ..tools.aging import age
from ..tools.handoff import checklist

# who may read the receivables of customers: salespeople in the receivables group (for
# the customers they work) and accounting users
RECEIVABLE_GROUPS = (
    "effect_crm_accounting.group_see_receivables,"
    "account.group_account_invoice,account.group_account_readonly"
)
# a change of one of these fields of a customer (or of its invoicing contact) may
# complete its hand-off to accounting
HANDOFF_FIELDS = {
    "vat",
    "street",
    "street2",
    "city",
    "state_id",
    "country_id",
    "zip",
    "type",
    "parent_id",
    "child_ids",
    "property_payment_term_id",
    "property_account_receivable_id",
    "credit_limit",
    "use_partner_credit_limit",
}
# what made a prospect a customer (see ResPartner._effect_mark_won)
HANDOFF_FACT = "effect_crm_accounting.handoff"
COMPARISONS = {
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------

    effect_handoff_ids = fields.One2many(
        "effect.crm.handoff",
        "partner_id",
        "Hand-offs",
        groups="sales_team.group_sale_salesman,account.group_account_invoice,"
        "account.group_account_readonly",
    )
    effect_handoff_state = fields.Selection(
        [("incomplete", "Incomplete"), ("complete", "Complete")],
        "Hand-off",
        compute="_compute_effect_handoff_state",
        store=True,
        help="The state of the customer's last hand-off to accounting.",
    )

    effect_receivable_currency_id = fields.Many2one(
        "res.currency", compute="_compute_effect_receivables", groups=RECEIVABLE_GROUPS
    )
    effect_amount_due = fields.Monetary(
        "Total Due",
        compute="_compute_effect_receivables",
        currency_field="effect_receivable_currency_id",
        groups=RECEIVABLE_GROUPS,
        help="What the customer owes: open invoices, less open credit notes and payments "
        "not yet matched, in the company currency.",
    )
    effect_amount_overdue = fields.Monetary(
        "Overdue",
        compute="_compute_effect_receivables",
        search="_search_effect_amount_overdue",
        currency_field="effect_receivable_currency_id",
        groups=RECEIVABLE_GROUPS,
        help="The part of the total due whose due date has passed.",
    )
    effect_amount_not_due = fields.Monetary(
        "Not Yet Due",
        compute="_compute_effect_receivables",
        currency_field="effect_receivable_currency_id",
        groups=RECEIVABLE_GROUPS,
    )
    effect_amount_1_30 = fields.Monetary(
        "1-30 Days Overdue",
        compute="_compute_effect_receivables",
        currency_field="effect_receivable_currency_id",
        groups=RECEIVABLE_GROUPS,
    )
    effect_amount_31_60 = fields.Monetary(
        "31-60 Days Overdue",
        compute="_compute_effect_receivables",
        currency_field="effect_receivable_currency_id",
        groups=RECEIVABLE_GROUPS,
    )
    effect_amount_61_90 = fields.Monetary(
        "61-90 Days Overdue",
        compute="_compute_effect_receivables",
        currency_field="effect_receivable_currency_id",
        groups=RECEIVABLE_GROUPS,
    )
    effect_amount_over_90 = fields.Monetary(
        "Over 90 Days Overdue",
        compute="_compute_effect_receivables",
        currency_field="effect_receivable_currency_id",
        groups=RECEIVABLE_GROUPS,
    )
    effect_open_invoice_count = fields.Integer(
        "Open Invoices", compute="_compute_effect_receivables", groups=RECEIVABLE_GROUPS
    )
    effect_last_payment_date = fields.Date(
        "Last Payment", compute="_compute_effect_receivables", groups=RECEIVABLE_GROUPS
    )
    effect_last_payment_amount = fields.Monetary(
        "Last Payment Amount",
        compute="_compute_effect_receivables",
        currency_field="effect_receivable_currency_id",
        groups=RECEIVABLE_GROUPS,
        help="What the customer paid on the day of its last payment.",
    )
    effect_receivable_ids = fields.One2many(
        "effect.crm.receivable", "partner_id", "Open Items", groups=RECEIVABLE_GROUPS
    )
    effect_collection_ids = fields.One2many(
        "effect.crm.collection", "partner_id", "Collection Requests", groups=RECEIVABLE_GROUPS
    )
    effect_promised_payment_date = fields.Date(
        "Promised Payment",
        compute="_compute_effect_promised_payment_date",
        groups=RECEIVABLE_GROUPS,
        help="The payment date the customer promised in the last debt collection call.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("effect_handoff_ids.state", "effect_handoff_ids.date")
    def _compute_effect_handoff_state(self):
        for partner in self:
            handoffs = partner.sudo().effect_handoff_ids.sorted(lambda h: (h.date, h.id))
            partner.effect_handoff_state = handoffs[-1:].state or False

    def _effect_receivable_scope(self):
        """The domain of partners whose receivables the current user may see.

        Accounting users, and all-documents salespeople in the receivables group: every
        partner they may read. Own-documents salespeople in the receivables group: the
        CRM customers they work (their own and their territories'), not the other
        partners Odoo lets them read. Anybody else: none.
        """
        user = self.env.user
        if (
            self.env.su
            or user.has_group("account.group_account_invoice")
            or user.has_group("account.group_account_readonly")
        ):
            return Domain.TRUE
        if not user.has_group("effect_crm_accounting.group_see_receivables"):
            return Domain.FALSE
        if user.has_group("sales_team.group_sale_salesman_all_leads"):
            return Domain.TRUE
        # the CRM customers the user works: the one definition of effect_crm
        return Domain("commercial_partner_id", "any", [
            ("effect_stage", "!=", False),
            ("effect_is_worked", "=", True),
        ])  # fmt: skip

    def _effect_receivable_visible(self):
        """The partners of ``self`` whose receivables the current user may see."""
        readable = self.filtered("id")._filtered_access("read")
        return readable.filtered_domain(self._effect_receivable_scope())

    @api.depends_context("company", "uid", "tz")  # aged from the user's today
    def _compute_effect_receivables(self):
        company = self.env.company
        visible = self._effect_receivable_visible()
        figures = visible.commercial_partner_id._effect_receivable_figures(company)
        for partner in self:
            values = figures.get(partner.commercial_partner_id.id, {})
            if partner not in visible:
                values = {}
            partner.effect_receivable_currency_id = company.currency_id
            partner.effect_amount_due = values.get("total", 0.0)
            partner.effect_amount_overdue = values.get("overdue", 0.0)
            partner.effect_amount_not_due = values.get("not_due", 0.0)
            partner.effect_amount_1_30 = values.get("1_30", 0.0)
            partner.effect_amount_31_60 = values.get("31_60", 0.0)
            partner.effect_amount_61_90 = values.get("61_90", 0.0)
            partner.effect_amount_over_90 = values.get("over_90", 0.0)
            partner.effect_open_invoice_count = values.get("open_invoices", 0)
            partner.effect_last_payment_date = values.get("last_payment_date", False)
            partner.effect_last_payment_amount = values.get("last_payment_amount", 0.0)

    def _effect_receivable_domain(self, company):
        """Posted receivable journal items of these customers (commercial partners)."""
        return Domain([
            ("company_id", "=", company.id),
            ("parent_state", "=", "posted"),
            ("account_id.account_type", "=", "asset_receivable"),
            ("partner_id.commercial_partner_id", "in", self.ids),
        ])  # fmt: skip

    def _effect_receivable_figures(self, company):
        """Receivables of these customers (commercial partners) in ``company``, by id.

        Runs as superuser: callers check first that the user may see these customers'
        receivables (:meth:`_effect_receivable_visible`). The figures cover every
        receivable of the customer, also invoices of other salespeople and payments,
        which Odoo's invoice rules hide from a salesperson; only totals come out.
        """
        if not self:
            return {}
        Line = self.env["account.move.line"].sudo()
        base = self._effect_receivable_domain(company)
        open_domain = base & Domain([("reconciled", "=", False), ("amount_residual", "!=", 0)])
        today = self.env["effect.crm.clock"]._effect_today()
        currency = company.currency_id
        items = defaultdict(list)
        for customer, due, date, amount in Line._read_group(
            open_domain,
            ["partner_id.commercial_partner_id", "date_maturity:day", "date:day"],
            ["amount_residual:sum"],
        ):
            items[customer.id].append((due or date, amount))
        figures = {}
        for customer_id, customer_items in items.items():
            aged = age(customer_items, today)
            figures[customer_id] = {key: currency.round(value) for key, value in aged.items()}
        for customer, count in Line._read_group(
            open_domain & Domain("move_id.move_type", "=", "out_invoice"),
            ["partner_id.commercial_partner_id"],
            ["move_id:count_distinct"],
        ):
            figures.setdefault(customer.id, {})["open_invoices"] = count
        # the last payment: the day of the customer's latest payment, and what it paid then
        payments = base & Domain([
            ("balance", "<", 0),
            "|", ("payment_id", "!=", False), ("statement_line_id", "!=", False),
        ])  # fmt: skip
        last_dates = {
            customer.id: last
            for customer, last in Line._read_group(
                payments, ["partner_id.commercial_partner_id"], ["date:max"]
            )
        }
        if last_dates:
            for customer, day, balance in Line._read_group(
                payments & Domain("date", "in", list(set(last_dates.values()))),
                ["partner_id.commercial_partner_id", "date:day"],
                ["balance:sum"],
            ):
                if last_dates.get(customer.id) == day:
                    values = figures.setdefault(customer.id, {})
                    values["last_payment_date"] = day
                    values["last_payment_amount"] = currency.round(-balance)
        return figures

    def _search_effect_amount_overdue(self, operator, value):
        if operator not in COMPARISONS or not isinstance(value, (int, float)):
            return NotImplemented
        scope = self._effect_receivable_scope()
        if scope.is_false():
            # Odoo checks the field's groups when reading it, not when searching on it
            raise AccessError(
                self.env._("You are not allowed to search customers by their receivables.")
            )
        company = self.env.company
        today = self.env["effect.crm.clock"]._effect_today()
        overdue = Domain([
            ("company_id", "=", company.id),
            ("parent_state", "=", "posted"),
            ("account_id.account_type", "=", "asset_receivable"),
            ("reconciled", "=", False),
            ("amount_residual", "!=", 0),
            "|",
            ("date_maturity", "<", today),
            "&", ("date_maturity", "=", False), ("date", "<", today),
        ])  # fmt: skip
        # sudo: only totals per customer come out, and the result is restricted to the
        # customers whose receivables the user may see (the scope below)
        sums = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(overdue, ["partner_id.commercial_partner_id"], ["amount_residual:sum"])
        )
        compare = COMPARISONS[operator]
        currency = company.currency_id
        if compare(0.0, value):
            # customers without any overdue amount match too
            excluded = [c.id for c, total in sums if not compare(currency.round(total), value)]
            domain = Domain("commercial_partner_id", "not in", excluded)
        else:
            matching = [c.id for c, total in sums if compare(currency.round(total), value)]
            domain = Domain("commercial_partner_id", "in", matching)
        return domain & scope

    @api.depends_context("uid")
    def _compute_effect_promised_payment_date(self):
        visible = self._effect_receivable_visible()
        customers = visible.commercial_partner_id
        promised = {}
        if customers:
            # sudo: the promise is part of the receivables the user may see (checked
            # above), whoever logged the call
            calls = (
                self.env["effect.crm.interaction"]
                .sudo()
                .search(
                    [
                        ("partner_id", "in", customers.ids),
                        ("effect_promised_date", "!=", False),
                    ],
                    order="date desc, id desc",
                )
            )
            for call in calls:
                promised.setdefault(call.partner_id.id, call.effect_promised_date)
        for partner in self:
            partner.effect_promised_payment_date = (
                promised.get(partner.commercial_partner_id.id, False)
                if partner in visible
                else False
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        contacts = partners.filtered("parent_id")
        if contacts:
            contacts.commercial_partner_id._effect_recheck_handoffs()
        return partners

    def write(self, vals):
        won = self.browse()
        if vals.get("effect_stage") == "customer":
            won = self.filtered(
                lambda partner: partner.effect_stage == "prospect" and not partner.parent_id
            )
        parents_before = self.parent_id if "parent_id" in vals else self.browse()
        result = super().write(vals)
        if won:
            # what made the prospect a customer: the server says it (an order, an invoice,
            # the hand-off dialog, see _effect_mark_won); anything else is a change by hand
            facts = self.env.cr.cache.get(HANDOFF_FACT) or {}
            self.env["effect.crm.handoff"]._effect_create_for(
                won,
                trigger=facts.get("trigger", "manual"),
                order=facts.get("order") or self.env["sale.order"],
                move=facts.get("move") or self.env["account.move"],
                note=facts.get("note"),
            )
        if HANDOFF_FIELDS & vals.keys():
            (
                self.commercial_partner_id | parents_before.commercial_partner_id
            )._effect_recheck_handoffs()
        return result

    # ------------------------------------------------------------------
    # Hand-off to accounting
    # ------------------------------------------------------------------

    def _effect_mark_won(self, trigger, order=None, move=None, note=None):
        """These prospects become customers, handed off to accounting because of
        ``trigger`` (an order, an invoice, or the hand-off dialog with its note)."""
        facts = {"trigger": trigger, "order": order, "move": move, "note": note}
        with server_fact(self.env, HANDOFF_FACT, facts):
            self.write({"effect_stage": "customer"})

    def _effect_handoff_checklist(self):
        """The hand-off checklist of these customers: ``{id: [[item, passed], …]}``."""
        self.check_access("read")
        company = self.env.company
        result = {}
        # sudo: the user may read these customers (checked above); accounting's settings
        # of them (credit limit, receivable account) are read only to say whether they
        # are set
        for partner in self.sudo():
            partner = partner.with_company(partner.company_id or company)
            invoice_address = partner.browse(partner.address_get(["invoice"])["invoice"])
            receivable = partner.property_account_receivable_id
            facts = {
                "is_company": partner.is_company,
                "vat": partner.vat,
                "vat_valid": partner._effect_vat_is_valid(),
                "street": invoice_address.street,
                "city": invoice_address.city,
                "state": invoice_address.state_id.id,
                "country": invoice_address.country_id.id,
                "payment_term": partner.property_payment_term_id.id,
                "receivable_account": bool(
                    receivable
                    and receivable.active
                    and receivable.account_type == "asset_receivable"
                ),
                "uses_credit_limit": partner.env.company.account_use_credit_limit,
                "credit_limit": partner.credit_limit,
            }
            result[partner.id] = [[item, passed] for item, passed in checklist(facts)]
        return result

    def _effect_vat_is_valid(self):
        """Whether the tax code passes its country's check (Vietnam: the MST check digit)."""
        self.ensure_one()
        vat = (self.vat or "").strip()
        if not vat or vat == "/":
            return False
        prefix, number = self._split_vat(vat)
        country_code = prefix if prefix and prefix.isalpha() else self.country_id.code
        if not country_code:
            return True  # no country to check against, as Odoo does
        if not prefix:
            number = vat
        return bool(self._check_vat_number(country_code.lower(), number))

    def _effect_recheck_handoffs(self):
        """Complete the incomplete hand-offs of these customers whose data is now complete."""
        customers = self.filtered("id")
        if not customers:
            return
        # sudo: only to find the open hand-offs of customers the user just changed
        handoffs = (
            self.env["effect.crm.handoff"]
            .sudo()
            .search([("partner_id", "in", customers.ids), ("state", "=", "incomplete")])
        )
        if handoffs:
            handoffs._effect_recheck()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_effect_handoff_wizard(self):
        """The "Won: Customer" button: show the hand-off checklist before the change."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Hand Off to Accounting"),
            "res_model": "effect.crm.handoff.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_effect_handoffs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "effect_crm_accounting.effect_crm_handoff_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action

    def action_effect_receivables(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "effect_crm_accounting.effect_crm_receivable_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_group_aging": 1}
        return action

    def action_effect_request_collection(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request Collection"),
            "res_model": "effect.crm.collection",
            "view_mode": "form",
            "views": [
                (
                    self.env.ref(
                        "effect_crm_accounting.effect_crm_collection_view_form_request"
                    ).id,
                    "form",
                )
            ],
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_effect_crm_interactions_readonly(self):
        """Accountants: the customer's interactions (read-only)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "effect_crm.effect_crm_interaction_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"create": False}
        return action

    def action_effect_crm_contracts_readonly(self):
        """Accountants: the customer's contracts (read-only)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "effect_crm.effect_crm_contract_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"create": False}
        return action

    def action_effect_crm_quotations_readonly(self):
        """Accountants: the customer's quotations and orders (read-only)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_quotations")
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"create": False}
        return action
