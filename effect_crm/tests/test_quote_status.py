import base64
import io
from datetime import timedelta

from PIL import Image

from odoo import http
from odoo.exceptions import UserError
from odoo.tests import HttpCase, freeze_time, tagged

from .common import EVENING_IN_UTC
from .contract_common import EffectCrmSalesCommon


def signature_png():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "black").save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


@freeze_time(EVENING_IN_UTC)
@tagged("post_install", "-at_install")
class TestQuoteCustomerStatus(EffectCrmSalesCommon):
    def test_status_transitions_with_dates_recorded_on_the_customer(self):
        order = self._quotation()
        self.assertEqual(order.effect_customer_status, "not_sent")
        # sending by email (Odoo's composer marks the quotation sent) records it
        order.with_context(mark_so_as_sent=True).message_post(body="Báo giá")
        self.assertEqual(order.state, "sent")
        self.assertEqual(order.effect_customer_status, "sent")
        self.assertTrue(order.effect_sent_date)
        order.action_effect_mark_received()
        self.assertEqual(order.effect_customer_status, "received")
        self.assertTrue(order.effect_received_date)
        with self.assertRaisesRegex(UserError, "cannot be marked Received"):
            order.action_effect_mark_received()
        order.action_effect_mark_accepted()
        self.assertEqual(order.effect_customer_status, "accepted")
        self.assertTrue(order.effect_accepted_date)
        with self.assertRaisesRegex(UserError, "cannot be marked Refused"):
            order.action_effect_mark_refused()
        # each change is an interaction on the customer's timeline, and a note on the quotation
        timeline = self._customer_timeline()
        for status in ("Sent", "Received", "Accepted"):
            self.assertIn(f"Quotation {order.name}: {status}", timeline)
        events = self.env["effect.crm.interaction"].search([("sale_order_id", "=", order.id)])
        self.assertEqual(len(events), 3)
        self.assertEqual(events.type_id, self.env.ref("effect_crm.interaction_type_quote"))
        self.assertEqual(events.user_id, order.user_id)
        self.assertTrue(all(events.mapped("is_automatic")))
        self.assertEqual(sorted(events.mapped("direction")), ["incoming", "incoming", "outgoing"])
        self.assertEqual(len(order.message_ids.filtered(lambda m: order.name in (m.body or ""))), 3)

    def test_refused_and_confirmed(self):
        order = self._quotation()
        order.action_effect_mark_sent()
        self.assertEqual((order.state, order.effect_customer_status), ("sent", "sent"))
        order.action_effect_mark_refused()
        self.assertEqual(order.effect_customer_status, "refused")
        self.assertTrue(order.effect_refused_date)
        other = self._quotation()
        other.action_confirm()  # confirmed without sending: the customer accepted
        self.assertEqual(other.effect_customer_status, "accepted")

    def test_expiry_job(self):
        today = self._user_today()
        late = self._quotation(validity_date=today + timedelta(days=5))
        late.action_quotation_sent()
        late.action_effect_mark_received()
        unsent = self._quotation(validity_date=today + timedelta(days=5))
        valid = self._quotation(validity_date=today + timedelta(days=30))
        valid.action_quotation_sent()
        for order in late | unsent | valid:
            # backdate the validity (a sent quotation itself is frozen)
            self.env.cr.execute(
                "UPDATE sale_order SET validity_date = %s WHERE id = %s",
                (today - timedelta(days=1) if order != valid else today, order.id),
            )
        (late | unsent | valid).invalidate_recordset(["validity_date"])
        expired = self.env["sale.order"]._cron_effect_expire_quotations()
        self.assertEqual(expired, late)
        self.assertEqual(late.effect_customer_status, "expired")
        self.assertTrue(late.effect_expired_date)
        self.assertEqual(unsent.effect_customer_status, "not_sent")
        self.assertEqual(valid.effect_customer_status, "sent", "valid through today")
        self.assertIn(f"Quotation {late.name}: Expired", self._customer_timeline())


@tagged("post_install", "-at_install")
class TestQuotePortal(HttpCase, EffectCrmSalesCommon):
    def _sent(self):
        order = self._quotation(require_signature=True, require_payment=False)
        order.action_quotation_sent()
        order._portal_ensure_token()
        return order

    def test_customer_opens_then_accepts_on_the_portal(self):
        order = self._sent()
        self.authenticate(None, None)
        response = self.url_open(f"/my/orders/{order.id}?access_token={order.access_token}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(order.effect_customer_status, "received")
        result = self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept?access_token={order.access_token}",
            {"name": "Nguyễn Văn Liên Hệ", "signature": signature_png()},
        )
        self.assertNotIn("error", result)
        self.assertEqual(order.effect_customer_status, "accepted")
        self.assertEqual(order.state, "sale")
        self.assertTrue(order.effect_accepted_date)

    def test_customer_refuses_on_the_portal(self):
        order = self._sent()
        self.authenticate(None, None)
        response = self.url_open(
            f"/my/orders/{order.id}/decline",
            data={
                "access_token": order.access_token,
                "decline_message": "Giá cao quá",
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(order.effect_customer_status, "refused")
        self.assertTrue(order.effect_refused_date)

    def test_replaced_revision_cannot_be_accepted_on_the_portal(self):
        order = self._sent()
        revision = order.browse(order.action_effect_new_revision()["res_id"])
        self.authenticate(None, None)
        result = self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept?access_token={order.access_token}",
            {"name": "Khách", "signature": signature_png()},
        )
        self.assertIn("error", result)
        self.assertNotEqual(order.state, "sale")
        self.assertEqual(revision.effect_customer_status, "not_sent")
        # a salesperson who opens the portal page does not make it "received"
        revision.action_quotation_sent()
        revision._portal_ensure_token()
        self.authenticate(self.user_salesman.login, self.user_salesman.login)
        self.url_open(f"/my/orders/{revision.id}?access_token={revision.access_token}")
        self.assertEqual(revision.effect_customer_status, "sent")
