import re

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.misc import clean_context, format_date

from ..tools.grouping import can_roll_up, finest_grouping, roll_up

# fields of the next action an interaction plans; they become a mail.activity
NEXT_ACTION_FIELDS = ("next_activity_type_id", "next_date", "next_user_id", "next_summary")
# the group-bys whose grouping sets roll up from one grouping (see _read_grouping_sets)
ROLLUP_GRANULARITIES = ("day", "week", "month", "quarter", "year")
ORDER_PART = re.compile(r"\s*(?P<spec>[a-z0-9_]+(:[a-z_]+)?)(\s+(?P<direction>asc|desc))?\s*", re.I)


class _MemoizedFormatter:
    """A group-by formatter that formats each distinct value once.

    Called like the formatter it wraps: ``(label, domain)``, the domain parsed once
    (a ``Domain``). ``entry()`` also gives the domain as a list of plain conditions
    when it is one condition or a conjunction of conditions (None otherwise).
    """

    def __init__(self, formatter):
        self.formatter = formatter
        self.cache = {}

    def entry(self, value):
        key = value._ids if isinstance(value, models.BaseModel) else value
        entry = self.cache.get(key)
        if entry is None:
            label, domain = self.formatter(value)
            domain = Domain(domain)
            items = list(domain)
            conditions = [item for item in items if isinstance(item, tuple)]
            ands = items.count("&")
            plain = None
            if (
                conditions
                and len(conditions) + ands == len(items)
                and ands == len(conditions) - 1
                and not domain.is_true()
                and not domain.is_false()
            ):
                plain = conditions
            entry = self.cache[key] = (label, domain, plain)
        return entry

    def __call__(self, value):
        label, domain, _plain = self.entry(value)
        return label, domain


