from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from ..tools.amounts import parse_amount
from ..tools.contract_files import FileBytes, sha256_hex

CONTRACT_STATES = [
    ("draft", "Draft"),
    ("sent", "Sent"),
    ("signed", "Signed"),
    ("active", "Active"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
    ("expired", "Expired"),
]
# state -> (the states it may be reached from, the date field it sets)
STATE_FLOW = {
    "draft": ({"cancelled"}, None),
    "sent": ({"draft"}, "date_sent"),
    "signed": ({"draft", "sent"}, "date_signed"),
    "active": ({"signed"}, "date_activated"),
    "done": ({"signed", "active", "expired"}, "date_done"),
    "cancelled": ({"draft", "sent", "signed", "active"}, "date_cancelled"),
    "expired": ({"signed", "active"}, "date_expired"),
}
SIGNED_STATES = ("signed", "active", "done", "expired")


class EffectCrmContract(models.Model):
    _name = "effect.crm.contract"
    _description = "Contract"
    _inherit = [
        "effect.crm.concurrency.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "effect.crm.customer.mixin",
        "effect.crm.classification.mixin",
    ]
    _effect_customer_fields = ("partner_id", "sale_order_id")
    _order = "date_signed desc, id desc"
    _rec_names_search = ["name", "title", "partner_id"]

    name = fields.Char(
        "Number", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    title = fields.Char("Subject", tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('parent_id', '=', False)]",
        help="The customer (company or individual); a contact person is replaced by its company.",
    )
    user_id = fields.Many2one(
        "res.users",
        "Salesperson",
        default=lambda self: self.env.user,
        index=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    type_id = fields.Many2one("effect.crm.contract.type", index=True, tracking=True)
    department_id = fields.Many2one(
        "effect.crm.contract.department",
        "Executing Department",
        index=True,
        tracking=True,
        domain="[('company_id', 'in', [company_id, False])]",
    )
    department_responsible_id = fields.Many2one(
        related="department_id.responsible_id", string="Department Responsible"
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        tracking=True,
    )
    amount = fields.Monetary("Value", currency_field="currency_id", tracking=True)
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    effect_rate_missing = fields.Boolean(
        "No Exchange Rate",
        compute="_compute_effect_rate_missing",
        help="The contract's currency has no exchange rate in this company: Odoo converts "
        "it at 1, so its value in company currency (filters, statistics) is wrong until a "
        "rate is added.",
    )
    amount_company = fields.Monetary(
        "Value in Company Currency",
        currency_field="company_currency_id",
        compute="_compute_amount_company",
        store=True,
        help="The value converted at the rate of the signature date (or of the creation "
        "date before signature): the amount filters and statistics use it.",
    )
    amount_over = fields.Char(
        "Value Over",
        compute="_compute_amount_over",
        search="_search_amount_over",
        help="Search: contracts worth at least this amount, e.g. “5000 USD” or "
        "“120 triệu VND”, compared in company currency.",
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        "Source Quotation",
        index="btree_not_null",
        tracking=True,
        domain="[('partner_id', 'child_of', partner_id)]",
    )
    date_signed = fields.Date("Signed On", tracking=True, copy=False)
    is_signed_this_quarter = fields.Boolean(
        "Signed This Quarter",
        compute="_compute_is_signed_this_quarter",
        search="_search_is_signed_this_quarter",
        help="Signed in the current calendar quarter, in the user's time zone.",
    )
    date_start = fields.Date("Start Date", tracking=True)
    date_end = fields.Date("End Date", tracking=True)
    state = fields.Selection(
        CONTRACT_STATES,
        "Status",
        required=True,
        default="draft",
        index=True,
        tracking=True,
        copy=False,
        readonly=True,
    )
    date_sent = fields.Date("Sent On", copy=False, readonly=True)
    date_activated = fields.Date("Activated On", copy=False, readonly=True)
    date_done = fields.Date("Done On", copy=False, readonly=True)
    date_cancelled = fields.Date("Cancelled On", copy=False, readonly=True)
    date_expired = fields.Date("Expired On", copy=False, readonly=True)
    terms_summary = fields.Text()
    version_ids = fields.One2many("effect.crm.contract.version", "contract_id", "Versions")
    version_count = fields.Integer(compute="_compute_versions")
    final_version_id = fields.Many2one("effect.crm.contract.version", compute="_compute_versions")
    last_version_id = fields.Many2one(
        "effect.crm.contract.version", "Latest Version", compute="_compute_versions"
    )
    last_version_is_word = fields.Boolean(compute="_compute_versions")
    # the latest version's differences with the database (computed from the versions: the
    # latest version is not searchable, so it cannot carry a dependency)
    difference_count = fields.Integer("Differences", compute="_compute_differences")
    difference_html = fields.Html(
        "Document vs. Database", compute="_compute_differences", sanitize=False
    )
    difference_applicable = fields.Boolean(compute="_compute_differences")
    signed_text = fields.Text(
        "Signed Terms",
        compute="_compute_versions",
        help="The text of the final (signed) version, to read the terms without Word.",
    )
    version_text = fields.Text(
        "Document Text",
        compute="_compute_version_text",
        search="_search_version_text",
        help="Search: contracts whose versions' text holds these words.",
    )
    renewal_planned = fields.Boolean(
        copy=False,
        readonly=True,
        help="Set when the renewal activity was planned for the salesperson.",
    )
    # the customer's classification: effect.crm.classification.mixin

    _name_company_uniq = models.Constraint(
        "UNIQUE(name, company_id)",
        "A contract with this number already exists in this company.",
    )
    _amount_positive = models.Constraint(
        "CHECK(amount >= 0)",
        "A contract's value cannot be negative.",
    )
    _date_signed_state_idx = models.Index("(state, date_signed)")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("date_signed")
    @api.depends_context("tz", "uid")
    def _compute_is_signed_this_quarter(self):
        first, last = self.env["effect.crm.clock"]._effect_this_quarter()
        for contract in self:
            signed = contract.date_signed
            contract.is_signed_this_quarter = bool(signed and first <= signed <= last)

    def _search_is_signed_this_quarter(self, operator, value):
        first, last = self.env["effect.crm.clock"]._effect_this_quarter()
        if operator not in ("in", "not in"):
            return NotImplemented
        domain = Domain("date_signed", ">=", first) & Domain("date_signed", "<=", last)
        return domain if (True in value) == (operator == "in") else ~domain

    @api.depends("amount", "currency_id", "company_id", "date_signed", "create_date")
    def _compute_amount_company(self):
        today = self.env["effect.crm.clock"]._effect_today()
        for contract in self:
            company = contract.company_id or self.env.company
            date = contract.date_signed or (
                (contract.create_date and contract.create_date.date()) or today
            )
            if not contract.currency_id or contract.currency_id == company.currency_id:
                contract.amount_company = contract.amount
            else:
                contract.amount_company = contract.currency_id._convert(
                    contract.amount, company.currency_id, company, date
                )

    @api.depends("currency_id", "company_id")
    def _compute_effect_rate_missing(self):
        # Odoo's conversion takes a currency without any rate at 1; it reads the rates of
        # the company's root company or shared ones (res.currency._get_rates)
        foreign = self.filtered(
            lambda c: (
                c.currency_id and c.currency_id != (c.company_id or self.env.company).currency_id
            )
        )
        rated = set()
        if foreign:
            Rate = self.env["res.currency.rate"].sudo()
            rated = {
                (currency.id, company.id)
                for currency, company in Rate._read_group(
                    [("currency_id", "in", foreign.currency_id.ids)],
                    ["currency_id", "company_id"],
                )
            }
        for contract in self:
            company = contract.company_id or self.env.company
            contract.effect_rate_missing = contract in foreign and not (
                (contract.currency_id.id, company.root_id.id) in rated
                or (contract.currency_id.id, False) in rated
            )

    def _compute_amount_over(self):
        self.amount_over = False

    def _search_amount_over(self, operator, value):
        """``amount_over`` "5000 USD": worth at least 5000 USD in company currency."""
        if operator in ("not ilike", "!=", "not in") or not isinstance(value, str):
            return NotImplemented
        try:
            amount, code = parse_amount(value)
        except ValueError:
            raise UserError(
                self.env._(
                    "“%(value)s” is not an amount. Type for example 5000 USD, "
                    "120 triệu VND or 2500 (company currency).",
                    value=value,
                )
            ) from None
        currency = None
        if code:
            currency = (
                self.env["res.currency"]
                .with_context(active_test=False)
                .search([("name", "=", code)], limit=1)
            )
            if not currency:
                raise UserError(self.env._("“%(code)s” is not a known currency.", code=code))
        today = self.env["effect.crm.clock"]._effect_today()
        domains = []
        for company in self.env.companies:
            threshold = amount
            if currency and currency != company.currency_id:
                threshold = currency._convert(amount, company.currency_id, company, today)
            domains.append(
                ["&", ("company_id", "=", company.id), ("amount_company", ">=", threshold)]
            )
        result = domains[0]
        for domain in domains[1:]:
            result = ["|", *result, *domain]
        return result

    @api.depends(
        "version_ids.number",
        "version_ids.difference_count",
        "version_ids.difference_html",
        "version_ids.difference_applicable",
    )
    def _compute_differences(self):
        for contract in self:
            last = contract.version_ids.sorted("number", reverse=True)[:1]
            contract.difference_count = last.difference_count
            contract.difference_html = last.difference_html
            contract.difference_applicable = last.difference_applicable

    @api.depends("version_ids.state", "version_ids.number")
    def _compute_versions(self):
        for contract in self:
            contract.version_count = len(contract.version_ids)
            final = contract.version_ids.filtered(lambda v: v.state == "final")[:1]
            contract.final_version_id = final
            last = contract.version_ids.sorted("number", reverse=True)[:1]
            contract.last_version_id = last
            contract.last_version_is_word = (last.file_name or "").lower().endswith(".docx")
            contract.signed_text = final.text_content

    def _compute_version_text(self):
        self.version_text = False

    def _search_version_text(self, operator, value):
        if operator not in ("ilike", "like", "=ilike", "=like", "not ilike", "not like"):
            return NotImplemented
        if operator.startswith("not "):
            return [("version_ids", "not any", [("text_content", operator[4:], value)])]
        return [("version_ids", "any", [("text_content", operator, value)])]

    # ------------------------------------------------------------------
    # Constraints, CRUD
    # ------------------------------------------------------------------

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for contract in self:
            if (
                contract.date_start
                and contract.date_end
                and contract.date_end < contract.date_start
            ):
                raise ValidationError(
                    self.env._(
                        "Contract %(name)s ends (%(end)s) before it starts (%(start)s).",
                        name=contract.name,
                        end=contract.date_end,
                        start=contract.date_start,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # first: the customer's company is read below
        self._effect_check_customer_create(vals_list)
        Partner = self.env["res.partner"]
        for vals in vals_list:
            if vals.get("partner_id"):
                vals["partner_id"] = Partner.browse(vals["partner_id"]).commercial_partner_id.id
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(company)
                    .next_by_code("effect.crm.contract")
                    or "/"
                )
        return super().create(vals_list)

    def write(self, vals):
        self._effect_check_customer_write(vals)
        if vals.get("partner_id"):
            partner = self.env["res.partner"].browse(vals["partner_id"])
            vals = dict(vals, partner_id=partner.commercial_partner_id.id)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_signed_or_final(self):
        for contract in self:
            if contract.state not in ("draft", "cancelled"):
                raise UserError(
                    self.env._(
                        "Contract %(name)s is %(state)s: cancel it before deleting it.",
                        name=contract.name,
                        state=dict(CONTRACT_STATES)[contract.state],
                    )
                )
            if contract.version_ids.filtered(lambda v: v.state == "final"):
                raise UserError(
                    self.env._(
                        "Contract %(name)s has a final version: it cannot be deleted.",
                        name=contract.name,
                    )
                )

    # ------------------------------------------------------------------
    # State
    # ------------------------------------------------------------------

    def _effect_set_state(self, state):
        allowed_from, date_field = STATE_FLOW[state]
        labels = dict(self._fields["state"]._description_selection(self.env))
        for contract in self:
            if contract.state not in allowed_from:
                raise UserError(
                    self.env._(
                        "Contract %(name)s is %(current)s: it cannot become %(new)s.",
                        name=contract.name,
                        current=labels[contract.state],
                        new=labels[state],
                    )
                )
        today = self.env["effect.crm.clock"]._effect_today()
        for contract in self:
            values = {"state": state}
            if date_field and not (date_field == "date_signed" and contract.date_signed):
                values[date_field] = today
            if state == "active" and not contract.date_start:
                values["date_start"] = today
            contract.write(values)
        self._effect_record_customer_event(state)
        return True

    def _effect_record_customer_event(self, state):
        """Record a change of contract status on the customer's timeline (an interaction)."""
        labels = dict(self._fields["state"]._description_selection(self.env))
        contract_type = self.env.ref("effect_crm.interaction_type_contract")
        self.env["effect.crm.interaction"]._effect_record_events(
            [
                {
                    "name": self.env._(
                        "Contract %(contract)s: %(state)s",
                        contract=contract.name,
                        state=labels[state],
                    ),
                    "partner_id": contract.partner_id.id,
                    "user_id": (contract.user_id or self.env.user).id,
                    "company_id": contract.company_id.id,
                    "type_id": contract_type.id,
                    "direction": "outgoing",
                    "contract_id": contract.id,
                    "sale_order_id": contract.sale_order_id.id,
                }
                for contract in self
            ]
        )

    def action_send(self):
        return self._effect_set_state("sent")

    def action_sign(self):
        return self._effect_set_state("signed")

    def action_activate(self):
        return self._effect_set_state("active")

    def action_done(self):
        return self._effect_set_state("done")

    def action_cancel(self):
        return self._effect_set_state("cancelled")

    def action_draft(self):
        return self._effect_set_state("draft")

    # ------------------------------------------------------------------
    # Versions
    # ------------------------------------------------------------------

    def action_upload_version(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Upload a New Version"),
            "res_model": "effect.crm.contract.version",
            "view_mode": "form",
            "views": [
                (self.env.ref("effect_crm.effect_crm_contract_version_view_form_upload").id, "form")
            ],
            "target": "new",
            "context": {"default_contract_id": self.id},
        }

    def action_create_from_template(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Create from Template"),
            "res_model": "effect.crm.template.render",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_mode": "version",
                "default_contract_id": self.id,
                "default_partner_id": self.partner_id.id,
                "default_sale_order_id": self.sale_order_id.id,
            },
        }

    def _effect_version_from_template(self, template):
        """A new version of this contract: ``template`` merged with the database's values."""
        self.ensure_one()
        data = template._effect_render(
            partner=self.partner_id, contract=self, order=self.sale_order_id
        )
        return self.env["effect.crm.contract.version"].create(
            {
                "contract_id": self.id,
                "file": FileBytes(data),  # the bytes as they are: no base64 round trip
                "file_name": template._effect_output_name(self.name),
                "template_id": template.id,
                "note": self.env._(
                    "Made from template %(template)s (version %(version)s).",
                    template=template.name,
                    version=template.version,
                ),
            }
        )

    def action_apply_document_values(self):
        self.ensure_one()
        return self.last_version_id.action_apply_document_values()

    def action_edit_in_word(self):
        self.ensure_one()
        if not self.last_version_id:
            raise UserError(self.env._("Create or upload a first version to edit it in Word."))
        return self.last_version_id.action_edit_in_word()

    def _effect_save_from_word(self, data, file_name):
        """A save from Word: a new version, unless the file did not change."""
        self.ensure_one()
        data = FileBytes(data)  # the bytes as they are (no base64), checksummed once
        # the versions the WebDAV request read already (not last_version_id, whose
        # compute also reads the final version's text and the counts)
        latest = self.version_ids.sorted("number", reverse=True)[:1]
        if latest and latest.checksum == sha256_hex(data):
            return latest
        return self.env["effect.crm.contract.version"].create(
            {
                "contract_id": self.id,
                "file": data,
                "file_name": file_name,
                "note": self.env._("Saved from Word."),
            }
        )

    def action_regenerate(self):
        self.ensure_one()
        return self.last_version_id.action_regenerate()

    def action_view_sale_order(self):
        self.ensure_one()
        return self.sale_order_id._effect_form_action()

    def _effect_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------
    # Scheduled job: expiry and renewal
    # ------------------------------------------------------------------

    @api.model
    def _cron_effect_contract_expiry(self):
        """Ended contracts become expired; those ending soon get a renewal activity."""
        # run on the company's today, not on the technical user's (effect.crm.clock)
        contracts = self.with_context(tz=self.env["effect.crm.clock"]._effect_company_tz())
        today = contracts.env["effect.crm.clock"]._effect_today()
        ended = contracts.search([("state", "in", ("signed", "active")), ("date_end", "<", today)])
        ended._effect_set_state("expired")
        for company in self.env["res.company"].search([]):
            days = max(company.effect_contract_renewal_days, 0)
            ending = contracts.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "in", ("signed", "active")),
                    ("renewal_planned", "=", False),
                    ("date_end", ">=", today),
                    ("date_end", "<=", today + timedelta(days=days)),
                ]
            )
            ending._effect_plan_renewal(days)
        return ended

    def _effect_plan_renewal(self, days):
        today = self.env["effect.crm.clock"]._effect_today()
        for contract in self:
            contract.activity_schedule(
                "effect_crm.mail_activity_type_contract_renewal",
                date_deadline=max(today, contract.date_end - timedelta(days=days)),
                summary=self.env._(
                    "Renew contract %(name)s (ends on %(date)s)",
                    name=contract.name,
                    date=contract.date_end,
                ),
                user_id=(
                    contract.user_id or contract.department_responsible_id or self.env.user
                ).id,
            )
        self.write({"renewal_planned": True})
