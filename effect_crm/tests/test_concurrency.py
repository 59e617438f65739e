"""Two users saving the same record: the second save over the first is refused.

The real-server side (two users at the same moment, PostgreSQL's serialization failure
and Odoo's retry) is tests/test_blackbox_concurrency.py; the web client's side is the
tour of test_ui_concurrency.
"""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .contract_common import EffectCrmSalesCommon

VERSION = "effect_edit_version"


@tagged("post_install", "-at_install")
class TestConcurrentSaves(EffectCrmSalesCommon):
    def _records(self):
        """(label, a record of each protected kind, a field both users change)."""
        return [
            ("customer", self.customer, "phone"),
            ("quotation", self._quotation(), "client_order_ref"),
            ("contract", self._contract(), "title"),
        ]

    def test_a_save_over_a_newer_change_is_refused_and_names_who_made_it(self):
        for label, record, field in self._records():
            with self.subTest(record=label):
                mine = record.with_user(self.user_salesman)
                theirs = record.with_user(self.user_sales_manager)
                # both opened the form: they loaded the same count
                loaded = mine[VERSION]
                theirs.write({field: "Bản của quản lý", VERSION: loaded})
                self.assertEqual(record[VERSION], loaded + 1)
                with self.assertRaises(UserError) as error:
                    mine.write({field: "Bản của nhân viên", VERSION: loaded})
                message = error.exception.args[0]
                self.assertIn(record.display_name, message)
                self.assertIn("was changed by Sales Manager", message)
                self.assertIn("reload the page", message)
                record.invalidate_recordset()
                self.assertEqual(record[field], "Bản của quản lý", "nothing was overwritten")
                self.assertEqual(record[VERSION], loaded + 1)
                # reloaded: the save goes through
                mine.write({field: "Bản của nhân viên", VERSION: loaded + 1})
                self.assertEqual(record[field], "Bản của nhân viên")
                self.assertEqual(record[VERSION], loaded + 2)

    def test_the_message_is_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        loaded = self.customer[VERSION]
        self.customer.with_user(self.user_sales_manager).write({"phone": "1", VERSION: loaded})
        # the web client sends the user's language with every request
        mine = self.customer.with_user(self.user_salesman).with_context(lang="vi_VN")
        with self.assertRaises(UserError) as error:
            mine.write({"phone": "2", VERSION: loaded})
        self.assertIn("Sales Manager", error.exception.args[0])
        self.assertIn("tải lại trang", error.exception.args[0])

    def test_server_writes_are_never_refused(self):
        customer = self.customer.with_user(self.user_salesman)
        loaded = customer[VERSION]
        # server code writes without a count: accepted, and counts as a change
        self.customer.write({"comment": "<p>Ghi chú của hệ thống</p>"})
        self.assertEqual(customer[VERSION], loaded + 1)
        # a reassignment job moves the customer: its writes are not refused either
        job = (
            self.env["effect.crm.reassignment"]
            .with_user(self.user_sales_manager)
            .create(
                {
                    "mode": "move",
                    "from_user_id": self.user_salesman.id,
                    "to_user_id": self.user_salesman_all.id,
                }
            )
        )
        job.action_start()
        self.assertEqual(job.state, "done")
        self.assertEqual(self.customer.user_id, self.user_salesman_all)
        self.assertGreater(self.customer[VERSION], loaded + 1)
        # a form opened before the job was run cannot put the old salesperson back
        with self.assertRaises(UserError):
            self.customer.with_user(self.user_sales_manager).write(
                {"user_id": self.user_salesman.id, VERSION: loaded}
            )
        self.assertEqual(self.customer.user_id, self.user_salesman_all)

    def test_what_a_form_never_sends_back_does_not_count(self):
        customer = self.customer.with_user(self.user_salesman_all)
        loaded = customer[VERSION]
        # a stored computed field (the last interaction) follows a new interaction
        self.env["effect.crm.interaction"].with_user(self.user_salesman_all).create(
            {
                "name": "Gọi giới thiệu",
                "partner_id": self.customer.id,
                "type_id": self.env.ref("effect_crm.interaction_type_call").id,
            }
        )
        self.env.flush_all()
        self.assertTrue(customer.effect_last_interaction_date)
        # a note with an attachment in the chatter of the open form
        customer.message_post(
            body="Báo giá đính kèm",
            attachments=[("bao-gia.txt", b"bao gia")],
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self.env.flush_all()
        self.assertEqual(customer[VERSION], loaded)
        # the form that was open all along saves
        customer.write({"phone": "0901 234 567", VERSION: loaded})
        self.assertEqual(customer.phone, "0901 234 567")
        self.assertEqual(customer[VERSION], loaded + 1)

    def test_each_record_of_a_batch_counts_one_change(self):
        self.customer.write({"phone": "1"})
        self.customer.write({"phone": "2"})
        before = {p: p[VERSION] for p in self.customer | self.customer_2}
        self.assertNotEqual(before[self.customer], before[self.customer_2])
        (self.customer | self.customer_2).write({"comment": "<p>Cả hai</p>"})
        for partner, count in before.items():
            self.assertEqual(partner[VERSION], count + 1)
        # a batch save from forms that loaded one count: refused if one record moved on
        with self.assertRaises(UserError):
            (self.customer | self.customer_2).write(
                {"comment": "<p>Cũ</p>", VERSION: before[self.customer_2] + 1}
            )

    def test_a_copy_starts_its_own_count(self):
        self.customer.write({"phone": "1"})
        contract = self._contract()
        contract.write({"title": "Đã sửa"})
        for record in (self.customer.copy(), contract.copy()):
            self.assertEqual(record[VERSION], 0)
