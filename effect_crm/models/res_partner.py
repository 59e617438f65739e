from collections.abc import Iterable
from contextlib import contextmanager
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tools import groupby

from ..tools.tax_code import format_vn_tax_code, is_valid_vn_tax_code
from ..tools.territory import assign

EFFECT_STAGES = [
    ("prospect", "Prospect"),
    ("customer", "Customer"),
    ("inactive", "Inactive"),
]

# a change of one of these fields may move a customer to another territory
TERRITORY_TRIGGERS = {
    "country_id",
    "state_id",
    "industry_id",
    "category_id",
    "city",
    "effect_stage",
}


# CRM data on partners: the sales team and "CRM: read all" (directors; accountants
# through EFFECT CRM Accounting). Other employees see a partner as Odoo shows it;
# portal and public users never read it.
CRM_FIELD_GROUPS = "sales_team.group_sale_salesman,effect_crm.group_crm_read_all"

# server-side facts of the change being made (see server_fact)
ASSIGNMENT_FACT = "effect_crm.assignment"


@contextmanager
def server_fact(env, key, value):
    """Within the block, ``key`` of this transaction says ``value``: why the server is
    making the change it is making (for the audit trail). Unlike a context key, a
    client can never set it: only server code running in the block does.
    """
    facts = env.cr.cache
    previous = facts.get(key)
    facts[key] = value
    try:
        yield
    finally:
        if previous is None:
            facts.pop(key, None)
        else:
            facts[key] = previous


