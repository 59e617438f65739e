"""The salesperson agenda: days and buckets in the user's time zone, meetings,
moving and postponing with history, counts, who sees what."""

from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, freeze_time, tagged

from odoo.addons.effect_crm.tools.agenda import day_bucket

from .common import EVENING_IN_UTC
from .test_interactions import EffectCrmInteractionCommon

HCMC = "Asia/Ho_Chi_Minh"


@freeze_time(EVENING_IN_UTC)
@tagged("post_install", "-at_install")
class TestAgenda(EffectCrmInteractionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Agenda = cls.env["effect.crm.agenda"]

    def _agenda(self, user=None, domain=()):
        return self.Agenda.with_user(user or self.user_salesman).search(list(domain))

    def _activity(self, day, user=None, summary="Gọi lại", partner=None, activity_type=None):
        return self.env["mail.activity"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "res_id": (partner or self.customer).id,
                "activity_type_id": (activity_type or self.activity_call).id,
                "summary": summary,
                "date_deadline": day,
                "user_id": (user or self.user_salesman).id,
            }
        )

    def _utc(self, day, hour, minute, tz=HCMC):
        """The naive UTC datetime of a local time."""
        local = pytz.timezone(tz).localize(datetime.combine(day, time(hour, minute)))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def _meeting(self, start, stop=None, attendees=None, **values):
        attendees = attendees or self.user_salesman.partner_id | self.customer_contact
        return (
            self.env["calendar.event"]
            .with_context(mail_create_nosubscribe=True, no_mail_to_attendees=True)
            .create(
                {
                    "name": "Họp khách hàng",
                    "start": start,
                    "stop": stop or start + timedelta(hours=1),
                    "user_id": self.user_salesman.id,
                    "partner_ids": [fields.Command.set(attendees.ids)],
                    **values,
                }
            )
        )

    # ------------------------------------------------------------------
    # Days and buckets
    # ------------------------------------------------------------------

    def test_meetings_belong_to_the_local_day(self):
        """A salesperson in Hồ Chí Minh City (UTC+7): local days, not UTC days."""
        today = self._today()
        tomorrow = today + timedelta(days=1)
        late = self._meeting(self._utc(today, 23, 30), name="Họp muộn")  # 16:30 UTC
        early = self._meeting(self._utc(tomorrow, 0, 30), name="Họp sớm")  # 17:30 UTC, today
        self.assertEqual(early.start.date(), today, "in UTC it is still today")
        items = self._agenda(domain=[("event_id", "in", (late | early).ids)])
        by_event = {item.event_id: item for item in items}
        self.assertEqual(by_event[late].date, today)
        self.assertEqual(by_event[late].bucket, "today")
        self.assertEqual(by_event[late].time_label, "23:30")
        self.assertEqual(by_event[early].date, tomorrow)
        self.assertEqual(by_event[early].bucket, "tomorrow")
        self.assertEqual(by_event[early].time_label, "00:30")
        self.assertEqual(by_event[early].partner_id, self.customer, "from the contact attending")
        today_only = self._agenda(domain=[("bucket", "=", "today"), ("event_id", "!=", False)])
        self.assertIn(by_event[late], today_only)
        self.assertNotIn(by_event[early], today_only)

    def test_days_follow_each_salespersons_time_zone(self):
        """The same moment is two different days for Hồ Chí Minh City and Los Angeles."""
        self.user_salesman_2.tz = "America/Los_Angeles"
        self.user_salesman_2.partner_id.tz = "America/Los_Angeles"
        in_two_days = self._today(tz="UTC") + timedelta(days=2)
        start = datetime.combine(
            in_two_days, time(1, 0)
        )  # 08:00 in HCMC, 17:00 the day before in LA
        meeting = self._meeting(
            start, attendees=self.user_salesman.partner_id | self.user_salesman_2.partner_id
        )
        hcmc = self._agenda(domain=[("event_id", "=", meeting.id)])
        los_angeles = self._agenda(self.user_salesman_2, [("event_id", "=", meeting.id)])
        self.assertEqual(hcmc.date, in_two_days)
        self.assertEqual(hcmc.time_label, "08:00")
        self.assertEqual(los_angeles.date, in_two_days - timedelta(days=1))
        # 17:00 (standard time) or 18:00 (daylight saving time) the day before
        la_start = pytz.utc.localize(start).astimezone(pytz.timezone("America/Los_Angeles"))
        self.assertEqual(los_angeles.time_label, la_start.strftime("%H:%M"))

    def test_buckets_match_the_rules(self):
        for user in (self.user_salesman, self.user_salesman_2):
            if user == self.user_salesman_2:
                user.tz = user.partner_id.tz = "America/Los_Angeles"
            today = self._today(user)
            activities = self.env["mail.activity"]
            for offset in range(-3, 16):
                activities |= self._activity(today + timedelta(days=offset), user=user)
            items = self._agenda(user, [("activity_id", "in", activities.ids)])
            self.assertEqual(len(items), len(activities))
            for item in items:
                with self.subTest(user=user.tz, day=item.date):
                    self.assertEqual(item.bucket, day_bucket(item.date, today))
                    self.assertEqual(item.date, item.activity_id.date_deadline)
            # a kanban column asks for its bucket: the view's part of that bucket
            for bucket in {item.bucket for item in items}:
                column = self._agenda(
                    user, [("activity_id", "in", activities.ids), ("bucket", "=", bucket)]
                )
                self.assertEqual(column, items.filtered(lambda i, b=bucket: i.bucket == b))

    def test_an_action_a_year_ahead_shows_on_its_day_only(self):
        in_a_year = self._today() + relativedelta(years=1)
        interaction = self._log(
            next_activity_type_id=self.activity_visit.id,
            next_date=in_a_year,
            next_summary="Thăm khách năm sau",
        )
        item = self._agenda(domain=[("activity_id", "=", interaction.next_activity_id.id)])
        self.assertEqual(item.date, in_a_year)
        self.assertEqual(item.bucket, "later")
        self.assertEqual(item.activity_type_id, self.activity_visit)
        self.assertEqual(item.display_name, "Thăm khách năm sau")
        self.assertTrue(item.allday)
        # not on today's agenda, nor on any day before; on its day in the calendar range
        self.assertNotIn(item, self._agenda(domain=[("bucket", "in", ("overdue", "today"))]))
        self.assertNotIn(item, self._agenda(domain=[("date", "<", in_a_year)]))
        self.assertIn(
            item, self._agenda(domain=[("bucket", "in", ("tomorrow", "this_week", "later"))])
        )
        day_start = datetime.combine(in_a_year, time.min) - timedelta(hours=7)
        in_calendar = self._agenda(
            domain=[
                ("date_start", "<", day_start + timedelta(days=1)),
                ("date_stop", ">=", day_start),
            ]
        )
        self.assertIn(item, in_calendar)

    def test_overdue_actions_stay_until_done(self):
        activity = self._activity(self._today() - timedelta(days=10))
        item = self._agenda(domain=[("activity_id", "=", activity.id)])
        self.assertEqual(item.bucket, "overdue")
        activity.action_feedback(feedback="Đã gọi")
        self.assertFalse(self._agenda(domain=[("activity_id", "=", activity.id)]))

    # ------------------------------------------------------------------
    # Meetings
    # ------------------------------------------------------------------

    def test_a_meeting_with_its_activity_shows_once(self):
        start = self._utc(self._today() + timedelta(days=1), 10, 0)
        meeting = self._meeting(start, res_model_id=self.env["ir.model"]._get_id("res.partner"),
                                res_id=self.customer.id)  # fmt: skip
        items = self._agenda(domain=[("event_id", "=", meeting.id)])
        self.assertEqual(len(items), 1)
        self.assertEqual(
            items.source, "activity", "Odoo planned a meeting activity on the customer"
        )
        self.assertEqual(items.date_start, start)
        self.assertFalse(items.allday)
        self.assertEqual(items.time_label, "10:00")
        self.assertEqual(items.partner_id, self.customer)

    def test_declined_and_ended_meetings_are_not_on_the_agenda(self):
        yesterday = self._today() - timedelta(days=1)
        ended = self._meeting(self._utc(yesterday, 9, 0))
        declined = self._meeting(self._utc(self._today() + timedelta(days=2), 9, 0))
        declined.attendee_ids.filtered(
            lambda attendee: attendee.partner_id == self.user_salesman.partner_id
        ).do_decline()
        self.assertFalse(self._agenda(domain=[("event_id", "in", (ended | declined).ids)]))

    def test_do_an_action_shows_the_date_it_was_planned_for(self):
        planned = self._today() - timedelta(days=3)
        activity = self._activity(planned, summary="Gọi lại báo giá")
        item = self._agenda(domain=[("activity_id", "=", activity.id)])
        action = item.action_effect_do()
        form = Form(
            self.env["effect.crm.interaction"]
            .with_user(self.user_salesman)
            .with_context(**action["context"]),
            view="effect_crm.effect_crm_interaction_view_form_log",
        )
        self.assertEqual(form.done_activity_id, activity)
        self.assertEqual(form.done_activity_deadline, planned, "shown before saving")
        interaction = form.save()
        self.assertEqual(interaction.done_activity_deadline, planned)
        self.assertFalse(activity.active, "done")

    def test_do_a_meeting_from_the_agenda(self):
        start = self._utc(self._today(), 9, 0)
        meeting = self._meeting(start)
        item = self._agenda(domain=[("event_id", "=", meeting.id)])
        action = item.action_effect_do()
        form = Form(
            self.env["effect.crm.interaction"]
            .with_user(self.user_salesman)
            .with_context(**action["context"]),
            view="effect_crm.effect_crm_interaction_view_form_log",
        )
        self.assertEqual(form.type_id, self.type_meeting)
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(form.name, "Họp khách hàng")
        self.assertEqual(form.duration, 1.0)
        interaction = form.save()
        self.assertEqual(interaction.calendar_event_id, meeting)
        self.assertFalse(
            self._agenda(domain=[("event_id", "=", meeting.id)]), "logged: done for the day"
        )

    # ------------------------------------------------------------------
    # Moving, postponing, history
    # ------------------------------------------------------------------

    def test_drag_an_action_to_another_day_keeps_history(self):
        activity = self._activity(self._today() + timedelta(days=1), summary="Gọi chốt đơn")
        item = self._agenda(domain=[("activity_id", "=", activity.id)])
        new_day = self._today() + timedelta(days=3)
        # what the calendar sends when an all-day item is dropped on another day
        item.with_context(tz=HCMC).write(
            {"allday": True, "date_start": fields.Date.to_string(new_day),
             "date_stop": fields.Date.to_string(new_day)}
        )  # fmt: skip
        self.assertEqual(activity.date_deadline, new_day)
        self.assertEqual(activity.effect_reschedule_count, 1)
        self.assertEqual(self._agenda(domain=[("activity_id", "=", activity.id)]).date, new_day)
        note = self.customer.message_ids[0]
        self.assertIn("Gọi chốt đơn", note.body)
        self.assertIn("rescheduled", note.body)
        # dropped on a time slot: an action keeps a day, the local one
        slot = self._utc(self._today() + timedelta(days=4), 6, 30)  # 23:30 UTC the day before
        item.with_context(tz=HCMC).write(
            {"allday": False, "date_start": fields.Datetime.to_string(slot),
             "date_stop": fields.Datetime.to_string(slot + timedelta(hours=1))}
        )  # fmt: skip
        self.assertEqual(activity.date_deadline, self._today() + timedelta(days=4))
        self.assertEqual(activity.effect_reschedule_count, 2)

    def test_drag_a_meeting_moves_it(self):
        start = self._utc(self._today() + timedelta(days=1), 9, 0)
        meeting = self._meeting(start)
        item = self._agenda(domain=[("event_id", "=", meeting.id)])
        new_start = start + timedelta(days=1, hours=2)
        item.write(
            {"date_start": fields.Datetime.to_string(new_start),
             "date_stop": fields.Datetime.to_string(new_start + timedelta(hours=1))}
        )  # fmt: skip
        self.assertEqual(meeting.start, new_start)
        self.assertEqual(meeting.stop, new_start + timedelta(hours=1))

    def test_postpone_with_a_reason(self):
        activity = self._activity(self._today(), summary="Gửi báo giá")
        meeting = self._meeting(self._utc(self._today() + timedelta(days=1), 14, 0))
        items = self._agenda(
            domain=["|", ("activity_id", "=", activity.id), ("event_id", "=", meeting.id)]
        )
        self.assertEqual(len(items), 2)
        action = items.action_effect_postpone()
        wizard = Form(
            self.env["effect.crm.agenda.postpone"]
            .with_user(self.user_salesman)
            .with_context(**action["context"])
        )
        self.assertEqual(wizard.date, self._today() + timedelta(days=2), "after the latest item")
        new_day = self._today() + timedelta(days=7)
        wizard.date = new_day
        wizard.reason = "Giám đốc đi công tác"
        wizard.save().action_postpone()
        self.assertEqual(activity.date_deadline, new_day)
        self.assertEqual(meeting.start, self._utc(new_day, 14, 0), "same local time, new day")
        note = self.customer.message_ids[0]
        self.assertIn("Giám đốc đi công tác", note.body)
        self.assertIn("Giám đốc đi công tác", meeting.message_ids[0].body)

    def test_the_agenda_only_moves_items(self):
        item = self._agenda(domain=[("activity_id", "=", self._activity(self._today()).id)])
        with self.assertRaisesRegex(UserError, "only moves"):
            item.write({"summary": "Đổi tên"})

    # ------------------------------------------------------------------
    # Counts and access
    # ------------------------------------------------------------------

    def test_counts_of_overdue_and_today(self):
        Agenda = self.Agenda.with_user(self.user_salesman)
        before = Agenda.effect_agenda_counts()
        self._activity(self._today() - timedelta(days=2))
        self._activity(self._today() - timedelta(days=1))
        self._activity(self._today())
        self._activity(self._today() + timedelta(days=1))
        self._activity(self._today(), user=self.user_salesman_2)
        self._meeting(self._utc(self._today(), 23, 0))
        after = Agenda.effect_agenda_counts()
        self.assertEqual(after["overdue"] - before["overdue"], 2)
        self.assertEqual(after["today"] - before["today"], 2)

    def test_salespeople_see_their_own_agenda_and_managers_the_team(self):
        mine = self._activity(self._today())
        theirs = self._activity(self._today(), user=self.user_salesman_2)
        seen = self._agenda(domain=[("activity_id", "in", (mine | theirs).ids)])
        self.assertEqual(seen.activity_id, mine)
        seen = self._agenda(self.user_salesman_all, [("activity_id", "in", (mine | theirs).ids)])
        self.assertFalse(seen, "an agenda is personal, also with all documents")
        seen = self._agenda(self.user_sales_manager, [("activity_id", "in", (mine | theirs).ids)])
        self.assertEqual(seen.activity_id, mine | theirs)
        item = self.Agenda.search([("activity_id", "=", theirs.id)])
        with self.assertRaises(AccessError):
            item.with_user(self.user_salesman).write({"date": fields.Date.to_string(self._today())})
        with self.assertRaises(AccessError):
            self.Agenda.with_user(self.user_employee).search([])

    def test_a_team_leader_sees_the_team_agenda(self):
        team = self.env["crm.team"].create(
            {
                "name": "Nhóm miền Bắc",
                "user_id": self.user_sales_manager.id,
                "member_ids": [fields.Command.set((self.user_salesman | self.user_salesman_2).ids)],
            }
        )
        mine = self._activity(self._today())
        theirs = self._activity(self._today(), user=self.user_salesman_2)
        outsider = self._activity(self._today(), user=self.user_salesman_all)
        # the search view's "My Team" filter, as the team leader uses it
        my_team = [
            "|",
            ("team_id.user_id", "=", self.user_sales_manager.id),
            ("team_id.member_ids", "in", [self.user_sales_manager.id]),
        ]
        seen = self._agenda(self.user_sales_manager, my_team)
        self.assertIn(mine, seen.activity_id)
        self.assertIn(theirs, seen.activity_id)
        self.assertNotIn(outsider, seen.activity_id)
        self.assertEqual(set(seen.team_id.ids), {team.id})

    def test_private_meetings_of_others_stay_private(self):
        meeting = self._meeting(
            self._utc(self._today(), 15, 0),
            attendees=self.user_salesman_2.partner_id,
            privacy="private",
            name="Khám bệnh",
            user_id=self.user_salesman_2.id,
        )
        item = self._agenda(self.user_sales_manager, [("event_id", "=", meeting.id)])
        self.assertEqual(len(item), 1)
        self.assertNotIn("Khám bệnh", item.display_name)
        self.env.invalidate_all()  # one transaction plays two users: forget the first's view
        own = self._agenda(self.user_salesman_2, [("event_id", "=", meeting.id)])
        self.assertEqual(own.display_name, "Khám bệnh")
