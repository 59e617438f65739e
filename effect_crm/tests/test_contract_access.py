"""The access table of quotes, contracts and promotions, role by role."""

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .contract_common import EffectCrmSalesCommon, b64, docx_file

# model -> role -> operations allowed (r)ead (w)rite (c)reate (u)nlink
ACCESS_TABLE = {
    "effect.crm.promotion.category": {
        "employee": "",
        "director": "r",
        "portal": "",
        "salesman": "r",
        "salesman_all": "r",
        "manager": "rwcu",
    },
    "effect.crm.promotion": {
        "employee": "",
        "director": "r",
        "portal": "",
        "salesman": "r",
        "salesman_all": "r",
        "manager": "rwcu",
    },
    "effect.crm.contract.type": {
        "employee": "",
        "director": "r",
        "portal": "",
        "salesman": "r",
        "salesman_all": "r",
        "manager": "rwcu",
    },
    "effect.crm.contract.department": {
        "employee": "",
        "director": "r",
        "portal": "",
        "salesman": "r",
        "salesman_all": "r",
        "manager": "rwcu",
    },
    "effect.crm.contract": {
        "employee": "",
        "director": "r",
        "portal": "",
        "salesman": "rwcu",
        "salesman_all": "rwcu",
        "manager": "rwcu",
    },
    "effect.crm.contract.version": {
        "employee": "",
        "director": "r",
        "portal": "",
        "salesman": "rwcu",
        "salesman_all": "rwcu",
        "manager": "rwcu",
    },
    "effect.crm.quote.compare": {
        "employee": "",
        "director": "",
        "portal": "",
        "salesman": "rwcu",
        "salesman_all": "rwcu",
        "manager": "rwcu",
    },
    "effect.crm.promotion.apply": {
        "employee": "",
        "director": "",
        "portal": "",
        "salesman": "rwcu",
        "salesman_all": "rwcu",
        "manager": "rwcu",
    },
}


@tagged("post_install", "-at_install")
class TestContractAccess(EffectCrmSalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # customer holds customer (user_salesman); customer_2 holds customer_2 (user_salesman_2)
        cls.own = cls._make_contract(cls.user_salesman, cls.customer, "own")
        cls.others = cls._make_contract(cls.user_salesman_2, cls.customer_2, "others")
        # written by a colleague for a customer that user_salesman holds
        cls.on_my_customer = cls._make_contract(cls.user_salesman_2, cls.customer, "my customer")
        cls.all_contracts = cls.own | cls.others | cls.on_my_customer

    @classmethod
    def _make_contract(cls, user, partner, title):
        contract = cls.env["effect.crm.contract"].create(
            {"partner_id": partner.id, "user_id": user.id, "title": title}
        )
        cls.env["effect.crm.contract.version"].create(
            {
                "contract_id": contract.id,
                "file": b64(docx_file(title)),
                "file_name": f"{title}.docx",
            }
        )
        return contract

    def test_model_access_table(self):
        self.assert_access_table(ACCESS_TABLE)

    def test_record_rules_contracts_and_versions(self):
        visible = {
            "salesman": self.own | self.on_my_customer,
            "salesman_all": self.all_contracts,
            "manager": self.all_contracts,
        }
        for role, expected in visible.items():
            user = self.role_users()[role]
            with self.subTest(role=role):
                Contract = self.env["effect.crm.contract"].with_user(user)
                found = Contract.search([("id", "in", self.all_contracts.ids)])
                self.assertEqual(found, expected)
                counts = dict(
                    Contract._read_group(
                        [("id", "in", self.all_contracts.ids)], ["user_id"], ["__count"]
                    )
                )
                self.assertEqual(sum(counts.values()), len(expected))
                names = [name for _id, name in Contract.name_search("HD/", limit=1000)]
                self.assertNotEqual(self.others.name in names, role == "salesman")
                versions = (
                    self.env["effect.crm.contract.version"]
                    .with_user(user)
                    .search([("contract_id", "in", self.all_contracts.ids)])
                )
                self.assertEqual(versions.contract_id, expected)
        # a salesperson can neither read nor change a colleague's contract or its files
        other = self.others.with_user(self.user_salesman)
        with self.assertRaises(AccessError):
            other.read(["title"])
        with self.assertRaises(AccessError):
            other.write({"title": "x"})
        with self.assertRaises(AccessError):
            self.others.version_ids.with_user(self.user_salesman).read(["file"])
        with self.assertRaises(AccessError):
            self.env["effect.crm.contract.version"].with_user(self.user_salesman).create(
                {
                    "contract_id": self.others.id,
                    "file": b64(docx_file("x")),
                    "file_name": "x.docx",
                }
            )
        file_domain = [
            ("res_model", "=", "effect.crm.contract.version"),
            ("res_field", "=", "file"),
            ("res_id", "in", self.others.version_ids.ids),
        ]
        attachment = self.env["ir.attachment"].sudo().search(file_domain)
        self.assertTrue(attachment)
        self.assertFalse(
            self.env["ir.attachment"].with_user(self.user_salesman).search(file_domain)
        )
        with self.assertRaises(AccessError):
            attachment.with_user(self.user_salesman).read(["datas"])
        # employees without a sales role see none of it
        with self.assertRaises(AccessError):
            self.own.with_user(self.user_employee).read(["title"])

    def test_quotes_keep_odoo_rules(self):
        mine = self._quotation()
        theirs = self._quotation(user=self.user_salesman_2, partner=self.customer_2)
        Order = self.env["sale.order"].with_user(self.user_salesman)
        self.assertEqual(Order.search([("id", "in", (mine | theirs).ids)]), mine)
        theirs.action_quotation_sent()
        with self.assertRaises(AccessError):
            theirs.with_user(self.user_salesman).action_effect_new_revision()
        all_orders = self.env["sale.order"].with_user(self.user_salesman_all)
        self.assertEqual(all_orders.search([("id", "in", (mine | theirs).ids)]), mine | theirs)


@tagged("post_install", "-at_install")
class TestContractAccessRpc(HttpCase, EffectCrmSalesCommon):
    def test_salesman_reads_contracts_over_json_rpc_within_the_rules(self):
        own = self.env["effect.crm.contract"].create(
            {"partner_id": self.customer.id, "user_id": self.user_salesman.id, "title": "own"}
        )
        other = self.env["effect.crm.contract"].create(
            {"partner_id": self.customer_2.id, "user_id": self.user_salesman_2.id, "title": "other"}
        )
        self.authenticate(self.user_salesman.login, self.user_salesman.login)
        rows = self.make_jsonrpc_request(
            "/web/dataset/call_kw/effect.crm.contract/search_read",
            {
                "model": "effect.crm.contract",
                "method": "search_read",
                "args": [[("id", "in", (own | other).ids)], ["title", "amount_company"]],
                "kwargs": {},
            },
        )
        self.assertEqual([row["id"] for row in rows], own.ids)
