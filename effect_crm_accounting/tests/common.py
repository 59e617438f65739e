"""Fixtures of the EFFECT CRM Accounting tests: accounting users, the receivables
group, real invoices with known due dates and payments, a second currency."""

from datetime import timedelta

from odoo.fields import Command

from odoo.addons.effect_crm.tests.common import EffectCrmCommon

RECEIVABLES = "effect_crm_accounting.group_see_receivables"
ACCOUNTANT = "account.group_account_invoice"
AUDITOR = "account.group_account_readonly"


class EffectCrmAccountingCommon(EffectCrmCommon):
    """``user_salesman`` (salesperson of ``customer``) may see receivables;
    ``user_salesman_2`` (salesperson of ``customer_2``) may not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.currency = cls.company.currency_id
        cls.user_salesman.group_ids += cls.env.ref(RECEIVABLES)

        user = cls._new_user
        cls.user_accountant = user("effect_accountant", ACCOUNTANT, "Kế toán Công nợ")
        cls.user_auditor = user("effect_auditor", AUDITOR, "Kiểm toán viên")
        cls.company.effect_handoff_user_id = cls.user_accountant

        cls.sale_journal = cls.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", cls.company.id)], limit=1
        )
        cls.bank_journal = cls.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", cls.company.id)], limit=1
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Thép cuộn", "list_price": 100.0, "taxes_id": [Command.clear()]}
        )
        cls.payment_term_30 = cls.env.ref("account.account_payment_term_30days")

        # a second currency: EUR, with known rates (EUR per unit of company currency)
        cls.eur = cls.env.ref("base.EUR")
        if cls.eur == cls.currency:
            cls.eur = cls.env.ref("base.VND")
        cls.eur.active = True
        cls.env["res.currency.rate"].search(
            [("currency_id", "=", cls.eur.id), ("company_id", "in", [cls.company.id, False])]
        ).unlink()

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @classmethod
    def today(cls, user=None):
        return cls._user_today(user)

    @classmethod
    def days(cls, count, user=None):
        """Today (in ``user``'s time zone) plus ``count`` days."""
        return cls.today(user) + timedelta(days=count)

    @classmethod
    def set_rate(cls, currency, day, rate):
        """``rate`` units of ``currency`` per unit of company currency from ``day``."""
        cls.env["res.currency.rate"].create(
            {"currency_id": currency.id, "name": day, "rate": rate, "company_id": cls.company.id}
        )

    @classmethod
    def invoice(cls, partner, amount, due, invoice_date=None, currency=None, refund=False):
        """A posted customer invoice (or credit note) of ``amount``, due on ``due``."""
        move = cls.env["account.move"].create(
            {
                "move_type": "out_refund" if refund else "out_invoice",
                "partner_id": partner.id,
                "journal_id": cls.sale_journal.id,
                "invoice_date": invoice_date or min(due, cls.today()),
                "invoice_date_due": due,
                "currency_id": (currency or cls.currency).id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    @classmethod
    def pay(cls, invoice, amount, day, currency=None):
        """Register a payment of ``amount`` on ``invoice`` on ``day``."""
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "amount": amount,
                    "payment_date": day,
                    "journal_id": cls.bank_journal.id,
                    "currency_id": (currency or invoice.currency_id).id,
                }
            )
            ._create_payments()
        )
