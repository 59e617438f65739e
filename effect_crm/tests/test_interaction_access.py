"""The access table of interactions, the agenda and their configuration, role by role."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .test_interactions import EffectCrmInteractionCommon

# model -> role -> operations allowed (r)ead (w)rite (c)reate (u)nlink
ACCESS_TABLE = {
    "effect.crm.interaction.type": {
        "employee": "",
        "director": "r",
        "portal": "",
        "salesman": "r",
        "salesman_all": "r",
        "manager": "rwcu",
    },
    "effect.crm.interaction.outcome": {
        "employee": "",
        "director": "r",
        "portal": "",
        "salesman": "r",
        "salesman_all": "r",
        "manager": "rwcu",
    },
    "effect.crm.interaction": {
        "employee": "",
        "director": "r",
        "portal": "",
        "salesman": "rwcu",
        "salesman_all": "rwcu",
        "manager": "rwcu",
    },
    # write: moving items in the calendar or postponing them
    "effect.crm.agenda": {
        "employee": "",
        "director": "",
        "portal": "",
        "salesman": "rw",
        "salesman_all": "rw",
        "manager": "rw",
    },
    "effect.crm.agenda.postpone": {
        "employee": "",
        "director": "",
        "portal": "",
        "salesman": "rwcu",
        "salesman_all": "rwcu",
        "manager": "rwcu",
    },
    "effect.crm.customer.report": {
        "employee": "",
        "director": "r",
        "portal": "",
        "salesman": "r",
        "salesman_all": "r",
        "manager": "r",
    },
}


@tagged("post_install", "-at_install")
class TestInteractionAccess(EffectCrmInteractionCommon):
    def test_model_access_table(self):
        self.assert_access_table(ACCESS_TABLE)

    def test_salesman_sees_own_interactions_and_those_with_own_customers(self):
        # customer belongs to user_salesman, customer_2 to user_salesman_2
        mine = self._log()
        # a colleague who does not work the customer cannot log on it (see
        # test_access_paths); a sales manager logged this call for them
        by_colleague_on_my_customer = self._log(
            user=self.user_sales_manager, user_id=self.user_salesman_2.id
        )
        with self.assertRaises(AccessError):
            self._log(user=self.user_salesman_2)
        by_colleague_on_theirs = self._log(user=self.user_salesman_2, partner_id=self.customer_2.id)
        everything = mine | by_colleague_on_my_customer | by_colleague_on_theirs
        Interaction = self.env["effect.crm.interaction"]
        seen = Interaction.with_user(self.user_salesman).search([("id", "in", everything.ids)])
        self.assertEqual(seen, mine | by_colleague_on_my_customer)
        with self.assertRaises(AccessError):
            by_colleague_on_theirs.with_user(self.user_salesman).read(["name"])
        with self.assertRaises(AccessError):
            by_colleague_on_theirs.with_user(self.user_salesman).write({"name": "Sửa"})
        # read_group and name_search follow the same rule
        groups = Interaction.with_user(self.user_salesman)._read_group(
            [("id", "in", everything.ids)], [], ["__count"]
        )
        self.assertEqual(groups[0][0], 2)
        self.assertFalse(
            Interaction.with_user(self.user_salesman).name_search(
                by_colleague_on_theirs.name, [("id", "=", by_colleague_on_theirs.id)]
            )
        )
        for user in (self.user_salesman_all, self.user_sales_manager):
            seen = Interaction.with_user(user).search([("id", "in", everything.ids)])
            self.assertEqual(seen, everything)

    def test_salesman_logs_update_and_deletes_an_interaction(self):
        interaction = self._log()
        interaction.with_user(self.user_salesman).write({"outcome_id": self.outcome_interested.id})
        self.assertEqual(interaction.outcome_id, self.outcome_interested)
        interaction.with_user(self.user_salesman).unlink()
        self.assertFalse(interaction.exists())

    def test_employee_cannot_read_interactions_nor_their_summary_on_partners(self):
        interaction = self._log()
        with self.assertRaises(AccessError):
            interaction.with_user(self.user_employee).read(["name"])
        partner = self.customer.with_user(self.user_employee)
        self.assertEqual(partner.read(["name"])[0]["name"], self.customer.name)
        for field in (
            "effect_interaction_ids",
            "effect_interaction_count",
            "effect_last_interaction_date",
            "effect_next_action_date",
        ):
            with self.subTest(field=field), self.assertRaises(AccessError):
                partner.read([field])

    def test_employee_opens_the_partner_form_without_error(self):
        # the form view strips the sales-only fields for users outside sales
        view = self.env["res.partner"].with_user(self.user_employee).get_views([(False, "form")])
        arch = view["views"]["form"]["arch"]
        for field in (
            "effect_interaction_ids",
            "effect_interaction_count",
            "effect_last_interaction_date",
            "effect_next_action_date",
            "action_effect_log_interaction",
        ):
            self.assertNotIn(field, arch)
        # the salesperson's form has them
        view = self.env["res.partner"].with_user(self.user_salesman).get_views([(False, "form")])
        self.assertIn("action_effect_log_interaction", view["views"]["form"]["arch"])
        self.assertIn("effect_interaction_ids", view["views"]["form"]["arch"])

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "Công ty con"})
        interaction = self._log()
        interaction.sudo().company_id = other
        self.assertFalse(
            self.env["effect.crm.interaction"]
            .with_user(self.user_sales_manager)
            .search([("id", "=", interaction.id)])
        )

    def test_configuration_lists_are_for_sales_managers(self):
        new_type = (
            self.env["effect.crm.interaction.type"]
            .with_user(self.user_sales_manager)
            .create({"name": "Zalo", "icon": "fa-comment"})
        )
        self.assertEqual(new_type.interaction_count, 0)
        with self.assertRaises(AccessError):
            self.env["effect.crm.interaction.outcome"].with_user(self.user_salesman).create(
                {"name": "Không được"}
            )