class EffectCrmInteraction(models.Model):
    """One contact with a customer, and the next action it planned.

    The next action is a ``mail.activity`` on the customer (``next_activity_id``),
    so Odoo's reminders and "My Activities" see it. An interaction logged to do a
    planned action marks that activity done and keeps it (``done_activity_id``;
    Odoo 19 archives done activities instead of deleting them).
    """

    _name = "effect.crm.interaction"
    _description = "Customer Interaction"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------

    name = fields.Char("Subject", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        check_company=True,
        help="The customer (company or individual). Choosing a contact person of a "
        "company logs the interaction on the company, with that contact person.",
    )
    contact_id = fields.Many2one(
        "res.partner",
        "Contact Person",
        index="btree_not_null",
        ondelete="set null",
        domain="[('commercial_partner_id', '=', partner_id), ('id', '!=', partner_id)]",
    )
    user_id = fields.Many2one(
        "res.users",
        "Salesperson",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        tracking=True,
    )
    team_id = fields.Many2one(
        "crm.team",
        "Sales Team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        index="btree_not_null",
    )
    type_id = fields.Many2one(
        "effect.crm.interaction.type",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    type_icon = fields.Char(related="type_id.icon")
    date = fields.Datetime(required=True, index=True, default=fields.Datetime.now, tracking=True)
    duration = fields.Float(help="In hours and minutes.")
    direction = fields.Selection(
        [("outgoing", "Outgoing"), ("incoming", "Incoming")],
        required=True,
        default="outgoing",
        help="Outgoing: we contacted the customer. Incoming: the customer contacted us.",
    )
    notes = fields.Html("Details")
    outcome_id = fields.Many2one(
        "effect.crm.interaction.outcome", index=True, ondelete="restrict", tracking=True
    )
    outcome_kind = fields.Selection(related="outcome_id.kind", store=True, string="Outcome Kind")
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "effect_crm_interaction_attachment_rel",
        "interaction_id",
        "attachment_id",
        "Attachments",
        copy=False,
    )
    lead_id = fields.Many2one(
        "crm.lead",
        "Opportunity",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        context={"active_test": False},
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        "Quotation",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    contract_id = fields.Many2one(
        "effect.crm.contract",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    is_automatic = fields.Boolean(
        "Recorded Automatically",
        readonly=True,
        help="Recorded by EFFECT CRM when a quotation or a contract changed status; "
        "such records plan no next action.",
    )
    calendar_event_id = fields.Many2one(
        "calendar.event", "Meeting", index="btree_not_null", ondelete="set null"
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )

    # the customer's classification, stored for the statistics
    partner_stage = fields.Selection(
        related="partner_id.effect_stage", store=True, string="Customer Stage"
    )
    partner_business_type_id = fields.Many2one(
        related="partner_id.effect_business_type_id", store=True, string="Business Type"
    )
    partner_size_id = fields.Many2one(
        related="partner_id.effect_size_id", store=True, string="Size"
    )
    partner_industry_id = fields.Many2one(
        related="partner_id.industry_id", store=True, string="Industry"
    )
    partner_state_id = fields.Many2one(related="partner_id.state_id", store=True, string="Province")

    # the next action this interaction plans
    next_activity_type_id = fields.Many2one(
        "mail.activity.type",
        "Next Action",
        domain="[('res_model', 'in', [False, 'res.partner'])]",
        help="What to do next: call, visit, send a quote…",
    )
    next_date = fields.Date(
        "Next Action Date", help="Any date: the action shows on the agenda on that day."
    )
    next_user_id = fields.Many2one(
        "res.users",
        "Next Action By",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    next_summary = fields.Char("Next Action Summary")
    next_activity_id = fields.Many2one(
        "mail.activity",
        "Planned Action",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    next_activity_state = fields.Selection(
        related="next_activity_id.state", string="Planned Action Status"
    )
    next_activity_deadline = fields.Date(
        related="next_activity_id.date_deadline", string="Planned Action Due"
    )
    next_action_required = fields.Boolean(compute="_compute_next_action_required")

    # the planned action this interaction did
    done_activity_id = fields.Many2one(
        "mail.activity",
        "Action Done",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The planned action (activity) this interaction did; it was marked done "
        "when the interaction was logged.",
    )
    # computed so that the log dialog opened from the agenda shows it before saving
    done_activity_deadline = fields.Date(
        "Was Due",
        compute="_compute_done_activity_deadline",
        store=True,
        readonly=True,
        copy=False,
        help="The date the action done by this interaction was planned for.",
    )
    previous_interaction_id = fields.Many2one(
        "effect.crm.interaction",
        "Planned By",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The interaction that planned the action this one did.",
    )

    # ------------------------------------------------------------------
    # Constraints and indexes
    # ------------------------------------------------------------------

    # the customer's timeline, and its last interaction
    _partner_date_idx = models.Index("(partner_id, date DESC)")
    # a salesperson's interactions, newest first (statistics, "my interactions")
    _user_date_idx = models.Index("(user_id, date DESC)")

    # ------------------------------------------------------------------
    # Defaults, computes
    # ------------------------------------------------------------------

    @api.model
    def default_get(self, fields_list):
        # values prefilled by the "Log interaction" actions travel in one context key,
        # so that they do not leak (as default_*) into the records created alongside
        defaults = super().default_get(fields_list)
        prefill = self.env.context.get("effect_interaction_defaults") or {}
        defaults.update({name: value for name, value in prefill.items() if name in fields_list})
        return defaults

    @api.model
    def _effect_record_events(self, vals_list):
        """Record quotation and contract events on the customers' timelines.

        The caller changed a quotation or a contract it may change (or the customer
        acted through the portal with the document's token): the interaction only
        records that change, under the document's salesperson, so it is written as
        superuser and plans no next action.
        """
        return self.sudo().create([dict(vals, is_automatic=True) for vals in vals_list])

    @api.depends("user_id")
    def _compute_team_id(self):
        for interaction in self:
            interaction.team_id = interaction.user_id.sale_team_id

    @api.depends("done_activity_id")
    def _compute_done_activity_deadline(self):
        for interaction in self:
            # kept when the done action is deleted later
            interaction.done_activity_deadline = (
                interaction.done_activity_id.date_deadline or interaction.done_activity_deadline
            )

    @api.depends("company_id", "partner_id.effect_stage", "lead_id.won_status", "is_automatic")
    def _compute_next_action_required(self):
        for interaction in self:
            interaction.next_action_required = bool(
                not interaction.is_automatic
                and interaction.company_id.effect_next_action_mandatory
                and interaction.partner_id.effect_stage != "inactive"
                and interaction.lead_id.won_status != "lost"
            )

    # ------------------------------------------------------------------
    # Statistics: the pivot over millions of interactions
    # ------------------------------------------------------------------

    @api.model
    def _read_grouping_sets(self, domain, grouping_sets, aggregates=(), order=None):
        """Group once by the finest grouping, then add the groups up (same result).

        The pivot asks for every combination of its row and column groupings.
        PostgreSQL's GROUPING SETS sorts all matching interactions (a year: hundreds
        of thousands) twice, ordered by the salespeople's and types' names; grouping
        them once by salesperson, type and month (a hash aggregate), then adding up
        and ordering the few thousand groups here, gives the same groups in the same
        order in a fraction of the time. Other shapes keep Odoo's query.
        """
        plan = self._effect_rollup_plan(grouping_sets, aggregates, order)
        if plan is None:
            return super()._read_grouping_sets(domain, grouping_sets, aggregates, order)
        finest, order_parts = plan
        rows = self._effect_read_finest_groups(domain, finest, aggregates)
        if not rows:  # an empty grouping set still has its row: let PostgreSQL say it
            return super()._read_grouping_sets(domain, grouping_sets, aggregates, order)
        result = []
        ranks = {}  # the order of the records of each many2one, shared by the sets
        records = {}  # one record per many2one value, shared by the groups
        for grouping, groups in zip(
            grouping_sets, roll_up(rows, finest, grouping_sets, aggregates), strict=True
        ):
            grouping = list(grouping)
            self._effect_sort_groups(groups, grouping, order_parts, ranks)
            result.append(self._effect_group_values(groups, grouping, aggregates, records))
        return result

    def _effect_group_values(self, groups, grouping, aggregates, records):
        """The values of ``groups`` (PostgreSQL's) as ``_read_group`` gives them.

        Records for many2one values (one per value, with the prefetch of them all),
        empty values for NULL, as ``_read_group_postprocess_*`` convert them.
        """
        columns = list(zip(*groups, strict=True))  # there are rows: every set has a group
        converted = []
        for spec, column in zip(grouping, columns, strict=False):
            field = self._fields[spec.partition(":")[0]]
            if field.type == "many2one":
                if spec not in records:
                    Model = self.pool[field.comodel_name]
                    ids = tuple(sorted({value for value in column if value}))
                    by_id = {value: Model(self.env, (value,), ids) for value in ids}
                    records[spec] = (by_id, self._read_group_empty_value(spec))
                by_id, empty = records[spec]
                converted.append([by_id[value] if value else empty for value in column])
            else:
                converted.append(list(self._read_group_postprocess_groupby(spec, column)))
        for spec, column in zip(aggregates, columns[len(grouping) :], strict=True):
            converted.append(list(self._read_group_postprocess_aggregate(spec, column)))
        return list(zip(*converted, strict=True))

    def _effect_read_finest_groups(self, domain, groupby, aggregates):
        """``_read_group`` without ordering nor converting values: PostgreSQL's rows."""
        self.browse().check_access("read")
        query = self._search(domain)
        if query.is_empty():
            return []
        terms = [self._read_group_groupby(self._table, spec, query) for spec in groupby]
        selects = [*terms, *(self._read_group_select(spec, query) for spec in aggregates)]
        query.groupby = SQL(", ").join(terms)
        return self.env.execute_query(query.select(*selects))

    @api.model
    def _effect_rollup_plan(self, grouping_sets, aggregates, order):
        """``(finest grouping, [(spec, descending)])`` when the rollup applies, else None."""
        grouping_sets = [list(grouping) for grouping in grouping_sets]
        if not can_roll_up(grouping_sets, aggregates):
            return None
        finest = finest_grouping(grouping_sets)
        for spec in finest:
            name, _sep, granularity = spec.partition(":")
            field = self._fields.get(name)
            if not field or "." in name:
                return None
            if field.type == "many2one" and not granularity:
                continue
            if field.type in ("date", "datetime") and granularity in ROLLUP_GRANULARITIES:
                continue
            return None
        order_parts = []
        for part in (order or ",".join(finest)).split(","):
            match = ORDER_PART.fullmatch(part)
            if not match or match["spec"] not in finest:
                return None
            order_parts.append((match["spec"], (match["direction"] or "").lower() == "desc"))
        return finest, order_parts

    def _effect_sort_groups(self, groups, grouping, order_parts, ranks):
        """Sort ``groups`` (PostgreSQL's values) as ``ORDER BY`` the order parts would.

        Nulls last when ascending, as PostgreSQL; a many2one in the order of its
        model's ``_order``, kept in ``ranks`` between calls.
        """
        for spec, descending in reversed(order_parts):
            if spec not in grouping:
                continue
            position = grouping.index(spec)
            field = self._fields[spec.partition(":")[0]]
            if field.type == "many2one":
                # the order of the related records: their model's _order, as the SQL sorts
                if spec not in ranks:
                    ids = list({group[position] for group in groups if group[position]})
                    ordered = (
                        self.env[field.comodel_name]
                        .sudo()
                        .with_context(active_test=False)
                        .search([("id", "in", ids)])
                        .ids
                    )
                    ranks[spec] = {record_id: index for index, record_id in enumerate(ordered)}
                rank = ranks[spec]
                last = len(rank)

                def key(group, position=position, rank=rank, last=last):
                    value = group[position]
                    return rank.get(value, last) if value else last + 1

            else:

                def key(group, position=position):
                    value = group[position]
                    return (value is None or value is False, value or 0)

            groups.sort(key=key, reverse=descending)

    def _web_read_group_groupby_formatter(self, groupby_spec, values):
        """The formatter of each distinct value once: a pivot repeats them thousands of times.

        Formatting a salesperson or a month (name, label, the group's domain) gives
        the same result for every group that has it; its domain is parsed once too.
        """
        formatter = super()._web_read_group_groupby_formatter(groupby_spec, values)
        if not self._effect_memoized_groupby(groupby_spec):
            return formatter
        return _MemoizedFormatter(formatter)

    def _effect_memoized_groupby(self, groupby_spec):
        name, _sep, granularity = groupby_spec.partition(":")
        field = self._fields.get(name)
        if not field:
            return False
        if field.type == "many2one":
            return not granularity
        return field.type in ("date", "datetime") and granularity in ROLLUP_GRANULARITIES

    def _web_read_group_format(self, groupby, aggregates, groups):
        """The web client's groups, each group's domain put together from its values'.

        Odoo builds each group's domain by combining the domains of its values (a
        salesperson, a type, a month), parsing and flattening them for each of the
        pivot's thousands of groups; when those are plain conditions, putting the
        conditions of each value (kept by the memoized formatters) side by side
        gives the same domain at a fraction of the cost.
        """
        if (
            not groups
            or self._web_read_group_field_expand(groupby)
            or not all(self._effect_memoized_groupby(spec) for spec in groupby)
        ):
            return super()._web_read_group_format(groupby, aggregates, groups)
        columns = list(zip(*groups, strict=True))
        formatters = [
            self._web_read_group_groupby_formatter(spec, values)
            for spec, values in zip(groupby, columns, strict=False)
        ]
        if not groupby or not all(isinstance(f, _MemoizedFormatter) for f in formatters):
            return super()._web_read_group_format(groupby, aggregates, groups)
        # each value's label and conditions, looked up once per distinct value object
        entries = []
        for formatter, column in zip(formatters, columns, strict=False):
            seen = {}
            column_entries = []
            for value in column:
                entry = seen.get(id(value))
                if entry is None:
                    entry = seen[id(value)] = formatter.entry(value)
                column_entries.append(entry)
            if any(entry[2] is None for entry in seen.values()):
                # a value whose domain is more than conditions: Odoo's formatting
                return super()._web_read_group_format(groupby, aggregates, groups)
            entries.append(column_entries)
        aggregate_columns = columns[len(groupby) :]
        result = []
        for index in range(len(groups)):
            dict_group = {}
            conditions = []
            for spec, column_entries in zip(groupby, entries, strict=True):
                label, _domain, plain = column_entries[index]
                dict_group[spec] = label
                conditions += plain
            dict_group["__extra_domain"] = ["&"] * (len(conditions) - 1) + conditions
            for spec, column in zip(aggregates, aggregate_columns, strict=True):
                dict_group[spec] = column[index]
            result.append(dict_group)
        return result

    # ------------------------------------------------------------------
    # Constraints, onchanges
    # ------------------------------------------------------------------

    @api.constrains("partner_id", "contact_id")
    def _check_contact(self):
        for interaction in self:
            contact = interaction.contact_id
            if contact and contact.commercial_partner_id != interaction.partner_id:
                raise ValidationError(
                    self.env._(
                        "%(contact)s is not a contact person of %(customer)s.",
                        contact=contact.display_name,
                        customer=interaction.partner_id.display_name,
                    )
                )

    @api.constrains("duration")
    def _check_duration(self):
        for interaction in self:
            if interaction.duration < 0:
                raise ValidationError(
                    self.env._(
                        "%(subject)s: the duration of an interaction cannot be negative.",
                        subject=interaction.name,
                    )
                )

    @api.constrains("partner_id", "lead_id", "next_date")
    def _check_next_action(self):
        for interaction in self:
            if interaction.next_action_required and not interaction.next_date:
                raise ValidationError(
                    self.env._(
                        "Plan the next action with %(customer)s: its type and date. "
                        "Your company requires a next action after every interaction, "
                        "unless the customer is inactive or the opportunity is lost.",
                        customer=interaction.partner_id.display_name,
                    )
                )

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        partner = self.partner_id
        if partner and partner.commercial_partner_id != partner:
            self.contact_id = partner
            self.partner_id = partner.commercial_partner_id
        if self.contact_id and self.contact_id.commercial_partner_id != self.partner_id:
            self.contact_id = False

    @api.onchange("lead_id")
    def _onchange_lead_id(self):
        if self.lead_id.partner_id and not self.partner_id:
            self.partner_id = self.lead_id.partner_id.commercial_partner_id

    @api.onchange("sale_order_id")
    def _onchange_sale_order_id(self):
        order = self.sale_order_id
        if order and not self.partner_id:
            self.partner_id = order.partner_id.commercial_partner_id
        if order.opportunity_id and not self.lead_id:
            self.lead_id = order.opportunity_id

    @api.onchange("type_id")
    def _onchange_type_id(self):
        if self.type_id and not self.name:
            self.name = self.type_id.name

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def _effect_normalize_partner(self, vals):
        """Log on the customer (commercial partner), keeping a contact person as contact."""
        if not vals.get("partner_id"):
            return vals
        partner = self.env["res.partner"].browse(vals["partner_id"])
        commercial = partner.commercial_partner_id
        if commercial == partner:
            return vals
        vals = dict(vals, partner_id=commercial.id)
        if not vals.get("contact_id"):
            vals["contact_id"] = partner.id
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._effect_normalize_partner(vals) for vals in vals_list]
        interactions = super().create(vals_list)
        # done_activity_id may come from the dialog's prefilled defaults: read it here
        for interaction in interactions.filtered("done_activity_id"):
            interaction.write(interaction._effect_done_activity_values())
        interactions._effect_attach_files()
        # the records created alongside must not inherit the form's default_* keys
        interactions = interactions.with_env(self.env(context=clean_context(self.env.context)))
        interactions._effect_mark_done()
        interactions._effect_sync_next_actions()
        return interactions.with_env(self.env)

    def write(self, vals):
        vals = self._effect_normalize_partner(vals)
        sync = "partner_id" in vals or any(name in vals for name in NEXT_ACTION_FIELDS)
        if any(name in vals for name in NEXT_ACTION_FIELDS):
            done = self.filtered(
                lambda interaction: (
                    interaction.next_activity_id and not interaction.next_activity_id.active
                )
            )
            if done:
                raise UserError(
                    self.env._(
                        "The next action planned by “%(subject)s” is already done and "
                        "cannot be changed. Plan a new one on the interaction that did it.",
                        subject=done[0].name,
                    )
                )
        result = super().write(vals)
        if "attachment_ids" in vals:
            self._effect_attach_files()
        if sync:
            self.with_env(
                self.env(context=clean_context(self.env.context))
            )._effect_sync_next_actions()
        return result

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _effect_done_activity_values(self):
        """Values an interaction keeps about the planned action it does."""
        self.ensure_one()
        activity = self.done_activity_id
        if not activity.active:
            raise UserError(
                self.env._(
                    "This planned action was already done or cancelled; log the "
                    "interaction without it, or refresh the agenda."
                )
            )
        # sudo: only to find which interaction planned the action, to link both;
        # the link is shown to users who may read that interaction
        planner = self.sudo().search(
            [("next_activity_id", "=", activity.id), ("id", "!=", self.id)], limit=1
        )
        return {"previous_interaction_id": planner.id}

    def _effect_attach_files(self):
        """Attach files uploaded in the form (not yet bound to a record) to the interaction."""
        for interaction in self:
            loose = interaction.attachment_ids.filtered(
                lambda attachment: (
                    not attachment.res_id and attachment.res_model in (False, self._name)
                )
            )
            if loose:
                loose.write({"res_model": self._name, "res_id": interaction.id})

    def _effect_mark_done(self):
        """Mark the planned actions these interactions did as done, with a summary."""
        for interaction in self.filtered("done_activity_id"):
            feedback = self.env._(
                "%(type)s: %(subject)s", type=interaction.type_id.name, subject=interaction.name
            )
            if interaction.outcome_id:
                feedback = self.env._(
                    "%(feedback)s (outcome: %(outcome)s)",
                    feedback=feedback,
                    outcome=interaction.outcome_id.name,
                )
            interaction.done_activity_id.action_feedback(feedback=feedback)

    def _effect_next_activity_values(self):
        self.ensure_one()
        activity_type = self.next_activity_type_id or self.env.ref(
            "mail.mail_activity_data_todo", raise_if_not_found=False
        )
        return {
            "activity_type_id": activity_type.id if activity_type else False,
            "summary": self.next_summary or False,
            "date_deadline": self.next_date,
            "user_id": (self.next_user_id or self.user_id).id,
            "res_model_id": self.env["ir.model"]._get_id("res.partner"),
            "res_id": self.partner_id.id,
        }

    def _effect_sync_next_actions(self):
        """Create, update or cancel the activity of each interaction's next action."""
        to_create = self.browse()
        for interaction in self:
            activity = interaction.next_activity_id
            if activity and not activity.active:
                continue  # done: it belongs to history
            if not interaction.next_date:
                if activity:
                    activity.unlink()  # the plan was removed: cancel its action
                continue
            if not activity:
                to_create |= interaction
                continue
            values = interaction._effect_next_activity_values()
            changed = {
                name: value
                for name, value in values.items()
                if (
                    activity[name].id
                    if isinstance(activity[name], models.BaseModel)
                    else activity[name]
                )
                != value
            }
            if changed:
                activity.write(changed)
        if not to_create:
            return
        vals_list = []
        for interaction in to_create:
            values = interaction._effect_next_activity_values()
            values["note"] = Markup("<p>%s</p>") % self.env._(
                "Planned after “%(subject)s” (%(date)s).",
                subject=interaction.name,
                date=format_date(
                    self.env, fields.Datetime.context_timestamp(self, interaction.date)
                ),
            )
            vals_list.append(values)
        activities = self.env["mail.activity"].create(vals_list)
        for interaction, activity in zip(to_create, activities, strict=True):
            interaction.next_activity_id = activity

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    @api.model
    def _effect_log_action(self, defaults):
        """The "Log interaction" dialog, prefilled with ``defaults``."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log Interaction"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(self.env.ref("effect_crm.effect_crm_interaction_view_form_log").id, "form")],
            "target": "new",
            "context": {"effect_interaction_defaults": defaults},
        }

    def action_effect_logged(self):
        """The dialog's Log button (the record is saved): ask for the next action if none."""
        self.ensure_one()
        if not self.next_activity_id:
            return self.action_effect_plan_next()
        return self._effect_close_with_notification()

    def action_effect_plan_next(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Plan the Next Action"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [
                (self.env.ref("effect_crm.effect_crm_interaction_view_form_next").id, "form")
            ],
            "target": "new",
        }

    def action_effect_confirm_next(self):
        """The Plan button of the next-action dialog (the record is saved)."""
        self.ensure_one()
        if not self.next_activity_id:
            raise UserError(
                self.env._("Set the date of the next action, or close this window to skip it.")
            )
        return self._effect_close_with_notification()

    def _effect_close_with_notification(self):
        activity = self.next_activity_id
        message = self.env._(
            "%(action)s planned on %(date)s for %(user)s.",
            action=activity.summary or activity.activity_type_id.name,
            date=format_date(self.env, activity.date_deadline),
            user=activity.user_id.name,
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Interaction logged"),
                "message": message,
                "type": "success",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
