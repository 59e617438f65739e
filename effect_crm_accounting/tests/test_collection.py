"""The collection loop: an accountant asks the customer's salesperson to call, the
salesperson logs the call with a promised payment date, the accountant sees the outcome."""

from odoo.exceptions import AccessError
from odoo.tests import Form, freeze_time, tagged

from odoo.addons.effect_crm.tests.common import EVENING_IN_UTC

from .common import EffectCrmAccountingCommon


@freeze_time(EVENING_IN_UTC)
@tagged("post_install", "-at_install")
class TestCollection(EffectCrmAccountingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.effect_stage = "customer"
        cls.overdue_invoice = cls.invoice(cls.customer, 4200.0, cls.days(-35))
        cls.request_type = cls.env.ref("effect_crm_accounting.mail_activity_type_collection")
        cls.call_type = cls.env.ref("effect_crm_accounting.interaction_type_collection")
        cls.promised = cls.env.ref("effect_crm_accounting.interaction_outcome_payment_promised")

    def _request(self, partner=None, user=None):
        partner = (partner or self.customer).with_user(self.user_accountant)
        action = partner.action_effect_request_collection()
        form = Form(
            self.env[action["res_model"]]
            .with_user(self.user_accountant)
            .with_context(**action["context"]),
            view=action["views"][0][0],
        )
        if user:
            form.user_id = user
        form.note = "<p>Hoá đơn quá hạn 35 ngày, xin ngày thanh toán.</p>"
        self.collection = form.save()
        # read as superuser: Odoo lets only who may edit the customer (or the assignee)
        # read its activities
        return self.collection.activity_id.sudo()

    def _accountant_notifications(self):
        return self.env["mail.notification"].search(
            [
                ("res_partner_id", "=", self.user_accountant.partner_id.id),
                ("mail_message_id.model", "=", "res.partner"),
                ("mail_message_id.res_id", "=", self.customer.id),
            ]
        )

    def test_request_call_promise_report(self):
        request = self._request()
        # the request goes to the customer's salesperson, from the accountant
        self.assertEqual(len(request), 1)
        self.assertEqual(request.user_id, self.user_salesman)
        self.assertEqual(request.create_uid, self.user_accountant)
        self.assertIn("4,200.00", request.summary)
        # it is on the salesperson's agenda; doing it proposes a debt collection call
        item = (
            self.env["effect.crm.agenda"]
            .with_user(self.user_salesman)
            .search([("activity_id", "=", request.id)])
        )
        action = item.action_effect_do()
        form = Form(
            self.env["effect.crm.interaction"]
            .with_user(self.user_salesman)
            .with_context(**action["context"]),
            view="effect_crm.effect_crm_interaction_view_form_log",
        )
        self.assertEqual(form.type_id, self.call_type)
        form.outcome_id = self.promised
        form.effect_promised_date = self.days(7)
        form.effect_promised_amount = 4200.0
        call = form.save()

        self.assertEqual(call.done_activity_id, request)
        self.assertFalse(request.active)  # done
        # the accountant is told the outcome
        [notification] = self._accountant_notifications()
        body = notification.mail_message_id.body
        self.assertIn("Payment promised", body)
        self.assertIn("4,200.00", body)
        self.assertIn(self.user_salesman.name, body)
        # and sees it on the customer, the call and the request, read-only
        customer = self.customer.with_user(self.user_accountant)
        self.assertEqual(customer.effect_promised_payment_date, self.days(7))
        calls = (
            self.env["effect.crm.interaction"]
            .with_user(self.user_accountant)
            .search(
                [("type_id.effect_is_collection", "=", True), ("partner_id", "=", self.customer.id)]
            )
        )
        self.assertEqual(calls, call)
        self.assertEqual(calls.outcome_id, self.promised)
        with self.assertRaises(AccessError):
            calls.write({"effect_promised_date": self.days(30)})
        collection = self.collection.with_user(self.user_accountant)
        self.assertEqual(collection.state, "done")
        self.assertEqual(collection.interaction_id, call)
        self.assertEqual(collection.outcome_id, self.promised)
        self.assertEqual(collection.promised_date, self.days(7))
        self.assertEqual(collection.promised_amount, 4200.0)
        self.assertEqual(collection.amount_overdue, 4200.0)
        self.assertEqual(
            self.customer.with_user(self.user_accountant).effect_collection_ids, collection
        )
        self.assertEqual(request.state, "done")
        self.assertIn("Payment promised", request.feedback)
        # the salesperson sees the promise too
        self.assertEqual(
            self.customer.with_user(self.user_salesman).effect_promised_payment_date, self.days(7)
        )

    def test_call_logged_from_the_customer_does_the_request(self):
        request = self._request()
        call = (
            self.env["effect.crm.interaction"]
            .with_user(self.user_salesman)
            .create(
                {
                    "name": "Gọi nhắc nợ",
                    "partner_id": self.customer_contact.id,  # the contact person
                    "type_id": self.call_type.id,
                }
            )
        )
        self.assertEqual(call.done_activity_id, request)
        self.assertFalse(request.active)
        [notification] = self._accountant_notifications()
        self.assertIn("No payment date promised", notification.mail_message_id.body)

    def test_other_calls_leave_the_request_open(self):
        request = self._request()
        self.env["effect.crm.interaction"].with_user(self.user_salesman).create(
            {
                "name": "Chào hàng",
                "partner_id": self.customer.id,
                "type_id": self.env.ref("effect_crm.interaction_type_call").id,
            }
        )
        self.assertTrue(request.active)
        self.assertFalse(self._accountant_notifications())

    def test_request_to_another_salesperson_and_refusals(self):
        request = self._request(user=self.user_salesman_all)
        self.assertEqual(request.user_id, self.user_salesman_all)
        # a salesperson cannot request collection, but sees the requests to them
        with self.assertRaises(AccessError):
            self.env["effect.crm.collection"].with_user(self.user_salesman).create(
                {"partner_id": self.customer.id}
            )
        self.assertEqual(
            self.env["effect.crm.collection"].with_user(self.user_salesman_2).search([]),
            self.env["effect.crm.collection"],
        )
        # a request whose activity is cancelled is cancelled
        request.unlink()
        self.assertEqual(self.collection.state, "cancelled")
        # a customer without salesperson needs one
        self.customer_2.user_id = False
        with self.assertRaises(Exception):  # noqa: B017 (UserError from the dialog)
            self._request(partner=self.customer_2)
