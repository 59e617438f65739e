"""The access model on the indirect paths (issue 11), accounting's side.

Accountants change no quotation and press no status button; a confirmation on a
customer the salesperson does not work hands nothing off; the hand-off's trigger is
the server's; what customers owe or promised is for the receivables group only.
"""

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import tagged

from ..hooks import uninstall_hook
from .common import EffectCrmAccountingCommon


@tagged("post_install", "-at_install")
class TestAccountingAccessPaths(EffectCrmAccountingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer_2.id,
                "user_id": cls.user_salesman_2.id,
                "order_line": [Command.create({"product_id": cls.product.id})],
            }
        )

    def test_accountants_do_not_change_quotations(self):
        for user in (self.user_accountant, self.user_auditor):
            order = self.order.with_user(user)
            with self.subTest(user=user.login):
                self.assertTrue(order.read(["name", "amount_total"]))
                with self.assertRaises(AccessError):
                    order.write({"client_order_ref": "x"})
                with self.assertRaises(AccessError):
                    order.order_line.write({"product_uom_qty": 5})
                for button in (
                    "action_effect_mark_sent",
                    "action_effect_mark_received",
                    "action_effect_mark_accepted",
                    "action_effect_mark_refused",
                    "action_confirm",
                ):
                    with self.subTest(button=button), self.assertRaises(AccessError):
                        getattr(order, button)()
        self.assertEqual(self.order.effect_customer_status, "not_sent")
        self.assertEqual(self.order.state, "draft")

    def test_a_hidden_prospect_is_not_won_through_an_order(self):
        """customer (a prospect) is user_salesman's: user_salesman_2 does not work it."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.user_salesman_2.id,
                "order_line": [Command.create({"product_id": self.product.id})],
            }
        )
        with self.assertRaises(AccessError):
            order.with_user(self.user_salesman_2).action_confirm()
        self.assertEqual(self.customer.effect_stage, "prospect")
        self.assertFalse(
            self.env["effect.crm.handoff"].search([("partner_id", "=", self.customer.id)])
        )
        # the salesperson who works it wins it, with the order as the trigger
        order.user_id = self.user_salesman
        order.with_user(self.user_salesman).action_confirm()
        handoff = self.env["effect.crm.handoff"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(self.customer.effect_stage, "customer")
        self.assertEqual((handoff.trigger, handoff.sale_order_id), ("sale_order", order))

    def test_the_handoff_trigger_is_the_servers(self):
        invoice = self.invoice(self.customer_2, 100.0, self.days(30))
        self.customer.with_user(self.user_salesman).with_context(
            effect_handoff_trigger="invoice",
            effect_handoff_move_id=invoice.id,
            effect_handoff_note="forged",
        ).write({"effect_stage": "customer"})
        handoff = self.env["effect.crm.handoff"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(handoff.trigger, "manual")
        self.assertFalse(handoff.move_id)
        self.assertFalse(handoff.note)

    def test_what_customers_owe_or_promised_needs_the_receivables_group(self):
        """user_salesman_2 works customer_2 but is not in the receivables group."""
        invoice = self.invoice(self.customer_2, 500.0, self.days(-10))
        # the invoice of the salesperson's own sale: Odoo would let them read it
        invoice.invoice_user_id = self.user_salesman_2
        call = self.env["effect.crm.interaction"].create(
            {
                "name": "Gọi nhắc nợ",
                "partner_id": self.customer_2.id,
                "user_id": self.user_salesman_2.id,
                "type_id": self.env.ref("effect_crm.interaction_type_call").id,
                "effect_promised_date": self.days(5),
                "effect_promised_amount": 500.0,
            }
        )
        request = (
            self.env["effect.crm.collection"]
            .with_user(self.user_accountant)
            .create({"partner_id": self.customer_2.id, "user_id": self.user_salesman_2.id})
        )
        salesman = self.user_salesman_2
        for record, field in (
            (call, "effect_promised_date"),
            (call, "effect_promised_amount"),
            (request, "amount_overdue"),
            (self.customer_2, "effect_amount_overdue"),
        ):
            with self.subTest(field=field), self.assertRaises(AccessError):
                record.with_user(salesman).read([field])
        for record in (invoice, invoice.line_ids[:1]):
            with self.subTest(model=record._name), self.assertRaises(AccessError):
                record.with_user(salesman).read(["amount_residual"])
        Move = self.env["account.move"].with_user(salesman)
        self.assertFalse(Move.search([("partner_id", "=", self.customer_2.id)]))
        # the call the salesperson is asked to make does not say the amount
        self.assertNotIn("500", request.sudo().activity_id.summary or "")
        # with the group, the same salesperson sees them
        salesman.group_ids += self.env.ref("effect_crm_accounting.group_see_receivables")
        self.assertTrue(call.with_user(salesman).read(["effect_promised_amount"]))
        self.assertTrue(invoice.with_user(salesman).read(["amount_residual"]))

    def test_accountants_read_the_crm_through_this_addon_only(self):
        read_all = self.env.ref("effect_crm.group_crm_read_all")
        for user in (self.user_accountant, self.user_auditor):
            self.assertIn(read_all, user.all_group_ids)
        uninstall_hook(self.env)
        self.env.invalidate_all()
        for user in (self.user_accountant, self.user_auditor):
            self.assertNotIn(read_all, user.all_group_ids)
