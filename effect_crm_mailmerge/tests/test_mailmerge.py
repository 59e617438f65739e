import base64
import datetime
import io
import re
import zipfile
from unittest.mock import patch

import docx

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tests.common import freeze_time
from odoo.tools.pdf import PdfFileReader

from odoo.addons.effect_crm.tests.common import EffectCrmCommon
from odoo.addons.effect_crm.tools import docx_template, office

from ..models import effect_crm_mailmerge_campaign as campaign_module
from ..tools import letters
from .docx_factory import letter_template


def document_text(content):
    """The paragraphs of a .docx read back with python-docx, merged values included.

    (``Paragraph.text`` skips the content controls that hold the merged values.)
    """
    return "\n".join(
        "".join(node.text or "" for node in paragraph._p.xpath(".//w:t"))
        for paragraph in docx.Document(io.BytesIO(content)).paragraphs
    )


def letter_sections(content):
    """The sections of a document: each letter of a printable document is one, starting
    on a new page (Word's default section break) and numbering its pages from 1."""
    body = docx.Document(io.BytesIO(content)).element.body
    sections = body.xpath(".//w:sectPr")
    restarts = body.xpath(".//w:sectPr/w:pgNumType[@w:start='1']")
    assert len(restarts) == len(sections), "every letter numbers its pages from 1"
    return len(sections)


