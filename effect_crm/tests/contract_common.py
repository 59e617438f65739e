"""Fixtures for the tests of quotations, contracts and promotions."""

import base64
import io
from unittest.mock import patch

import docx

from odoo.fields import Command

from .common import EffectCrmCommon

# what one unit of each currency is worth in US dollars, for the test rates
USD_VALUE = {"USD": 1.0, "EUR": 1.1, "VND": 1 / 25000}


def docx_file(*paragraphs):
    """A real Word document (.docx) holding ``paragraphs``, as bytes."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def b64(data):
    return base64.b64encode(data).decode()


class EffectCrmSalesCommon(EffectCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        Product = cls.env["product.product"]
        cls.categ_steel = cls.env["product.category"].create({"name": "Thép"})
        cls.categ_pipes = cls.env["product.category"].create(
            {"name": "Ống thép", "parent_id": cls.categ_steel.id}
        )
        cls.product_plate = Product.create(
            {"name": "Thép tấm SS400", "list_price": 200.0, "categ_id": cls.categ_steel.id}
        )
        cls.product_pipe = Product.create(
            {"name": "Ống thép D60", "list_price": 50.0, "categ_id": cls.categ_pipes.id}
        )
        cls.product_service = Product.create(
            {"name": "Lắp đặt", "list_price": 300.0, "type": "service"}
        )
        currencies = cls.env["res.currency"].with_context(active_test=False)
        cls.usd = currencies.search([("name", "=", "USD")])
        cls.eur = currencies.search([("name", "=", "EUR")])
        cls.vnd = currencies.search([("name", "=", "VND")])
        (cls.usd | cls.eur | cls.vnd).active = True
        company_currency = cls.company.currency_id
        company_usd = USD_VALUE.get(company_currency.name, 0.5)
        cls.env["res.currency.rate"].search(
            [("company_id", "in", [cls.company.id, False])]
        ).unlink()
        for currency in cls.usd | cls.eur | cls.vnd:
            if currency == company_currency:
                continue
            cls.env["res.currency.rate"].create(
                {
                    "currency_id": currency.id,
                    "name": "2020-01-01",
                    "rate": company_usd / USD_VALUE[currency.name],
                    "company_id": cls.company.id,
                }
            )

    @classmethod
    def _quotation(cls, user=None, partner=None, lines=None, **values):
        lines = lines or [(cls.product_plate, 10, 200.0), (cls.product_pipe, 20, 50.0)]
        return (
            cls.env["sale.order"]
            .with_user(user or cls.user_salesman)
            .create(
                {
                    "partner_id": (partner or cls.customer).id,
                    "order_line": [
                        Command.create(
                            {"product_id": product.id, "product_uom_qty": qty, "price_unit": price}
                        )
                        for product, qty, price in lines
                    ],
                    **values,
                }
            )
        )

    def _run_revision_pdf_job(self):
        """Run the scheduled action that keeps the PDF of replaced revisions, as the
        scheduler would after "New Revision" asked for it, in the test's transaction
        (its commits are the test's)."""
        cron = self.env.ref("effect_crm.ir_cron_effect_revision_pdf")
        self.assertIn("_cron_effect_keep_revision_pdfs()", cron.code)
        with patch.object(self.env.cr, "commit", lambda: None):
            self.env["sale.order"].with_user(cron.user_id)._cron_effect_keep_revision_pdfs()

    def _contract(self, user=None, **values):
        return (
            self.env["effect.crm.contract"]
            .with_user(user or self.user_salesman)
            .create({"partner_id": self.customer.id, "title": "Hợp đồng thử", **values})
        )

    def _upload(self, contract, data, file_name="hop-dong.docx", note=False):
        return (
            self.env["effect.crm.contract.version"]
            .with_user(contract.env.user)
            .create(
                {
                    "contract_id": contract.id,
                    "file": b64(data),
                    "file_name": file_name,
                    "note": note,
                }
            )
        )

    def _customer_timeline(self, partner=None):
        """The subjects of the interactions on the customer's timeline."""
        partner = partner or self.customer
        return (
            self.env["effect.crm.interaction"]
            .search([("partner_id", "=", partner.id)])
            .mapped("name")
        )
