from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import SALES_MANAGER, SALESMAN


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def test_territory_setup_and_reassignment_tour(self):
        """A sales manager sets up three province territories and moves customers."""
        manager = mail_new_test_user(
            self.env, login="tour_manager", groups=SALES_MANAGER, name="Tour Manager"
        )
        seller_a = mail_new_test_user(
            self.env, login="tour_a", groups=SALESMAN, name="Tour Salesperson A"
        )
        seller_b = mail_new_test_user(
            self.env, login="tour_b", groups=SALESMAN, name="Tour Salesperson B"
        )
        gia_lai = self.env.ref("base.state_vn_VN-30")
        customers = self.env["res.partner"].create(
            [
                {"name": f"Tour KH {i}", "is_company": True, "effect_stage": "prospect",
                 "state_id": gia_lai.id, "user_id": seller_a.id}
                for i in range(2)
            ]
        )  # fmt: skip
        self.start_tour("/odoo", "effect_crm_territory_tour", login=manager.login)

        territories = self.env["effect.crm.territory"].search([("name", "like", "Tour ")])
        self.assertEqual(
            sorted(territories.mapped("state_ids.name")), ["Gia Lai", "Lai Châu", "Quảng Trị"]
        )
        self.assertEqual(customers.user_id, seller_b)
        self.assertEqual(customers.effect_territory_id.name, "Tour Gia Lai")
        for customer in customers:
            history = customer.effect_territory_history_ids.sorted("id")
            self.assertEqual(history.mapped("reason"), ["reassignment", "reassignment"])
            self.assertEqual(history[0].territory_to_id.name, "Tour Gia Lai")
            self.assertEqual(history[1].user_to_id, seller_b)
            self.assertEqual(history.author_id, manager)

    def test_sales_manager_adds_an_attribute_and_groups_by_it_tour(self):
        manager = mail_new_test_user(
            self.env, login="tour_attr_manager", groups=SALES_MANAGER, name="Tour Attr Manager"
        )
        customer = self.env["res.partner"].create(
            {"name": "Tour Attribute Customer", "is_company": True, "effect_stage": "prospect"}
        )
        self.start_tour("/odoo", "effect_crm_attribute_tour", login=manager.login)
        [branches] = [
            prop
            for prop in customer.read(["properties"])[0]["properties"]
            if prop["string"] == "Số chi nhánh"
        ]
        self.assertEqual((branches["type"], branches["value"]), ("integer", 7))
        groups = dict(
            self.env["res.partner"]._read_group(
                [("id", "=", customer.id)], [f"properties.{branches['name']}"], ["__count"]
            )
        )
        self.assertEqual(groups, {7: 1})
        found = self.env["res.partner"].search([(f"properties.{branches['name']}", ">", 5)])
        self.assertIn(customer, found)

    def test_salesperson_creates_a_customer_and_a_contact_tour(self):
        """The demo salesperson An creates a customer (Salesperson left empty) and a
        contact person in the web client; both are theirs and stay visible to them."""
        an = self.env.ref("effect_crm.user_an_demo", raise_if_not_found=False) or self.env[
            "res.users"
        ].search([("login", "=", "an")])
        if not an:
            an = mail_new_test_user(self.env, login="an", groups=SALESMAN, name="An")
        self.assertTrue(an._effect_is_restricted())
        self.start_tour("/odoo", "effect_crm_customer_create_tour", login=an.login)
        customer = self.env["res.partner"].search([("name", "=", "Tour Công ty Mới")])
        self.assertEqual(customer.effect_stage, "prospect")
        self.assertEqual(customer.user_id, an)
        contact = customer.child_ids
        self.assertEqual(contact.name, "Chị Tour Liên Hệ")
        self.assertEqual(contact.effect_salesperson_id, an)
        self.assertTrue(contact.with_user(an).effect_is_worked)
