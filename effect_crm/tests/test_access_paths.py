"""The access model on the indirect paths (issue 11), through the ORM.

One definition of the customers a user works (``res.partner.effect_is_worked``);
every record that points at a customer refuses, on create and on write, a customer
the user does not work, before any side effect; context keys are never authority;
opportunities follow their customer; "CRM: read all" reads and changes nothing.

Customers (see :class:`EffectCrmAccessCommon`): ``c_hanoi`` is in the territory of
``user_salesman`` (the "territory" role), ``c_hcmc`` is hidden from them, ``c_own`` is
``user_own``'s.
"""

import re
from pathlib import Path

from markupsafe import Markup

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import SALES_MANAGER
from .contract_common import b64, docx_file
from .test_access_territory import CUSTOMERS, VISIBLE, EffectCrmAccessCommon

HIDDEN = "another salesperson or territory"


class EffectCrmAccessPathsCommon(EffectCrmAccessCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.roles["director"] = cls.user_director
        Lead = cls.env["crm.lead"]
        for key in CUSTOMERS:
            cls.records[key]["crm.lead"] = Lead.create(
                {
                    "name": f"Cơ hội {key}",
                    "partner_id": getattr(cls, key).id,
                    "type": "opportunity",
                    "user_id": False,  # unassigned: Odoo shows those to every salesperson
                }
            )
            cls.records[key]["sale.order.line"] = cls.records[key]["sale.order"].order_line
        # the hidden customer's records that other records may point to
        hidden = cls.records["c_hcmc"]
        cls.hidden_targets = {
            "res.partner": cls.c_hcmc,
            "sale.order": hidden["sale.order"],
            "crm.lead": hidden["crm.lead"],
            "effect.crm.contract": hidden["effect.crm.contract"],
        }

    def customer_models(self):
        """Every model that points at a customer: those of the customer mixin."""
        names = self.env.registry.descendants(["effect.crm.customer.mixin"], "_inherit")
        return sorted(name for name in names if not self.env[name]._abstract)


@tagged("post_install", "-at_install")
class TestOneDefinition(EffectCrmAccessPathsCommon):
    def test_the_customers_each_role_works(self):
        ids = [getattr(self, key).id for key in CUSTOMERS]
        for role, user in self.roles.items():
            Partner = self.env["res.partner"].with_user(user)
            worked = Partner.sudo().search([("id", "in", ids), ("effect_is_worked", "=", True)])
            expected = {getattr(self, key) for key in CUSTOMERS}
            if role in VISIBLE and role != "employee":
                expected = {getattr(self, key) for key in VISIBLE[role]}
            with self.subTest(role=role):
                self.assertEqual(set(worked), expected)
                # the computed value says the same, customer by customer
                for key in CUSTOMERS:
                    customer = getattr(self, key).with_user(user).sudo()
                    self.assertEqual(customer.effect_is_worked, customer in expected)
                # partners that are not CRM customers keep Odoo's visibility
                self.assertTrue(self.vendor.with_user(user).sudo().effect_is_worked)
        # the server's user decides, never the context
        Partner = self.env["res.partner"].with_user(self.user_salesman)
        spoofed = Partner.with_context(uid=self.user_salesman_all.id, effect_is_worked=True)
        self.assertFalse(spoofed.search([("id", "=", self.c_hcmc.id)]))

    def test_every_rule_reads_the_one_definition(self):
        rules = (
            self.env["ir.rule"]
            .search([])
            .filtered(
                lambda rule: (
                    rule.get_external_id()[rule.id].split(".")[0]
                    in ("effect_crm", "effect_crm_accounting")
                )
            )
        )
        self.assertTrue(rules)
        for rule in rules:
            with self.subTest(rule=rule.name):
                for copied in ("effect_territory", "effect_salesperson_id", "user.effect_"):
                    self.assertNotIn(copied, rule.domain_force or "")
        for name in (
            "res_partner_rule_effect_salesman",
            "sale_order_rule_effect_territory",
            "crm_lead_rule_effect_territory",
            "effect_crm_document_rule_salesman",
            "effect_crm_interaction_rule_salesman",
            "effect_crm_contract_rule_salesman",
        ):
            with self.subTest(rule=name):
                rule = self.env.ref(f"effect_crm.{name}")
                self.assertIn("effect_is_worked", rule.domain_force)

    def test_the_rule_costs_at_most_one_query(self):
        Users = self.env["res.users"]
        self.env.registry.clear_cache()
        Users._effect_worked_territory_ids(self.user_territory_manager.id)  # warm other caches
        self.env.registry.clear_cache()
        with self.assertQueryCount(1):
            territory_ids = Users._effect_worked_territory_ids(self.user_territory_manager.id)
        with self.assertQueryCount(0):
            Users._effect_worked_territory_ids(self.user_territory_manager.id)
        # a territory manager works the territory and its sub-territories
        self.assertEqual(set(territory_ids), set((self.north | self.t_hanoi).ids))
        self.assertEqual(
            Users._effect_worked_territory_ids(self.user_salesman.id), (self.t_hanoi.id,)
        )


@tagged("post_install", "-at_install")
class TestCustomerFieldsRefuseHiddenCustomers(EffectCrmAccessPathsCommon):
    def test_every_customer_field_refuses_a_hidden_customer(self):
        """Walks the registry: a model added later with the mixin is covered."""
        models = self.customer_models()
        for expected in (
            "sale.order",
            "sale.order.line",
            "crm.lead",
            "effect.crm.interaction",
            "effect.crm.document",
            "effect.crm.contract",
            "effect.crm.contract.version",
        ):
            self.assertIn(expected, models)
        for model in models:
            Model = self.env[model].with_user(self.user_salesman)
            for name in Model._effect_customer_fields:
                comodel = Model._fields[name].comodel_name
                self.assertIn(
                    comodel,
                    self.hidden_targets,
                    f"{model}.{name}: give the test a record of {comodel} on the hidden customer",
                )
                hidden = self.hidden_targets[comodel]
                operations = {
                    "create": lambda: Model.create({name: hidden.id}),  # noqa: B023
                    "create by default": lambda: Model.with_context(  # noqa: B023
                        **{f"default_{name}": hidden.id}  # noqa: B023
                    ).create({}),
                    "write": lambda: Model.browse().write({name: hidden.id}),  # noqa: B023
                }
                for operation, call in operations.items():
                    with (
                        self.subTest(model=model, field=name, operation=operation),
                        self.assertRaisesRegex(AccessError, HIDDEN),
                    ):
                        call()

    def test_moving_a_record_to_a_hidden_customer(self):
        mine = self.records["c_hanoi"]
        for model in ("effect.crm.document", "effect.crm.interaction", "effect.crm.contract"):
            record = mine[model].with_user(self.user_salesman)
            with self.subTest(model=model), self.assertRaisesRegex(AccessError, HIDDEN):
                record.write({"partner_id": self.c_hcmc.id})
            self.assertEqual(mine[model].partner_id, self.c_hanoi)
        order = mine["sale.order"].with_user(self.user_salesman)
        with self.assertRaisesRegex(AccessError, HIDDEN):
            order.write({"partner_id": self.c_hcmc.id})
        with self.assertRaisesRegex(AccessError, HIDDEN):
            order.write({"partner_shipping_id": self.c_hcmc.id})
        with self.assertRaisesRegex(AccessError, HIDDEN):
            mine["sale.order.line"].with_user(self.user_salesman).write(
                {"order_id": self.records["c_hcmc"]["sale.order"].id}
            )
        # and what stays on the salesperson's customers still works
        order.write({"client_order_ref": "PO-1"})
        mine["effect.crm.document"].with_user(self.user_salesman).write({"name": "Đổi tên"})

    def test_a_quotation_for_a_hidden_customer_is_refused(self):
        Order = self.env["sale.order"].with_user(self.user_salesman)
        with self.assertRaisesRegex(AccessError, HIDDEN):
            Order.create({"partner_id": self.c_hcmc.id, "user_id": self.user_salesman.id})
        # a contact person of the hidden customer is the hidden customer
        contact = self.env["res.partner"].create({"name": "Chị Lan", "parent_id": self.c_hcmc.id})
        with self.assertRaisesRegex(AccessError, HIDDEN):
            Order.create({"partner_id": contact.id})
        order = Order.create({"partner_id": self.c_hanoi.id})
        self.assertEqual(order.partner_id, self.c_hanoi)

    def test_activities_on_a_hidden_customer_or_its_records(self):
        Activity = self.env["mail.activity"].with_user(self.user_salesman)
        todo = self.env.ref("mail.mail_activity_data_todo")
        for model, record in (
            ("res.partner", self.c_hcmc),
            ("sale.order", self.records["c_hcmc"]["sale.order"]),
            ("effect.crm.contract", self.records["c_hcmc"]["effect.crm.contract"]),
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                Activity.create(
                    {
                        "res_model_id": self.env["ir.model"]._get_id(model),
                        "res_id": record.id,
                        "activity_type_id": todo.id,
                        "summary": "x",
                    }
                )
        # moving one of mine onto the hidden customer
        mine = self.c_hanoi.activity_schedule("mail.mail_activity_data_todo", summary="x")
        with self.assertRaisesRegex(AccessError, HIDDEN):
            mine.with_user(self.user_salesman).write({"res_id": self.c_hcmc.id})

    def test_no_side_effect_on_a_hidden_customer_before_the_check(self):
        """A quotation of a hidden customer that names the salesperson (a manager made it)
        gives them nothing: no reading, no status, no confirmation, no timeline entry."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.c_hcmc.id,
                "user_id": self.user_salesman.id,
                "order_line": [Command.create({"product_id": self.product.id})],
            }
        )
        Interaction = self.env["effect.crm.interaction"]
        before = Interaction.search_count([("partner_id", "=", self.c_hcmc.id)])
        as_salesman = order.with_user(self.user_salesman)
        with self.assertRaises(AccessError):
            as_salesman.read(["partner_id"])
        for action in (
            "action_effect_mark_sent",
            "action_effect_mark_accepted",
            "action_confirm",
            "action_effect_new_revision",
        ):
            with self.subTest(action=action), self.assertRaises(AccessError):
                getattr(as_salesman, action)()
        self.assertEqual(order.effect_customer_status, "not_sent")
        self.assertEqual(order.state, "draft")
        self.assertEqual(Interaction.search_count([("partner_id", "=", self.c_hcmc.id)]), before)


@tagged("post_install", "-at_install")
class TestContextIsNoAuthority(EffectCrmAccessPathsCommon):
    def test_a_final_version_is_unlocked_by_a_sales_manager_only_and_in_the_chatter(self):
        contract = self.records["c_hanoi"]["effect.crm.contract"]
        version = self.env["effect.crm.contract.version"].create(
            {"contract_id": contract.id, "file": b64(docx_file("v1")), "file_name": "v1.docx"}
        )
        version.action_mark_final()
        attachment = self.env["ir.attachment"].search(
            [
                ("res_model", "=", version._name),
                ("res_id", "=", version.id),
                ("res_field", "=", "file"),
            ]
        )
        salesman = version.with_user(self.user_salesman).with_context(effect_unlock_version=True)
        with self.assertRaises(AccessError):
            salesman.write({"state": "draft"})
        with self.assertRaises(AccessError):
            salesman.action_unlock()
        with self.assertRaisesRegex(UserError, "is final"):
            salesman.write({"note": "changed"})
        with self.assertRaises(UserError):
            attachment.with_user(self.user_salesman).with_context(effect_unlock_version=True).write(
                {"datas": b64(b"other file")}
            )
        self.assertEqual(version.state, "final")
        manager = self._new_user("effect_mgr_unlock", SALES_MANAGER, "Trưởng phòng")
        version.with_user(manager).action_unlock()
        self.assertEqual(version.state, "draft")
        self.assertIn("unlocked", contract.message_ids[0].body)
        self.assertIn(manager.name, contract.message_ids[0].body)

    def test_the_assignment_history_reason_is_the_servers(self):
        History = self.env["effect.crm.territory.history"]
        self.c_own.with_user(self.user_own).with_context(
            effect_assignment_reason="reassignment", effect_reassignment_id=1
        ).write({"effect_territory_id": self.t_danang.id})
        entry = History.search([("partner_id", "=", self.c_own.id)], limit=1)
        self.assertEqual(entry.reason, "manual")
        self.assertFalse(entry.reassignment_id)
        self.assertEqual(entry.author_id, self.user_own)

    def test_no_context_key_decides_a_permission_or_an_audit_fact(self):
        """The context keys EFFECT CRM reads carry form defaults and the user's own words."""
        allowed = {
            "effect_interaction_defaults",  # prefilled values of the interaction dialog
            "effect_reschedule_reason",  # the reason the user typed
            "effect_stage",  # the stage button's argument (a write the user may do)
        }
        root = Path(__file__).resolve().parents[2]
        found = set()
        for addon in ("effect_crm", "effect_crm_accounting"):
            for path in (root / addon).rglob("*.py"):
                if "tests" in path.parts:
                    continue
                found |= set(re.findall(r"context\.get\(\s*[\"'](effect_\w+)", path.read_text()))
        self.assertLessEqual(found, allowed)


@tagged("post_install", "-at_install")
class TestOpportunitiesFollowTheirCustomer(EffectCrmAccessPathsCommon):
    def test_unassigned_opportunities_of_hidden_customers_are_hidden(self):
        Lead = self.env["crm.lead"].with_user(self.user_salesman)
        leads = {key: self.records[key]["crm.lead"] for key in CUSTOMERS}
        seen = Lead.search([("id", "in", [lead.id for lead in leads.values()])])
        self.assertEqual(seen, leads["c_hanoi"])
        with self.assertRaises(AccessError):
            leads["c_hcmc"].with_user(self.user_salesman).read(["email_from", "phone"])
        # an opportunity without a customer stays Odoo's
        lead = self.env["crm.lead"].create({"name": "Khách vãng lai", "user_id": False})
        self.assertEqual(Lead.search([("id", "=", lead.id)]), lead)
        with self.assertRaisesRegex(AccessError, HIDDEN):
            Lead.create({"name": "x", "partner_id": self.c_hcmc.id})
        with self.assertRaisesRegex(AccessError, HIDDEN):
            leads["c_hanoi"].with_user(self.user_salesman).write({"partner_id": self.c_hcmc.id})
        for role in ("all", "manager"):
            with self.subTest(role=role):
                Lead = self.env["crm.lead"].with_user(self.roles[role])
                self.assertEqual(
                    len(Lead.search([("id", "in", lead.ids + [x.id for x in leads.values()])])), 4
                )


@tagged("post_install", "-at_install")
class TestReadAllAndEmployees(EffectCrmAccessPathsCommon):
    MODELS = (
        "res.partner",
        "sale.order",
        "crm.lead",
        "effect.crm.document",
        "effect.crm.interaction",
        "effect.crm.contract",
    )

    def test_directors_read_everything_and_change_nothing(self):
        for key in CUSTOMERS:
            for model in self.MODELS:
                record = self.records[key][model]
                with self.subTest(customer=key, model=model):
                    self.assertTrue(self._can(record, self.user_director, "read"))
                    # Odoo's rights on partners are kept (employees may edit contacts)
                    expected_write = model == "res.partner" and self.env[model].with_user(
                        self.user_director
                    ).has_access("write")
                    self.assertEqual(self._can(record, self.user_director, "write"), expected_write)
                    self.assertFalse(self._can(record, self.user_director, "unlink"))

    def test_employees_without_sales_rights_see_no_crm_data(self):
        for key in CUSTOMERS:
            for model in self.MODELS[1:]:
                with self.subTest(customer=key, model=model):
                    self.assertFalse(
                        self._can(self.records[key][model], self.user_employee, "read")
                    )
            # the partner as Odoo shows it
            self.assertTrue(self._can(getattr(self, key), self.user_employee, "read"))

    CRM_FIELDS = (
        "effect_stage",
        "effect_territory_id",
        "effect_salesperson_id",
        "effect_size_id",
        "effect_business_type_id",
        "effect_director_name",
        "effect_is_worked",
        "properties",
    )

    def test_crm_fields_of_partners_by_role(self):
        portal = self.user_portal
        portal.partner_id.parent_id = self.c_hanoi
        for user, readable in (
            (self.user_employee, False),
            (portal, False),
            (self.user_director, True),
            (self.user_salesman, True),
        ):
            partner = self.c_hanoi.with_user(user)
            with self.subTest(user=user.login):
                self.assertEqual(partner.read(["name", "city"])[0]["name"], self.c_hanoi.name)
                fields = partner.fields_get(attributes=["type"])
                for name in self.CRM_FIELDS:
                    self.assertEqual(name in fields, readable, name)
                    if not readable:
                        with self.assertRaises(AccessError):
                            partner.read([name])

    def test_employees_keep_editing_partners_as_odoo_lets_them(self):
        # an employee with Odoo's "Contact Creation" right, without sales rights
        self.user_employee.group_ids += self.env.ref("base.group_partner_manager")
        Partner = self.env["res.partner"].with_user(self.user_employee)
        partner = Partner.create({"name": "Đối tác nhân viên tạo", "state_id": self.hanoi.id})
        partner.write({"city": "Hà Đông"})
        contact = Partner.create({"name": "Người liên hệ", "parent_id": self.c_hanoi.id})
        self.assertEqual(contact.sudo().effect_stage, self.c_hanoi.effect_stage)
        self.c_hanoi.with_user(self.user_employee).write({"state_id": self.hcmc.id})
        # the criteria moved the customer, as they would for a salesperson's change
        self.assertEqual(self.c_hanoi.effect_territory_id, self.t_hcmc)


@tagged("post_install", "-at_install")
class TestRevisionNoteEscapesTheName(EffectCrmAccessPathsCommon):
    def test_revision_note_escapes_the_quotation_name(self):
        order = self.records["c_hanoi"]["sale.order"]
        order.name = "<img src=x onerror=alert(1)>"
        order.with_user(self.user_salesman).action_effect_mark_sent()
        action = order.with_user(self.user_salesman).action_effect_new_revision()
        revision = self.env["sale.order"].browse(action["res_id"])
        bodies = revision.message_ids.mapped("body")
        note = next(body for body in bodies if "Revision 2" in body)
        self.assertIsInstance(note, Markup)
        self.assertNotIn("<img", note)
        self.assertIn("&lt;img", note)


@tagged("post_install", "-at_install")
class TestSalespersonCreatesCustomers(EffectCrmAccessPathsCommon):
    def test_an_empty_salesperson_field_is_the_creator(self):
        """The web client sends the empty Salesperson field: the new customer is theirs."""
        Partner = self.env["res.partner"].with_user(self.user_own)
        customer = Partner.create(
            {"name": "Khách mới", "is_company": True, "effect_stage": "prospect", "user_id": False}
        )
        self.assertEqual(customer.user_id, self.user_own)
        contact = Partner.create({"name": "Anh Liên Hệ", "parent_id": customer.id})
        self.assertEqual(contact.effect_stage, "prospect")
        self.assertTrue(contact.effect_is_worked)
        # a territory salesperson's customer in their own province
        Partner = self.env["res.partner"].with_user(self.user_salesman)
        customer = Partner.create(
            {
                "name": "Khách Hà Nội mới",
                "is_company": True,
                "effect_stage": "prospect",
                "state_id": self.hanoi.id,
                "user_id": False,
            }
        )
        self.assertEqual(customer.effect_territory_id, self.t_hanoi)
