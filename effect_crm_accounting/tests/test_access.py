"""Who reaches what: the receivables group (with it, without it; ORM and JSON-RPC),
and accountants' read-only access to the CRM data of customers."""

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.effect_crm.tests.contract_common import b64, docx_file
from odoo.addons.effect_crm.tests.test_word_templates import contract_template

from .common import EffectCrmAccountingCommon

# model -> role -> operations allowed: (r)ead (w)rite (c)reate (u)nlink. "salesman" is
# in the receivables group, the other salespeople are not.
ACCESS_TABLE = {
    "effect.crm.handoff": {
        "employee": "",
        "director": "",
        "portal": "",
        "salesman": "r",
        "salesman_all": "r",
        "manager": "r",
        "accountant": "rw",
        "auditor": "r",
    },
    "effect.crm.receivable": {
        "employee": "",
        "director": "",
        "portal": "",
        "salesman": "r",
        "salesman_all": "",
        "manager": "",
        "accountant": "r",
        "auditor": "r",
    },
    "effect.crm.collection": {
        "employee": "",
        "director": "",
        "portal": "",
        "salesman": "r",
        "salesman_all": "r",
        "manager": "r",
        "accountant": "rwc",
        "auditor": "r",
    },
    "effect.crm.handoff.wizard": {
        "employee": "",
        "director": "",
        "portal": "",
        "salesman": "rwcu",
        "salesman_all": "rwcu",
        "manager": "rwcu",
        "accountant": "",
        "auditor": "",
    },
    "effect.crm.interaction": {
        "employee": "",
        "director": "r",
        "portal": "",
        "salesman": "rwcu",
        "salesman_all": "rwcu",
        "manager": "rwcu",
        "accountant": "r",
        "auditor": "r",
    },
    "effect.crm.contract": {
        "employee": "",
        "director": "r",
        "portal": "",
        "salesman": "rwcu",
        "salesman_all": "rwcu",
        "manager": "rwcu",
        "accountant": "r",
        "auditor": "r",
    },
    "effect.crm.contract.version": {
        "employee": "",
        "director": "r",
        "portal": "",
        "salesman": "rwcu",
        "salesman_all": "rwcu",
        "manager": "rwcu",
        "accountant": "r",
        "auditor": "r",
    },
}

RECEIVABLE_FIELDS = [
    "effect_amount_due",
    "effect_amount_overdue",
    "effect_amount_1_30",
    "effect_amount_over_90",
    "effect_open_invoice_count",
    "effect_last_payment_date",
    "effect_receivable_ids",
    "effect_promised_payment_date",
]


