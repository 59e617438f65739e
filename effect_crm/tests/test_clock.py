"""The user's today at the edges of the day: every date rule answers with the day of
the salesperson in Hồ Chí Minh City (UTC+7), whatever the day in UTC.

Between 17:00 and 24:00 UTC it is already tomorrow in Vietnam. Each test runs its
computation under a frozen clock at:

- 16:59 UTC, 23:59 in Vietnam: the same day in both;
- 17:01 UTC, 00:01 in Vietnam: Vietnam is a day ahead (and a week ahead: Sunday
  15 March 2026 in UTC, Monday 16 March in Vietnam);
- 23:59 UTC, 06:59 in Vietnam: still a day ahead;
- 00:01 UTC, 07:01 in Vietnam, and 03:00 UTC (a morning in UTC): the same day again.
"""

from datetime import date, datetime, time, timedelta

from odoo import SUPERUSER_ID
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tests.common import freeze_time

from ..tools.agenda import day_bucket
from ..tools.clock import HOME_TZ, local_today, tz_name
from .contract_common import EffectCrmSalesCommon

# (the frozen UTC clock, the day in Hồ Chí Minh City then)
INSTANTS = [
    ("2026-03-15 16:59:00", date(2026, 3, 15)),  # 23:59 on Sunday in Vietnam
    ("2026-03-15 17:01:00", date(2026, 3, 16)),  # 00:01 on Monday in Vietnam
    ("2026-03-15 23:59:00", date(2026, 3, 16)),  # 06:59 in Vietnam
    ("2026-03-16 00:01:00", date(2026, 3, 16)),  # 07:01 in Vietnam
    ("2026-03-16 03:00:00", date(2026, 3, 16)),  # a morning in UTC
]


def at_each_instant(test):
    """Run ``test(self, today)`` under each frozen clock, ``today`` the day in Vietnam."""

    def run(self):
        for instant, today in INSTANTS:
            with self.subTest(utc=instant), freeze_time(instant):
                self.env.invalidate_all()
                test(self, today)

    run.__name__ = test.__name__
    run.__doc__ = test.__doc__
    return run


