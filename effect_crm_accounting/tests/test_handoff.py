"""Hand-off of won customers to accounting: the checklist, what is reported missing,
the activity for accounting, automatic hand-offs and nothing half-done."""

from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import Form, tagged

from odoo.addons.effect_crm_accounting.models.effect_crm_handoff import EffectCrmHandoff

from .common import EffectCrmAccountingCommon


@tagged("post_install", "-at_install")
class TestHandoff(EffectCrmAccountingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.handoff_type = cls.env.ref("effect_crm_accounting.mail_activity_type_handoff")
        # customer: a prospect of user_salesman with a valid tax code, a city and a
        # province but no street, and no payment terms
        cls.customer.property_payment_term_id = False

    def _handoffs(self, partner):
        return self.env["effect.crm.handoff"].search([("partner_id", "=", partner.id)])

    def _win_with_dialog(self, partner, user, note=False):
        action = partner.with_user(user).action_effect_handoff_wizard()
        wizard = (
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
            .create({"note": note})
        )
        return wizard

    def test_checklist_reports_what_is_missing(self):
        items = dict(self.customer._effect_handoff_checklist()[self.customer.id])
        self.assertEqual(
            items,
            {
                "tax_code": True,
                "invoice_address": False,  # no street
                "payment_term": False,
                "receivable_account": True,  # the company's default receivable account
            },
        )
        # the company uses credit limits: one is asked for
        self.company.account_use_credit_limit = True
        items = dict(self.customer._effect_handoff_checklist()[self.customer.id])
        self.assertIs(items["credit_limit"], False)
        self.customer.credit_limit = 50000
        items = dict(self.customer._effect_handoff_checklist()[self.customer.id])
        self.assertIs(items["credit_limit"], True)

    def test_tax_code_checked_with_its_check_digit(self):
        self.customer.with_context(no_vat_validation=True).vat = "0100109107"  # bad digit
        items = dict(self.customer._effect_handoff_checklist()[self.customer.id])
        self.assertIs(items["tax_code"], False)
        self.customer.vat = False
        items = dict(self.customer._effect_handoff_checklist()[self.customer.id])
        self.assertIs(items["tax_code"], False)
        # an individual without a tax code: not asked for
        person = self.env["res.partner"].create(
            {"name": "Lê Văn Cá Nhân", "effect_stage": "prospect", "user_id": self.user_salesman.id}
        )
        self.assertNotIn("tax_code", dict(person._effect_handoff_checklist()[person.id]))

    def test_invoice_contact_address_counts(self):
        self.env["res.partner"].create(
            {
                "name": "Phòng Kế toán",
                "type": "invoice",
                "parent_id": self.customer.id,
                "street": "Số 1 Tràng Tiền",
                "city": "Hà Nội",
                "country_id": self.vn.id,
            }
        )
        items = dict(self.customer._effect_handoff_checklist()[self.customer.id])
        self.assertIs(items["invoice_address"], True)

    def test_won_with_the_dialog_records_an_incomplete_handoff(self):
        wizard = self._win_with_dialog(self.customer, self.user_salesman, note="Thanh toán 30 ngày")
        # the dialog shows what is missing before anything changes
        self.assertEqual(wizard.missing_count, 2)
        self.assertIn("Payment terms", wizard.checklist_html)
        self.assertEqual(self.customer.effect_stage, "prospect")
        self.assertFalse(self._handoffs(self.customer))

        wizard.action_confirm()
        self.assertEqual(self.customer.effect_stage, "customer")
        handoff = self._handoffs(self.customer)
        self.assertEqual(len(handoff), 1)
        self.assertEqual(handoff.state, "incomplete")
        self.assertEqual(handoff.trigger, "manual")
        self.assertEqual(handoff.author_id, self.user_salesman)
        self.assertEqual(handoff.user_id, self.user_salesman)
        self.assertEqual(handoff.note, "Thanh toán 30 ngày")
        self.assertEqual(
            handoff.missing_summary,
            "Invoicing address (street, city or province, country), Payment terms",
        )
        self.assertEqual(self.customer.effect_handoff_state, "incomplete")
        # accounting's activity names what is missing
        activity = handoff.activity_id
        self.assertEqual(activity.activity_type_id, self.handoff_type)
        self.assertEqual(activity.user_id, self.user_accountant)
        self.assertEqual((activity.res_model, activity.res_id), (handoff._name, handoff.id))
        # on the hand-off, where every accounting user sees it, not on the customer,
        # where it would pass for the customer's next sales action
        self.assertEqual(handoff.with_user(self.user_auditor).activity_ids, activity)
        self.assertFalse(self.customer.effect_next_action_date)
        self.assertIn("Payment terms", activity.note)
        self.assertIn("Thanh toán 30 ngày", activity.note)
        # the chatter says so
        message = self.customer.message_ids.filtered(lambda m: "Handed off" in (m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertIn("Incomplete, missing", message.body)
        # the salesperson reads the hand-off but does not change it
        self.assertTrue(handoff.with_user(self.user_salesman).missing_summary)
        with self.assertRaises(AccessError):
            handoff.with_user(self.user_salesman).note = "x"

    def test_handoff_completes_when_the_data_is_completed(self):
        self.customer.with_user(self.user_salesman).write({"effect_stage": "customer"})
        handoff = self._handoffs(self.customer)
        self.assertEqual(handoff.state, "incomplete")
        self.customer.with_user(self.user_salesman).street = "Số 5 Lý Thái Tổ"
        self.assertEqual(handoff.state, "incomplete")
        self.assertEqual(handoff.missing_summary, "Payment terms")
        self.customer.with_user(self.user_salesman).property_payment_term_id = self.payment_term_30
        self.assertEqual(handoff.state, "complete")
        self.assertTrue(handoff.date_completed)
        self.assertEqual(self.customer.effect_handoff_state, "complete")
        self.assertTrue(
            self.customer.message_ids.filtered(lambda m: "Hand-off complete" in (m.body or ""))
        )

    def test_check_again_by_the_accountant(self):
        self.customer.write({"effect_stage": "customer"})
        handoff = self._handoffs(self.customer).with_user(self.user_accountant)
        action = handoff.action_effect_recheck()
        self.assertEqual(action["params"]["type"], "warning")
        self.customer.with_context(effect_skip=True).write(
            {"street": "Số 5 Lý Thái Tổ", "property_payment_term_id": self.payment_term_30.id}
        )
        self.assertEqual(handoff.state, "complete")
        with self.assertRaises(AccessError):
            handoff.with_user(self.user_auditor).action_effect_recheck()

    def test_accountant_completes_the_accounting_side(self):
        self.company.account_use_credit_limit = True
        self.customer.write({"effect_stage": "customer"})
        handoff = self._handoffs(self.customer)
        self.assertEqual(handoff.state, "incomplete")
        stage_before = (self.customer.effect_stage, self.customer.user_id)
        # accountants cannot write customers directly, not even their CRM side
        with self.assertRaises(AccessError):
            self.customer.with_user(self.user_accountant).write({"effect_stage": "inactive"})
        action = handoff.with_user(self.user_accountant).action_effect_complete()
        form = Form(
            self.env[action["res_model"]]
            .with_user(self.user_accountant)
            .with_context(**action["context"])
        )
        self.assertEqual(form.city, self.customer.city, "starts from the customer's data")
        form.street = "Số 5 Lý Thái Tổ"
        form.property_payment_term_id = self.payment_term_30
        form.use_partner_credit_limit = True
        form.credit_limit = 200_000_000
        wizard = form.save()
        wizard.action_apply()
        self.assertFalse(handoff.missing_summary)
        self.assertEqual(handoff.state, "complete")
        self.assertEqual(self.customer.street, "Số 5 Lý Thái Tổ")
        self.assertEqual(self.customer.property_payment_term_id, self.payment_term_30)
        self.assertEqual(self.customer.credit_limit, 200_000_000)
        self.assertEqual((self.customer.effect_stage, self.customer.user_id), stage_before)

    def test_only_accountants_complete_the_accounting_side(self):
        self.customer.write({"effect_stage": "customer"})
        handoff = self._handoffs(self.customer)
        with self.assertRaises(AccessError):
            self.env["effect.crm.handoff.complete"].with_user(self.user_salesman).create(
                {"handoff_id": handoff.id}
            )
        with self.assertRaises(AccessError):
            self.env["effect.crm.handoff.complete"].with_user(self.user_auditor).create(
                {"handoff_id": handoff.id}
            )

    def test_complete_handoff(self):
        self.customer.write(
            {"street": "Số 5 Lý Thái Tổ", "property_payment_term_id": self.payment_term_30.id}
        )
        self.customer.with_user(self.user_salesman).action_effect_handoff_wizard()
        self._win_with_dialog(self.customer, self.user_salesman).action_confirm()
        handoff = self._handoffs(self.customer)
        self.assertEqual(handoff.state, "complete")
        self.assertFalse(handoff.missing_summary)
        self.assertIn("Everything accounting needs is there", self.customer.message_ids[0].body)

    def test_accounting_contact_defaults_to_an_accounting_administrator(self):
        self.company.effect_handoff_user_id = False
        self.customer.write({"effect_stage": "customer"})
        accountant = self._handoffs(self.customer).activity_id.user_id
        self.assertTrue(accountant.has_group("account.group_account_manager"))
        self.assertNotEqual(accountant, self.env.ref("base.user_root"))

    def test_confirmed_order_hands_off_its_prospect(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer_contact.id,
                "user_id": self.user_salesman.id,
                "order_line": [Command.create({"product_id": self.product.id})],
            }
        )
        order.with_user(self.user_salesman).action_confirm()
        self.assertEqual(self.customer.effect_stage, "customer")
        handoff = self._handoffs(self.customer)
        self.assertEqual((handoff.trigger, handoff.sale_order_id), ("sale_order", order))
        # the second order of a customer hands nothing off again
        order.copy().action_confirm()
        self.assertEqual(len(self._handoffs(self.customer)), 1)

    def test_posted_invoice_hands_off_its_prospect(self):
        invoice = self.invoice(self.customer, 100.0, self.days(30))
        handoff = self._handoffs(self.customer)
        self.assertEqual((handoff.trigger, handoff.move_id), ("invoice", invoice))
        self.assertEqual(self.customer.effect_stage, "customer")
        # partners that are not CRM customers, and customers, are left alone
        self.invoice(self.vendor, 100.0, self.days(30))
        self.invoice(self.customer_2, 100.0, self.days(30))
        self.assertFalse(self.vendor.effect_stage)
        self.assertFalse(self._handoffs(self.vendor) | self._handoffs(self.customer_2))

    def test_nothing_half_done(self):
        Activity = self.env["mail.activity"]
        todo = [("activity_type_id", "=", self.handoff_type.id)]
        activities_before = Activity.search_count(todo)
        # accounting cannot be notified: the stage does not change, no hand-off is left
        with (
            patch.object(
                EffectCrmHandoff, "_effect_notify_accounting", side_effect=RuntimeError("down")
            ),
            self.assertRaises(RuntimeError),
        ):
            self._win_with_dialog(self.customer, self.user_salesman).action_confirm()
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.effect_stage, "prospect")
        self.assertFalse(self._handoffs(self.customer))
        self.assertEqual(Activity.search_count(todo), activities_before)
        self.assertFalse(
            self.customer.message_ids.filtered(lambda m: "Handed off" in (m.body or ""))
        )
        # a salesperson who may not change the customer hands nothing off
        with self.assertRaises(AccessError):
            self.customer.with_user(self.user_salesman_2).write({"effect_stage": "customer"})
        self.assertEqual(self.customer.effect_stage, "prospect")
        self.assertFalse(self._handoffs(self.customer))

    def test_only_prospects_becoming_customers(self):
        self.customer.write({"effect_stage": "inactive"})
        self.customer.write({"effect_stage": "customer"})
        self.assertFalse(self._handoffs(self.customer))
