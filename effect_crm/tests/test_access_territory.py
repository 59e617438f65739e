"""The territory access table: each role, each model, each operation, through the ORM.

Customers: ``c_hanoi`` (Hà Nội territory, salesperson "other"), ``c_hcmc`` (HCMC
territory, salesperson "other") and ``c_own`` (salesperson "own", no territory member).
"""

import base64

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import SALESMAN
from .test_territory import EffectCrmTerritoryCommon

# role -> customers whose records that role may read, write, create and delete
VISIBLE = {
    "own": {"c_own"},
    "territory": {"c_hanoi"},
    "territory_manager": {"c_hanoi"},
    "all": {"c_hanoi", "c_hcmc", "c_own"},
    "manager": {"c_hanoi", "c_hcmc", "c_own"},
    "employee": set(),
}
CUSTOMERS = ("c_hanoi", "c_hcmc", "c_own")


class EffectCrmAccessCommon(EffectCrmTerritoryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_own = mail_new_test_user(
            cls.env, login="effect_own", groups=SALESMAN, name="Own Only"
        )
        cls.user_territory_manager = mail_new_test_user(
            cls.env, login="effect_terr_mgr", groups=SALESMAN, name="Territory Manager"
        )
        cls.north.manager_id = cls.user_territory_manager
        cls.roles = {
            "own": cls.user_own,
            "territory": cls.user_salesman,
            "territory_manager": cls.user_territory_manager,
            "all": cls.user_salesman_all,
            "manager": cls.user_sales_manager,
            "employee": cls.user_employee,
        }
        Partner = cls.env["res.partner"]
        cls.c_hanoi = cls.customer  # Hà Nội territory, salesperson: user_salesman
        cls.c_hanoi.user_id = cls.user_salesman_2
        cls.c_hcmc = cls.customer_2  # HCMC territory, salesperson: user_salesman_2
        cls.c_own = Partner.create(
            {
                "name": "Khách riêng Đà Nẵng",
                "is_company": True,
                "effect_stage": "customer",
                "state_id": cls.danang.id,
                "user_id": cls.user_own.id,
            }
        )
        cls.product = cls.env["product.product"].create({"name": "Thép cuộn", "list_price": 100})
        cls.records = {}
        for key in CUSTOMERS:
            customer = getattr(cls, key)
            document = cls.env["effect.crm.document"].create(
                {
                    "name": f"Tài liệu {key}",
                    "partner_id": customer.id,
                    "datas": base64.b64encode(f"secret of {key}".encode()),
                    "file_name": f"{key}.txt",
                }
            )
            cls.records[key] = {
                "res.partner": customer,
                "mail.activity": customer.activity_schedule(
                    "mail.mail_activity_data_call", user_id=cls.user_salesman_2.id
                ),
                "sale.order": cls.env["sale.order"].create(
                    {
                        "partner_id": customer.id,
                        "user_id": cls.user_salesman_2.id,
                        "order_line": [Command.create({"product_id": cls.product.id})],
                    }
                ),
                "effect.crm.document": document,
                "effect.crm.interaction": cls.env["effect.crm.interaction"].create(
                    {
                        "name": f"Gọi {key}",
                        "partner_id": customer.id,
                        "type_id": cls.env.ref("effect_crm.interaction_type_call").id,
                        "user_id": cls.user_salesman_2.id,
                    }
                ),
                "effect.crm.contract": cls.env["effect.crm.contract"].create(
                    {
                        "partner_id": customer.id,
                        "title": f"Hợp đồng {key}",
                        "user_id": cls.user_salesman_2.id,
                    }
                ),
                "ir.attachment": cls.env["ir.attachment"].search(
                    [
                        ("res_model", "=", "effect.crm.document"),
                        ("res_id", "=", document.id),
                        ("res_field", "=", "datas"),
                    ]
                ),
            }

    def _can(self, record, user, operation):
        record = record.with_user(user)
        try:
            if operation == "read":
                record.invalidate_recordset()
                record.check_access("read")
                record.read([record._rec_name or "id"])
            else:
                record.check_access(operation)
        except AccessError:
            return False
        return True


@tagged("post_install", "-at_install")
class TestTerritoryAccessTable(EffectCrmAccessCommon):
    def test_read_write_unlink_by_role(self):
        models = [
            "res.partner",
            "mail.activity",
            "sale.order",
            "effect.crm.document",
            "effect.crm.interaction",
            "effect.crm.contract",
        ]
        for role, user in self.roles.items():
            for key in CUSTOMERS:
                for model in models:
                    record = self.records[key][model]
                    for operation in ("read", "write", "unlink"):
                        # the rules decide which records; Odoo's access rights which operations
                        expected = key in VISIBLE[role] and self.env[model].with_user(
                            user
                        ).has_access(operation)
                        if role == "employee" and model == "res.partner" and operation == "read":
                            expected = True  # Odoo's normal visibility for non-sales users
                        with self.subTest(role=role, customer=key, model=model, op=operation):
                            self.assertEqual(self._can(record, user, operation), expected)

    def test_attachments_follow_their_document(self):
        for role, user in self.roles.items():
            for key in CUSTOMERS:
                attachment = self.records[key]["ir.attachment"]
                with self.subTest(role=role, customer=key):
                    self.assertEqual(self._can(attachment, user, "read"), key in VISIBLE[role])

    def test_create_on_a_customer_by_role(self):
        for role, user in self.roles.items():
            for key in CUSTOMERS:
                customer = getattr(self, key)
                expected = key in VISIBLE[role]
                with self.subTest(role=role, customer=key, model="effect.crm.document"):
                    try:
                        with self.env.cr.savepoint():
                            self.env["effect.crm.document"].with_user(user).create(
                                {
                                    "name": "x",
                                    "partner_id": customer.id,
                                    "document_type": "link",
                                    "link": "https://x.example.vn",
                                }
                            )
                        created = True
                    except AccessError:
                        created = False
                    self.assertEqual(created, expected)
                with self.subTest(role=role, customer=key, model="sale.order"):
                    try:
                        with self.env.cr.savepoint():
                            self.env["sale.order"].with_user(user).create(
                                {"partner_id": customer.id}
                            )
                        created = True
                    except AccessError:
                        created = False
                    # a salesperson's own new quotation is theirs: Odoo lets them create it
                    # only for customers they may see
                    self.assertEqual(created, expected)
                with self.subTest(role=role, customer=key, model="mail.activity"):
                    try:
                        with self.env.cr.savepoint():
                            customer.with_user(user).activity_schedule(
                                "mail.mail_activity_data_todo", summary="x"
                            )
                        created = True
                    except AccessError:
                        created = False
                    self.assertEqual(created, expected)

    def test_a_known_id_still_gets_an_access_error(self):
        hidden = self.c_hcmc.with_user(self.user_salesman)
        with self.assertRaises(AccessError):
            hidden.read(["name"])
        with self.assertRaises(AccessError):
            hidden.write({"name": "hacked"})
        with self.assertRaises(AccessError):
            self.records["c_hcmc"]["sale.order"].with_user(self.user_salesman).read(["name"])

    def test_no_leak_through_search_name_search_read_group_export(self):
        Partner = self.env["res.partner"].with_user(self.user_salesman)
        names = [name for _id, name in Partner.name_search(self.c_hcmc.name[:10], limit=100)]
        self.assertNotIn(self.c_hcmc.display_name, names)
        self.assertFalse(Partner.search([("id", "=", self.c_hcmc.id)]))
        self.assertEqual(Partner.search_count([("id", "in", [self.c_hcmc.id, self.c_hanoi.id])]), 1)
        groups = Partner._read_group(
            [("effect_stage", "!=", False)], ["effect_territory_id"], ["__count"]
        )
        self.assertNotIn(self.t_hcmc, [territory for territory, _count in groups])
        orders = (
            self.env["sale.order"]
            .with_user(self.user_salesman)
            ._read_group([], ["partner_id"], ["__count"])
        )
        self.assertNotIn(self.c_hcmc, [partner for partner, _count in orders])
        self.user_salesman.group_ids += self.env.ref("base.group_allow_export")
        rows = Partner.search([("effect_stage", "!=", False)]).export_data(["name"])["datas"]
        self.assertNotIn([self.c_hcmc.name], rows)
        self.assertIn([self.c_hanoi.name], rows)
        # documents' many2one dropdown and messages of hidden customers
        docs = self.env["effect.crm.document"].with_user(self.user_salesman).name_search("Tài liệu")
        self.assertEqual({name for _id, name in docs}, {"Tài liệu c_hanoi"})
        self.c_hcmc.message_post(body="bí mật")
        messages = (
            self.env["mail.message"]
            .with_user(self.user_salesman)
            .search([("model", "=", "res.partner"), ("res_id", "=", self.c_hcmc.id)])
        )
        self.assertFalse(messages)

    def test_partners_that_are_not_customers_keep_odoo_visibility(self):
        for role in ("own", "territory", "territory_manager"):
            with self.subTest(role=role):
                self.assertTrue(self._can(self.vendor, self.roles[role], "read"))
                self.assertTrue(self._can(self.roles["all"].partner_id, self.roles[role], "read"))

    def test_colleagues_interactions_follow_the_company_setting(self):
        theirs = self.records["c_hanoi"]["effect.crm.interaction"]  # logged by a colleague
        mine = self.env["effect.crm.interaction"].create(
            {
                "name": "Của tôi",
                "partner_id": self.c_hanoi.id,
                "type_id": self.env.ref("effect_crm.interaction_type_call").id,
                "user_id": self.user_salesman.id,
            }
        )
        self.assertTrue(self._can(theirs, self.user_salesman, "read"))
        self.env.company.effect_share_interactions = False
        self.assertFalse(self._can(theirs, self.user_salesman, "read"))
        self.assertTrue(self._can(mine, self.user_salesman, "read"))
        self.assertTrue(self._can(theirs, self.user_salesman_all, "read"))
        # the customer itself stays visible: only colleagues' interactions are hidden
        self.assertTrue(self._can(self.c_hanoi, self.user_salesman, "read"))
        self.env.company.effect_share_interactions = True
        self.assertTrue(self._can(theirs, self.user_salesman, "read"))
        # the setting is on the CRM settings page, beside EFFECT CRM's other settings
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        for name in ("effect_share_interactions", "effect_next_action_mandatory",
                     "effect_contract_renewal_days"):  # fmt: skip
            self.assertIn(f'name="{name}"', arch)

    def test_membership_changes_apply_at_once(self):
        self.assertFalse(self._can(self.c_hcmc, self.user_salesman, "read"))
        self.t_hcmc.member_ids = [Command.link(self.user_salesman.id)]
        self.assertTrue(self._can(self.c_hcmc, self.user_salesman, "read"))
        self.t_hcmc.member_ids = [Command.unlink(self.user_salesman.id)]
        self.assertFalse(self._can(self.c_hcmc, self.user_salesman, "read"))


@tagged("post_install", "-at_install")
class TestTerritoryAccessHttp(HttpCase, EffectCrmAccessCommon):
    """Downloads and JSON-RPC as a territory salesperson."""

    def test_downloads_and_rpc(self):
        self.authenticate(self.user_salesman.login, self.user_salesman.login)
        hidden = self.records["c_hcmc"]["effect.crm.document"]
        visible = self.records["c_hanoi"]["effect.crm.document"]
        ok = self.url_open(f"/web/content/effect.crm.document/{visible.id}/datas?download=true")
        self.assertEqual(ok.status_code, 200)
        self.assertEqual(ok.content, b"secret of c_hanoi")
        for url in (
            f"/web/content/effect.crm.document/{hidden.id}/datas?download=true",
            f"/web/content/{self.records['c_hcmc']['ir.attachment'].id}?download=true",
            f"/web/image/res.partner/{self.c_hcmc.id}/avatar_128",
        ):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertNotIn(b"secret of c_hcmc", response.content)
                if "avatar" not in url:
                    self.assertIn(response.status_code, (403, 404))
        with self.assertRaises(Exception) as error:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/res.partner/read",
                {
                    "model": "res.partner",
                    "method": "read",
                    "args": [[self.c_hcmc.id], ["name"]],
                    "kwargs": {},
                },
            )
        self.assertIn("AccessError", str(error.exception))
        found = self.make_jsonrpc_request(
            "/web/dataset/call_kw/res.partner/web_search_read",
            {
                "model": "res.partner",
                "method": "web_search_read",
                "args": [[["effect_stage", "!=", False]]],
                "kwargs": {"specification": {"name": {}}},
            },
        )
        ids = [row["id"] for row in found["records"]]
        self.assertIn(self.c_hanoi.id, ids)
        self.assertNotIn(self.c_hcmc.id, ids)
