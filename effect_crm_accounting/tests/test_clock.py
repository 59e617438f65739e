"""Aging of receivables at the edges of the day: the receivables analysis (pivot) and
the customer form count the days overdue from the same day, the user's today in
Hồ Chí Minh City, whatever the day in UTC (see effect_crm's test_clock)."""

from datetime import timedelta

from odoo.tests import tagged

from odoo.addons.effect_crm.tests.test_clock import at_each_instant

from .common import EffectCrmAccountingCommon


@tagged("post_install", "-at_install")
class TestAgingClock(EffectCrmAccountingCommon):
    @at_each_instant
    def test_aging_buckets(self, today):
        customer = self.env["res.partner"].create(
            {
                "name": f"Khách công nợ {today}",
                "is_company": True,
                "effect_stage": "customer",
                "user_id": self.user_salesman.id,
            }
        )

        def due(days_ago):
            return today - timedelta(days=days_ago)

        # (days overdue today, amount): each one on the edge of its bucket
        invoices = {
            self.invoice(customer, 100.0, due(0)): (0, "not_due"),
            self.invoice(customer, 200.0, due(1)): (1, "1_30"),
            self.invoice(customer, 400.0, due(30)): (30, "1_30"),
            self.invoice(customer, 800.0, due(31)): (31, "31_60"),
            self.invoice(customer, 1600.0, due(90)): (90, "61_90"),
            self.invoice(customer, 3200.0, due(91)): (91, "over_90"),
        }
        self.env.flush_all()
        rows = (
            self.env["effect.crm.receivable"]
            .with_user(self.user_salesman)
            .search([("partner_id", "=", customer.id)])
        )
        self.assertEqual(len(rows), len(invoices))
        for row in rows:
            self.assertEqual((row.days_overdue, row.aging), invoices[row.move_id], row.move_name)
        form = customer.with_user(self.user_salesman)
        expected = {"not_due": 100.0, "1_30": 600.0, "31_60": 800.0}
        expected.update({"61_90": 1600.0, "over_90": 3200.0})
        self.assertEqual(
            {
                "not_due": form.effect_amount_not_due,
                "1_30": form.effect_amount_1_30,
                "31_60": form.effect_amount_31_60,
                "61_90": form.effect_amount_61_90,
                "over_90": form.effect_amount_over_90,
            },
            expected,
        )
        # the pivot's sums by bucket are the form's
        pivot = dict(
            self.env["effect.crm.receivable"]
            .with_user(self.user_salesman)
            ._read_group([("partner_id", "=", customer.id)], ["aging"], ["amount_residual:sum"])
        )
        self.assertEqual(pivot, expected)
        self.assertEqual(form.effect_amount_overdue, 6200.0)
