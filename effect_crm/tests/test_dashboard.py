"""The sales manager's dashboard: who may open it, and what its four graphs count.

Frozen at 18:30 UTC on Wednesday 18 March 2026: Thursday 19 March, 01:30 in Vietnam.
The users' week started on Monday 16 March at 00:00 in Vietnam (17:00 UTC on Sunday),
their quarter on 1 January.
"""

import ast
from datetime import date, datetime, timedelta

from lxml import etree

from odoo.tests import freeze_time, tagged

from .common import EVENING_IN_UTC
from .contract_common import EffectCrmSalesCommon

ACTIONS = ("interaction", "overdue", "quotation", "contract")


@freeze_time(EVENING_IN_UTC)
@tagged("post_install", "-at_install")
class TestSalesDashboard(EffectCrmSalesCommon):
    def _action(self, name):
        return self.env.ref(f"effect_crm.effect_crm_dashboard_{name}_action")

    def _counts(self, name, user, groupby):
        """What the dashboard's graph ``name`` shows to ``user``: count per group."""
        action = self._action(name)
        model = self.env[action.res_model].with_user(user)
        domain = ast.literal_eval(action.domain)
        return dict(model._read_group(domain, [groupby], ["__count"]))

    def _interaction(self, user, partner, moment):
        return self.env["effect.crm.interaction"].create(
            {
                "name": "Gọi điện",
                "partner_id": partner.id,
                "user_id": user.id,
                "type_id": self.env.ref("effect_crm.interaction_type_call").id,
                "date": moment,
            }
        )

    def test_menu_for_sales_managers_only(self):
        menu = self.env.ref("effect_crm.menu_effect_crm_dashboard")
        Menu = self.env["ir.ui.menu"]
        self.assertIn(menu.id, Menu.with_user(self.user_sales_manager)._visible_menu_ids())
        for user in (self.user_salesman, self.user_salesman_all, self.user_director):
            self.assertNotIn(menu.id, Menu.with_user(user)._visible_menu_ids(), user.login)
        board = self.env.ref("effect_crm.effect_crm_dashboard_view")
        arch = (
            self.env["board.board"]
            .with_user(self.user_sales_manager)
            .get_views([(board.id, "form")])["views"]["form"]["arch"]
        )
        # the board applies the domain written on its action nodes: the actions' own
        nodes = {int(node.get("name")): node for node in etree.fromstring(arch).iter("action")}
        for name in ACTIONS:
            action = self._action(name)
            self.assertEqual(
                ast.literal_eval(nodes[action.id].get("domain")), ast.literal_eval(action.domain)
            )

    def test_interactions_this_week_in_the_users_time_zone(self):
        monday_start = datetime(2026, 3, 15, 17, 0)  # Monday 00:00 in Vietnam
        self._interaction(self.user_salesman, self.customer, monday_start + timedelta(minutes=30))
        self._interaction(self.user_salesman, self.customer, monday_start - timedelta(minutes=30))
        self._interaction(self.user_salesman_2, self.customer_2, monday_start + timedelta(days=3))
        # next Monday in Vietnam is next week
        self._interaction(self.user_salesman_2, self.customer_2, monday_start + timedelta(days=7))
        manager = self._counts("interaction", self.user_sales_manager, "user_id")
        self.assertEqual(manager.get(self.user_salesman), 1)
        self.assertEqual(manager.get(self.user_salesman_2), 1)
        # a salesperson sees only the interactions of the customers they work
        own = self._counts("interaction", self.user_salesman, "user_id")
        self.assertEqual(own.get(self.user_salesman), 1)
        self.assertNotIn(self.user_salesman_2, own)

    def test_overdue_next_actions_per_salesperson(self):
        today = self._user_today()
        call = self.env.ref("mail.mail_activity_data_call")
        for partner, deadline in (
            (self.customer, today - timedelta(days=1)),
            (self.customer, today),
            (self.customer_2, today - timedelta(days=5)),
        ):
            partner.activity_schedule(
                activity_type_id=call.id, date_deadline=deadline, user_id=partner.user_id.id
            )
        manager = self._counts("overdue", self.user_sales_manager, "user_id")
        self.assertEqual(manager.get(self.user_salesman), 1)
        self.assertEqual(manager.get(self.user_salesman_2), 1)
        own = self._counts("overdue", self.user_salesman, "user_id")
        self.assertEqual(set(own), {self.user_salesman})

    def test_quotation_pipeline_by_customer_status(self):
        sent = self._quotation()
        sent.action_effect_mark_sent()
        self._quotation()  # not sent
        self._quotation(user=self.user_salesman_2, partner=self.customer_2)
        # a replaced revision is not counted twice
        revised = self._quotation()
        revised.action_effect_mark_sent()
        revised.action_effect_new_revision()
        manager = self._counts("quotation", self.user_sales_manager, "effect_customer_status")
        own = self._counts("quotation", self.user_salesman, "effect_customer_status")
        mine = self.env["sale.order"].search(
            [("user_id", "=", self.user_salesman.id), ("effect_is_current_revision", "=", True)]
        )
        self.assertEqual(sum(own.values()), len(mine))
        self.assertEqual(own.get("sent"), 1)
        self.assertGreaterEqual(sum(manager.values()), sum(own.values()) + 1)

    def test_contracts_signed_this_quarter(self):
        for day in (date(2026, 1, 1), date(2025, 12, 31), date(2026, 3, 19)):
            self._contract(date_signed=day).action_sign()
        self._contract(
            user=self.user_salesman_2, partner_id=self.customer_2.id, date_signed=date(2026, 2, 1)
        ).action_sign()
        self._contract()  # a draft
        manager = self._counts("contract", self.user_sales_manager, "user_id")
        self.assertEqual(manager.get(self.user_salesman), 2)
        own = self._counts("contract", self.user_salesman, "user_id")
        self.assertEqual(own, {self.user_salesman: 2})
