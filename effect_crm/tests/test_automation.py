"""The example automation rules: shipped inactive, they fire once activated, act with the
rights of the user who triggered them, and cannot reach a customer that user does not work.

Odoo runs an automation rule's actions as superuser (base.automation._process runs
``self.sudo().action_server_ids``); EFFECT CRM's rules call ``with_user()`` first.
"""

from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged

from .common import EVENING_IN_UTC
from .contract_common import EffectCrmSalesCommon

RULES = ("contact_again", "refused_follow_up", "welcome_letter")


@freeze_time(EVENING_IN_UTC)
@tagged("post_install", "-at_install")
class TestAutomationRules(EffectCrmSalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.call = cls.env.ref("mail.mail_activity_data_call")

    def _rule(self, name):
        return self.env.ref(f"effect_crm.automation_{name}").with_context(active_test=False)

    def _calls(self, partner):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("activity_type_id", "=", self.call.id),
            ]
        )

    def _refused_quotation(self, user):
        order = self._quotation(user=user)
        order.action_effect_mark_sent()
        return order

    def test_rules_ship_inactive_and_do_nothing_until_activated(self):
        for name in RULES:
            self.assertFalse(self._rule(name).active, name)
        order = self._refused_quotation(self.user_salesman)
        order.action_effect_mark_refused()
        self.customer.with_user(self.user_salesman).write({"effect_stage": "customer"})
        self.assertFalse(self._calls(self.customer))
        self.assertFalse(
            self.customer.effect_interaction_ids.filtered(
                lambda i: i.type_id == self.env.ref("effect_crm.interaction_type_letter")
            )
        )

    def test_refused_quotation_plans_a_call_in_30_days_as_the_salesperson(self):
        self._rule("refused_follow_up").active = True
        order = self._refused_quotation(self.user_salesman)
        order.action_effect_mark_refused()
        call = self._calls(self.customer)
        self.assertEqual(len(call), 1)
        self.assertEqual(call.date_deadline, self._user_today(self.user_salesman) + timedelta(30))
        self.assertEqual(call.user_id, self.user_salesman)
        self.assertIn(order.name, call.summary)
        # made by the salesperson, not by the superuser
        self.assertEqual(call.create_uid, self.user_salesman)

    def test_portal_refusal_acts_as_the_quotation_salesperson(self):
        self._rule("refused_follow_up").active = True
        order = self._refused_quotation(self.user_salesman)
        # the portal controller works on the quotation as superuser, for a portal user
        order.with_user(self.user_portal).sudo()._effect_set_customer_status("refused")
        call = self._calls(self.customer)
        self.assertEqual(len(call), 1)
        self.assertEqual(call.create_uid, self.user_salesman)

    def test_a_rule_cannot_reach_a_customer_the_user_does_not_work(self):
        # an administrator's rule in the documented pattern, that also plans a call on
        # a customer of another salesperson
        rule = self._rule("refused_follow_up")
        rule.active = True
        rule.action_server_ids.code = (
            "for order in records:\n"
            "    actor = user._effect_automation_user(order.user_id)\n"
            f"    env['res.partner'].browse({self.customer_2.id}).with_user(actor)"
            "._effect_plan_call('Gọi lại')\n"
        )
        order = self._refused_quotation(self.user_salesman)
        with self.assertRaises(AccessError), self.cr.savepoint():
            order.action_effect_mark_refused()
        self.env.invalidate_all()
        self.assertEqual(order.effect_customer_status, "sent")
        self.assertFalse(self._calls(self.customer_2))
        # a sales manager works every customer: the same rule does it for them
        order_manager = self._refused_quotation(self.user_sales_manager)
        order_manager.action_effect_mark_refused()
        self.assertEqual(self._calls(self.customer_2).create_uid, self.user_sales_manager)

    def test_won_customer_gets_a_welcome_letter_from_its_salesperson(self):
        self._rule("welcome_letter").active = True
        letter = self.env.ref("effect_crm.interaction_type_letter")
        self.customer.with_user(self.user_salesman).write({"effect_stage": "customer"})
        welcome = self.customer.effect_interaction_ids.filtered(lambda i: i.type_id == letter)
        self.assertEqual(len(welcome), 1)
        self.assertEqual(welcome.user_id, self.user_salesman)
        self.assertEqual(welcome.create_uid, self.user_salesman)
        self.assertEqual(welcome.direction, "outgoing")
        # a customer already won does not get a second one
        self.customer.with_user(self.user_salesman).write({"comment": "VIP"})
        self.assertEqual(len(self.customer.effect_interaction_ids.filtered(
            lambda i: i.type_id == letter)), 1)  # fmt: skip

    def test_customer_not_contacted_for_60_days_gets_a_call_today(self):
        rule = self._rule("contact_again")
        rule.active = True
        Interaction = self.env["effect.crm.interaction"]
        now = self.env["effect.crm.clock"]._effect_now()
        for partner, days in ((self.customer, 61), (self.customer_2, 10)):
            Interaction.create(
                {
                    "name": "Gọi điện",
                    "partner_id": partner.id,
                    "user_id": partner.user_id.id,
                    "type_id": self.env.ref("effect_crm.interaction_type_call").id,
                    "date": now - timedelta(days=days),
                }
            )
        # what the scheduler does (base.automation._cron_process_time_based_actions)
        due = rule._search_time_based_automation_records(until=now)
        self.assertIn(self.customer, due)
        self.assertNotIn(self.customer_2, due)
        rule._process(self.customer)
        call = self._calls(self.customer)
        self.assertEqual(len(call), 1)
        self.assertEqual(call.user_id, self.user_salesman)
        self.assertEqual(call.date_deadline, self._user_today())
        # with its next action planned, the customer is no longer due
        self.assertNotIn(self.customer, rule._search_time_based_automation_records(until=now))
