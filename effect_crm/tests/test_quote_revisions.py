from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from .contract_common import EffectCrmSalesCommon


@tagged("post_install", "-at_install")
class TestQuoteRevisions(EffectCrmSalesCommon):
    def _sent_quotation(self):
        order = self._quotation()
        order.action_quotation_sent()
        self.assertEqual(order.effect_customer_status, "sent")
        return order

    def test_new_revision_freezes_the_sent_one_and_links_the_chain(self):
        r1 = self._sent_quotation()
        root_name = r1.name
        action = r1.action_effect_new_revision()
        r2 = r1.browse(action["res_id"])
        self.assertEqual(r2.name, f"{root_name}-R2")
        self.assertEqual(r2.effect_revision, 2)
        self.assertEqual(r2.effect_root_order_id, r1)
        self.assertEqual(r2.effect_previous_revision_id, r1)
        self.assertEqual(r1.effect_next_revision_id, r2)
        self.assertFalse(r1.effect_is_current_revision)
        self.assertTrue(r2.effect_is_current_revision)
        self.assertEqual(r2.effect_customer_status, "not_sent")
        self.assertEqual(r2.state, "draft")
        self.assertNotEqual(r1.state, "cancel", "a new revision never cancels the previous one")
        # the working copy is editable, and carries the same lines
        self.assertEqual(r2.order_line.mapped("product_id"), r1.order_line.mapped("product_id"))
        r2.order_line[0].product_uom_qty = 12
        # the PDF of the frozen revision is kept, made after the request by a job the
        # revision asked for
        self.assertFalse(r1.effect_revision_pdf_id)
        cron = self.env.ref("effect_crm.ir_cron_effect_revision_pdf")
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]))
        self._run_revision_pdf_job()
        pdf = r1.effect_revision_pdf_id
        self.assertTrue(pdf)
        self.assertEqual(
            (pdf.res_model, pdf.res_id, pdf.name), ("sale.order", r1.id, f"{root_name}.pdf")
        )
        self.assertTrue(pdf.raw)

        r2.action_quotation_sent()
        r3 = r2.browse(r2.action_effect_new_revision()["res_id"])
        self.assertEqual(r3.name, f"{root_name}-R3")
        self.assertEqual(r3.effect_root_order_id, r1)
        self.assertEqual(r1.effect_revision_ids, r1 | r2 | r3)
        self.assertEqual(r3.effect_revision_ids.mapped("effect_revision"), [1, 2, 3])
        self.assertEqual(r2.effect_revision_count, 3)

    def test_sent_and_replaced_revisions_are_immutable(self):
        r1 = self._sent_quotation()
        line = r1.order_line[0]
        for attempt in (
            lambda: line.write({"product_uom_qty": 99}),
            lambda: line.write({"price_unit": 1}),
            lambda: line.write({"discount": 50}),
            lambda: line.unlink(),
            lambda: r1.write(
                {"order_line": [Command.create({"product_id": self.product_service.id})]}
            ),
            lambda: r1.write({"note": "<p>giảm giá</p>"}),
            lambda: r1.write({"partner_id": self.customer_contact.id}),
        ):
            with self.assertRaisesRegex(UserError, "was sent to the customer"):
                attempt()
        self.assertEqual(line.product_uom_qty, 10)
        r2 = r1.browse(r1.action_effect_new_revision()["res_id"])
        with self.assertRaisesRegex(UserError, f"was replaced by {r2.name}"):
            r1.order_line[0].write({"product_uom_qty": 1})
        # workflow fields stay writable: the quotation can still be followed
        r1.write({"tag_ids": [Command.clear()]})
        # the replaced revision cannot be accepted any more, nor deleted
        self.assertFalse(r1._has_to_be_signed())
        with self.assertRaisesRegex(UserError, "was replaced by"):
            r1.action_confirm()
        with self.assertRaisesRegex(UserError, "was replaced by"):
            r1.action_effect_mark_received()
        self.assertEqual(r1.effect_customer_status, "sent")
        with self.assertRaises(UserError):
            r1.unlink()
        self.assertTrue(r1.exists())

    def test_new_revision_needs_a_sent_current_quotation(self):
        order = self._quotation()
        with self.assertRaisesRegex(UserError, "has not been sent"):
            order.action_effect_new_revision()
        order.order_line[0].product_uom_qty = 11  # not sent: edited directly
        order.action_quotation_sent()
        r2 = order.browse(order.action_effect_new_revision()["res_id"])
        with self.assertRaisesRegex(UserError, "was replaced by"):
            order.action_effect_new_revision()
        r2.action_confirm()
        self.assertEqual(r2.effect_customer_status, "accepted")
        with self.assertRaisesRegex(UserError, "confirmed order"):
            r2.action_effect_new_revision()

    def test_confirmed_unsent_order_reset_to_quotation_is_changed_and_deleted(self):
        """Odoo's own flow (sale's test_unlink_cancel): an order confirmed without being sent,
        cancelled and set back to quotation, was never seen by the customer."""
        order = self._quotation()
        order.action_confirm()
        order._action_cancel()
        order.action_draft()
        self.assertFalse(order.effect_is_frozen)
        order.order_line[0].product_uom_qty = 3
        order.with_user(self.user_sales_manager).unlink()  # salespeople delete no orders
        self.assertFalse(order.exists())
        # a sent one stays what the customer saw, whatever its state became
        sent = self._sent_quotation()
        sent.action_confirm()
        sent._action_cancel()
        sent.action_draft()
        self.assertTrue(sent.effect_is_frozen)
        with self.assertRaisesRegex(UserError, "was sent to the customer"):
            sent.order_line[0].product_uom_qty = 3

    def test_compare_any_two_revisions(self):
        r1 = self._sent_quotation()
        r2 = r1.browse(r1.action_effect_new_revision()["res_id"])
        r2.order_line.filtered(
            lambda line: line.product_id == self.product_plate
        ).product_uom_qty = 12
        r2.action_quotation_sent()
        r3 = r2.browse(r2.action_effect_new_revision()["res_id"])
        pipe = r3.order_line.filtered(lambda line: line.product_id == self.product_pipe)
        pipe.write({"price_unit": 45.0, "discount": 10.0})
        r3.write(
            {
                "order_line": [
                    Command.create({"product_id": self.product_service.id, "price_unit": 300})
                ]
            }
        )
        action = r3.action_effect_compare_revisions()
        wizard = self.env["effect.crm.quote.compare"].browse(action["res_id"])
        self.assertEqual((wizard.order_a_id, wizard.order_b_id), (r2, r3))
        wizard.order_a_id = r1  # R1 against R3
        rows = {
            (line.kind, line.label, line.field): (line.value_a, line.value_b)
            for line in wizard.line_ids
        }
        plate, pipe_name = self.product_plate.display_name, self.product_pipe.display_name
        self.assertEqual(rows[("changed", plate, "Quantity")], ("10", "12"))
        self.assertIn(("changed", pipe_name, "Unit Price"), rows)
        self.assertEqual(rows[("changed", pipe_name, "Discount (%)")], ("0", "10"))
        self.assertIn(("added", self.product_service.display_name, ""), rows)
        totals = wizard.line_ids.filtered(lambda line: line.scope == "total")
        self.assertTrue(totals, "the totals changed too")
        self.assertEqual(wizard.change_count, len(wizard.line_ids))
        # R1 against R2: only the quantity of the plates (and its amount)
        wizard.order_b_id = r2
        self.assertEqual(
            wizard.line_ids.filtered(lambda line: line.scope == "line").mapped("label"),
            [plate, plate],
        )
        # revisions of another quotation cannot be compared
        other = self._quotation()
        with self.assertRaisesRegex(UserError, "not revisions of the same quotation"):
            wizard.order_b_id = other
