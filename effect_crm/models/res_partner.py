from odoo import api, fields, models
from odoo.tools import SQL, groupby

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


class ResPartner(models.Model):
    _inherit = "res.partner"

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
    )
    effect_stage_date = fields.Date(
        "Stage Since", readonly=True, copy=False, help="When the stage last changed."
    )
    effect_business_type_id = fields.Many2one(
        "effect.crm.business.type", "Business Type", index=True, tracking=True
    )
    effect_size_id = fields.Many2one("effect.crm.size", "Size", index=True, tracking=True)
    effect_director_name = fields.Char("Director", tracking=True)
    effect_territory_id = fields.Many2one(
        "effect.crm.territory",
        "Territory",
        index=True,
        tracking=True,
        help="Assigned by the territories' criteria unless set by hand.",
    )
    effect_territory_manual = fields.Boolean(
        "Territory Set by Hand",
        help="The territory criteria no longer move this customer. Clear the territory to "
        "return to the criteria.",
    )
    effect_salesperson_id = fields.Many2one(
        "res.users",
        "Customer's Salesperson",
        related="commercial_partner_id.user_id",
        store=True,
        index=True,
        help="The salesperson of the company a contact belongs to (record rules read it).",
    )
    effect_in_my_territories = fields.Boolean(
        "In My Territories",
        compute="_compute_effect_in_my_territories",
        search="_search_effect_in_my_territories",
    )
    effect_territory_history_ids = fields.One2many(
        "effect.crm.territory.history",
        "partner_id",
        "Assignment History",
        groups="sales_team.group_sale_salesman",
    )
    effect_document_ids = fields.One2many(
        "effect.crm.document",
        "partner_id",
        "Documents",
        groups="sales_team.group_sale_salesman",
    )
    effect_document_count = fields.Integer(
        "Document Count",
        compute="_compute_effect_document_count",
        groups="sales_team.group_sale_salesman",
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

    @api.depends_context("uid")
    @api.depends("effect_territory_id")
    def _compute_effect_in_my_territories(self):
        mine = self.env.user.effect_territory_ids
        for partner in self:
            partner.effect_in_my_territories = partner.effect_territory_id in mine

    def _search_effect_in_my_territories(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        domain = [("effect_territory_id", "in", self.env.user.effect_territory_ids.ids)]
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
        today = fields.Date.context_today(self)
        # a salesperson's new prospect is theirs (and so visible to them)
        default_salesperson = not self.env.su and self.env.user.has_group(
            "sales_team.group_sale_salesman"
        )
        for vals in vals_list:
            if vals.get("effect_stage"):
                vals.setdefault("effect_stage_date", today)
                if default_salesperson and not vals.get("parent_id"):
                    vals.setdefault("user_id", self.env.uid)
            if vals.get("effect_territory_id"):
                vals.setdefault("effect_territory_manual", True)
        partners = super().create(vals_list)
        partners._effect_assign_territories()
        return partners

    def write(self, vals):
        if "effect_stage" in vals:
            vals = dict(vals, effect_stage_date=fields.Date.context_today(self))
        reason = self.env.context.get("effect_assignment_reason")
        if "effect_territory_id" in vals and not reason:
            # set by hand; clearing it hands the customer back to the criteria
            vals = dict(vals, effect_territory_manual=bool(vals["effect_territory_id"]))
        before = {}
        if {"effect_territory_id", "user_id"} & vals.keys():
            before = {
                partner.id: (partner.effect_territory_id.id, partner.user_id.id)
                for partner in self
                if partner.effect_stage and not partner.parent_id
            }
        result = super().write(vals)
        if before:
            self._effect_log_assignment(before, reason or "manual")
        if TERRITORY_TRIGGERS & vals.keys() or vals.get("effect_territory_manual") is False:
            self._effect_assign_territories()
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
            for target, ids in changes.items():
                batch = self.browse(ids)
                batch.with_context(
                    effect_assignment_reason="reassignment" if reassignment else "criteria",
                    effect_reassignment_id=reassignment and reassignment.id,
                ).write({"effect_territory_id": target})
                moved |= batch
        return moved

    def _effect_log_assignment(self, before, reason):
        """Write the assignment history of the customers in ``before`` that changed."""
        reassignment_id = self.env.context.get("effect_reassignment_id") or False
        rows = []
        for partner in self.browse(list(before)):
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
        """Vietnamese MST with its check digit (Odoo checks the form only)."""
        return is_valid_vn_tax_code(vat)

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

    def _read_group_groupby_properties(self, alias, field, property_name, query):
        """Group by a selection attribute without joining the list of its options.

        Odoo keeps the values that are options by joining a set-returning subquery
        of the options; PostgreSQL then extracts every customer's value in the
        leader process alone. A CASE on the options gives the same groups (the value
        when it is an option, else none) and lets workers scan and group in parallel:
        customers grouped by an attribute and province cost what grouping by a
        plain column costs, at 160,000 customers.
        """
        definition = self.get_property_definition(f"{field.name}.{property_name}")
        options = [option[0] for option in definition.get("selection") or ()]
        if definition.get("type") != "selection" or len(set(options)) != len(options):
            return super()._read_group_groupby_properties(alias, field, property_name, query)
        value = SQL("%s->>0", self._field_to_sql(alias, f"{field.name}.{property_name}", query))
        return SQL("(CASE WHEN %s = ANY(%s::text[]) THEN %s END)", value, options, value)

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
        groups="sales_team.group_sale_salesman",
    )
    effect_interaction_count = fields.Integer(
        "Interaction Count",
        compute="_compute_effect_interaction_stats",
        store=True,
        groups="sales_team.group_sale_salesman",
    )
    effect_last_interaction_date = fields.Datetime(
        "Last Interaction",
        compute="_compute_effect_interaction_stats",
        store=True,
        index=True,
        groups="sales_team.group_sale_salesman",
    )
    effect_next_action_date = fields.Date(
        "Next Action",
        compute="_compute_effect_next_action_date",
        store=True,
        index=True,
        groups="sales_team.group_sale_salesman",
        help="The due date of the customer's next open activity.",
    )
    effect_days_since_contact = fields.Integer(
        "Days Since Last Contact",
        compute="_compute_effect_days_since_contact",
        groups="sales_team.group_sale_salesman",
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

    def _compute_effect_days_since_contact(self):
        today = fields.Date.context_today(self)
        for partner in self:
            last = partner.effect_last_interaction_date
            partner.effect_days_since_contact = (
                (today - fields.Date.context_today(self, last)).days if last else 0
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