class ResPartner(models.Model):
    _name = "res.partner"
    # the concurrency mixin first: its check runs right after this class's write
    _inherit = [
        "effect.crm.concurrency.mixin",
        "res.partner",
        "effect.crm.property.grouping.mixin",
        "effect.crm.text.mixin",
    ]

    # A partner is a CRM customer (prospect, customer or inactive) when it has a stage.
    # Partners without one (users, vendors, employees, ...) are left as Odoo has them.
    effect_stage = fields.Selection(
        EFFECT_STAGES,
        "Lifecycle Stage",
        index=True,
        tracking=True,
        group_expand="_group_expand_effect_stage",
        help="Prospect: not yet bought. Customer: has bought. Inactive: no longer "
        "followed. Empty: not a CRM customer.",
        groups=CRM_FIELD_GROUPS,
    )
    effect_stage_date = fields.Date(
        "Stage Since",
        readonly=True,
        copy=False,
        help="When the stage last changed.",
        groups=CRM_FIELD_GROUPS,
    )
    effect_business_type_id = fields.Many2one(
        "effect.crm.business.type",
        "Business Type",
        index=True,
        tracking=True,
        groups=CRM_FIELD_GROUPS,
    )
    effect_size_id = fields.Many2one(
        "effect.crm.size", "Size", index=True, tracking=True, groups=CRM_FIELD_GROUPS
    )
    effect_director_name = fields.Char("Director", tracking=True, groups=CRM_FIELD_GROUPS)
    effect_territory_id = fields.Many2one(
        "effect.crm.territory",
        "Territory",
        index=True,
        tracking=True,
        help="Assigned by the territories' criteria unless set by hand.",
        groups=CRM_FIELD_GROUPS,
    )
    effect_territory_manual = fields.Boolean(
        "Territory Set by Hand",
        help="The territory criteria no longer move this customer. Clear the territory to "
        "return to the criteria.",
        groups=CRM_FIELD_GROUPS,
    )
    effect_salesperson_id = fields.Many2one(
        "res.users",
        "Customer's Salesperson",
        related="commercial_partner_id.user_id",
        store=True,
        index=True,
        help="The salesperson of the company a contact belongs to (record rules read it).",
        groups=CRM_FIELD_GROUPS,
    )
    # the customer attributes (Odoo's partner properties) are CRM data too
    properties = fields.Properties(groups=CRM_FIELD_GROUPS)
    # What is planned on a CRM customer is for the sales team (the record rules of
    # mail.activity). Odoo reads a partner's activities and their summary (next action,
    # its date, who does it) bypassing those rules: here they are read as the user, so
    # that nobody learns through the partner what they may not read of its activities.
    activity_ids = fields.One2many(bypass_search_access=False)
    activity_type_id = fields.Many2one(related_sudo=False)
    activity_type_icon = fields.Char(related_sudo=False)
    activity_summary = fields.Char(related_sudo=False)
    effect_vat_as_printed = fields.Boolean(
        "Tax Code Kept as Printed",
        groups=CRM_FIELD_GROUPS,
        tracking=True,
        help="A sales manager's decision: this Vietnamese tax code is kept as the customer "
        "prints it, checked for its form only (10, 12 or 13 digits) and not for its check "
        "digit or province code. Recorded in the chatter.",
    )
    # THE definition of who works which customer: every record rule and every check
    # of EFFECT CRM reads it (see _search_effect_is_worked)
    effect_is_worked = fields.Boolean(
        "Worked by Me",
        compute="_compute_effect_is_worked",
        search="_search_effect_is_worked",
        help="A partner the current user may work: one that is not a CRM customer (Odoo's "
        "visibility), or a CRM customer of theirs — they are its salesperson, or it belongs "
        "to one of their territories; all-documents salespeople and sales managers work "
        "every customer.",
        groups=CRM_FIELD_GROUPS,
    )
    effect_in_my_territories = fields.Boolean(
        "In My Territories",
        compute="_compute_effect_in_my_territories",
        search="_search_effect_in_my_territories",
        groups=CRM_FIELD_GROUPS,
    )
    effect_territory_history_ids = fields.One2many(
        "effect.crm.territory.history",
        "partner_id",
        "Assignment History",
        groups=CRM_FIELD_GROUPS,
    )
    effect_document_ids = fields.One2many(
        "effect.crm.document",
        "partner_id",
        "Documents",
        groups=CRM_FIELD_GROUPS,
    )
    effect_document_count = fields.Integer(
        "Document Count",
        compute="_compute_effect_document_count",
        groups=CRM_FIELD_GROUPS,
    )

    @api.model
    def _commercial_fields(self):
        # contact persons share their company's CRM classification
        return [
            *super()._commercial_fields(),
            "effect_stage",
            "effect_business_type_id",
            "effect_size_id",
            "effect_territory_id",
            "effect_territory_manual",
        ]

    @api.model
    def _effect_worked_domain(self):
        """The partners the current user works, as a domain (see ``effect_is_worked``).

        Decided from the user of the environment (the server's session user), its groups
        and territories, never from the context. Own-documents salespeople work the
        partners that are not CRM customers, the customers they are the salesperson of
        and those of their territories (a territory manager's: the sub-territories too).
        Every other user is not limited by it: what they may do is decided by the access
        rights of their groups (and the read-only rules of accounting and "CRM: read all").
        """
        user = self.env.user
        if not user._effect_is_restricted():
            return Domain.TRUE
        territory_ids = self.env["res.users"]._effect_worked_territory_ids(user.id)
        return Domain("effect_stage", "=", False) | Domain.OR(
            [
                Domain("effect_salesperson_id", "=", user.id),
                Domain("effect_territory_id", "in", territory_ids),
            ]
        )

    @api.depends_context("uid")
    @api.depends("effect_stage", "effect_salesperson_id", "effect_territory_id")
    def _compute_effect_is_worked(self):
        # One query on the primary key, not the domain evaluated in Python: the ORM checks
        # the record rules of the records it reads in Python, so this runs for every page
        # of customers a salesperson opens; in Python it fetched every prefetched column
        # of the page again (the salesperson of the company is in no view) and tested each
        # record, 20 ms a request at full scale (bench/RESULTS.md, issue 15).
        records = self.filtered("id")
        domain = self._effect_worked_domain()
        if domain.is_true() or not records:
            worked = records
        else:
            worked = (
                records.sudo()
                .with_context(active_test=False)
                .search(Domain("id", "in", records.ids) & domain, order="id")
            )
        worked_ids = set(worked.ids)
        for partner in self:
            partner.effect_is_worked = partner._origin.id in worked_ids

    def _search_effect_is_worked(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        domain = self._effect_worked_domain()
        return domain if (True in value) == (operator == "in") else ~domain

    def _effect_check_worked(self):
        """Refuse these partners if the current user does not work one of them.

        Decided for the user of the environment even in superuser mode: callers skip
        the check for superuser code themselves (it runs after the user's request was
        checked).
        """
        if not self:
            return
        if not self.env.user._effect_is_restricted():
            return
        partners = self.sudo().with_context(active_test=False)
        worked = partners.search(Domain("id", "in", partners.ids) & self._effect_worked_domain())
        if len(worked) < len(set(partners.ids)):
            raise AccessError(
                self.env._(
                    "This customer belongs to another salesperson or territory: you cannot "
                    "record anything on it. Ask a sales manager to assign it to you."
                )
            )

    def _effect_crm_data_hidden(self):
        """These partners whose chatter the current user may not read (sudo): those of
        ``_effect_crm_hidden_customers``, the one definition, applied to these records."""
        if self.env.su or not self.ids:
            return self.browse()
        customers = self._effect_crm_hidden_customers()
        if customers is None:
            return self.browse()
        return (
            self.sudo()
            .with_context(active_test=False)
            .search([("id", "in", self.ids), ("id", "in", customers)])
        )

    @api.model
    def _effect_crm_hidden_customers(self, hidden=True):
        """The CRM customers whose chatter (messages, activities, followers, files) the
        current user may not read, as a sub-query of partner ids; ``None`` when none is.

        Every CRM customer for a user outside the sales team and "CRM: read all", those
        they do not work for an own-documents salesperson. Decided for the user of the
        environment, also in sudo (record rules are checked in sudo). ``hidden=False``
        gives the other partners instead (those whose chatter the user may read).
        """
        hidden_domain = self._effect_crm_hidden_partners_domain()
        if hidden_domain is None:
            return None
        # sudo: the stage is a CRM field the user may not read; only which partners are
        # hidden from the user is asked, as a sub-query
        return (
            self.sudo()
            .with_context(active_test=False)
            ._search(hidden_domain if hidden else ~hidden_domain)
        )

    @api.model
    def _effect_crm_hidden_partners_domain(self):
        """The partner domain of ``_effect_crm_hidden_customers``; ``None`` when the
        user reads every partner's chatter (no query is built to know it)."""
        user = self.env.user
        reads_crm_data = user._effect_reads_crm_data()
        if user.has_group("effect_crm.group_crm_read_all") or (
            reads_crm_data and not user._effect_is_restricted()
        ):
            return None
        if reads_crm_data:
            return Domain("effect_is_worked", "=", False)
        return Domain("effect_stage", "!=", False)

    def _search_message_partner_ids(self, operator, operand):
        domain = super()._search_message_partner_ids(operator, operand)
        if domain is NotImplemented or self.env.su:
            return domain
        customers = self._effect_crm_hidden_customers()
        if customers is None:
            return domain
        values = (
            operand if isinstance(operand, Iterable) and not isinstance(operand, str) else [operand]
        )
        if set(values) <= {self.env.user.partner_id.id}:
            return domain  # what one follows oneself
        # who follows a CRM customer is CRM data: not a way to find customers
        return Domain(domain) & Domain("id", "not in", customers)

    def _search_activity_state(self, operator, value):
        # Odoo searches the activities in SQL, without their rules: a CRM customer's are
        # not a way to find it (for the user, it has none)
        domain = super()._search_activity_state(operator, value)
        if domain is NotImplemented or self.env.su:
            return domain
        customers = self._effect_crm_hidden_customers()
        if customers is None:
            return domain
        all_states = {"overdue", "today", "planned", False}
        states = set(value) if operator == "in" else all_states - set(value)
        if False in states:
            return Domain(domain) | Domain("id", "in", customers)
        return Domain(domain) & Domain("id", "not in", customers)

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        hidden = self._effect_crm_data_hidden() if partner_ids else self.browse()
        if hidden:
            if set(partner_ids) == {self.env.user.partner_id.id}:
                # following oneself: refused as Odoo refuses it on a document one
                # cannot read (no error, no follower)
                others = self - hidden
                return others.message_subscribe(partner_ids, subtype_ids) if others else False
            raise AccessError(
                self.env._(
                    "Only the salespeople who work this customer decide who follows its conversation."
                )
            )
        return super().message_subscribe(partner_ids=partner_ids, subtype_ids=subtype_ids)

    @api.depends_context("uid")
    @api.depends("effect_territory_id")
    def _compute_effect_in_my_territories(self):
        mine = self.env["res.users"]._effect_worked_territory_ids(self.env.uid)
        for partner in self:
            partner.effect_in_my_territories = partner.effect_territory_id.id in mine

    def _search_effect_in_my_territories(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        territory_ids = self.env["res.users"]._effect_worked_territory_ids(self.env.uid)
        domain = [("effect_territory_id", "in", territory_ids)]
        return domain if (True in value) == (operator == "in") else ["!", *domain]

    def _group_expand_effect_stage(self, values, domain):
        # kanban columns in lifecycle order, empty ones included
        return [key for key, _label in EFFECT_STAGES]

    def _compute_effect_document_count(self):
        counts = dict(
            self.env["effect.crm.document"]._read_group(
                [("commercial_partner_id", "in", self.commercial_partner_id.ids)],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.effect_document_count = counts.get(partner.commercial_partner_id, 0)

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("effect_vat_as_printed") for vals in vals_list):
            self._effect_check_vat_as_printed_right()
        today = self.env["effect.crm.clock"]._effect_today()
        # a salesperson's new prospect is theirs (and so visible to them)
        default_salesperson = not self.env.su and self.env.user.has_group(
            "sales_team.group_sale_salesman"
        )
        for vals in vals_list:
            if vals.get("effect_stage"):
                vals.setdefault("effect_stage_date", today)
                if default_salesperson and not vals.get("parent_id") and not vals.get("user_id"):
                    # also when the form sends its empty Salesperson field
                    vals["user_id"] = self.env.uid
            if vals.get("effect_territory_id"):
                vals.setdefault("effect_territory_manual", True)
        partners = super().create(vals_list)
        # sudo: the criteria place the new customers, whoever created them (an employee
        # without sales rights creating a partner cannot read the CRM fields)
        partners.sudo()._effect_assign_territories()
        # Odoo makes the creator a follower; one who may not read a customer's chatter
        # (an employee adding a contact person to a customer) does not follow it
        hidden = partners._effect_crm_data_hidden()
        if hidden:
            hidden.message_unsubscribe(partner_ids=self.env.user.partner_id.ids)
        return partners

    def write(self, vals):
        if "effect_vat_as_printed" in vals:
            self._effect_check_vat_as_printed_right()
        if "effect_stage" in vals:
            vals = dict(vals, effect_stage_date=self.env["effect.crm.clock"]._effect_today())
        # why the territory or salesperson changes: the server says it (criteria, a
        # reassignment job); anything else is a change by hand
        reason, reassignment_id = self.env.cr.cache.get(ASSIGNMENT_FACT) or (None, False)
        if "effect_territory_id" in vals and not reason:
            # set by hand; clearing it hands the customer back to the criteria
            vals = dict(vals, effect_territory_manual=bool(vals["effect_territory_id"]))
        before = {}
        if {"effect_territory_id", "user_id"} & vals.keys():
            # sudo: to compare before and after; the user's rights apply to the write
            before = {
                partner.id: (partner.effect_territory_id.id, partner.user_id.id)
                for partner in self.sudo()
                if partner.effect_stage and not partner.parent_id
            }
        result = super().write(vals)
        if before:
            self._effect_log_assignment(before, reason or "manual", reassignment_id)
        if TERRITORY_TRIGGERS & vals.keys() or vals.get("effect_territory_manual") is False:
            # sudo: the criteria move the customer, whoever changed its address
            self.sudo()._effect_assign_territories()
        return result

    # ------------------------------------------------------------------
    # Territories
    # ------------------------------------------------------------------

    def _effect_territory_candidates(self):
        """The CRM customers (commercial entities) whose territory follows the criteria."""
        return self.filtered(
            lambda p: p.effect_stage and not p.parent_id and not p.effect_territory_manual
        )

    def _effect_assign_territories(self, reassignment=None):
        """Move these customers to the territory their criteria match, in one write per target.

        Customers whose territory was set by hand keep it. Returns the customers moved.
        """
        customers = self._effect_territory_candidates()
        moved = self.browse()
        # territories are configuration that every salesperson's customers depend on,
        # including territories the salesperson is not a member of
        Territory = self.env["effect.crm.territory"].sudo()
        for company, partners in groupby(customers, key=lambda p: p.company_id):
            partners = self.browse([p.id for p in partners])
            domain = [("company_id", "=", company.id)] if company else []
            snapshot = Territory.search(domain)._effect_criteria_snapshot()
            targets = assign(
                snapshot,
                [
                    {
                        "id": partner.id,
                        "country_id": partner.country_id.id,
                        "state_id": partner.state_id.id,
                        "industry_id": partner.industry_id.id,
                        "category_ids": set(partner.category_id.ids),
                        "city": partner.city,
                    }
                    for partner in partners
                ],
            )
            changes = {}
            for partner in partners:
                target = targets[partner.id] or False
                if target != partner.effect_territory_id.id:
                    changes.setdefault(target, []).append(partner.id)
            fact = ("reassignment", reassignment.id) if reassignment else ("criteria", False)
            for target, ids in changes.items():
                batch = self.browse(ids)
                with server_fact(self.env, ASSIGNMENT_FACT, fact):
                    batch.write({"effect_territory_id": target})
                moved |= batch
        return moved

    def _effect_log_assignment(self, before, reason, reassignment_id=False):
        """Write the assignment history of the customers in ``before`` that changed."""
        rows = []
        # sudo: the values just written, also when the user may not read the CRM fields
        for partner in self.sudo().browse(list(before)):
            territory_from, user_from = before[partner.id]
            if (territory_from, user_from) == (partner.effect_territory_id.id, partner.user_id.id):
                continue
            rows.append(
                {
                    "partner_id": partner.id,
                    "territory_from_id": territory_from,
                    "territory_to_id": partner.effect_territory_id.id,
                    "user_from_id": user_from,
                    "user_to_id": partner.user_id.id,
                    "reason": reason,
                    "reassignment_id": reassignment_id,
                    "author_id": self.env.uid,
                }
            )
        if rows:
            # the log is the system's record of a change the user was allowed to make;
            # nobody writes it directly (salespeople may only read it)
            self.env["effect.crm.territory.history"].sudo().create(rows)

    # ------------------------------------------------------------------
    # Tax code (base_vat hooks)
    # ------------------------------------------------------------------

    def check_vat_vn(self, vat):
        """Vietnamese MST with its check digit (Odoo checks the form only); a code a
        sales manager keeps as printed is checked for its form only, as Odoo does."""
        # sudo: a CRM field, read for whoever saves the partner (an accountant too)
        if self and all(self.sudo().mapped("effect_vat_as_printed")):
            return super().check_vat_vn(vat)
        return is_valid_vn_tax_code(vat)

    def _check_vat(self, validation="error"):
        """base_vat checks the partners of a write together: those whose code is kept as
        printed are checked apart, so ``check_vat_vn`` knows which rule applies."""
        # sudo: a CRM field, read for whoever saves the partner (an accountant too)
        as_printed = self.browse(self.sudo().filtered("effect_vat_as_printed").ids)
        if as_printed and as_printed != self:
            super(ResPartner, as_printed)._check_vat(validation=validation)
            return super(ResPartner, self - as_printed)._check_vat(validation=validation)
        return super()._check_vat(validation=validation)

    def _effect_check_vat_as_printed_right(self):
        """Keeping a tax code as printed is a sales manager's decision (the server's,
        from the user's groups)."""
        if not self.env.su and not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(
                self.env._("Only a sales manager decides to keep a tax code as printed.")
            )

    def format_vat_vn(self, vat):
        return format_vn_tax_code(vat)

    @api.model
    def _build_vat_error_message(self, country_code, wrong_vat, record_label):
        """Say what a Vietnamese tax code looks like instead of Odoo's generic VAT sentence.

        base_vat (and account) call this hook when ``check_vat_vn`` refuses a code; our
        check is stricter than Odoo's (check digit, province of a citizen ID), so the
        message tells the user which rule the code breaks and shows a valid one.
        """
        if (country_code or "").lower() != "vn":
            return super()._build_vat_error_message(country_code, wrong_vat, record_label)
        return "\n" + self.env._(
            "The tax code (mã số thuế) %(wrong_vat)s of %(record_label)s is not valid.\n"
            "A Vietnamese tax code has 10 digits, the last one a check digit computed from the"
            " first nine; a branch or dependent unit adds a 3-digit suffix (13 digits);"
            " an individual may use a 12-digit citizen ID (CCCD).\n"
            "Example: 0100109106, or 0100109106-001 for a branch.",
            wrong_vat=wrong_vat,
            record_label=record_label,
        )

    # ------------------------------------------------------------------
    # Customer attributes (Odoo's partner properties)
    # ------------------------------------------------------------------

    @api.model
    def _effect_define_attributes(self, definitions):
        """Add customer attributes, or update those of the same technical name.

        Runs with the caller's rights: only a sales manager or an administrator may
        change the attribute definitions. Values of other attributes are kept.
        """
        container = self.env["properties.base.definition"]._get_definition_for_property_field(
            self._name, "properties"
        )
        current = [dict(item) for item in container.properties_definition or []]
        by_name = {item["name"]: item for item in current}
        for definition in definitions:
            if definition["name"] in by_name:
                by_name[definition["name"]].update(definition)
            else:
                current.append(dict(definition))
        container.properties_definition = current
        return True

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_effect_documents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "effect_crm.effect_crm_document_action"
        )
        partner = self.commercial_partner_id
        action["domain"] = [("commercial_partner_id", "=", partner.id)]
        action["context"] = {"default_partner_id": partner.id}
        return action

    def action_effect_set_stage(self):
        """Buttons on the customer form: ``effect_stage`` comes from the context."""
        stage = self.env.context.get("effect_stage")
        if stage in dict(EFFECT_STAGES):
            self.commercial_partner_id.write({"effect_stage": stage})
        return True

    # ------------------------------------------------------------------
    # Interactions and next actions
    # ------------------------------------------------------------------

    effect_interaction_ids = fields.One2many(
        "effect.crm.interaction",
        "partner_id",
        "Interactions",
        groups=CRM_FIELD_GROUPS,
    )
    effect_interaction_count = fields.Integer(
        "Interaction Count",
        compute="_compute_effect_interaction_stats",
        store=True,
        groups=CRM_FIELD_GROUPS,
    )
    effect_last_interaction_date = fields.Datetime(
        "Last Interaction",
        compute="_compute_effect_interaction_stats",
        store=True,
        index=True,
        groups=CRM_FIELD_GROUPS,
    )
    effect_next_action_date = fields.Date(
        "Next Action",
        compute="_compute_effect_next_action_date",
        store=True,
        index=True,
        groups=CRM_FIELD_GROUPS,
        help="The due date of the customer's next open activity.",
    )
    effect_days_since_contact = fields.Integer(
        "Days Since Last Contact",
        compute="_compute_effect_days_since_contact",
        groups=CRM_FIELD_GROUPS,
    )

    @api.depends("effect_interaction_ids.date")
    def _compute_effect_interaction_stats(self):
        # stored computes run as superuser: the date and count cover every
        # interaction with the customer, also those record rules hide from the user
        stats = {
            partner.id: (last_date, count)
            for partner, last_date, count in self.env["effect.crm.interaction"]
            .sudo()
            ._read_group([("partner_id", "in", self.ids)], ["partner_id"], ["date:max", "__count"])
        }
        for partner in self:
            last_date, count = stats.get(partner.id, (False, 0))
            partner.effect_last_interaction_date = last_date
            partner.effect_interaction_count = count

    def _compute_effect_next_action_date(self):
        # no dependency: mail.activity refreshes it (see _effect_refresh_next_action)
        customers = self.filtered(lambda partner: partner.commercial_partner_id == partner)
        contacts = (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search([("commercial_partner_id", "in", customers.ids)])
        )
        commercial_of = {contact.id: contact.commercial_partner_id.id for contact in contacts}
        next_dates = {}
        # sudo: the date of the customer's next open action, whoever it is assigned to
        for res_id, deadline in (
            self.env["mail.activity"]
            .sudo()
            ._read_group(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", list(commercial_of)),
                    ("active", "=", True),
                ],
                ["res_id"],
                ["date_deadline:min"],
            )
        ):
            customer_id = commercial_of[res_id]
            if customer_id not in next_dates or deadline < next_dates[customer_id]:
                next_dates[customer_id] = deadline
        for partner in self:
            partner.effect_next_action_date = next_dates.get(partner.id, False)

    def _effect_refresh_next_action(self):
        """Recompute the next action date of these customers (activities changed)."""
        if self:
            self.env.add_to_compute(self._fields["effect_next_action_date"], self)

    @api.depends_context("tz", "uid")  # counted from the user's today
    def _compute_effect_days_since_contact(self):
        clock = self.env["effect.crm.clock"]
        today = clock._effect_today()
        for partner in self:
            last = partner.effect_last_interaction_date
            partner.effect_days_since_contact = (
                (today - clock._effect_local_date(last)).days if last else 0
            )

    def action_effect_interactions(self):
        self.ensure_one()
        partner = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "effect_crm.effect_crm_interaction_action"
        )
        action["domain"] = [("partner_id", "=", partner.id)]
        action["context"] = {"effect_interaction_defaults": {"partner_id": partner.id}}
        action["display_name"] = self.env._("Interactions: %(customer)s", customer=partner.name)
        return action

    def action_effect_log_interaction(self):
        self.ensure_one()
        partner = self.commercial_partner_id
        defaults = {"partner_id": partner.id}
        if self != partner:
            defaults["contact_id"] = self.id
        return self.env["effect.crm.interaction"]._effect_log_action(defaults)

    # ------------------------------------------------------------------
    # Automation rules (examples shipped inactive: data/effect_crm_automation_data.xml)
    # ------------------------------------------------------------------

    def _effect_plan_call(self, summary, days=0):
        """Plan a call ``days`` after the user's today on each customer, for its salesperson.

        Automation rules call it as the user who triggered them (never as superuser), so
        a customer that user does not work is refused by the activity's access check.
        """
        deadline = self.env["effect.crm.clock"]._effect_today() + timedelta(days=days)
        call = self.env.ref("mail.mail_activity_data_call")
        for partner in self:
            partner.activity_schedule(
                activity_type_id=call.id,
                date_deadline=deadline,
                summary=summary,
                user_id=(partner.user_id or self.env.user).id,
            )

    def _effect_plan_contact_again(self, days=60):
        """Example rule: a customer not contacted for ``days`` days gets a call planned today."""
        self._effect_plan_call(self.env._("Not contacted for %(days)s days: call again", days=days))

    def _effect_log_welcome_letter(self):
        """Example rule: a new customer's timeline records the welcome letter sent to it."""
        letter = self.env.ref("effect_crm.interaction_type_letter")
        self.env["effect.crm.interaction"].create(
            [
                {
                    "name": self.env._("Welcome letter to a new customer"),
                    "partner_id": partner.commercial_partner_id.id,
                    "user_id": (partner.user_id or self.env.user).id,
                    "type_id": letter.id,
                    "direction": "outgoing",
                    "is_automatic": True,
                }
                for partner in self
            ]
        )
