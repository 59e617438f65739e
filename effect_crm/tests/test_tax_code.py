from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import EffectCrmCommon

VALID = ["0100109106", "0100109106-001", "0312345673", "079123456789"]
INVALID = ["0100109107", "0100109106-00", "01001091", "ABCDEFGHIJ"]


@tagged("post_install", "-at_install")
class TestTaxCode(EffectCrmCommon):
    def test_valid_and_invalid_codes_through_the_orm(self):
        Partner = self.env["res.partner"].with_user(self.user_salesman)
        for code in VALID:
            with self.subTest(code=code):
                partner = Partner.create({"name": code, "country_id": self.vn.id, "vat": code})
                self.assertTrue(partner.vat)
        for code in INVALID:
            with self.subTest(code=code), self.assertRaises(ValidationError):
                Partner.create({"name": code, "country_id": self.vn.id, "vat": code})

    def test_customer_with_valid_vietnamese_tax_code(self):
        Partner = self.env["res.partner"].with_user(self.user_salesman)
        partner = Partner.create(
            {
                "name": "Chi nhánh Thép Việt",
                "is_company": True,
                "effect_stage": "prospect",
                "country_id": self.vn.id,
                "vat": "0100109106001",
            }
        )
        self.assertEqual(partner.vat, "0100109106-001")

    def test_customer_with_invalid_vietnamese_tax_code_gets_clear_message(self):
        Partner = self.env["res.partner"].with_user(self.user_salesman)
        with self.assertRaisesRegex(ValidationError, "0100109107"):
            Partner.create(
                {
                    "name": "Sai MST",
                    "is_company": True,
                    "effect_stage": "prospect",
                    "country_id": self.vn.id,
                    "vat": "0100109107",
                }
            )
        with self.assertRaises(ValidationError):
            self.customer.with_user(self.user_salesman).write({"vat": "0100109106-0"})
        self.assertEqual(self.customer.vat, "0100109106", "the previous code is kept")

    def test_error_message_names_mst_format_and_example(self):
        Partner = self.env["res.partner"].with_user(self.user_salesman)
        with self.assertRaises(ValidationError) as caught:
            Partner.create({"name": "Sai MST", "country_id": self.vn.id, "vat": "0100109107"})
        message = str(caught.exception)
        self.assertIn("mã số thuế", message)
        self.assertIn("0100109107", message)
        self.assertIn("10 digits", message)
        self.assertIn("check digit", message)
        self.assertIn("0100109106-001", message)
        self.assertNotIn("does not seem to be valid", message)

    def test_error_message_in_vietnamese(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"]._load_module_terms(["effect_crm"], ["vi_VN"], overwrite=True)
        self.user_salesman.lang = "vi_VN"
        Partner = self.env["res.partner"].with_user(self.user_salesman).with_context(lang="vi_VN")
        with self.assertRaises(ValidationError) as caught:
            Partner.create({"name": "Sai MST", "country_id": self.vn.id, "vat": "0100109107"})
        message = str(caught.exception)
        self.assertIn("Mã số thuế", message)
        self.assertIn("10 chữ số", message)
        self.assertIn("0100109106-001", message)

    def test_other_countries_are_checked_as_odoo_does(self):
        Partner = self.env["res.partner"].with_user(self.user_salesman)
        belgium = self.env.ref("base.be")
        partner = Partner.create(
            {
                "name": "Belgian SA",
                "is_company": True,
                "country_id": belgium.id,
                "vat": "BE0477472701",
            }
        )
        self.assertEqual(partner.vat, "BE0477472701")
        with self.assertRaises(ValidationError):
            Partner.create(
                {
                    "name": "Bad SA",
                    "is_company": True,
                    "country_id": belgium.id,
                    "vat": "BE0477472702",
                }
            )


@tagged("post_install", "-at_install")
class TestTaxCodeKeptAsPrinted(EffectCrmCommon):
    """A code printed wrong on the customer's papers is kept when a sales manager says
    so: checked for its form only (Odoo's check), the decision in the chatter."""

    PRINTED = "0100109107"  # the right form, a wrong check digit

    def test_manager_keeps_a_code_as_printed(self):
        Partner = self.env["res.partner"].with_user(self.user_sales_manager)
        partner = Partner.create(
            {"name": "Thép In Sai", "is_company": True, "country_id": self.vn.id}
        )
        with self.assertRaises(ValidationError):
            partner.write({"vat": self.PRINTED})
        partner.write({"effect_vat_as_printed": True, "vat": self.PRINTED})
        self.assertEqual(partner.vat, self.PRINTED)
        self.env.cr.precommit.run()  # Odoo writes tracking values when it commits
        self.assertIn(
            "effect_vat_as_printed",
            partner.sudo().message_ids.tracking_value_ids.field_id.mapped("name"),
        )
        # the form is still checked: letters and short codes are refused
        for code in ("ABCDEFGHIJ", "01001091"):
            with self.subTest(code=code), self.assertRaises(ValidationError):
                partner.write({"vat": code})
        # partners saved together keep their own rule
        strict = Partner.create({"name": "Thép Đúng", "country_id": self.vn.id})
        with self.assertRaises(ValidationError):
            (partner | strict).write({"vat": self.PRINTED})

    def test_salesperson_cannot_keep_a_code_as_printed(self):
        Partner = self.env["res.partner"].with_user(self.user_salesman)
        partner = Partner.create(
            {"name": "Thép In Sai", "is_company": True, "country_id": self.vn.id}
        )
        with self.assertRaises(AccessError):
            partner.write({"effect_vat_as_printed": True, "vat": self.PRINTED})
        with self.assertRaises(AccessError):
            Partner.create({"name": "Khác", "effect_vat_as_printed": True})
        self.assertFalse(partner.vat)
