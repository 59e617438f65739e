"""The chatter of a CRM customer (messages, tracking, activities, followers, files)
through the ORM, and "CRM: read all" for a director who is also a salesperson.

Other employees and portal users see a customer as Odoo shows it (name, address) and
nothing of what is said, planned or filed about it; the sales team reads the chatter
of the customers it works, "CRM: read all" every one.
"""

import base64

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import READ_ALL, SALESMAN
from .test_access_paths import HIDDEN, EffectCrmAccessPathsCommon
from .test_access_territory import CUSTOMERS

# what Odoo summarises of a partner's activities
ACTIVITY_FIELDS = (
    "activity_ids",
    "activity_state",
    "activity_user_id",
    "activity_type_id",
    "activity_date_deadline",
    "activity_summary",
    "activity_exception_decoration",
)


class EffectCrmChatterCommon(EffectCrmAccessPathsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the portal user is a contact person of the Hà Nội customer
        cls.user_portal.partner_id.parent_id = cls.c_hanoi
        cls.chatter = {}
        # end the "request" that created the customers: Odoo tracks the changes of
        # records created before it
        cls.env.flush_all()
        cls.env.cr.flush()
        for key in CUSTOMERS:
            customer = getattr(cls, key)
            note = customer.message_post(
                body=f"Khách {key} hỏi giá thép cuộn, hẹn gặp giám đốc",
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            attachment = cls.env["ir.attachment"].create(
                {
                    "name": f"bao-gia-{key}.txt",
                    "raw": f"price list of {key}".encode(),
                    "res_model": "res.partner",
                    "res_id": customer.id,
                }
            )
            customer.message_subscribe(partner_ids=cls.user_salesman_2.partner_id.ids)
            # a change of a CRM field, tracked in the chatter
            customer.effect_stage = (
                "inactive" if customer.effect_stage != "inactive" else "customer"
            )
            cls.env.flush_all()
            cls.env.cr.flush()  # the tracking message, as at the end of a request
            cls.records[key]["mail.activity"].summary = f"Gọi lại báo giá {key}"
            cls.chatter[key] = {
                "mail.message": note,
                "ir.attachment": attachment,
                "mail.activity": cls.records[key]["mail.activity"],
                "mail.followers": cls.env["mail.followers"].search(
                    [
                        ("res_model", "=", "res.partner"),
                        ("res_id", "=", customer.id),
                        ("partner_id", "=", cls.user_salesman_2.partner_id.id),
                    ]
                ),
            }
        # a partner that is not a CRM customer keeps Odoo's chatter
        cls.vendor_note = cls.vendor.message_post(
            body="Nhà cung cấp giao văn phòng phẩm thứ Hai", message_type="comment"
        )

    def _search(self, user, model, customer):
        field = "model" if model == "mail.message" else "res_model"
        return (
            self.env[model]
            .with_user(user)
            .search([(field, "=", "res.partner"), ("res_id", "=", customer.id)])
        )


@tagged("post_install", "-at_install")
class TestCustomerChatterByRole(EffectCrmChatterCommon):
    def test_the_chatter_of_a_customer_by_role(self):
        readers = {
            "employee": set(),
            "portal": set(),
            "territory": {"c_hanoi"},
            "own": {"c_own"},
            "all": set(CUSTOMERS),
            "director": set(CUSTOMERS),
        }
        users = {**self.roles, "portal": self.user_portal}
        for role, readable in readers.items():
            user = users[role]
            for key in CUSTOMERS:
                customer = getattr(self, key)
                for model, record in self.chatter[key].items():
                    if role == "portal" and model != "mail.message":
                        continue  # no access to the model at all (Odoo)
                    expected = key in readable
                    if model == "mail.activity" and role == "director":
                        # Odoo shows an activity to whom it is assigned and to who may
                        # change its document; a director changes no customer
                        expected = False
                    with self.subTest(role=role, customer=key, model=model):
                        found = self._search(user, model, customer)
                        self.assertEqual(record in found, expected)
                        self.assertEqual(self._can(record, user, "read"), expected)

    def test_employees_see_the_partner_and_nothing_of_its_chatter(self):
        employee = self.user_employee
        customer = self.c_hanoi.with_user(employee)
        # the partner as Odoo shows it
        self.assertEqual(customer.read(["name", "city"])[0]["name"], self.c_hanoi.name)
        # its chatter: no message (notes, tracked CRM fields), no action, no follower, no file
        messages = self._search(employee, "mail.message", self.c_hanoi)
        self.assertFalse(messages)
        self.assertFalse(customer.message_ids)
        self.assertFalse(customer.message_follower_ids)
        tracked = (
            self.env["mail.message"]
            .search([("model", "=", "res.partner"), ("res_id", "=", self.c_hanoi.id)])
            .tracking_value_ids
        )
        self.assertTrue(tracked, "the stage change is in the chatter")
        with self.assertRaises(AccessError):
            tracked.mail_message_id.with_user(employee).read(["body"])
        # Odoo's chatter route reads the messages of the thread the same way
        fetched = (
            self.env["mail.message"]
            .with_user(employee)
            ._message_fetch(domain=None, thread=customer)
        )
        self.assertFalse(fetched["messages"])
        # read_group and counts give nothing either
        groups = (
            self.env["mail.message"]
            .with_user(employee)
            ._read_group(
                [("model", "=", "res.partner"), ("res_id", "=", self.c_hanoi.id)], [], ["__count"]
            )
        )
        self.assertEqual(groups[0][0], 0)
        # nor through the partner's fields that summarise its chatter: the followers and
        # files are counted as the user may read them, the actions planned are read as them
        row = customer.read(
            ["message_follower_ids", "message_partner_ids", "message_attachment_count"]
        )[0]
        self.assertEqual((row["message_follower_ids"], row["message_partner_ids"]), ([], []))
        self.assertEqual(row["message_attachment_count"], 0)
        Partner = self.env["res.partner"].with_user(employee)
        customer.invalidate_recordset()
        row = customer.read(list(ACTIVITY_FIELDS))[0]
        self.assertEqual(
            [row[name] for name in ACTIVITY_FIELDS], [[], False, False, False, False, False, False]
        )
        for name, value in (
            ("activity_user_id", self.user_salesman_2.id),
            ("activity_summary", self.chatter["c_hanoi"]["mail.activity"].summary),
            ("activity_state", ["overdue", "today", "planned"]),
            ("activity_type_id", self.chatter["c_hanoi"]["mail.activity"].activity_type_id.id),
        ):
            with self.subTest(search=name):
                self.assertFalse(
                    Partner.search(
                        [
                            ("id", "=", self.c_hanoi.id),
                            (name, "in" if isinstance(value, list) else "=", value),
                        ]
                    )
                )
        self.assertFalse(
            Partner.search(
                [
                    ("id", "=", self.c_hanoi.id),
                    ("message_partner_ids", "in", self.user_salesman_2.partner_id.ids),
                ]
            )
        )
        # for the employee, the customer has no action planned
        self.assertIn(self.c_hanoi, Partner.search([("activity_state", "=", False)]))
        # the sales team reads them
        self.env.invalidate_all()
        activity = self.chatter["c_hanoi"]["mail.activity"]
        salesman = self.c_hanoi.with_user(self.user_salesman)
        self.assertEqual(salesman.activity_ids, activity)
        self.assertEqual(salesman.activity_user_id, self.user_salesman_2)
        self.assertEqual(salesman.activity_type_id, activity.activity_type_id)
        # a partner that is not a CRM customer keeps Odoo's chatter
        self.assertIn(self.vendor_note, self._search(employee, "mail.message", self.vendor))

    def test_employees_change_nothing_in_the_chatter_of_a_customer(self):
        employee = self.user_employee
        # even with Odoo's right to edit contacts
        employee.group_ids += self.env.ref("base.group_partner_manager")
        customer = self.c_hanoi.with_user(employee)
        with self.assertRaises(AccessError):
            customer.message_post(body="ghi chú của nhân viên kho", message_type="comment")
        with self.assertRaises(AccessError):
            customer.activity_schedule("mail.mail_activity_data_todo", user_id=employee.id)
        activity = self.chatter["c_hanoi"]["mail.activity"].with_user(employee)
        with self.assertRaises(AccessError):
            activity.write({"summary": "đổi"})
        with self.assertRaises(AccessError):
            activity.unlink()
        with self.assertRaises(AccessError):
            self.env["ir.attachment"].with_user(employee).create(
                {
                    "name": "x.txt",
                    "raw": b"x",
                    "res_model": "res.partner",
                    "res_id": self.c_hanoi.id,
                }
            )
        # following oneself is refused without an error, as Odoo does on a document one
        # cannot read; adding others is refused
        self.assertFalse(customer.message_subscribe(partner_ids=employee.partner_id.ids))
        with self.assertRaises(AccessError):
            customer.message_subscribe(partner_ids=self.user_sales_manager.partner_id.ids)
        followers = self.env["mail.followers"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.c_hanoi.id)]
        )
        self.assertNotIn(employee.partner_id, followers.partner_id)
        # an employee adding a contact person to a customer does not follow it
        contact = (
            self.env["res.partner"]
            .with_user(employee)
            .create({"name": "Anh Tuấn kế toán", "parent_id": self.c_hanoi.id})
        )
        self.assertFalse(contact.sudo().message_follower_ids.partner_id & employee.partner_id)
        # the customer's picture is the partner's, as Odoo shows it
        self.c_hanoi.image_1920 = base64.b64encode(
            base64.b64decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
            )
        )
        self.assertTrue(customer.read(["image_128"])[0]["image_128"])

    def test_a_restricted_salesperson_follows_only_customers_they_work(self):
        # following a customer's conversation would send them what is said about it
        salesman = self.user_salesman
        hidden = self.c_hcmc.with_user(salesman)
        self.assertFalse(hidden.message_subscribe(partner_ids=salesman.partner_id.ids))
        with self.assertRaises(AccessError):
            hidden.message_subscribe(partner_ids=self.user_sales_manager.partner_id.ids)
        followers = self.env["mail.followers"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.c_hcmc.id)]
        )
        self.assertNotIn(salesman.partner_id, followers.partner_id)
        # a customer they work: followed as Odoo does
        worked = self.c_hanoi.with_user(salesman)
        self.assertTrue(worked.message_subscribe(partner_ids=salesman.partner_id.ids))
        self.assertIn(salesman.partner_id, worked.sudo().message_follower_ids.partner_id)

    def test_an_action_assigned_to_an_employee_stays_theirs(self):
        employee = self.user_employee
        activity = self.c_hanoi.activity_schedule(
            "mail.mail_activity_data_todo", summary="Giao hàng mẫu", user_id=employee.id
        )
        mine = self._search(employee, "mail.activity", self.c_hanoi)
        self.assertEqual(mine, activity)
        activity.with_user(employee).action_feedback(feedback="Đã giao")
        self.assertFalse(activity.exists() and activity.active)

    def test_what_was_written_or_sent_to_an_employee_stays_theirs(self):
        employee = self.user_employee
        message = self.c_hanoi.message_post(
            body="Nhờ anh kiểm tra tồn kho cho khách này",
            message_type="comment",
            partner_ids=employee.partner_id.ids,
        )
        self.assertIn(message, self._search(employee, "mail.message", self.c_hanoi))
        self.assertNotIn(
            self.chatter["c_hanoi"]["mail.message"],
            self._search(employee, "mail.message", self.c_hanoi),
        )


