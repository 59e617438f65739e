from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools.agenda import bucket_day_bounds, bucket_sql, local_date, shift_to_day

BUCKETS = [
    ("overdue", "Overdue"),
    ("today", "Today"),
    ("tomorrow", "Tomorrow"),
    ("this_week", "This Week"),
    ("later", "Later"),
]


def _document_customer(alias):
    """The customer of the document an activity or a meeting (``alias``) is attached to.

    Scalar subqueries, not joins (here and for the icon): PostgreSQL drops an unused
    output of the view with its subquery, so counting and sorting a salesperson's
    agenda reads the index of their open activities alone (a left join, even
    removed, keeps its column in the scan); only the rows read for display look
    their customer up.
    """
    return SQL(
        """
        CASE %(alias)s.res_model
            WHEN 'res.partner' THEN (
                SELECT doc.commercial_partner_id FROM res_partner doc
                 WHERE doc.id = %(alias)s.res_id)
            WHEN 'crm.lead' THEN (
                SELECT doc.commercial_partner_id FROM crm_lead lead
                  JOIN res_partner doc ON doc.id = lead.partner_id
                 WHERE lead.id = %(alias)s.res_id)
            WHEN 'sale.order' THEN (
                SELECT doc.commercial_partner_id FROM sale_order so
                  JOIN res_partner doc ON doc.id = so.partner_id
                 WHERE so.id = %(alias)s.res_id)
        END
        """,
        alias=SQL.identifier(alias),
    )


