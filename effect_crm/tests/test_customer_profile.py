from ast import literal_eval

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import EffectCrmCommon


@tagged("post_install", "-at_install")
class TestCustomerProfile(EffectCrmCommon):
    def test_salesman_creates_prospect_with_classification(self):
        Partner = self.env["res.partner"].with_user(self.user_salesman)
        prospect = Partner.create(
            {
                "name": "Hộ kinh doanh Bánh Mì Hội An",
                "is_company": False,
                "effect_stage": "prospect",
                "country_id": self.vn.id,
                "state_id": self.danang.id,
                "city": "Hội An",
                "effect_business_type_id": self.env.ref("effect_crm.business_type_household").id,
                "effect_size_id": self.env.ref("effect_crm.size_micro").id,
                "industry_id": self.env.ref("base.res_partner_industry_I").id,
                "effect_director_name": "Trần Văn Chủ",
                "category_id": [self.env["res.partner.category"].create({"name": "Bánh"}).id],
                "vat": "079123456789",
            }
        )
        self.assertEqual(prospect.effect_stage, "prospect")
        self.assertTrue(prospect.effect_stage_date)
        self.assertEqual(prospect.state_id, self.danang)
        found = Partner.search(
            [
                ("effect_stage", "=", "prospect"),
                ("effect_size_id.name", "ilike", "Micro"),
                ("state_id", "=", self.danang.id),
            ]
        )
        self.assertIn(prospect, found)

    def test_stage_change_is_tracked_in_chatter(self):
        customer = (
            self.env["res.partner"]
            .with_user(self.user_salesman)
            .create({"name": "Công ty Theo Dõi", "is_company": True, "effect_stage": "prospect"})
        )
        self._flush_tracking()
        customer.with_context(effect_stage="customer").action_effect_set_stage()
        self._flush_tracking()
        self.assertEqual(customer.effect_stage, "customer")
        tracked = customer.sudo().message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "effect_stage"
        )
        self.assertEqual(len(tracked), 1)
        self.assertEqual(tracked.old_value_char, "Prospect")
        self.assertEqual(tracked.new_value_char, "Customer")

    def _flush_tracking(self):
        # tracking values are written when the transaction is flushed
        self.env.flush_all()
        self.env.cr.flush()

    def test_contact_persons_share_the_company_classification(self):
        self.assertEqual(self.customer_contact.effect_stage, "prospect")
        self.customer.write(
            {"effect_stage": "inactive", "effect_size_id": self.env.ref("effect_crm.size_large").id}
        )
        self.assertEqual(self.customer_contact.effect_stage, "inactive")
        self.assertEqual(self.customer_contact.effect_size_id.name, "Large (200–499)")

    def test_mark_a_plain_partner_as_prospect(self):
        self.assertFalse(self.vendor.effect_stage)
        self.vendor.with_user(self.user_salesman_all).with_context(
            effect_stage="prospect"
        ).action_effect_set_stage()
        self.assertEqual(self.vendor.effect_stage, "prospect")
        action = self.env.ref("effect_crm.action_effect_crm_customers")
        customers = self.env["res.partner"].search(literal_eval(action.domain))
        self.assertIn(self.vendor, customers)
        self.assertNotIn(self.customer_contact, customers)

    def test_classification_lists_are_managed_by_sales_managers(self):
        BusinessType = self.env["effect.crm.business.type"]
        new_type = BusinessType.with_user(self.user_sales_manager).create(
            {"name": "Chi nhánh nước ngoài"}
        )
        self.assertTrue(new_type.active)
        with self.assertRaises(AccessError):
            BusinessType.with_user(self.user_salesman).create({"name": "Không được"})
        size = (
            self.env["effect.crm.size"]
            .with_user(self.user_sales_manager)
            .create({"name": "Tiny", "headcount_min": 1, "headcount_max": 2})
        )
        self.assertEqual(size.headcount_max, 2)
        industry = (
            self.env["res.partner.industry"]
            .with_user(self.user_sales_manager)
            .create({"name": "Logistics lạnh"})
        )
        self.assertTrue(industry.id)
        with self.assertRaises(AccessError):
            self.env["res.partner.industry"].with_user(self.user_salesman).create(
                {"name": "Không được"}
            )

    def test_size_band_bounds_are_checked(self):
        with self.assertRaisesRegex(ValidationError, "upper bound"):
            self.env["effect.crm.size"].create(
                {"name": "Sai", "headcount_min": 50, "headcount_max": 10}
            )