@tagged("post_install", "-at_install")
class TestDirectorWhoSells(EffectCrmChatterCommon):
    """A director in "CRM: read all" who is also an own-documents salesperson reads
    every quotation and opportunity, and changes only those of the customers they work."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.selling_director = cls._new_user(
            "effect_selling_director", f"{SALESMAN},{READ_ALL}", "Director Who Sells"
        )
        cls.t_hanoi.member_ids += cls.selling_director

    def test_reads_all_changes_only_what_they_work(self):
        user = self.selling_director
        for key in CUSTOMERS:
            for model in ("sale.order", "sale.order.line", "crm.lead", "effect.crm.interaction"):
                record = self.records[key][model]
                with self.subTest(customer=key, model=model):
                    self.assertTrue(self._can(record, user, "read"))
                    self.assertIn(
                        record, self.env[model].with_user(user).search([("id", "=", record.id)])
                    )
                    self.assertEqual(self._can(record, user, "write"), key == "c_hanoi")
            # and the customer's chatter
            self.assertIn(
                self.chatter[key]["mail.message"],
                self._search(user, "mail.message", getattr(self, key)),
            )
        hidden = self.records["c_hcmc"]
        with self.assertRaisesRegex(AccessError, HIDDEN):
            hidden["sale.order"].with_user(user).action_confirm()
        with self.assertRaises(AccessError):
            hidden["crm.lead"].with_user(user).write({"name": "đổi"})
        with self.assertRaisesRegex(AccessError, HIDDEN):
            self.env["sale.order"].with_user(user).create({"partner_id": self.c_hcmc.id})
        # the customers they work: as any salesperson of the territory
        order = self.records["c_hanoi"]["sale.order"].with_user(user)
        order.write({"client_order_ref": "PO-GĐ"})
        self.assertEqual(order.client_order_ref, "PO-GĐ")