class EffectCrmAccountingAccessCommon(EffectCrmAccountingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.inv_customer = cls.invoice(cls.customer, 1000.0, cls.days(-40))
        cls.inv_customer_2 = cls.invoice(cls.customer_2, 2000.0, cls.days(-40))
        cls.inv_vendor = cls.invoice(cls.vendor, 3000.0, cls.days(-40))
        # the invoice of customer is another salesperson's: Odoo's invoice rules hide it
        # from user_salesman, the receivables do not
        cls.inv_customer.invoice_user_id = cls.user_salesman_2


@tagged("post_install", "-at_install")
class TestAccessTable(EffectCrmAccountingCommon):
    def role_users(self):
        return {
            **super().role_users(),
            "accountant": self.user_accountant,
            "auditor": self.user_auditor,
        }

    def test_access_table(self):
        self.assert_access_table(ACCESS_TABLE)


@tagged("post_install", "-at_install")
class TestReceivablesGroup(EffectCrmAccountingAccessCommon):
    def test_member_sees_the_receivables_of_the_customers_they_work(self):
        customer = self.customer.with_user(self.user_salesman)
        [values] = customer.read(RECEIVABLE_FIELDS)
        self.assertEqual(values["effect_amount_due"], 1000.0)
        self.assertEqual(values["effect_amount_overdue"], 1000.0)
        self.assertEqual(len(values["effect_receivable_ids"]), 1)
        # although the salesperson may not read the invoice itself
        with self.assertRaises(AccessError):
            self.inv_customer.with_user(self.user_salesman).read(["name"])
        lines = self.env["effect.crm.receivable"].with_user(self.user_salesman).search([])
        self.assertEqual(lines.partner_id, self.customer)
        self.assertEqual(lines.move_name, self.inv_customer.name)
        Partner = self.env["res.partner"].with_user(self.user_salesman)
        overdue = Partner.search([("effect_amount_overdue", ">", 0)])
        self.assertEqual(overdue.commercial_partner_id, self.customer)

    def test_member_sees_nothing_of_customers_they_do_not_work(self):
        with self.assertRaises(AccessError):
            self.customer_2.with_user(self.user_salesman).read(["effect_amount_due"])
        # partners that are not CRM customers: readable, their receivables are not theirs
        vendor = self.vendor.with_user(self.user_salesman)
        self.assertEqual(vendor.effect_amount_due, 0.0)
        self.assertFalse(vendor.effect_receivable_ids)
        self.assertFalse(
            self.env["effect.crm.receivable"]
            .with_user(self.user_salesman)
            .search([("partner_id", "in", (self.customer_2 | self.vendor).ids)])
        )
        groups = (
            self.env["effect.crm.receivable"]
            .with_user(self.user_salesman)
            ._read_group([], ["partner_id"], ["amount_residual:sum"])
        )
        self.assertEqual([partner for partner, _amount in groups], [self.customer])

    def test_without_the_group_nothing_is_reachable(self):
        for user in (self.user_salesman_2, self.user_salesman_all, self.user_employee):
            partner = self.customer_2.with_user(user)
            with self.subTest(user=user.login):
                for field in RECEIVABLE_FIELDS:
                    with self.assertRaises(AccessError):
                        partner.read([field])
                with self.assertRaises(AccessError):
                    partner.search([("effect_amount_overdue", ">", 0)])
                with self.assertRaises(AccessError):
                    self.env["effect.crm.receivable"].with_user(user).search([])
                self.assertFalse(set(RECEIVABLE_FIELDS) & set(partner.fields_get()))
                arch = partner.get_views([(False, "form")])["views"]["form"]["arch"]
                self.assertNotIn("effect_amount_due", arch)
                self.assertNotIn("effect_receivables", arch)

    def test_menus_follow_the_group(self):
        menus = [
            self.env.ref("effect_crm_accounting.menu_effect_crm_overdue_customers"),
            self.env.ref("effect_crm_accounting.menu_effect_crm_report_receivables"),
        ]
        Menu = self.env["ir.ui.menu"]
        for user, visible in (
            (self.user_salesman, True),
            (self.user_salesman_2, False),
            (self.user_sales_manager, False),
        ):
            visible_ids = Menu.with_user(user)._visible_menu_ids()
            for menu in menus:
                with self.subTest(user=user.login, menu=menu.name):
                    self.assertEqual(menu.id in visible_ids, visible)
        form = self.customer.with_user(self.user_salesman).get_views([(False, "form")])
        self.assertIn("effect_amount_overdue", form["views"]["form"]["arch"])

    def test_joining_the_group_makes_a_salesperson(self):
        self.user_employee.group_ids += self.env.ref("effect_crm_accounting.group_see_receivables")
        self.assertTrue(self.user_employee.has_group("sales_team.group_sale_salesman"))
        # and the territory rules apply: customer_2 is neither theirs nor in their territory
        with self.assertRaises(AccessError):
            self.customer_2.with_user(self.user_employee).read(["effect_amount_due"])

    def test_accountants_see_all_receivables(self):
        for user in (self.user_accountant, self.user_auditor):
            Partner = self.env["res.partner"].with_user(user)
            with self.subTest(user=user.login):
                partners = Partner.browse((self.customer | self.customer_2 | self.vendor).ids)
                self.assertEqual(partners.mapped("effect_amount_due"), [1000.0, 2000.0, 3000.0])
                lines = (
                    self.env["effect.crm.receivable"]
                    .with_user(user)
                    .search([("partner_id", "in", partners.ids)])
                )
                self.assertEqual(len(lines), 3)


@tagged("post_install", "-at_install")
class TestReceivablesRpc(HttpCase, EffectCrmAccountingAccessCommon):
    """The same through the web client's JSON-RPC."""

    def _call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def test_with_the_group(self):
        self.authenticate(self.user_salesman.login, self.user_salesman.login)
        result = self._call(
            "res.partner",
            "web_read",
            [self.customer.id],
            specification={
                "effect_amount_due": {},
                "effect_amount_overdue": {},
                "effect_receivable_ids": {"fields": {"move_name": {}, "amount_residual": {}}},
            },
        )
        self.assertEqual(result[0]["effect_amount_overdue"], 1000.0)
        self.assertEqual(result[0]["effect_receivable_ids"][0]["move_name"], self.inv_customer.name)
        groups = self._call(
            "effect.crm.receivable",
            "formatted_read_group",
            [],
            groupby=["aging"],
            aggregates=["amount_residual:sum"],
        )
        self.assertEqual(
            [(g["aging"], g["amount_residual:sum"]) for g in groups], [("31_60", 1000.0)]
        )
        with self.assertRaises(Exception) as error:
            self._call("res.partner", "read", [self.customer_2.id], ["effect_amount_due"])
        self.assertIn("AccessError", str(error.exception))

    def test_without_the_group(self):
        self.authenticate(self.user_salesman_2.login, self.user_salesman_2.login)
        for model, method, args, kwargs in (
            ("res.partner", "read", [[self.customer_2.id], ["effect_amount_due"]], {}),
            ("res.partner", "web_read", [[self.customer_2.id]],
             {"specification": {"effect_amount_overdue": {}}}),
            ("res.partner", "search", [[["effect_amount_overdue", ">", 0]]], {}),
            ("effect.crm.receivable", "search_read", [[]], {"fields": ["amount_residual"]}),
        ):  # fmt: skip
            with self.subTest(model=model, method=method):
                with self.assertRaises(Exception) as error:
                    self._call(model, method, *args, **kwargs)
                self.assertIn("AccessError", str(error.exception))
        fields = self._call("res.partner", "fields_get", attributes=["type"])
        self.assertNotIn("effect_amount_due", fields)


@tagged("post_install", "-at_install")
class TestAccountantsReadCrmData(EffectCrmAccountingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.interaction = cls.env["effect.crm.interaction"].create(
            {
                "name": "Gọi chào hàng",
                "partner_id": cls.customer_2.id,
                "user_id": cls.user_salesman_2.id,
                "type_id": cls.env.ref("effect_crm.interaction_type_call").id,
            }
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer_2.id,
                "user_id": cls.user_salesman_2.id,
                "order_line": [Command.create({"product_id": cls.product.id})],
            }
        )
        cls.contract = cls.env["effect.crm.contract"].create(
            {
                "partner_id": cls.customer_2.id,
                "user_id": cls.user_salesman_2.id,
                "title": "Hợp đồng cung cấp thép",
                "terms_summary": "Thanh toán 50% khi ký, 50% khi giao hàng",
                "sale_order_id": cls.order.id,
            }
        )
        cls.version = cls.env["effect.crm.contract.version"].create(
            {
                "contract_id": cls.contract.id,
                "file": b64(docx_file("Hợp đồng")),
                "file_name": "hop-dong.docx",
            }
        )
        # an accountant who is also an own-documents salesperson (customer_2 is not theirs)
        cls.user_accountant_salesman = cls.user_accountant.copy(
            {"login": "effect_accountant_sales", "name": "Kế toán kiêm bán hàng"}
        )
        cls.user_accountant_salesman.group_ids += cls.env.ref("sales_team.group_sale_salesman")

    def test_read_only(self):
        records = {
            "effect.crm.interaction": (self.interaction, ["name", "outcome_id", "notes"]),
            "effect.crm.contract": (self.contract, ["name", "terms_summary", "amount", "state"]),
            "effect.crm.contract.version": (self.version, ["file_name", "state", "checksum"]),
            "sale.order": (self.order, ["name", "amount_total", "effect_customer_status"]),
        }
        for user in (self.user_accountant, self.user_auditor, self.user_accountant_salesman):
            for model, (record, fields) in records.items():
                if model == "sale.order" and user == self.user_accountant_salesman:
                    # effect_crm's global quotation rule limits every own-documents
                    # salesperson to the quotations of their customers
                    continue
                record = record.with_user(user)
                with self.subTest(user=user.login, model=model):
                    record.invalidate_recordset()
                    self.assertTrue(record.read(fields))
                    # Odoo lets invoicing users update orders: only the sales team may here
                    with self.assertRaises(AccessError):
                        record.write(
                            {fields[0]: "x"}
                            if model != "effect.crm.contract.version"
                            else {"note": "x"}
                        )
                    with self.assertRaises(AccessError):
                        record.unlink()
        with self.assertRaises(AccessError):
            self.env["effect.crm.interaction"].with_user(self.user_accountant).create(
                {
                    "name": "x",
                    "partner_id": self.customer_2.id,
                    "type_id": self.interaction.type_id.id,
                }
            )
        with self.assertRaises(AccessError):
            self.env["effect.crm.contract"].with_user(self.user_accountant).create(
                {"partner_id": self.customer_2.id}
            )
        self.assertEqual(
            self.contract.with_user(self.user_accountant).terms_summary,
            "Thanh toán 50% khi ký, 50% khi giao hàng",
        )

    def test_accountants_read_the_signed_terms(self):
        """The contract form of an accountant: the signed text, read-only, and no
        comparison with data they may not read (the quotation, the customer's details)."""
        template = self.env["effect.crm.template"].create(
            {"name": "HĐ", "file": b64(contract_template("contract.title")), "file_name": "hd.docx"}
        )
        version = self.contract._effect_version_from_template(template)
        version.action_mark_final()
        for user in (self.user_accountant, self.user_auditor, self.user_accountant_salesman):
            contract = self.contract.with_user(user)
            with self.subTest(user=user.login):
                self.env.invalidate_all()
                values = contract.read(["signed_text", "difference_count", "difference_html"])[0]
                self.assertIn("Hợp đồng cung cấp thép", version.text_content)
                self.assertEqual(values["signed_text"], version.text_content)
                self.assertIn(self.customer_2.name, values["signed_text"])

    def test_accountant_salesperson_reads_but_does_not_write_customers_of_others(self):
        user = self.user_accountant_salesman
        self.assertTrue(self.customer_2.with_user(user).read(["name"]))
        with self.assertRaises(AccessError):
            self.customer_2.with_user(user).write({"name": "x"})
        self.assertTrue(self.interaction.with_user(user).read(["name"]))

    def test_sales_tab_actions_open_the_customer_records(self):
        partner = self.customer_2.with_user(self.user_accountant)
        for method, record in (
            ("action_effect_crm_interactions_readonly", self.interaction),
            ("action_effect_crm_contracts_readonly", self.contract),
            ("action_effect_crm_quotations_readonly", self.order),
        ):
            with self.subTest(action=method):
                action = getattr(partner, method)()
                found = (
                    self.env[action["res_model"]]
                    .with_user(self.user_accountant)
                    .search(action["domain"])
                )
                self.assertEqual(found, record)
