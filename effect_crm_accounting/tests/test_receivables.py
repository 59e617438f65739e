"""Receivables of customers: totals, aging buckets, open invoices, last payment, against
real posted invoices with known due dates, partial payments and a second currency."""

from odoo.tests import freeze_time, tagged

from odoo.addons.effect_crm.tests.common import EVENING_IN_UTC

from .common import EffectCrmAccountingCommon


@freeze_time(EVENING_IN_UTC)
@tagged("post_install", "-at_install")
class TestReceivables(EffectCrmAccountingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        customer = cls.customer
        d = cls.days
        cls.inv_not_due = cls.invoice(customer, 1000.0, d(10))
        cls.inv_partial = cls.invoice(customer, 2000.0, d(-10))
        cls.pay(cls.inv_partial, 500.0, d(-2))
        # on the contact person: counts for the company
        cls.inv_contact = cls.invoice(cls.customer_contact, 3000.0, d(-45))
        cls.inv_75 = cls.invoice(customer, 4000.0, d(-75))
        cls.inv_paid = cls.invoice(customer, 5000.0, d(-120))
        cls.pay(cls.inv_paid, 5000.0, d(-30))
        cls.inv_100 = cls.invoice(customer, 6000.0, d(-100))
        cls.refund = cls.invoice(customer, 300.0, d(0), refund=True)
        # another customer's invoice: never mixed in
        cls.invoice(cls.customer_2, 777.0, d(-5))

    def _figures(self, partner, user):
        partner = partner.with_user(user)
        return {
            "total": partner.effect_amount_due,
            "overdue": partner.effect_amount_overdue,
            "not_due": partner.effect_amount_not_due,
            "1_30": partner.effect_amount_1_30,
            "31_60": partner.effect_amount_31_60,
            "61_90": partner.effect_amount_61_90,
            "over_90": partner.effect_amount_over_90,
            "open_invoices": partner.effect_open_invoice_count,
            "last_payment_date": partner.effect_last_payment_date,
            "last_payment_amount": partner.effect_last_payment_amount,
        }

    def test_aging_buckets_with_partial_payments_and_credit_note(self):
        expected = {
            "total": 1000 + 1500 + 3000 + 4000 + 6000 - 300,
            "overdue": 1500 + 3000 + 4000 + 6000,
            "not_due": 1000 - 300,  # the credit note is not due: it counts on its own date
            "1_30": 1500,  # 2,000 less the 500 paid
            "31_60": 3000,  # invoiced to the contact person
            "61_90": 4000,
            "over_90": 6000,  # the 5,000 invoice paid in full is gone
            "open_invoices": 5,
            "last_payment_date": self.days(-2),
            "last_payment_amount": 500.0,
        }
        self.assertEqual(self._figures(self.customer, self.user_salesman), expected)
        # the contact person shows its company's receivables
        self.assertEqual(self._figures(self.customer_contact, self.user_salesman), expected)
        # Odoo's own total receivable (accountants) agrees
        self.assertAlmostEqual(
            self.customer.with_user(self.user_accountant).credit, expected["total"]
        )

    def test_many_customers_at_once(self):
        partners = (self.customer | self.customer_2).with_user(self.user_accountant)
        self.assertEqual(partners.mapped("effect_amount_due"), [15200.0, 777.0])
        self.assertEqual(partners.mapped("effect_amount_1_30"), [1500.0, 777.0])

    def test_receivables_analysis_matches_the_customer_form(self):
        rows = (
            self.env["effect.crm.receivable"]
            .with_user(self.user_salesman)
            ._read_group(
                [("partner_id", "=", self.customer.id)], ["aging"], ["amount_residual:sum"]
            )
        )
        self.assertEqual(
            dict(rows),
            {"not_due": 700.0, "1_30": 1500.0, "31_60": 3000.0, "61_90": 4000.0, "over_90": 6000.0},
        )
        by_user = dict(
            self.env["effect.crm.receivable"]
            .with_user(self.user_accountant)
            ._read_group(
                [("partner_id", "in", (self.customer | self.customer_2).ids)],
                ["user_id"],
                ["amount_overdue:sum"],
            )
        )
        self.assertEqual(by_user, {self.user_salesman: 14500.0, self.user_salesman_2: 777.0})
        lines = self.env["effect.crm.receivable"].search([("move_id", "=", self.inv_contact.id)])
        self.assertEqual(lines.partner_id, self.customer)
        self.assertEqual(lines.user_id, self.user_salesman)
        self.assertEqual(lines.territory_id, self.customer.effect_territory_id)
        self.assertEqual(lines.days_overdue, 45)

    def test_overdue_search(self):
        Partner = self.env["res.partner"].with_user(self.user_accountant)
        found = Partner.search(
            [
                ("effect_amount_overdue", ">", 0),
                ("id", "in", (self.customer | self.customer_2 | self.vendor).ids),
            ]
        )
        self.assertEqual(found, self.customer | self.customer_2)
        found = Partner.search(
            [
                ("effect_amount_overdue", ">=", 1000),
                ("id", "in", (self.customer | self.customer_2 | self.vendor).ids),
            ]
        )
        self.assertEqual(found, self.customer)
        # customers without any overdue amount match "less than"
        found = Partner.search(
            [
                ("effect_amount_overdue", "<", 1000),
                ("id", "in", (self.customer | self.customer_2 | self.vendor).ids),
            ]
        )
        self.assertEqual(found, self.customer_2 | self.vendor)

    def test_payment_completes_and_moves_the_numbers(self):
        self.pay(self.inv_100, 6000.0, self.days(0))
        customer = self.customer.with_user(self.user_salesman)
        self.assertEqual(customer.effect_amount_over_90, 0.0)
        self.assertEqual(customer.effect_amount_overdue, 8500.0)
        self.assertEqual(customer.effect_last_payment_date, self.days(0))
        self.assertEqual(customer.effect_last_payment_amount, 6000.0)
        self.assertEqual(customer.effect_open_invoice_count, 4)


@freeze_time(EVENING_IN_UTC)
@tagged("post_install", "-at_install")
class TestReceivablesCurrency(EffectCrmAccountingCommon):
    """An invoice in a second currency, partly paid at another rate."""

    def test_foreign_currency_invoice_partly_paid_at_another_rate(self):
        invoice_day, payment_day = self.days(-60), self.days(-5)
        self.set_rate(self.eur, invoice_day, 0.5)  # 1 EUR = 2.00 in company currency
        self.set_rate(self.eur, payment_day, 0.4)  # 1 EUR = 2.50
        invoice = self.invoice(
            self.customer, 1000.0, self.days(-40), invoice_date=invoice_day, currency=self.eur
        )
        self.assertEqual(invoice.amount_total_signed, 2000.0)
        self.pay(invoice, 400.0, payment_day, currency=self.eur)

        customer = self.customer.with_user(self.user_salesman)
        # 600 EUR still due, at the invoice's rate: the exchange difference of the paid
        # part went to the exchange gain account, not to the customer
        self.assertEqual(customer.effect_amount_due, 1200.0)
        self.assertEqual(customer.effect_amount_31_60, 1200.0)
        self.assertEqual(customer.effect_last_payment_amount, 1000.0)  # 400 EUR at 2.50
        [line] = customer.effect_receivable_ids
        self.assertEqual(line.line_currency_id, self.eur)
        self.assertEqual(line.amount_residual_currency, 600.0)
        self.assertEqual(line.amount_residual, 1200.0)

        # a company-currency invoice beside it adds up in the company currency
        self.invoice(self.customer, 300.0, self.days(5))
        customer.invalidate_recordset()
        self.assertEqual(customer.effect_amount_due, 1500.0)
        self.assertEqual(customer.effect_amount_not_due, 300.0)
