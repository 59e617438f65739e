from datetime import timedelta

from odoo.tests import HttpCase, tagged

from .contract_common import EffectCrmSalesCommon


@tagged("post_install", "-at_install")
class TestDashboardUi(HttpCase, EffectCrmSalesCommon):
    def test_sales_manager_opens_the_dashboard(self):
        """The sales manager's morning: the four graphs of the team's week and quarter."""
        today = self._user_today(self.user_sales_manager)
        self.env["effect.crm.interaction"].create(
            {
                "name": "Gọi điện tuần này",
                "partner_id": self.customer.id,
                "user_id": self.user_salesman.id,
                "type_id": self.env.ref("effect_crm.interaction_type_call").id,
            }
        )
        self.customer.activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=today - timedelta(days=2),
            user_id=self.user_salesman.id,
        )
        self._quotation().action_effect_mark_sent()
        self._contract(date_signed=today).action_sign()
        self.start_tour("/odoo", "effect_crm_dashboard_tour", login=self.user_sales_manager.login)
