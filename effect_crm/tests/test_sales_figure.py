from odoo.fields import Command, Date
from odoo.tests import tagged
from odoo.tests.common import freeze_time

from .common import EffectCrmCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-11-15 03:00:00")
class TestSalesFigure(EffectCrmCommon):
    """effect.crm.sales.figure: confirmed orders of a period of the user's local days, in
    the company currency whatever the order's currency, on the customer and its contacts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company = env.company
        # 0.5 units of the foreign currency per unit of the company's, all year
        cls.foreign = cls._fixed_rate()
        cls.pricelist = env["product.pricelist"].create(
            {"name": "Foreign", "currency_id": cls.foreign.id}
        )
        cls.pricelist_company = env["product.pricelist"].create(
            {"name": "Company", "currency_id": cls.company.currency_id.id}
        )
        cls.product = env["product.product"].create(
            {"name": "Tư vấn", "type": "service", "taxes_id": [Command.clear()]}
        )

    def _order(self, partner, price, moment, pricelist=None, confirm=True):
        values = {
            "partner_id": partner.id,
            "order_line": [Command.create({"product_id": self.product.id, "price_unit": price})],
        }
        values["pricelist_id"] = (pricelist or self.pricelist_company).id
        order = self.env["sale.order"].create(values)
        if confirm:
            order.action_confirm()
        order.date_order = moment
        return order

    def _sales(self, date_from, date_to, tz="Asia/Ho_Chi_Minh", **kwargs):
        """The sales of the test's customers (the demo data may have its own)."""
        kwargs.setdefault("partner_ids", (self.customer | self.customer_2).ids)
        Figure = self.env["effect.crm.sales.figure"].with_context(tz=tz)
        return Figure._effect_sales(self.company, date_from, date_to, **kwargs)

    def test_orders_in_company_currency_by_local_day(self):
        customer = self.customer
        foreign = self._order(customer, 5_000, "2026-11-10 05:00:00", self.pricelist)
        self.assertEqual(foreign.currency_id, self.foreign)
        # 00:30 on 1 November in Vietnam, still October in UTC
        self._order(customer, 1_000, "2026-10-31 17:30:00")
        # 00:30 on 1 December in Vietnam, still November in UTC
        self._order(customer, 500, "2026-11-30 17:30:00")
        # a quotation is not a sale; an order of its contact person is the customer's
        self._order(customer, 7_000, "2026-11-12 05:00:00", confirm=False)
        self._order(self.customer_contact, 200, "2026-11-12 05:00:00")
        # another customer's order
        self._order(self.customer_2, 3_000, "2026-11-12 05:00:00")

        november = (self._date("2026-11-01"), self._date("2026-12-01"))
        sales = self._sales(*november)
        self.assertAlmostEqual(sales[customer.id], 10_000 + 1_000 + 200, places=2)
        self.assertAlmostEqual(sales[self.customer_2.id], 3_000, places=2)
        self.assertNotIn(self.customer_contact.id, sales)
        # the same month for a user in UTC
        in_utc = self._sales(*november, tz="UTC")
        self.assertAlmostEqual(in_utc[customer.id], 10_000 + 500 + 200, places=2)
        # only some customers; bounds included, compared in the currency's rounding
        self.assertEqual(list(self._sales(*november, partner_ids=[customer.id])), [customer.id])
        self.assertEqual(self._sales(*november, partner_ids=[]), {})
        self.assertEqual(list(self._sales(*november, minimum=11_200)), [customer.id])
        self.assertEqual(self._sales(*november, minimum=11_200.5, maximum=20_000), {})
        self.assertEqual(list(self._sales(*november, maximum=3_000)), [self.customer_2.id])
        # open bounds
        self.assertAlmostEqual(self._sales(None, None)[customer.id], 11_700, places=2)
        # before 1 November in Vietnam: the order of 00:30 on 1 November is not
        self.assertNotIn(customer.id, self._sales(None, self._date("2026-11-01")))

    @staticmethod
    def _date(text):
        return Date.to_date(text)