class EffectCrmAgenda(models.Model):
    """The salesperson's agenda: open activities and the meetings they attend.

    A read-only SQL view over ``mail.activity`` (one row per open activity with a
    responsible user) and ``calendar.attendee`` (one row per user attending a
    meeting that has not ended). Days and buckets are in the time zone of the
    row's salesperson. Meetings that carry an open activity of the same user are
    shown once, as that activity at the meeting's time.

    Moving a row (calendar drag and drop, postpone) moves the activity or the
    meeting underneath, whose history keeps the change.
    """

    _name = "effect.crm.agenda"
    _description = "Agenda Item"
    _auto = False
    _order = "date, allday desc, date_start, id"
    _depends = {
        "mail.activity": [
            "active",
            "user_id",
            "date_deadline",
            "summary",
            "activity_type_id",
            "res_model",
            "res_id",
            "res_name",
            "calendar_event_id",
            "effect_reschedule_count",
        ],
        "mail.activity.type": ["icon"],
        "calendar.event": [
            "active",
            "start",
            "stop",
            "allday",
            "start_date",
            "stop_date",
            "res_model",
            "res_id",
        ],
        "calendar.attendee": ["event_id", "partner_id", "state"],
        "res.users": ["partner_id", "sale_team_id", "share", "active"],
        "res.partner": ["tz", "commercial_partner_id", "effect_stage"],
        "crm.lead": ["partner_id"],
        "sale.order": ["partner_id"],
        "effect.crm.interaction": ["calendar_event_id", "user_id"],
    }

    source = fields.Selection(
        [("activity", "Planned Action"), ("event", "Meeting")], "Kind", readonly=True
    )
    activity_id = fields.Many2one("mail.activity", readonly=True)
    event_id = fields.Many2one("calendar.event", "Meeting", readonly=True)
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", "Sales Team", readonly=True)
    activity_type_id = fields.Many2one("mail.activity.type", "Action Type", readonly=True)
    summary = fields.Char(readonly=True)
    icon = fields.Char(readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    res_model = fields.Char("Document Model", readonly=True)
    res_id = fields.Many2oneReference("Document", model_field="res_model", readonly=True)
    res_name = fields.Char("Document Name", readonly=True)
    date = fields.Date("Day", readonly=True, help="The day, in the salesperson's time zone.")
    date_start = fields.Datetime("Start", readonly=True)
    date_stop = fields.Datetime("End", readonly=True)
    allday = fields.Boolean("All Day", readonly=True)
    time_label = fields.Char("Time", readonly=True)
    bucket = fields.Selection(BUCKETS, "When", readonly=True, group_expand=True)
    reschedule_count = fields.Integer("Times Rescheduled", readonly=True)

    # ------------------------------------------------------------------
    # The view
    # ------------------------------------------------------------------

    @property
    def _table_query(self):
        # Raw SQL: the agenda is one list of two kinds of rows (open activities, and
        # meetings a user attends that no open activity of theirs stands for), with
        # days and buckets in each row's salesperson's time zone; the ORM has no union
        # of two models, and no per-row time zone in a domain or a group-by.
        #
        # Ids: an activity's row is numbered by the activity (``a.id``), a meeting's
        # by its attendee, negated (``-att.id``): the two cannot meet. Reading a page
        # of rows by id (``id = ANY(...)``, pushed into each half of the union) is
        # then a primary-key lookup of the activities that PostgreSQL estimates
        # exactly, instead of an expression over all open activities estimated at
        # 0.5% of the table per id (~35,000 rows for a page of 40 at full scale),
        # whose cost crossed the JIT thresholds and made a page cost seconds.
        clock = self.env["effect.crm.clock"]
        # each salesperson's today (effect.crm.clock): the server's clock, passed as a
        # parameter (not PostgreSQL's now(), the start of the transaction, which tests
        # cannot freeze), in the salesperson's time zone, else the company's or Vietnam's
        tz = SQL("COALESCE(NULLIF(owner.tz, ''), %s)", clock._effect_company_tz())
        today = SQL(
            "((%s::timestamp AT TIME ZONE 'UTC') AT TIME ZONE %s)::date", clock._effect_now(), tz
        )
        local_start = SQL("((ev.start AT TIME ZONE 'UTC') AT TIME ZONE %s)", tz)
        local_stop = SQL("((ev.stop AT TIME ZONE 'UTC') AT TIME ZONE %s)", tz)
        event_day = SQL("(CASE WHEN ev.allday THEN ev.start_date ELSE %s::date END)", local_start)
        event_last_day = SQL(
            "(CASE WHEN ev.allday THEN ev.stop_date ELSE %s::date END)", local_stop
        )
        time_label = SQL(
            "(CASE WHEN ev.allday THEN NULL ELSE to_char(%s, 'HH24:MI') END)", local_start
        )
        return SQL(
            """
            SELECT
                a.id AS id,
                'activity' AS source,
                a.id AS activity_id,
                a.calendar_event_id AS event_id,
                a.user_id AS user_id,
                u.sale_team_id AS team_id,
                a.activity_type_id AS activity_type_id,
                a.summary AS summary,
                COALESCE(
                    (SELECT mat.icon FROM mail_activity_type mat WHERE mat.id = a.activity_type_id),
                    'fa-tasks'
                ) AS icon,
                %(activity_customer)s AS partner_id,
                a.res_model AS res_model,
                a.res_id AS res_id,
                a.res_name AS res_name,
                a.date_deadline AS date,
                CASE WHEN ev.id IS NULL THEN a.date_deadline::timestamp ELSE ev.start END
                    AS date_start,
                CASE WHEN ev.id IS NULL THEN a.date_deadline + interval '23:59:59'
                     ELSE ev.stop END AS date_stop,
                COALESCE(ev.allday, TRUE) AS allday,
                CASE WHEN ev.id IS NULL THEN NULL ELSE %(time_label)s END AS time_label,
                %(activity_bucket)s AS bucket,
                COALESCE(a.effect_reschedule_count, 0) AS reschedule_count
            FROM mail_activity a
            JOIN res_users u ON u.id = a.user_id
            JOIN res_partner owner ON owner.id = u.partner_id
            LEFT JOIN calendar_event ev ON ev.id = a.calendar_event_id
            WHERE a.active

            UNION ALL

            SELECT
                -att.id AS id,
                'event' AS source,
                NULL AS activity_id,
                ev.id AS event_id,
                u.id AS user_id,
                u.sale_team_id AS team_id,
                %(meeting_type)s::integer AS activity_type_id,
                NULL AS summary,
                'fa-users' AS icon,
                COALESCE(
                    %(event_customer)s,
                    (SELECT MIN(guest.commercial_partner_id)
                       FROM calendar_attendee guest_att
                       JOIN res_partner guest ON guest.id = guest_att.partner_id
                      WHERE guest_att.event_id = ev.id AND guest.effect_stage IS NOT NULL)
                ) AS partner_id,
                ev.res_model AS res_model,
                ev.res_id AS res_id,
                NULL AS res_name,
                %(event_day)s AS date,
                ev.start AS date_start,
                ev.stop AS date_stop,
                ev.allday AS allday,
                %(time_label)s AS time_label,
                %(event_bucket)s AS bucket,
                0 AS reschedule_count
            FROM calendar_attendee att
            JOIN res_users u ON u.partner_id = att.partner_id AND u.active AND NOT u.share
            JOIN res_partner owner ON owner.id = u.partner_id
            JOIN calendar_event ev ON ev.id = att.event_id AND ev.active
            WHERE att.state IS DISTINCT FROM 'declined'
              AND %(event_last_day)s >= %(today)s
              AND NOT EXISTS (
                    SELECT 1 FROM mail_activity linked
                     WHERE linked.calendar_event_id = ev.id
                       AND linked.active
                       AND linked.user_id = u.id)
              AND NOT EXISTS (
                    SELECT 1 FROM effect_crm_interaction logged
                     WHERE logged.calendar_event_id = ev.id
                       AND logged.user_id = u.id)
            """,
            activity_customer=_document_customer("a"),
            event_customer=_document_customer("ev"),
            activity_bucket=bucket_sql(SQL("a.date_deadline"), today),
            event_bucket=bucket_sql(SQL("GREATEST(%s, %s)", event_day, today), today),
            time_label=time_label,
            event_day=event_day,
            event_last_day=event_last_day,
            today=today,
            # the meeting activity type, looked up by the ORM (cached: not checked with a
            # query each time the view is used, six times a first load) and passed as a
            # parameter
            meeting_type=self.env["ir.model.data"]._xmlid_to_res_id(
                "mail.mail_activity_data_meeting"
            ),
        )

    # ------------------------------------------------------------------
    # Search
    # ------------------------------------------------------------------

    @api.model
    def _search(self, domain, *args, **kwargs):
        # Odoo's documented hook "to modify the domain being searched" (BaseModel._search,
        # overridden so by mail.activity and mail.message): a kanban column of a
        # salesperson with a backlog reads its days' range of the index instead of all
        # their open actions. Tried instead (2026-12-06): a view with one part per bucket
        # that the planner prunes, no override; its plans cost twice as much to make
        # (five copies of the row's expressions) and the agenda's first load went from
        # 44 to 68 ms at full scale (bench/RESULTS.md, issue 15).
        return super()._search(self._effect_bound_buckets(domain), *args, **kwargs)

    @api.model
    def _effect_bound_buckets(self, domain):
        """Add to each bucket condition the days its planned actions can be on.

        The bucket of an action follows from its day and its salesperson's today;
        whatever the time zone, that today is within a day of today in UTC. The
        redundant day range lets PostgreSQL range-scan the salesperson's open
        activities on (user_id, date_deadline) instead of reading all of them.
        Meetings keep the bucket alone: one that started days ago is still today's.
        """
        utc_today = self.env["effect.crm.clock"]._effect_now().date()

        def bound(condition):
            if condition.field_expr != "bucket" or condition.operator not in ("=", "in"):
                return condition
            values = condition.value if condition.operator == "in" else [condition.value]
            first, last = bucket_day_bounds(values, utc_today)
            days = Domain.TRUE
            if first:
                days &= Domain("date", ">=", first)
            if last:
                days &= Domain("date", "<=", last)
            return condition & (Domain("source", "=", "event") | days)

        return Domain(domain).map_conditions(bound)

    # ------------------------------------------------------------------
    # Display
    # ------------------------------------------------------------------

    @api.depends("source", "summary", "activity_type_id", "event_id")
    def _compute_display_name(self):
        for item in self:
            if item.source == "event" or (item.event_id and not item.summary):
                # read as the user: the calendar shows others' private meetings as busy
                item.display_name = item.event_id.display_name
            else:
                item.display_name = (
                    item.summary or item.activity_type_id.name or self.env._("Planned action")
                )

    @api.model
    def effect_agenda_counts(self):
        """Overdue and today's items of the current user (the agenda menu's badge)."""
        # the day bound lets PostgreSQL range-scan the user's open activities on
        # (user_id, date_deadline); the bucket, computed in SQL, stays the criterion
        until = self.env["effect.crm.clock"]._effect_today(self.env.user) + timedelta(days=1)
        counts = dict(
            self._read_group(
                [
                    ("user_id", "=", self.env.uid),
                    ("date", "<=", until),
                    ("bucket", "in", ["overdue", "today"]),
                ],
                ["bucket"],
                ["__count"],
            )
        )
        return {"overdue": counts.get("overdue", 0), "today": counts.get("today", 0)}

    # ------------------------------------------------------------------
    # Moving items (calendar drag and drop)
    # ------------------------------------------------------------------

    def write(self, vals):  # pylint: disable=method-required-super
        # a SQL view: moving an item writes the activity or the meeting underneath
        movable = {"date", "date_start", "date_stop", "allday"}
        if not vals.keys() <= movable:
            raise UserError(
                self.env._(
                    "The agenda only moves actions and meetings to another day or time. "
                    "Open the action or the meeting to change anything else."
                )
            )
        self.check_access("write")
        for item in self:
            item._effect_move(vals)
        self.invalidate_model()
        return True

    def _effect_move(self, vals):
        self.ensure_one()
        tz = self.env["effect.crm.clock"]._effect_tz()
        allday = vals.get("allday", self.allday)
        start = stop = None
        if "date" in vals:
            new_day = fields.Date.to_date(vals["date"])
        elif "date_start" in vals:
            raw_start = vals["date_start"]
            if allday:
                new_day = fields.Date.to_date(str(raw_start)[:10])
            else:
                start = fields.Datetime.to_datetime(raw_start)
                stop = (
                    fields.Datetime.to_datetime(vals["date_stop"])
                    if vals.get("date_stop")
                    else start + (self.date_stop - self.date_start)
                )
                new_day = local_date(start, tz)
        else:
            return
        if not self.event_id:
            # an action has a day, not a time
            self.activity_id.write({"date_deadline": new_day})
            return
        self._effect_move_event(self.event_id, new_day, allday, start, stop, tz)

    @api.model
    def _effect_move_event(self, event, new_day, allday, start, stop, tz):
        """Move a meeting (and, through Odoo's calendar, the activities linked to it)."""
        if allday:
            length = (event.stop_date - event.start_date) if event.allday else None
            event.write(
                {
                    "allday": True,
                    "start_date": new_day,
                    "stop_date": new_day + length if length else new_day,
                }
            )
        elif start:
            event.write({"allday": False, "start": start, "stop": stop})
        else:
            new_start, new_stop = shift_to_day(event.start, event.stop, new_day, tz)
            event.write({"start": new_start, "stop": new_stop})

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_effect_do(self):
        """Log the interaction that does this action: the prefilled interaction dialog."""
        self.ensure_one()
        activity, event = self.activity_id, self.event_id
        Interaction = self.env["effect.crm.interaction"]
        InteractionType = self.env["effect.crm.interaction.type"]
        interaction_type = InteractionType._for_activity_type(self.activity_type_id)
        if not interaction_type and event:
            interaction_type = self.env.ref(
                "effect_crm.interaction_type_meeting", raise_if_not_found=False
            )
        defaults = {
            "name": activity.summary or event.name or self.display_name,
            "type_id": interaction_type.id if interaction_type else False,
            "user_id": self.env.uid,
        }
        if self.partner_id:
            defaults["partner_id"] = self.partner_id.id
        if self.res_model == "res.partner" and self.res_id != self.partner_id.id:
            defaults["contact_id"] = self.res_id
        if self.res_model == "crm.lead":
            defaults["lead_id"] = self.res_id
        elif self.res_model == "sale.order":
            defaults["sale_order_id"] = self.res_id
        if activity:
            defaults["done_activity_id"] = activity.id
        if event:
            defaults["calendar_event_id"] = event.id
            defaults["duration"] = event.duration
            if event.start <= fields.Datetime.now():
                defaults["date"] = fields.Datetime.to_string(event.start)
        return Interaction._effect_log_action(defaults)

    def action_effect_postpone(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "effect_crm.effect_crm_agenda_postpone_action"
        )
        action["context"] = {"active_model": self._name, "active_ids": self.ids}
        return action

    def action_effect_open_document(self):
        self.ensure_one()
        if self.res_model and self.res_id:
            record = self.env[self.res_model].browse(self.res_id)
            return {
                "type": "ir.actions.act_window",
                "res_model": self.res_model,
                "res_id": record.id,
                "views": [(False, "form")],
                "view_mode": "form",
            }
        if self.event_id:
            return {
                "type": "ir.actions.act_window",
                "res_model": "calendar.event",
                "res_id": self.event_id.id,
                "views": [(False, "form")],
                "view_mode": "form",
            }
        return False
