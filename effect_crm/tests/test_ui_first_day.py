"""A Vietnamese salesperson's first day in the web client (issue 14), at 1440 px."""

from datetime import timedelta

from odoo.tests import HttpCase, tagged

from .contract_common import EffectCrmSalesCommon


@tagged("post_install", "-at_install")
class TestFirstDayUi(HttpCase, EffectCrmSalesCommon):
    browser_size = "1440x900"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.env["ir.module.module"]._load_module_terms(["effect_crm"], ["vi_VN"])
        cls.user_salesman.write({"lang": "vi_VN", "tz": "Asia/Ho_Chi_Minh"})

    def test_salesperson_lands_in_the_agenda_whose_five_columns_fit(self):
        agenda = self.env.ref("effect_crm.effect_crm_agenda_action")
        self.assertEqual(self.user_salesman.action_id.id, agenda.id)
        # the agenda's clock: today in the salesperson's time zone, as PostgreSQL sees it
        self.env.cr.execute("SELECT (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date")
        today = self.env.cr.fetchone()[0]
        for days in (-2, 0, 1, 365):
            self.env["mail.activity"].create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                    "res_id": self.customer.id,
                    "activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
                    "summary": f"Gọi lại sau {days} ngày",
                    "date_deadline": today + timedelta(days=days),
                    "user_id": self.user_salesman.id,
                }
            )
        self.start_tour("/odoo", "effect_crm_first_day_agenda", login=self.user_salesman.login)

    def test_customer_list_and_form_of_a_salesperson(self):
        # a row as full as the demo's: every column has something to show
        self.env["res.partner"].create(
            {
                "name": "Tour Tiềm Năng – Công ty Cổ phần Thương mại và Dịch vụ Kỹ thuật",
                "is_company": True,
                "effect_stage": "prospect",
                "user_id": self.user_salesman.id,
                "vat": "0100109106-001",
                "phone": "+84 24 3825 1234",
                "country_id": self.vn.id,
                "state_id": self.hanoi.id,
                "effect_business_type_id": self.business_type_jsc.id,
                "effect_size_id": self.size_small.id,
                "industry_id": self.env["res.partner.industry"].search([], limit=1).id,
            }
        )
        self.start_tour(
            "/odoo/effect-customers",
            "effect_crm_first_day_customers",
            login=self.user_salesman.login,
        )

    def test_contract_numbers_are_not_cut(self):
        self._contract(title="Tour hợp đồng")
        self.start_tour(
            "/odoo/effect-contracts",
            "effect_crm_first_day_contracts",
            login=self.user_salesman.login,
        )

    def test_replaced_revision(self):
        r1 = self._quotation()
        r1.action_quotation_sent()
        r1.action_effect_new_revision()
        self.start_tour(
            f"/odoo/action-sale.action_quotations_with_onboarding/{r1.id}",
            "effect_crm_first_day_replaced_revision",
            login=self.user_salesman.login,
        )
