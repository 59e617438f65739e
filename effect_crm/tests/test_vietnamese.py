"""What a Vietnamese salesperson reads: Odoo's next-action types and EFFECT's terms in vi."""

from odoo.tests import tagged

from .common import EffectCrmCommon


@tagged("post_install", "-at_install")
class TestVietnamese(EffectCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.env["ir.module.module"]._load_module_terms(["effect_crm"], ["vi_VN"])

    def test_next_action_types_are_vietnamese(self):
        types = self.env["mail.activity.type"].with_context(lang="vi_VN")
        names = {
            xmlid: types.env.ref(xmlid).name
            for xmlid in (
                "mail.mail_activity_data_call",
                "mail.mail_activity_data_todo",
                "mail.mail_activity_data_meeting",
                "effect_crm.mail_activity_type_visit",
                "effect_crm.mail_activity_type_send_quote",
            )
        }
        self.assertEqual(
            names,
            {
                "mail.mail_activity_data_call": "Gọi điện",
                "mail.mail_activity_data_todo": "Việc cần làm",
                "mail.mail_activity_data_meeting": "Cuộc họp",
                "effect_crm.mail_activity_type_visit": "Thăm khách hàng",
                "effect_crm.mail_activity_type_send_quote": "Gửi báo giá",
            },
        )

    def test_stage_and_direction_labels(self):
        Partner = self.env["res.partner"].with_context(lang="vi_VN")
        stages = dict(Partner.fields_get(["effect_stage"])["effect_stage"]["selection"])
        self.assertEqual(stages["inactive"], "Ngừng giao dịch")
        Interaction = self.env["effect.crm.interaction"].with_context(lang="vi_VN")
        directions = dict(Interaction.fields_get(["direction"])["direction"]["selection"])
        self.assertEqual(directions, {"outgoing": "Gọi đi", "incoming": "Gọi đến"})


@tagged("post_install", "-at_install")
class TestVietnameseAsInstalled(EffectCrmCommon):
    def test_demo_database_has_effect_crm_in_vietnamese(self):
        """Installed with its demo data, what Odoo keeps translated in the database is
        Vietnamese without loading the language again: the demo activates Vietnamese
        before effect_crm's translations are loaded."""
        if not self.env.ref("effect_crm.user_an_demo", raise_if_not_found=False):
            self.skipTest("installed without demo data")
        constraint = self.env["ir.model.constraint"].search(
            [("module", "=", self.env.ref("base.module_effect_crm").id),
             ("definition", "=", "CHECK(amount >= 0)")]
        )  # fmt: skip
        self.assertEqual(
            constraint.with_context(lang="vi_VN").message, "Giá trị hợp đồng không được âm."
        )