@tagged("post_install", "-at_install")
class TestClock(EffectCrmSalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clock = cls.env["effect.crm.clock"]
        # the company has no time zone: users without one, and scheduled actions, get
        # Vietnam's today
        cls.company.partner_id.tz = False
        cls.activity_call = cls.env.ref("mail.mail_activity_data_call")

    def _cron_env(self):
        """The environment of a scheduled action: a technical user and its context,
        whose time zone (Brussels in Odoo's demo data) is not the company's."""
        return self.env(user=SUPERUSER_ID, context={"tz": "Europe/Brussels"})

    # ------------------------------------------------------------------
    # The helper
    # ------------------------------------------------------------------

    def test_tools_today_of_a_time_zone(self):
        for instant, today in INSTANTS:
            now = datetime.fromisoformat(instant)
            with self.subTest(utc=instant):
                self.assertEqual(local_today(HOME_TZ, now), today)
                self.assertEqual(local_today("UTC", now), now.date())
        self.assertEqual(tz_name(False, "", "Not/AZone", "Europe/Paris"), "Europe/Paris")
        self.assertEqual(tz_name(None, ""), HOME_TZ)

    @at_each_instant
    def test_users_today(self, today):
        """The request's time zone first, then the user's, then the company's, then
        Vietnam's."""
        salesman = self.clock.with_user(self.user_salesman)
        self.assertEqual(salesman._effect_today(), today)
        self.assertEqual(salesman.with_context(tz=False)._effect_today(), today)
        self.user_salesman_2.tz = "America/Los_Angeles"
        la_today = local_today("America/Los_Angeles", datetime.now())
        self.assertEqual(self.clock._effect_today(self.user_salesman_2), la_today)
        self.assertEqual(self.clock.with_context(tz="UTC")._effect_today(), datetime.now().date())
        self.user_salesman_2.tz = False
        self.assertEqual(self.clock._effect_today(self.user_salesman_2), today)
        # a scheduled action works on the company's today, not its technical user's
        cron_clock = self._cron_env()["effect.crm.clock"]
        cron_clock = cron_clock.with_context(tz=cron_clock._effect_company_tz())
        self.assertEqual(cron_clock._effect_today(), today)

    # ------------------------------------------------------------------
    # Promotions
    # ------------------------------------------------------------------

    @at_each_instant
    def test_promotion_validity(self, today):
        Promotion = self.env["effect.crm.promotion"].with_user(self.user_sales_manager)
        values = {"discount_type": "percentage", "discount_percentage": 5}
        ended = Promotion.create(
            {**values, "name": "Hết hạn hôm qua", "date_end": today - timedelta(days=1)}
        )
        last_day = Promotion.create({**values, "name": "Hết hạn hôm nay", "date_end": today})
        first_day = Promotion.create({**values, "name": "Bắt đầu hôm nay", "date_start": today})
        upcoming = Promotion.create(
            {**values, "name": "Bắt đầu ngày mai", "date_start": today + timedelta(days=1)}
        )
        promotions = (ended | last_day | first_day | upcoming).with_user(self.user_salesman)
        self.assertEqual(
            promotions.mapped("validity_state"), ["expired", "running", "running", "upcoming"]
        )
        running = promotions.search(
            [("id", "in", promotions.ids), ("validity_state", "=", "running")]
        )
        self.assertEqual(running, last_day | first_day)
        order = self._quotation()
        with self.assertRaisesRegex(UserError, f"ended on {today - timedelta(days=1)}"):
            ended.with_user(self.user_salesman)._effect_check_applicable(order)
        with self.assertRaisesRegex(UserError, "cannot be applied yet"):
            upcoming.with_user(self.user_salesman)._effect_check_applicable(order)
        last_day.with_user(self.user_salesman)._effect_check_applicable(order)

    # ------------------------------------------------------------------
    # Contracts and quotations
    # ------------------------------------------------------------------

    @at_each_instant
    def test_contract_state_dates(self, today):
        contract = self._contract(amount=1000)
        contract.action_send()
        contract.action_sign()
        contract.action_activate()
        self.assertEqual(
            (
                contract.date_sent,
                contract.date_signed,
                contract.date_activated,
                contract.date_start,
            ),
            (today,) * 4,
        )
        contract.action_done()
        self.assertEqual(contract.date_done, today)

    @at_each_instant
    def test_contract_expiry_job(self, today):
        self.company.effect_contract_renewal_days = 0
        ended = self._contract(date_end=today - timedelta(days=1))
        ended.action_sign()
        ending = self._contract(date_end=today)
        ending.action_sign()
        self._cron_env()["effect.crm.contract"]._cron_effect_contract_expiry()
        self.assertEqual((ended.state, ended.date_expired), ("expired", today))
        self.assertEqual(ending.state, "signed", "its last day is today: not expired yet")
        self.assertEqual(ending.activity_ids.date_deadline, today, "renewal due today")

    @at_each_instant
    def test_quotation_expiry_job(self, today):
        late = self._quotation(validity_date=today - timedelta(days=1))
        late.action_quotation_sent()
        last_day = self._quotation(validity_date=today)
        last_day.action_quotation_sent()
        self._cron_env()["sale.order"]._cron_effect_expire_quotations()
        self.assertEqual(late.effect_customer_status, "expired")
        self.assertEqual(last_day.effect_customer_status, "sent", "valid until today included")

    # ------------------------------------------------------------------
    # Agenda and follow-up
    # ------------------------------------------------------------------

    @at_each_instant
    def test_agenda_buckets(self, today):
        activities = self.env["mail.activity"]
        for offset in range(-1, 9):
            activities |= self.env["mail.activity"].create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                    "res_id": self.customer.id,
                    "activity_type_id": self.activity_call.id,
                    "date_deadline": today + timedelta(days=offset),
                    "user_id": self.user_salesman.id,
                }
            )
        Agenda = self.env["effect.crm.agenda"].with_user(self.user_salesman)
        items = Agenda.search([("activity_id", "in", activities.ids)])
        self.assertEqual(len(items), len(activities))
        for item in items:
            self.assertEqual(item.bucket, day_bucket(item.date, today), item.date)
        by_day = {item.date: item.bucket for item in items}
        self.assertEqual(by_day[today - timedelta(days=1)], "overdue")
        self.assertEqual(by_day[today], "today")
        self.assertEqual(by_day[today + timedelta(days=1)], "tomorrow")
        todays = Agenda.search([("activity_id", "in", activities.ids), ("bucket", "=", "today")])
        self.assertEqual(todays.activity_id.date_deadline, today)
        counts = Agenda.effect_agenda_counts()
        self.assertGreaterEqual(counts["today"], 1)
        self.assertGreaterEqual(counts["overdue"], 1)
        mine = Agenda.search([("user_id", "=", self.user_salesman.id)])
        self.assertEqual(counts["today"], len(mine.filtered(lambda i: i.bucket == "today")))
        self.assertEqual(counts["overdue"], len(mine.filtered(lambda i: i.bucket == "overdue")))

    @at_each_instant
    def test_days_since_the_last_contact(self, today):
        """Yesterday at 08:00 in Vietnam was one day ago, on the form and in the report."""
        customer = self.env["res.partner"].create(
            {"name": f"Khách {today}", "is_company": True, "effect_stage": "prospect"}
        )
        customer.user_id = self.user_salesman
        yesterday_8am = datetime.combine(today - timedelta(days=1), time(1, 0))  # 08:00 UTC+7
        self.env["effect.crm.interaction"].with_user(self.user_salesman).create(
            {
                "name": "Gọi điện",
                "partner_id": customer.id,
                "type_id": self.env.ref("effect_crm.interaction_type_call").id,
                "date": yesterday_8am,
            }
        )
        self.env.flush_all()
        self.assertEqual(customer.with_user(self.user_salesman).effect_days_since_contact, 1)
        report = (
            self.env["effect.crm.customer.report"]
            .with_user(self.user_salesman)
            .search([("partner_id", "=", customer.id)])
        )
        self.assertEqual(report.days_since_contact, 1)
