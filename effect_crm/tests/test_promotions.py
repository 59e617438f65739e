from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import EVENING_IN_UTC
from .contract_common import EffectCrmSalesCommon


@freeze_time(EVENING_IN_UTC)
@tagged("post_install", "-at_install")
class TestPromotions(EffectCrmSalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls._user_today(cls.user_salesman)
        Promotion = cls.env["effect.crm.promotion"].with_user(cls.user_sales_manager)
        cls.promo_pipes = Promotion.create(
            {
                "name": "Ống thép -10%",
                "category_id": cls.env.ref("effect_crm.promotion_category_seasonal").id,
                "discount_type": "percentage",
                "discount_percentage": 10,
                "product_categ_ids": [fields.Command.link(cls.categ_pipes.id)],
                "date_start": cls.today - timedelta(days=1),
                "date_end": cls.today,
                "terms": "<p>Áp dụng đến hết tháng.</p>",
            }
        )
        cls.promo_fixed = Promotion.create(
            {
                "name": "Giảm 20 mỗi tấm",
                "discount_type": "fixed",
                "discount_amount": 20,
                "currency_id": cls.company.currency_id.id,
                "product_tmpl_ids": [fields.Command.link(cls.product_plate.product_tmpl_id.id)],
            }
        )

    def _apply(self, order, promotion):
        wizard = (
            self.env["effect.crm.promotion.apply"]
            .with_user(order.env.user)
            .create({"order_id": order.id, "promotion_id": promotion.id})
        )
        return wizard.action_apply()

    def test_apply_sets_discounts_on_matching_lines_and_records_the_promotion(self):
        order = self._quotation(
            lines=[(self.product_plate, 10, 200.0), (self.product_pipe, 20, 50.0)]
        )
        self._apply(order, self.promo_pipes)
        plate, pipe = order.order_line
        self.assertEqual(pipe.discount, 10)
        self.assertEqual(plate.discount, 0, "plates are not in the pipes category")
        self.assertEqual(order.effect_promotion_id, self.promo_pipes)
        self.assertIn("Áp dụng đến hết tháng.", order.note)
        self._apply(order, self.promo_fixed)
        self.assertEqual(plate.discount, 10, "20 off a unit price of 200")
        self.assertEqual(order.effect_promotion_id, self.promo_fixed)
        self.assertEqual(self.promo_fixed.order_count, 1)

    def test_expired_or_future_promotion_cannot_be_applied(self):
        order = self._quotation()
        manager_promo = self.promo_pipes.with_user(self.user_sales_manager)
        manager_promo.write(
            {
                "date_start": self.today - timedelta(days=30),
                "date_end": self.today - timedelta(days=1),
            }
        )
        self.assertEqual(self.promo_pipes.validity_state, "expired")
        with self.assertRaisesRegex(UserError, "can no longer be applied"):
            self._apply(order, self.promo_pipes)
        manager_promo.write({"date_start": self.today + timedelta(days=1), "date_end": False})
        self.assertEqual(self.promo_pipes.validity_state, "upcoming")
        with self.assertRaisesRegex(UserError, "cannot be applied yet"):
            self._apply(order, self.promo_pipes)
        self.assertEqual(order.order_line.mapped("discount"), [0, 0])
        self.assertFalse(order.effect_promotion_id)
        running = self.env["effect.crm.promotion"].search([("validity_state", "=", "running")])
        self.assertIn(self.promo_fixed, running)
        self.assertNotIn(self.promo_pipes, running)

    def test_bad_input(self):
        order = self._quotation(lines=[(self.product_service, 1, 300.0)])
        with self.assertRaisesRegex(UserError, "No line of"):
            self._apply(order, self.promo_pipes)
        other_company = self.env["res.company"].create({"name": "Chi nhánh Đà Nẵng"})
        self.promo_fixed.company_id = other_company
        with self.assertRaisesRegex(UserError, "is offered by"):
            order._effect_apply_promotion(self.promo_fixed.sudo())
        Promotion = self.env["effect.crm.promotion"].with_user(self.user_sales_manager)
        with self.assertRaisesRegex(ValidationError, "enter its discount percentage"):
            Promotion.create({"name": "Trống", "discount_type": "percentage"})
        with self.assertRaisesRegex(ValidationError, "before it starts"):
            Promotion.create(
                {
                    "name": "Ngược",
                    "discount_percentage": 5,
                    "date_start": self.today,
                    "date_end": self.today - timedelta(days=1),
                }
            )

    def test_promotion_on_a_sent_quotation_needs_a_new_revision(self):
        order = self._quotation()
        order.action_quotation_sent()
        with self.assertRaisesRegex(UserError, "was sent to the customer"):
            self._apply(order, self.promo_pipes)
        revision = order.browse(order.action_effect_new_revision()["res_id"])
        self._apply(revision, self.promo_pipes)
        self.assertEqual(revision.order_line[1].discount, 10)
        self.assertEqual(order.order_line[1].discount, 0)

    def test_next_revision_keeps_the_promotion_on_its_lines(self):
        # with a pricelist, Odoo recomputes a copied line's discount from it
        pricelist = self.env["product.pricelist"].create(
            {"name": "Bảng giá chung", "currency_id": self.company.currency_id.id}
        )
        order = self._quotation(
            lines=[(self.product_plate, 10, 200.0), (self.product_pipe, 20, 50.0)],
            pricelist_id=pricelist.id,
        )
        # the promotion without dates: the test does not depend on the day it runs
        self._apply(order, self.promo_fixed)
        order.action_quotation_sent()
        revision = order.browse(order.action_effect_new_revision()["res_id"])
        self.assertEqual(revision.effect_promotion_id, self.promo_fixed)
        self.assertEqual(revision.order_line.mapped("discount"), [10, 0], "the promotion stays")
        self.assertEqual(revision.amount_untaxed, order.amount_untaxed)
        self.assertEqual(order.order_line.mapped("discount"), [10, 0])
        # what a revision is for: a changed quantity keeps the promotion
        plate_line = revision.order_line[0]
        plate_line.product_uom_qty = 12
        self.assertEqual(plate_line.discount, 10)
        self.assertEqual(plate_line.price_subtotal, 12 * 180.0)

    def test_only_sales_managers_manage_promotions(self):
        Promotion = self.env["effect.crm.promotion"].with_user(self.user_salesman)
        self.assertEqual(Promotion.search([("id", "=", self.promo_pipes.id)]), self.promo_pipes)
        with self.assertRaises(AccessError):
            Promotion.create({"name": "Tự chế", "discount_percentage": 50})
        with self.assertRaises(AccessError):
            self.promo_pipes.with_user(self.user_salesman).write({"discount_percentage": 90})
