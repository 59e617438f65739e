from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools.misc import clean_context, format_date

# fields of the next action an interaction plans; they become a mail.activity
NEXT_ACTION_FIELDS = ("next_activity_type_id", "next_date", "next_user_id", "next_summary")


class EffectCrmInteraction(models.Model):
    """One contact with a customer, and the next action it planned.

    The next action is a ``mail.activity`` on the customer (``next_activity_id``),
    so Odoo's reminders and "My Activities" see it. An interaction logged to do a
    planned action marks that activity done and keeps it (``done_activity_id``;
    Odoo 19 archives done activities instead of deleting them).
    """

    _name = "effect.crm.interaction"
    _description = "Customer Interaction"
    _inherit = [
        "mail.thread",
        "effect.crm.customer.mixin",
        "effect.crm.classification.mixin",
        "effect.crm.rollup.mixin",
    ]
    # the customer, its contact, and the documents the interaction is linked to
    _effect_customer_fields = (
        "partner_id",
        "contact_id",
        "lead_id",
        "sale_order_id",
        "contract_id",
    )
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
    is_this_week = fields.Boolean(
        "This Week",
        compute="_compute_is_this_week",
        search="_search_is_this_week",
        help="Dated this week (Monday to Sunday) in the user's time zone.",
    )
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

    # the customer's classification: effect.crm.classification.mixin

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
    # the interaction pivot and graph (salesperson, type, month; count and duration) read
    # a year of interactions from this index alone (an index-only scan), not from the
    # table: 741,000 rows grouped in 2 s instead of 4 s at full scale (bench/RESULTS.md,
    # issue 15); the company is in it for its record rule
    _date_pivot_idx = models.Index("(date) INCLUDE (user_id, type_id, duration, company_id)")

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

    @api.depends("date")
    @api.depends_context("tz", "uid")
    def _compute_is_this_week(self):
        start, end = self.env["effect.crm.clock"]._effect_this_week_bounds()
        for interaction in self:
            interaction.is_this_week = bool(interaction.date and start <= interaction.date < end)

    def _search_is_this_week(self, operator, value):
        start, end = self.env["effect.crm.clock"]._effect_this_week_bounds()
        if operator not in ("in", "not in"):
            return NotImplemented
        domain = Domain("date", ">=", start) & Domain("date", "<", end)
        return domain if (True in value) == (operator == "in") else ~domain

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
        # first: the customer's company is read below
        self._effect_check_customer_create(vals_list)
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
        self._effect_check_customer_write(vals)
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