@tagged("post_install", "-at_install")
@freeze_time("2026-11-15 03:00:00")
class TestMailmerge(EffectCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        Partner = env["res.partner"]
        env["res.partner"]._effect_define_attributes(
            [
                {
                    "name": "effect_source",
                    "string": "Lead Source",
                    "type": "selection",
                    "selection": [["web", "Website"], ["fair", "Trade fair"]],
                }
            ]
        )
        cls.customer.write(
            {"email": "lien-he@thunghiem.vn", "properties": {"effect_source": "web"}}
        )
        cls.customer_contact.email = "lienhe.nguyen@thunghiem.vn"
        # a second customer of the salesperson, with small sales
        cls.customer_small = Partner.create(
            {
                "name": "Công ty TNHH Nhỏ Hải Phòng",
                "is_company": True,
                "effect_stage": "customer",
                "user_id": cls.user_salesman.id,
                "email": "info@nho-hp.vn",
                "properties": {"effect_source": "fair"},
            }
        )
        cls.promotion = env["effect.crm.promotion"].create(
            {
                "name": "Tri ân khách hàng cuối năm",
                "discount_type": "percentage",
                "discount_percentage": 12,
                "date_start": "2026-11-01",
                "date_end": "2026-12-31",
            }
        )
        cls.survey = env["survey.survey"].create(
            {
                "title": "Khảo sát mức độ hài lòng",
                "access_mode": "token",
                "question_and_page_ids": [
                    Command.create(
                        {"title": "Quý công ty có hài lòng?", "question_type": "text_box"}
                    )
                ],
            }
        )
        cls.template = letter_template()
        cls.letter_template = env["effect.crm.template"].create(
            {
                "name": "Thư cảm ơn",
                "purpose": "letter",
                "file": base64.b64encode(cls.template),
                "file_name": "thu_cam_on.docx",
            }
        )
        # sales: one order in a foreign currency for the salesperson's customer (12,000 in
        # the company currency at 0.5 per unit), a small one, and a big one of another
        # salesperson's customer
        foreign = cls._fixed_rate("2026-11-01")
        pricelist_foreign = env["product.pricelist"].create(
            {"name": foreign.name, "currency_id": foreign.id}
        )
        pricelist_company = env["product.pricelist"].create(
            {"name": "Company", "currency_id": env.company.currency_id.id}
        )
        product = env["product.product"].create(
            {"name": "Dịch vụ tư vấn", "list_price": 1.0, "taxes_id": [Command.clear()]}
        )

        def order(partner, price, pricelist=pricelist_company):
            values = {
                "partner_id": partner.id,
                "pricelist_id": pricelist.id,
                "order_line": [Command.create({"product_id": product.id, "price_unit": price})],
            }
            sale = env["sale.order"].create(values)
            sale.action_confirm()
            return sale

        cls.order_foreign = order(cls.customer, 6_000, pricelist_foreign)
        order(cls.customer_small, 5_000)
        order(cls.customer_2, 50_000)

    def _campaign(self, user=None, **values):
        user = user or self.user_salesman
        return (
            self.env["effect.crm.mailmerge.campaign"]
            .with_user(user)
            .create(
                {
                    "name": "Thư cảm ơn tháng 11",
                    "purpose": "thank_you",
                    "partner_domain": "[('effect_stage', 'in', ('prospect', 'customer'))]",
                    "template_id": self.letter_template.id,
                    "promotion_id": self.promotion.id,
                    **values,
                }
            )
        )

    def _generate(self, campaign):
        campaign.action_generate()
        while campaign._effect_generate_batch(1):
            pass
        campaign._effect_finish()

    # ------------------------------------------------------------------

    def test_sales_filter_in_company_currency(self):
        campaign = self._campaign(filter_sales=True, sales_period="this_month", sales_min=10_000)
        customers = campaign._effect_matching_customers()
        self.assertEqual(customers, self.customer)
        figures = campaign._effect_figures(customers)
        expected = self.order_foreign.amount_untaxed / self.order_foreign.currency_rate
        self.assertAlmostEqual(figures[self.customer.id]["sales"], expected, places=2)
        self.assertAlmostEqual(expected, 12_000, places=2)
        self.assertEqual(campaign.match_count, 1)
        self.assertEqual(campaign.sample_partner_ids, self.customer)
        # last month had no sales
        campaign.sales_period = "last_month"
        self.assertEqual(campaign.match_count, 0)

    def test_filter_on_attribute_and_figures(self):
        campaign = self._campaign(partner_domain="[('properties.effect_source', '=', 'fair')]")
        self.assertEqual(campaign._effect_matching_customers(), self.customer_small)
        campaign.partner_domain = f"[('effect_business_type_id', '=', {self.business_type_jsc.id})]"
        self.assertEqual(campaign._effect_matching_customers(), self.customer)
        # the confirmed orders were logged on the timelines today; the small customer's
        # last contact moves two months back
        Interaction = self.env["effect.crm.interaction"]
        small_contacts = Interaction.search([("partner_id", "=", self.customer_small.id)])
        self.assertTrue(small_contacts)
        small_contacts.write({"date": "2026-09-15 03:00:00"})
        campaign.write({"partner_domain": "[]", "filter_last_contact": True})
        campaign.days_since_contact_min = 30
        self.assertEqual(campaign._effect_matching_customers(), self.customer_small)
        campaign.write({"filter_last_contact": False, "filter_interactions": True})
        campaign.write({"interaction_min": 1, "interaction_max": 1})
        counts = {
            partner: partner.effect_interaction_count
            for partner in (self.customer, self.customer_small)
        }
        expected = [partner for partner, count in counts.items() if count == 1]
        self.assertEqual(campaign._effect_matching_customers().ids, [p.id for p in expected])
        campaign.write({"interaction_min": 50, "interaction_max": 0})
        self.assertEqual(campaign.match_count, 0)
        campaign.write({"filter_interactions": False, "filter_last_contact": False})
        campaign.open_quotations = "with"
        self.assertEqual(campaign.match_count, 0)
        campaign.open_quotations = "without"
        self.assertEqual(campaign.match_count, 2)
        with self.assertRaisesRegex(ValidationError, "customer filter is not valid"):
            campaign.partner_domain = "[('name', '=', undefined_name)]"

    def test_a_filter_customers_cannot_answer_is_refused(self):
        """A filter on a field customers do not have, or a value that does not fit its
        field, is refused when saved, in the user's language; it used to be accepted and
        fail at launch (USAGE.md, Bad input)."""
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"]._load_module_terms(
            ["effect_crm_mailmerge"], ["vi_VN"], overwrite=True
        )
        campaign = self._campaign()
        before = campaign.partner_domain
        Campaign = self.env["effect.crm.mailmerge.campaign"].with_user(self.user_salesman)
        count = Campaign.search_count([])
        for domain in (
            "[('no_such_field', '=', 1)]",
            "[('create_date', '>', 'not a date')]",
            "[('name', 'ilike')]",
            "[('name', '=', 'A'",
        ):
            with self.subTest(domain=domain):
                with self.assertRaises(ValidationError) as caught:
                    campaign.with_context(lang="vi_VN").partner_domain = domain
                self.assertIn("Bộ lọc khách hàng không hợp lệ", str(caught.exception))
                self.assertEqual(campaign.partner_domain, before, "the filter is kept")
                with self.assertRaises(ValidationError):
                    self._campaign(partner_domain=domain)
                self.assertEqual(Campaign.search_count([]), count)

    def test_other_territory_never_recipient(self):
        campaign = self._campaign()
        self.assertIn(self.customer, campaign.sample_partner_ids)
        self.assertNotIn(self.customer_2, campaign.sample_partner_ids)
        campaign.action_launch()
        self.assertEqual(campaign.recipient_ids.partner_id, self.customer | self.customer_small)
        with self.assertRaises(AccessError):
            campaign.write({"recipient_ids": [Command.create({"partner_id": self.customer_2.id})]})
        with self.assertRaises(ValidationError):
            campaign.write({"recipient_ids": [Command.create({"partner_id": self.vendor.id})]})
        # a manager's campaign reaching everyone, run for the salesperson: the salesperson
        # sees only their customers' recipients, and never a file with the others'
        wide = self._campaign(user=self.user_sales_manager, user_id=self.user_salesman.id)
        wide.action_launch()
        self._generate(wide)
        self.assertIn(self.customer_2, wide.recipient_ids.partner_id)
        self.assertIn(self.customer_2.name, document_text(base64.b64decode(wide.combined_file)))
        Recipient = self.env["effect.crm.mailmerge.recipient"].with_user(self.user_salesman)
        visible = Recipient.search([("campaign_id", "=", wide.id)])
        self.assertEqual(visible.partner_id, self.customer | self.customer_small)
        other = wide.recipient_ids.filtered(lambda r: r.partner_id == self.customer_2)
        with self.assertRaises(AccessError):
            other.attachment_id.with_user(self.user_salesman).read(["datas"])
        as_salesman = wide.with_user(self.user_salesman)
        self.assertEqual(as_salesman.recipient_count, 2)
        self.assertFalse(as_salesman.combined_file)
        with self.assertRaises(AccessError):
            wide.combined_attachment_id.with_user(self.user_salesman).read(["datas"])

    def test_loop_filter_generate_responses_survey_statistics(self):
        campaign = self._campaign(survey_id=self.survey.id, make_zip=True)
        self.assertEqual(campaign.state, "draft")
        campaign.action_launch()
        self.assertEqual(campaign.state, "launched")
        self.assertEqual(len(campaign.recipient_ids), 2)
        # remove one by hand, put it back
        small = campaign.recipient_ids.filtered(lambda r: r.partner_id == self.customer_small)
        small.unlink()
        campaign.write({"recipient_ids": [Command.create({"partner_id": self.customer_small.id})]})
        small = campaign.recipient_ids.filtered(lambda r: r.partner_id == self.customer_small)
        self.assertEqual(small.sales_amount, 5_000, "added by hand: its figures as the filter's")
        action = campaign.action_generate()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(campaign.state, "generating")
        self.assertEqual(campaign.letter_count, 0, "the button only schedules the work")
        self.assertTrue(
            self.env["ir.cron.trigger"].search(
                [
                    (
                        "cron_id",
                        "=",
                        self.env.ref("effect_crm_mailmerge.ir_cron_effect_mailmerge_generate").id,
                    )
                ]
            )
        )
        self._generate(campaign)
        self.assertEqual(campaign.state, "done")
        self.assertEqual(campaign.letter_count, 2)

        # one printable document: every letter on its own page, read back with python-docx
        combined = base64.b64decode(campaign.combined_file)
        text = document_text(combined)
        self.assertEqual(letter_sections(combined), 2)
        self.assertIn(self.customer.name, text)
        self.assertIn(self.customer_small.name, text)
        self.assertNotIn(self.customer_2.name, text)
        self.assertIn("Website", text)  # the attribute, with its label
        self.assertIn("Trade fair", text)
        self.assertEqual(text.count(self.promotion.name), 2)
        # the questionnaire link is also printed as a QR code, one per letter
        combined_doc = docx.Document(io.BytesIO(combined))
        images = [
            rel.target_part.blob
            for rel in combined_doc.part.rels.values()
            if "image" in rel.reltype
        ]
        self.assertEqual(len(images), 2)
        self.assertNotEqual(images[0], images[1])
        blips = combined_doc.element.body.xpath(".//a:blip/@r:embed")
        self.assertEqual(len(set(blips)), 2)
        self.assertIn("12%", text)
        for recipient in campaign.recipient_ids:
            letter = recipient.attachment_id.raw
            letter_text = document_text(letter)
            self.assertIn(recipient.partner_id.name, letter_text)
            self.assertIn(recipient.survey_url, letter_text)
            self.assertEqual(
                docx_template.read_back(letter)["customer.name"], recipient.partner_id.name
            )
        zipped = base64.b64decode(campaign.zip_file)
        with zipfile.ZipFile(io.BytesIO(zipped)) as archive:
            self.assertEqual(len(archive.namelist()), 2)

        # each letter is an interaction of type Letter on the customer's timeline, with the file
        letter_type = self.env.ref("effect_crm.interaction_type_letter")
        recipient = campaign.recipient_ids.filtered(lambda r: r.partner_id == self.customer)
        interaction = recipient.interaction_id.with_user(self.user_salesman)
        self.assertEqual(interaction.type_id, letter_type)
        self.assertEqual(interaction.partner_id, self.customer)
        self.assertEqual(interaction.attachment_ids, recipient.attachment_id)
        self.assertIn(
            interaction, self.customer.with_user(self.user_salesman).effect_interaction_ids
        )

        # responses: quick entry, with a next action on the salesperson's agenda
        recipient = recipient.with_user(self.user_salesman)
        recipient.write(
            {
                "response_status": "quotation",
                "response_notes": "Cần báo giá 20 bộ",
                "next_activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
                "next_date": "2026-11-20",
            }
        )
        self.assertEqual(str(recipient.response_date), "2026-11-15")
        activity = recipient.next_activity_id
        self.assertEqual(activity.user_id, self.user_salesman)
        self.assertEqual(str(activity.date_deadline), "2026-11-20")
        self.assertEqual(activity.res_id, self.customer.id)
        self.assertEqual(recipient.response_interaction_id.direction, "incoming")

        # the questionnaire answered by the other customer sets its response
        other = campaign.recipient_ids.filtered(lambda r: r.partner_id == self.customer_small)
        answer = other.sudo().survey_user_input_id
        self.assertEqual(answer.effect_mailmerge_recipient_id, other)
        self.assertIn(answer.access_token, other.survey_url)
        answer.sudo()._mark_done()
        self.assertEqual(other.response_status, "interested")

        # statistics, as the salesperson
        campaign.action_refresh_statistics()
        stats = (
            self.env["effect.crm.mailmerge.recipient"]
            .with_user(self.user_salesman)
            .formatted_read_group(
                [("campaign_id", "=", campaign.id)],
                ["campaign_id"],
                ["sent:sum", "answered:sum", "interested:sum", "response_rate:avg"],
            )
        )
        self.assertEqual(stats[0]["sent:sum"], 2)
        self.assertEqual(stats[0]["answered:sum"], 2)
        self.assertEqual(stats[0]["interested:sum"], 2)
        self.assertEqual(stats[0]["response_rate:avg"], 100.0)
        # quotations and orders that followed the letters (within the follow-up window)
        recipient = campaign.recipient_ids.filtered(lambda r: r.partner_id == self.customer)
        self.assertEqual(recipient.follow_up_order_count, 1)  # the order in VND, this day
        self.env["sale.order"].create({"partner_id": self.customer_contact.id})
        campaign.follow_up_days = 1
        campaign.action_refresh_statistics()
        self.assertEqual(recipient.follow_up_quotation_count, 2)
        self.assertEqual(recipient.follow_up_order_count, 1)
        by_segment = (
            self.env["effect.crm.mailmerge.recipient"]
            .with_user(self.user_salesman)
            .formatted_read_group(
                [("campaign_id", "=", campaign.id)],
                ["partner_business_type_id"],
                ["follow_up_quotation_count:sum", "response_rate:avg"],
            )
        )
        jsc = next(
            group
            for group in by_segment
            if group["partner_business_type_id"]
            and group["partner_business_type_id"][0] == self.business_type_jsc.id
        )
        self.assertEqual(jsc["follow_up_quotation_count:sum"], 2)

    def test_crashed_batch_resumes(self):
        campaign = self._campaign()
        campaign.action_launch()
        third = self.env["res.partner"].create(
            {
                "name": "Hộ kinh doanh Ba",
                "effect_stage": "prospect",
                "user_id": self.user_salesman.id,
            }
        )
        campaign.write({"recipient_ids": [Command.create({"partner_id": third.id})]})
        campaign.action_generate()
        self.assertEqual(campaign._effect_generate_batch(1), 1)
        render = docx_template.Template.render
        calls = []

        def crash_on_second(template, values, on_letter=None):
            calls.append(values)
            if len(calls) == 2:
                raise RuntimeError("server killed")
            return render(template, values, on_letter)

        # a batch of several letters fails half-way: none of it is kept
        with (
            patch.object(docx_template.Template, "render", crash_on_second),
            self.assertRaises(RuntimeError),
            self.env.cr.savepoint(),
        ):
            campaign._effect_generate_batch(10)
        self.env.invalidate_all()
        self.assertEqual(campaign.letter_count, 1)
        # the next run resumes without duplicating: one letter, one interaction each
        self.assertEqual(campaign._effect_generate_batch(10), 2)
        self.assertEqual(campaign._effect_generate_batch(10), 0)
        campaign._effect_finish()
        self.assertEqual(campaign.letter_count, 3)
        interactions = self.env["effect.crm.interaction"].search(
            [
                ("partner_id", "in", campaign.recipient_ids.partner_id.ids),
                ("name", "like", campaign.name),
            ]
        )
        self.assertEqual(len(interactions), 3)
        self.assertEqual(letter_sections(base64.b64decode(campaign.combined_file)), 3)

    def test_cron_runs_the_batches(self):
        campaign = self._campaign()
        campaign.action_launch()
        campaign.action_generate()
        Cron = self.env.registry["ir.cron"]
        with patch.object(Cron, "_commit_progress", lambda self, *a, **k: 1000.0):
            self.env["effect.crm.mailmerge.campaign"]._cron_generate()
        self.assertEqual(campaign.state, "done")
        self.assertEqual(campaign.letter_count, 2)
        self.assertEqual(
            set(campaign.recipient_ids.interaction_id.user_id.ids), {self.user_salesman.id}
        )

    def test_large_launch_in_background(self):
        campaign = self._campaign()
        with patch.object(campaign_module, "LAUNCH_SYNC_LIMIT", 1):
            action = campaign.action_launch()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(campaign.state, "launching")
        self.assertFalse(campaign.recipient_ids, "the request only schedules the launch")
        Cron = self.env.registry["ir.cron"]
        with (
            patch.object(campaign_module, "LAUNCH_BATCH_SIZE", 1),
            patch.object(Cron, "_commit_progress", lambda self, *a, **k: 1000.0),
        ):
            self.env["effect.crm.mailmerge.campaign"]._cron_generate()
        self.assertEqual(campaign.state, "launched")
        self.assertEqual(campaign.recipient_ids.partner_id, self.customer | self.customer_small)

    def test_email_respects_opt_out(self):
        template = self.env["mail.template"].create(
            {
                "name": "Thư cảm ơn",
                "model_id": self.env["ir.model"]._get_id("effect.crm.mailmerge.recipient"),
                "subject": "Cảm ơn {{ object.partner_id.name }}",
                "body_html": "<p>Cảm ơn quý khách</p>",
            }
        )
        self.env["mail.blacklist"].sudo()._add(self.customer_small.email)
        campaign = self._campaign(mail_template_id=template.id, send_email=True, attach_letter=True)
        campaign.action_launch()
        self._generate(campaign)
        small = campaign.recipient_ids.filtered(lambda r: r.partner_id == self.customer_small)
        main = campaign.recipient_ids - small
        self.assertEqual(small.email_state, "opted_out")
        self.assertFalse(small.mail_id)
        self.assertEqual(main.email_state, "queued")
        mail = main.mail_id.sudo()
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(mail.recipient_ids, self.customer_contact)
        self.assertEqual(mail.attachment_ids, main.attachment_id)
        # an e-mail campaign without a Word letter: the e-mails and the interactions only
        emails_only = self._campaign(
            name="Thư điện tử", template_id=False, mail_template_id=template.id, send_email=True
        )
        emails_only.action_launch()
        self._generate(emails_only)
        self.assertEqual(emails_only.state, "done")
        self.assertFalse(emails_only.combined_file)
        self.assertFalse(emails_only.recipient_ids.attachment_id)
        self.assertEqual(len(emails_only.recipient_ids.interaction_id), 2)
        self.assertEqual(
            sorted(emails_only.recipient_ids.mapped("email_state")), ["opted_out", "queued"]
        )

    def test_bad_templates_refused(self):
        Template = self.env["effect.crm.template"]
        # the engine's package check refuses a file that is no Word document
        with self.assertRaisesRegex(ValidationError, "not a Word document"):
            Template.create(
                {
                    "name": "Hỏng",
                    "purpose": "letter",
                    "file": base64.b64encode(b"this is not a document"),
                    "file_name": "hong.docx",
                }
            )
        # a template asking for data no letter has is refused by the campaign
        unknown = Template.create(
            {
                "name": "Trường lạ",
                "purpose": "letter",
                "file": base64.b64encode(letter_template([["Mật khẩu: ", "{customer.password}"]])),
                "file_name": "la.docx",
            }
        )
        with self.assertRaisesRegex(ValidationError, "customer.password"):
            self._campaign(template_id=unknown.id)
        contract = Template.create(
            {
                "name": "Hợp đồng",
                "purpose": "contract",
                "file": base64.b64encode(self.template),
                "file_name": "hop_dong.docx",
            }
        )
        with self.assertRaisesRegex(ValidationError, "not a letter template"):
            self._campaign(template_id=contract.id)
        campaign = self._campaign(template_id=False)
        with self.assertRaisesRegex(UserError, "template"):
            campaign.action_launch()

    def test_pdf_through_libreoffice(self):
        if not office.soffice_path():
            self.skipTest("LibreOffice (soffice) is not installed: no PDF is made")
        campaign = self._campaign()
        campaign.action_launch()
        self._generate(campaign)
        pdf = base64.b64decode(campaign.pdf_file)
        self.assertTrue(pdf.startswith(b"%PDF"))
        # as printed: each one-page letter on a page of its own
        pages = re.findall(rb"/Type\s*/Page(?!s)", pdf)
        self.assertEqual(len(pages), len(campaign.recipient_ids))
        # a small campaign is one chunk, whose part is dropped once joined
        self.assertEqual(campaign.pdf_letter_count, 2)
        self.assertFalse(campaign.pdf_part_ids)

    def _pdf_campaign(self, count):
        """A launched campaign of ``count`` more customers than the usual two, whose PDF is
        made two letters at a time; its recipients in the order of the printed letters."""
        self.env["ir.config_parameter"].sudo().set_param(campaign_module.PDF_CHUNK_PARAM, "2")
        self.env["res.partner"].create(
            [
                {
                    "name": f"Khach Hang So {number:02d}",
                    "effect_stage": "prospect",
                    "user_id": self.user_salesman.id,
                }
                for number in range(1, count + 1)
            ]
        )
        campaign = self._campaign()
        campaign.action_launch()
        self.assertEqual(len(campaign.recipient_ids), count + 2)
        campaign.action_generate()
        return campaign

    def _assert_pdf_in_order(self, campaign):
        """One page per letter, in the order of the recipients: no page twice, none lost."""
        self.assertEqual(campaign.state, "done")
        reader = PdfFileReader(io.BytesIO(base64.b64decode(campaign.pdf_file)))
        texts = [page.extract_text() for page in reader.pages]
        names = campaign._effect_printed_recipients().partner_id.mapped("name")
        self.assertEqual(len(texts), len(names))
        for number, (text, name) in enumerate(zip(texts, names, strict=True), start=1):
            if name.startswith("Khach Hang"):
                self.assertIn(name, text, f"page {number}")
        self.assertFalse(campaign.pdf_part_ids)
        self.assertFalse(
            self.env["ir.attachment"].sudo().search([("name", "=like", f"{campaign.name} (%")]),
            "the chunk PDFs are deleted once joined",
        )

    def test_pdf_in_chunks(self):
        if not office.soffice_path():
            self.skipTest("LibreOffice (soffice) is not installed: no PDF is made")
        campaign = self._pdf_campaign(5)
        Cron = self.env.registry["ir.cron"]
        with patch.object(Cron, "_commit_progress", lambda self, *a, **k: 1000.0):
            self.env["effect.crm.mailmerge.campaign"]._cron_generate()
        # 7 letters, 2 a chunk: 4 chunks joined in order
        self.assertEqual(campaign.pdf_letter_count, 7)
        self._assert_pdf_in_order(campaign)

    def test_pdf_resumes_after_crash(self):
        if not office.soffice_path():
            self.skipTest("LibreOffice (soffice) is not installed: no PDF is made")
        campaign = self._pdf_campaign(5)
        Cron = self.env.registry["ir.cron"]
        commits = []

        def out_of_time_after_four(cron, processed=0, remaining=None, **kwargs):
            # each committed step: the letters, the Word document, then a chunk each
            commits.append(remaining)
            return 1000.0 if len(commits) < 4 else 0.0

        with patch.object(Cron, "_commit_progress", out_of_time_after_four):
            self.env["effect.crm.mailmerge.campaign"]._cron_generate()
        # stopped after two chunks: four letters in two parts, the rest still to convert
        self.assertEqual(campaign.state, "generating")
        self.assertEqual(campaign.pdf_letter_count, 4)
        self.assertEqual(len(campaign.pdf_part_ids), 2)
        self.assertEqual(commits[-1], 3)
        self.assertEqual(campaign.pdf_progress, 400 / 7)

        # the next run is killed while converting the third chunk: nothing of it is kept
        def killed(*args, **kwargs):
            raise RuntimeError("server killed")

        with (
            patch.object(office, "to_pdf", killed),
            self.assertRaises(RuntimeError),
            self.env.cr.savepoint(),
        ):
            campaign._effect_finish_step()
        self.env.invalidate_all()
        self.assertEqual(campaign.pdf_letter_count, 4)
        self.assertEqual(len(campaign.pdf_part_ids), 2)
        # the run after it resumes at the third chunk
        with patch.object(Cron, "_commit_progress", lambda self, *a, **k: 1000.0):
            self.env["effect.crm.mailmerge.campaign"]._cron_generate()
        self._assert_pdf_in_order(campaign)

    def test_pdf_conversion_failure_keeps_word(self):
        if not office.soffice_path():
            self.skipTest("LibreOffice (soffice) is not installed: no PDF is made")
        campaign = self._pdf_campaign(1)

        def fails(*args, **kwargs):
            raise office.ConversionError("LibreOffice produced no PDF")

        campaign._effect_generate_batch(10)
        self.assertEqual(campaign._effect_finish_step(), 3)  # the Word document
        self.assertEqual(campaign._effect_finish_step(), 2)  # the first chunk
        with patch.object(office, "to_pdf", fails):
            campaign._effect_finish_step()
        campaign._effect_finish()
        self.assertEqual(campaign.state, "done")
        self.assertTrue(campaign.combined_file)
        self.assertFalse(campaign.pdf_file)
        self.assertFalse(campaign.pdf_part_ids)

    def test_tools_combine_and_periods(self):
        values = [
            {"customer": {"name": name}, "survey": {"qr": f"https://example.vn/s/{name}"}}
            for name in ("A", "B", "A")
        ]
        combined = docx_template.render_many(self.template, values, letters.qr_codes(["survey.qr"]))
        self.assertEqual(letter_sections(combined), 3)
        text = document_text(combined)
        self.assertEqual(text.count("Kính gửi"), 3)
        self.assertLess(text.index(" – A"), text.index(" – B"))
        # one QR code per letter, each its own picture with its own drawing id
        document = docx.Document(io.BytesIO(combined))
        self.assertEqual(len(set(document.element.body.xpath(".//a:blip/@r:embed"))), 3)
        ids = document.element.body.xpath(".//wp:docPr/@id")
        self.assertEqual(len(ids), len(set(ids)))
        # the same engine, one letter: what docx_template.render makes
        template = docx_template.Template(self.template)
        self.assertEqual(
            docx_template.read_back(template.render(values[1]))["customer.name"],
            docx_template.read_back(docx_template.render(self.template, values[1]))[
                "customer.name"
            ],
        )
        today = datetime.date(2026, 1, 31)
        self.assertEqual(
            letters.period_bounds("last_month", today),
            (datetime.date(2025, 12, 1), datetime.date(2026, 1, 1)),
        )
        self.assertEqual(
            letters.period_bounds("this_quarter", datetime.date(2026, 11, 3)),
            (datetime.date(2026, 10, 1), datetime.date(2027, 1, 1)),
        )
