"""The issue's "done when" flow in the web client, as a salesperson."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo.tests import HttpCase, tagged

from .test_interactions import EffectCrmInteractionCommon


@tagged("post_install", "-at_install")
class TestInteractionTour(HttpCase, EffectCrmInteractionCommon):
    def test_log_plan_a_year_ahead_do_it_from_the_agenda(self):
        prospect = self.env["res.partner"].create(
            {
                "name": "Công ty TNHH Khách Hàng Tour",
                "is_company": True,
                "effect_stage": "prospect",
                "user_id": self.user_salesman.id,
            }
        )
        self.start_tour(
            "/odoo/effect-customers", "effect_crm_interaction_loop", login="effect_salesman"
        )

        call, visit_done = prospect.effect_interaction_ids.sorted("id")
        self.assertEqual(call.type_id, self.type_call)
        self.assertEqual(call.outcome_id, self.outcome_interested)
        visit = call.next_activity_id
        self.assertEqual(visit.activity_type_id, self.activity_visit)
        # "a year from now" in the browser: the same day next year, give or take the
        # time zones of the browser and of the salesperson
        in_a_year = self._today() + relativedelta(years=1)
        self.assertLessEqual(abs(visit.date_deadline - in_a_year), timedelta(days=1))
        # done from the agenda: the visit interaction did the planned visit
        self.assertEqual(visit_done.type_id, self.type_visit)
        self.assertEqual(visit_done.done_activity_id, visit)
        self.assertEqual(visit_done.previous_interaction_id, call)
        self.assertFalse(visit.active)
        self.assertEqual(visit_done.outcome_id, self.outcome_quote)
        # and planned the next one when asked
        quote = visit_done.next_activity_id
        self.assertTrue(quote.active)
        self.assertEqual(quote.activity_type_id, self.activity_quote)
        self.assertEqual(prospect.effect_next_action_date, quote.date_deadline)
