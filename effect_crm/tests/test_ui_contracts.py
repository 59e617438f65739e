from datetime import timedelta

from odoo.tests import HttpCase, tagged

from .contract_common import EffectCrmSalesCommon
from .test_quote_status import signature_png


@tagged("post_install", "-at_install")
class TestContractsUi(HttpCase, EffectCrmSalesCommon):
    def test_quote_revisions_to_signed_contract_to_manager_filter(self):
        """The issue's flow: send, revise twice, compare R1 with R3, customer accepts R3
        on the portal, contract from it, two versions, the second final, and the
        manager's "signed contracts over 5,000 USD this quarter"."""
        self.customer.email = "mua-hang@thu-nghiem.example.vn"
        order = self._quotation(
            lines=[(self.product_plate, 30, 200.0), (self.product_pipe, 20, 50.0)],
            name="EFFTOUR01",
            require_signature=True,
            require_payment=False,
        )
        self.start_tour(
            f"/odoo/action-sale.action_quotations_with_onboarding/{order.id}",
            "effect_crm_quote_revisions_tour",
            login=self.user_salesman.login,
        )
        revisions = order.effect_revision_ids
        self.assertEqual(revisions.mapped("name"), ["EFFTOUR01", "EFFTOUR01-R2", "EFFTOUR01-R3"])
        r1, r2, r3 = revisions
        self.assertEqual(r1.order_line[0].product_uom_qty, 30, "R1 is kept as sent")
        self.assertEqual(r2.order_line[0].product_uom_qty, 32)
        self.assertEqual(r3.order_line[0].product_uom_qty, 35)
        self.assertEqual(revisions.mapped("effect_customer_status"), ["sent"] * 3)
        self._run_revision_pdf_job()
        self.assertTrue(r1.effect_revision_pdf_id and r2.effect_revision_pdf_id)
        self.assertFalse(r3.effect_revision_pdf_id, "the current revision has none")

        # the customer opens R3 and accepts it on the portal
        r3._portal_ensure_token()
        self.authenticate(None, None)
        self.url_open(f"/my/orders/{r3.id}?access_token={r3.access_token}")
        self.assertEqual(r3.effect_customer_status, "received")
        result = self.make_jsonrpc_request(
            f"/my/orders/{r3.id}/accept?access_token={r3.access_token}",
            {"name": "Nguyễn Văn Liên Hệ", "signature": signature_png()},
        )
        self.assertNotIn("error", result)
        self.assertEqual(r3.effect_customer_status, "accepted")

        self.start_tour(
            f"/odoo/action-sale.action_quotations_with_onboarding/{r3.id}",
            "effect_crm_contract_tour",
            login=self.user_salesman.login,
        )
        contract = r3.effect_contract_ids
        self.assertEqual(len(contract), 1)
        self.assertEqual(contract.state, "signed")
        self.assertEqual(contract.version_ids.mapped("number"), [2, 1])
        final = contract.final_version_id
        self.assertEqual((final.number, final.file_name), (2, "hop-dong-v2.pdf"))

        # contracts the manager's filter must leave out
        today = self._user_today(self.user_salesman)
        quarter_start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
        Contract = self.env["effect.crm.contract"]
        Contract.create(
            {
                "partner_id": self.customer.id,
                "title": "EFFSMALL",
                "currency_id": self.usd.id,
                "amount": 4000,
            }
        ).action_sign()
        Contract.create(
            {
                "partner_id": self.customer.id,
                "title": "EFFOLD",
                "currency_id": self.usd.id,
                "amount": 9000,
                "date_signed": quarter_start - timedelta(days=1),
            }
        ).action_sign()
        self.start_tour(
            "/odoo/effect-contracts",
            "effect_crm_contract_filter_tour",
            login=self.user_sales_manager.login,
        )
