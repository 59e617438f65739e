from odoo.fields import Command, Date
from odoo.tests import tagged
from odoo.tests.common import freeze_time

from .common import EffectCrmAccountingCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-11-15 03:00:00")
class TestSalesFigureInvoices(EffectCrmAccountingCommon):
    """Sales count the posted invoices that come from no order, never an order twice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 0.5 units of a second currency per unit of the company's, all year
        cls.foreign = cls._fixed_rate()
        cls.service = cls.env["product.product"].create(
            {
                "name": "Lắp đặt",
                "type": "service",
                "invoice_policy": "order",
                "taxes_id": [Command.clear()],
            }
        )

    def _sales(self, date_from, date_to):
        return self.env["effect.crm.sales.figure"]._effect_sales(
            self.company, Date.to_date(date_from), Date.to_date(date_to)
        )

    def test_invoices_and_orders_counted_once(self):
        customer = self.customer
        # an order of 1,000, invoiced and posted: its sale counts once, on its order
        pricelist = self.env["product.pricelist"].create(
            {"name": "Company", "currency_id": self.currency.id}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "pricelist_id": pricelist.id,
                "order_line": [
                    Command.create({"product_id": self.service.id, "price_unit": 1_000})
                ],
            }
        )
        order.action_confirm()
        order.date_order = "2026-11-05 03:00:00"
        invoice = order._create_invoices()
        invoice.invoice_date = "2026-11-06"
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        # an invoice without an order, in the second currency: 500 at 0.5 per unit
        self.invoice(customer, 500, Date.to_date("2026-12-20"), "2026-11-20", self.foreign)
        # a credit note without an order takes its amount off
        self.invoice(customer, 300, Date.to_date("2026-11-25"), "2026-11-25", refund=True)
        # a draft invoice is no sale yet; an invoice of October is October's
        draft = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": "2026-11-10",
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": self.product.id, "price_unit": 5_000, "tax_ids": []}
                    )
                ],
            }
        )
        self.assertEqual(draft.state, "draft")
        self.invoice(customer, 400, Date.to_date("2026-11-30"), "2026-10-31")

        november = self._sales("2026-11-01", "2026-12-01")
        self.assertAlmostEqual(november[customer.id], 1_000 + 1_000 - 300, places=2)
        october = self._sales("2026-10-01", "2026-11-01")
        self.assertAlmostEqual(october[customer.id], 400, places=2)
        self.assertNotIn(self.customer_2.id, november)
