from odoo.tests import HttpCase, tagged

from odoo.addons.effect_crm.tests.contract_common import b64
from odoo.addons.effect_crm.tests.test_word_templates import contract_template

from .common import EffectCrmAccountingCommon


@tagged("post_install", "-at_install")
class TestUi(HttpCase, EffectCrmAccountingCommon):
    def test_receivables_and_handoff_tour(self):
        """A salesperson reads an overdue customer's aging, then wins a prospect."""
        Partner = self.env["res.partner"]
        debtor = Partner.create(
            {
                "name": "Tour Khách Nợ",
                "is_company": True,
                "effect_stage": "customer",
                "user_id": self.user_salesman.id,
            }
        )
        self.invoice(debtor, 1234.0, self.days(-40))
        prospect = Partner.create(
            {
                "name": "Tour Khách Tiềm Năng",
                "is_company": True,
                "effect_stage": "prospect",
                "user_id": self.user_salesman.id,
                "city": "Hà Nội",
                "country_id": self.vn.id,
            }
        )
        self.start_tour("/odoo", "effect_crm_accounting_tour", login=self.user_salesman.login)

        self.assertEqual(prospect.effect_stage, "customer")
        handoff = self.env["effect.crm.handoff"].search([("partner_id", "=", prospect.id)])
        self.assertEqual(handoff.state, "incomplete")
        self.assertEqual(handoff.note, "Thanh toán 30 ngày")
        self.assertEqual(handoff.author_id, self.user_salesman)
        self.assertIn("Payment terms", handoff.activity_id.note)

    def test_accountant_reads_the_signed_terms_tour(self):
        """The issue's "done when": an accountant reads the signed terms on the contract
        form (the contract made from a Word template, its version signed)."""
        template = self.env["effect.crm.template"].create(
            {"name": "Hợp đồng mua bán", "file": b64(contract_template()), "file_name": "hd.docx"}
        )
        contract = self.env["effect.crm.contract"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.user_salesman.id,
                "title": "Hợp đồng cung cấp thép",
            }
        )
        contract._effect_version_from_template(template).action_mark_final()
        self.start_tour(
            f"/odoo/effect-contracts/{contract.id}",
            "effect_crm_accounting_signed_terms_tour",
            login=self.user_accountant.login,
        )
        self.assertIn("Điều 5. Bảo hành 12 tháng.", contract.signed_text)

    def test_accountant_completes_a_handoff_tour(self):
        """The accountant completes a won customer's payment terms, then reads who owes."""
        customer = self.env["res.partner"].create(
            {
                "name": "Tour Khách Mới",
                "is_company": True,
                "vat": "3100000016",
                "effect_stage": "prospect",
                "user_id": self.user_salesman.id,
                "street": "Số 5 Lý Thái Tổ",
                "city": "Hà Nội",
                "country_id": self.vn.id,
            }
        )
        customer.with_user(self.user_salesman).write({"effect_stage": "customer"})
        handoff = self.env["effect.crm.handoff"].search([("partner_id", "=", customer.id)])
        self.assertEqual(handoff.missing_summary, "Payment terms")
        debtor = self.env["res.partner"].create(
            {
                "name": "Tour Khách Nợ Kế Toán",
                "is_company": True,
                "effect_stage": "customer",
                "user_id": self.user_salesman.id,
            }
        )
        self.invoice(debtor, 1234.0, self.days(-40))
        self.start_tour(
            "/odoo", "effect_crm_accounting_handoff_tour", login=self.user_accountant.login
        )
        self.assertEqual(handoff.state, "complete")
        self.assertEqual(customer.property_payment_term_id, self.payment_term_30)
