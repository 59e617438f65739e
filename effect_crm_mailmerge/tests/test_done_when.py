import base64
import io
from unittest.mock import patch

import docx

from odoo.fields import Command
from odoo.tests import tagged
from odoo.tests.common import freeze_time

from odoo.addons.effect_crm.tests.common import EffectCrmCommon
from odoo.addons.effect_crm.tools import docx_template

from .docx_factory import letter_template
from .test_mailmerge import document_text, letter_sections

CUSTOMERS = 240  # of which 3 in 4 bought above the threshold this month
PREFIX = "Khách tri ân"


@tagged("post_install", "-at_install")
class TestDoneWhen(EffectCrmCommon):
    """The issue's "Done when": a sales manager makes a thank-you campaign "sales above
    10,000 USD this month" with a promotion and a questionnaire, generates one printable
    file for hundreds of customers in the background, and a week later reads the
    response rate by segment."""

    @classmethod
    @freeze_time("2026-11-15 03:00:00")
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        company = env.company
        currency = company.currency_id
        usd = env.ref("base.USD")
        usd.active = True
        # known rates: the company currency at 1, 25,000 of it per USD (or USD itself)
        env["res.currency.rate"].search(
            [("currency_id", "in", (usd | currency).ids), ("company_id", "in", [company.id, False])]
        ).unlink()
        rates = {currency: 1.0}
        rates.setdefault(usd, 1 / 25_000)  # one rate when the company's currency is USD
        for rated, rate in rates.items():
            env["res.currency.rate"].create(
                {
                    "currency_id": rated.id,
                    "name": "2026-01-01",
                    "rate": rate,
                    "company_id": company.id,
                }
            )
        cls.threshold = usd._convert(10_000, currency, company, "2026-11-15")
        pricelist_usd = env["product.pricelist"].create({"name": "USD", "currency_id": usd.id})
        pricelist_company = env["product.pricelist"].create(
            {"name": "Company", "currency_id": currency.id}
        )
        product = env["product.product"].create(
            {"name": "Thép tấm", "type": "service", "taxes_id": [Command.clear()]}
        )
        cls.segments = env.ref("effect_crm.business_type_jsc") | env.ref(
            "effect_crm.business_type_llc"
        )
        cls.customers = env["res.partner"].create(
            [
                {
                    "name": f"{PREFIX} {number:03d}",
                    "is_company": True,
                    "effect_stage": "customer",
                    "user_id": cls.user_salesman.id,
                    "effect_business_type_id": cls.segments[number % 2].id,
                    "email": f"khach{number:03d}@tri-an.vn",
                }
                for number in range(CUSTOMERS)
            ]
        )
        # this month's orders: 3 customers in 4 above the threshold, half of them in USD
        values = []
        for number, customer in enumerate(cls.customers):
            above = number % 4 != 3
            in_usd = number % 3 == 0
            amount = 10_500 if above else 9_500  # USD
            values.append(
                {
                    "partner_id": customer.id,
                    "pricelist_id": (pricelist_usd if in_usd else pricelist_company).id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "price_unit": amount
                                if in_usd
                                else usd._convert(amount, currency, company, "2026-11-15"),
                            }
                        )
                    ],
                }
            )
        orders = env["sale.order"].create(values)
        orders.action_confirm()
        cls.buyers = cls.customers.filtered(lambda c: int(c.name[-3:]) % 4 != 3)
        cls.promotion = env["effect.crm.promotion"].create(
            {
                "name": "Tri ân khách hàng lớn 2026",
                "discount_type": "percentage",
                "discount_percentage": 10,
                "date_start": "2026-11-01",
                "date_end": "2026-12-31",
            }
        )
        cls.survey = env["survey.survey"].create(
            {
                "title": "Góp ý về dịch vụ",
                "access_mode": "token",
                "question_and_page_ids": [
                    Command.create({"title": "Ý kiến của Quý khách", "question_type": "text_box"})
                ],
            }
        )
        cls.letter_template = env["effect.crm.template"].create(
            {
                "name": "Thư tri ân",
                "purpose": "letter",
                "file": base64.b64encode(letter_template()),
                "file_name": "thu_tri_an.docx",
            }
        )

    def test_thank_you_campaign_for_hundreds_then_response_rate_by_segment(self):
        manager = self.user_sales_manager
        with freeze_time("2026-11-15 03:00:00"):
            campaign = (
                self.env["effect.crm.mailmerge.campaign"]
                .with_user(manager)
                .create(
                    {
                        "name": "Tri ân khách hàng tháng 11",
                        "purpose": "thank_you",
                        "partner_domain": f"[('name', '=like', '{PREFIX} %')]",
                        "filter_sales": True,
                        "sales_period": "this_month",
                        "sales_min": self.threshold,
                        "template_id": self.letter_template.id,
                        "promotion_id": self.promotion.id,
                        "survey_id": self.survey.id,
                        "user_id": self.user_salesman.id,
                    }
                )
            )
            # the count before anything is made
            self.assertEqual(campaign.match_count, len(self.buyers))
            self.assertGreaterEqual(len(self.buyers), 150)
            campaign.action_launch()
            self.assertEqual(campaign.recipient_ids.partner_id, self.buyers)
            action = campaign.action_generate()
            self.assertEqual(action["tag"], "display_notification")
            self.assertEqual(campaign.letter_count, 0)
            # the scheduled action makes them, batch after batch (each commits in production)
            Cron = self.env.registry["ir.cron"]
            progress = []

            def commit_progress(cron, processed=0, remaining=None, deactivate=False):
                progress.append((processed, remaining))
                return 1000.0

            with patch.object(Cron, "_commit_progress", commit_progress):
                self.env["effect.crm.mailmerge.campaign"]._cron_generate()
            self.assertEqual(campaign.state, "done")
            self.assertEqual(campaign.letter_count, len(self.buyers))
            self.assertGreater(len([p for p in progress if p[0]]), 1, "several batches")

        # one printable file: every letter its own section, with its customer, the
        # promotion and its personal questionnaire link
        combined = base64.b64decode(campaign.with_user(manager).combined_file)
        self.assertEqual(letter_sections(combined), len(self.buyers))
        text = document_text(combined)
        for recipient in campaign.recipient_ids:
            self.assertIn(recipient.partner_id.name, text)
            self.assertIn(recipient.survey_url, text)
        self.assertEqual(text.count(self.promotion.name), len(self.buyers))
        for not_buyer in self.customers - self.buyers:
            self.assertNotIn(not_buyer.name, text)
        pictures = docx.Document(io.BytesIO(combined)).element.body.xpath(".//a:blip/@r:embed")
        self.assertEqual(len(set(pictures)), len(self.buyers), "a QR code per letter")
        letter = campaign.recipient_ids[0]
        self.assertEqual(
            docx_template.read_back(letter.attachment_id.raw)["customer.name"],
            letter.partner_id.name,
        )

        # a week later: the salesperson records the answers, a customer fills in the
        # questionnaire
        with freeze_time("2026-11-22 03:00:00"):
            recipients = campaign.recipient_ids.with_user(self.user_salesman)
            jsc, llc = self.segments
            in_jsc = recipients.filtered(lambda r: r.partner_business_type_id == jsc)
            in_llc = recipients.filtered(lambda r: r.partner_business_type_id == llc)
            in_jsc[:10].write({"response_status": "interested"})
            in_jsc[10:15].write({"response_status": "not_interested"})
            in_llc[:4].write(
                {
                    "response_status": "quotation",
                    "next_activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
                    "next_date": "2026-11-25",
                }
            )
            in_llc[4:6].write({"response_status": "returned"})
            in_llc[6].sudo().survey_user_input_id._mark_done()
            self.assertEqual(in_llc[6].response_status, "interested")
            self.assertEqual(str(in_llc[0].response_date), "2026-11-22")
            self.assertTrue(in_llc[0].next_activity_id)

            # the manager's statistics by segment (the pivot's grouping)
            stats = (
                self.env["effect.crm.mailmerge.recipient"]
                .with_user(manager)
                .formatted_read_group(
                    [("campaign_id", "=", campaign.id)],
                    ["partner_business_type_id"],
                    ["sent:sum", "answered:sum", "interested:sum", "response_rate:avg"],
                )
            )
        by_segment = {group["partner_business_type_id"][0]: group for group in stats}
        self.assertEqual(by_segment[jsc.id]["sent:sum"], len(in_jsc))
        self.assertEqual(by_segment[jsc.id]["answered:sum"], 15)
        self.assertEqual(by_segment[jsc.id]["interested:sum"], 10)
        self.assertAlmostEqual(by_segment[jsc.id]["response_rate:avg"], 1500 / len(in_jsc))
        # returned mail is no answer
        self.assertEqual(by_segment[llc.id]["answered:sum"], 5)
        self.assertEqual(by_segment[llc.id]["interested:sum"], 5)
        self.assertAlmostEqual(by_segment[llc.id]["response_rate:avg"], 500 / len(in_llc))
        statistics = self.env.ref("effect_crm_mailmerge.effect_crm_mailmerge_statistics_action")
        self.assertEqual(statistics.view_mode.split(",")[:2], ["pivot", "graph"])
