"""Statistics on customers and interactions: the follow-up report and its filters."""

from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import freeze_time, tagged

from ..tools.clock import local_date
from .common import EVENING_IN_UTC
from .test_interactions import EffectCrmInteractionCommon


@freeze_time(EVENING_IN_UTC)
@tagged("post_install", "-at_install")
class TestCustomerFollowUp(EffectCrmInteractionCommon):
    def _report(self, user=None, domain=()):
        Report = self.env["effect.crm.customer.report"].with_user(user or self.user_salesman)
        return Report.search([("partner_id", "in", (self.customer | self.customer_2).ids), *domain])

    def test_days_since_last_contact_and_recency(self):
        self._log(date=fields.Datetime.now() - timedelta(days=40))
        self._log(date=fields.Datetime.now() - timedelta(days=45))
        rows = {row.partner_id: row for row in self._report(self.user_salesman_all)}
        self.assertEqual(rows[self.customer].days_since_contact, 40)
        self.assertEqual(rows[self.customer].recency, "quarter")
        self.assertEqual(rows[self.customer].interaction_count, 2)
        self.assertFalse(rows[self.customer].has_next_action)
        self.assertEqual(rows[self.customer_2].recency, "never")
        self.assertEqual(rows[self.customer_2].interaction_count, 0)
        # an own-documents salesperson sees the figures of their customers only
        self.assertEqual(self._report().partner_id, self.customer)

    def test_default_filters(self):
        self._log(
            partner_id=self.customer_2.id,
            user=self.user_salesman_2,
            next_activity_type_id=self.activity_call.id,
            next_date=self._today() + timedelta(days=3),
        )
        not_contacted = self._report(domain=[("recency", "in", ("quarter", "older", "never"))])
        self.assertEqual(not_contacted.partner_id, self.customer)
        without_next = self._report(domain=[("has_next_action", "=", False)])
        self.assertEqual(without_next.partner_id, self.customer)
        # the customers list filter "my prospects not contacted for 30 days"
        action = self.env.ref("effect_crm.action_effect_crm_prospects_follow_up")
        self.assertIn("search_default_not_contacted_30", action.context)
        self.assertIn("search_default_my_customers", action.context)

    def test_statistics_group_by_classification(self):
        self._log(outcome_id=self.outcome_interested.id)
        self._log(outcome_id=self.outcome_interested.id, type_id=self.type_visit.id)
        self._log(user=self.user_salesman_2, partner_id=self.customer_2.id)
        Interaction = self.env["effect.crm.interaction"].with_user(self.user_sales_manager)
        domain = [("partner_id", "in", (self.customer | self.customer_2).ids)]
        by_province = dict(Interaction._read_group(domain, ["partner_state_id"], ["__count"]))
        self.assertEqual(by_province, {self.hanoi: 2, self.hcmc: 1})
        by_stage_and_type = Interaction._read_group(
            domain, ["partner_stage", "type_id"], ["__count"]
        )
        self.assertIn(("prospect", self.type_call, 1), by_stage_and_type)
        self.assertIn(("customer", self.type_call, 1), by_stage_and_type)
        by_outcome = dict(Interaction._read_group(domain, ["outcome_kind"], ["__count"]))
        self.assertEqual(by_outcome["positive"], 2)
        by_month = Interaction._read_group(domain, ["date:month", "user_id"], ["__count"])
        self.assertEqual(sum(count for _month, _user, count in by_month), 3)
        # on customers: interactions by size, through the stored count
        Report = self.env["effect.crm.customer.report"].with_user(self.user_sales_manager)
        by_size = dict(
            Report._read_group(
                [("partner_id", "in", (self.customer | self.customer_2).ids)],
                ["size_id"],
                ["interaction_count:sum"],
            )
        )
        self.assertEqual(by_size[self.size_small], 2)
        # stage changes flow into the statistics of past interactions
        self.customer.effect_stage = "customer"
        by_stage = dict(Interaction._read_group(domain, ["partner_stage"], ["__count"]))
        self.assertEqual(by_stage, {"customer": 3})

    def test_interaction_pivot_gives_odoos_grouping_sets(self):
        """The pivot's grouping sets, rolled up from one grouping, are Odoo's to the letter."""
        now = fields.Datetime.now()
        for days, user, type_, duration in [
            (0, self.user_salesman, self.type_call, 0.25),
            (3, self.user_salesman, self.type_visit, 1.5),
            (40, self.user_salesman, self.type_call, 0.5),
            (70, self.user_salesman_2, self.type_meeting, 1.0),
            (400, self.user_salesman_2, self.type_call, None),
        ]:
            partner = self.customer if user == self.user_salesman else self.customer_2
            values = {"date": now - timedelta(days=days), "partner_id": partner.id}
            if type_:
                values["type_id"] = type_.id
            if duration is not None:
                values["duration"] = duration
            self._log(user=user, **values)
        Interaction = self.env["effect.crm.interaction"].with_user(self.user_sales_manager)
        Interaction = Interaction.with_context(tz="Asia/Ho_Chi_Minh")
        domain = [("partner_id", "in", (self.customer | self.customer_2).ids)]
        sets = [[], ["user_id"], ["user_id", "type_id"], ["date:month"], ["user_id", "date:month"]]
        for aggregates, order in [
            (["__count"], None),
            # an order names every groupby: PostgreSQL leaves ties in any order
            (["__count", "duration:max"], "user_id desc, type_id, date:month desc"),
            (["duration:sum"], "date:month, type_id desc, user_id"),
        ]:
            rolled_up = Interaction.formatted_read_grouping_sets(
                domain, sets, aggregates, order=order
            )
            with patch.object(type(Interaction), "_effect_rollup_plan", return_value=None):
                odoo = Interaction.formatted_read_grouping_sets(
                    domain, sets, aggregates, order=order
                )
            self.assertEqual(rolled_up, odoo)
        self.assertEqual(rolled_up[0][0]["duration:sum"], 3.25)
        # the months of the interactions, in the time zone of the request (Vietnam)
        months = {
            local_date(now - timedelta(days=days), "Asia/Ho_Chi_Minh").replace(day=1)
            for days in (0, 3, 40, 70, 400)
        }
        self.assertEqual(len(rolled_up[3]), len(months))  # four or five months
        # other shapes (averages, one grouping) keep Odoo's query
        self.assertIsNone(Interaction._effect_rollup_plan(sets, ["duration:avg"], None))
        self.assertIsNone(Interaction._effect_rollup_plan(sets, ["__count"], "__count desc"))
        self.assertIsNone(Interaction._effect_rollup_plan([["direction"], []], ["__count"], None))
