"""The campaign screen in the browser, and the questionnaire answered over HTTP."""

import base64

from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.effect_crm.tests.common import EffectCrmCommon

from .docx_factory import letter_template


@tagged("post_install", "-at_install")
class TestMailmergeUi(HttpCase, EffectCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_small = cls.env["res.partner"].create(
            {
                "name": "Công ty TNHH Nhỏ Hải Phòng",
                "is_company": True,
                "effect_stage": "customer",
                "user_id": cls.user_salesman.id,
            }
        )
        cls.survey = cls.env["survey.survey"].create(
            {
                "title": "Khảo sát mức độ hài lòng",
                "access_mode": "token",
                "questions_layout": "one_page",
                "question_and_page_ids": [
                    Command.create(
                        {"title": "Quý công ty có hài lòng?", "question_type": "text_box"}
                    )
                ],
            }
        )

    def test_campaign_screen_and_questionnaire_over_http(self):
        campaign = (
            self.env["effect.crm.mailmerge.campaign"]
            .with_user(self.user_salesman)
            .create(
                {
                    "name": "Thư cảm ơn khách hàng (tour)",
                    "purpose": "thank_you",
                    "partner_domain": "[('effect_stage', 'in', ('prospect', 'customer'))]",
                    "template_id": self.env["effect.crm.template"]
                    .create(
                        {
                            "name": "Thư cảm ơn",
                            "purpose": "letter",
                            "file": base64.b64encode(letter_template()),
                            "file_name": "thu.docx",
                        }
                    )
                    .id,
                    "survey_id": self.survey.id,
                }
            )
        )
        self.start_tour(
            "/odoo/action-effect_crm_mailmerge.effect_crm_mailmerge_campaign_action",
            "effect_crm_mailmerge_campaign",
            login="effect_salesman",
        )
        self.assertEqual(campaign.state, "generating")
        self.assertEqual(campaign.recipient_ids.partner_id, self.customer | self.customer_small)
        while campaign._effect_generate_batch(1):
            pass
        campaign._effect_finish()
        self.assertEqual(campaign.state, "done")

        # the customer opens the personal link of the letter and answers
        recipient = campaign.recipient_ids.filtered(lambda r: r.partner_id == self.customer)
        answer = recipient.sudo().survey_user_input_id
        self.assertTrue(recipient.survey_url.endswith(answer.access_token))
        self.authenticate(None, None)
        page = self.url_open(recipient.survey_url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Khảo sát mức độ hài lòng", page.text)
        base = self.survey.get_base_url()
        survey_token, token = self.survey.access_token, answer.access_token
        self.url_open(f"{base}/survey/begin/{survey_token}/{token}", json={"params": {}})
        question = self.survey.question_ids
        self.url_open(
            f"{base}/survey/submit/{survey_token}/{token}",
            json={"params": {str(question.id): "Rất hài lòng"}},
        )
        self.assertEqual(answer.state, "done")
        self.assertEqual(recipient.response_status, "interested")
        self.assertTrue(recipient.response_interaction_id)
        # the other recipient has not answered
        other = campaign.recipient_ids - recipient
        self.assertEqual(other.response_status, "none")

    def test_responses_quick_entry(self):
        campaign = (
            self.env["effect.crm.mailmerge.campaign"]
            .with_user(self.user_salesman)
            .create(
                {
                    "name": "Thư giới thiệu (tour)",
                    "purpose": "introduction",
                    "partner_domain": "[('effect_stage', 'in', ('prospect', 'customer'))]",
                    "template_id": self.env["effect.crm.template"]
                    .create(
                        {
                            "name": "Thư giới thiệu",
                            "purpose": "letter",
                            "file": base64.b64encode(letter_template()),
                            "file_name": "gioi_thieu.docx",
                        }
                    )
                    .id,
                }
            )
        )
        campaign.action_launch()
        campaign.action_generate()
        while campaign._effect_generate_batch(10):
            pass
        campaign._effect_finish()
        self.start_tour(
            "/odoo/action-effect_crm_mailmerge.effect_crm_mailmerge_response_action",
            "effect_crm_mailmerge_responses",
            login="effect_salesman",
        )
        recipient = campaign.recipient_ids.filtered(lambda r: r.partner_id == self.customer)
        self.assertEqual(recipient.response_status, "quotation")
        self.assertTrue(recipient.response_date)
        self.assertEqual(recipient.response_interaction_id.direction, "incoming")
        self.assertEqual((campaign.recipient_ids - recipient).mapped("response_status"), ["none"])
