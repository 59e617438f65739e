from unittest.mock import patch

from odoo import models
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import EffectCrmCommon


@tagged("post_install", "-at_install")
class TestCustomerAttributes(EffectCrmCommon):
    """Customer attributes are Odoo's partner properties, edited by sales managers."""

    def _definition(self):
        return self.env["properties.base.definition"]._get_definition_for_property_field(
            "res.partner", "properties"
        )

    def _add_attributes_as(self, user, partner, definitions):
        """What the web client sends when a user adds attributes on a customer form."""
        values = self._read(partner, user) + [
            dict(definition, definition_changed=True) for definition in definitions
        ]
        partner.with_user(user).properties = values

    def setUp(self):
        super().setUp()
        self._add_attributes_as(
            self.user_sales_manager,
            self.customer,
            [
                {"name": "branches", "string": "Số chi nhánh", "type": "integer", "value": 4},
                {
                    "name": "source",
                    "string": "Nguồn",
                    "type": "selection",
                    "selection": [["web", "Website"], ["fair", "Hội chợ"]],
                    "value": "fair",
                },
                {"name": "revenue", "string": "Doanh thu", "type": "float", "value": 12.5},
            ],
        )
        self.customer_2.with_user(self.user_sales_manager).properties = {
            "branches": 1,
            "source": "web",
            "revenue": 3.0,
        }

    def _read(self, partner, user):
        """The attributes and values of a customer, as the web client reads them."""
        return partner.with_user(user).read(["properties"])[0]["properties"]

    def _values(self, partner):
        return {
            prop["name"]: prop.get("value")
            for prop in self._read(partner, self.user_sales_manager)
            if prop["name"] in ("branches", "source", "revenue")
        }

    def test_manager_adds_attributes_and_salesman_fills_them(self):
        names = [item["name"] for item in self._definition().properties_definition]
        self.assertEqual(names[-3:], ["branches", "source", "revenue"])
        values = self._read(self.customer, self.user_salesman)
        for prop in values:
            if prop["name"] == "branches":
                prop["value"] = 7
        self.customer.with_user(self.user_salesman).properties = values
        self.assertEqual(self._values(self.customer)["branches"], 7)
        self.assertEqual(self._values(self.customer)["source"], "fair")

    def test_removing_an_attribute_keeps_every_other_value(self):
        values = self._read(self.customer, self.user_sales_manager)
        for prop in values:
            if prop["name"] == "source":
                prop["definition_deleted"] = True
        self.customer.with_user(self.user_sales_manager).properties = values
        self.env.invalidate_all()
        names = [item["name"] for item in self._definition().properties_definition]
        self.assertNotIn("source", names)
        self.assertEqual(self._values(self.customer), {"branches": 4, "revenue": 12.5})
        self.assertEqual(self._values(self.customer_2), {"branches": 1, "revenue": 3.0})

    def test_renaming_an_attribute_keeps_its_values(self):
        values = self._read(self.customer, self.user_sales_manager)
        for prop in values:
            if prop["name"] == "branches":
                prop.update(string="Number of branches", definition_changed=True)
        self.customer.with_user(self.user_sales_manager).properties = values
        self.env.invalidate_all()
        labels = {
            prop["name"]: prop["string"]
            for prop in self._read(self.customer_2, self.user_salesman_2)
        }
        self.assertEqual(labels["branches"], "Number of branches")
        self.assertEqual(self._values(self.customer_2)["branches"], 1)

    def test_only_sales_managers_change_the_definition(self):
        definition = self._definition()
        self.assertTrue(definition.with_user(self.user_sales_manager).has_access("write"))
        for user in (self.user_salesman, self.user_salesman_all, self.user_employee):
            with self.subTest(user=user.login):
                self.assertFalse(definition.with_user(user).has_access("write"))
                with self.assertRaises(AccessError):
                    self._add_attributes_as(
                        user, self.customer, [{"name": "hack", "string": "Hack", "type": "char"}]
                    )
        # a sales manager cannot touch the attributes of other models
        other = (
            self.env["properties.base.definition"]
            .sudo()
            .search([("properties_field_id.model", "!=", "res.partner")], limit=1)
        )
        if other:
            self.assertFalse(other.with_user(self.user_sales_manager).has_access("write"))

    def test_filter_group_and_export_by_attribute(self):
        Partner = self.env["res.partner"].with_user(self.user_sales_manager)
        self.assertEqual(Partner.search([("properties.branches", ">", 2)]), self.customer)
        groups = dict(
            Partner._read_group(
                [("id", "in", (self.customer | self.customer_2).ids)],
                ["properties.source"],
                ["__count"],
            )
        )
        self.assertEqual(groups, {"fair": 1, "web": 1})
        # exporting is Odoo's own right, given apart from the sales roles
        self.user_sales_manager.group_ids += self.env.ref("base.group_allow_export")
        rows = Partner.browse(self.customer.ids).export_data(
            ["name", "properties.branches", "properties.source"]
        )["datas"]
        self.assertEqual(rows, [[self.customer.name, 4, "Hội chợ"]])

    def test_group_by_a_selection_attribute_as_odoo_does(self):
        """The CASE grouping of a selection attribute gives Odoo's groups, in Odoo's order."""
        customers = self.customer | self.customer_2 | self.customer_contact
        # a value that is no longer an option (the option was removed)
        self.env.cr.execute(
            'UPDATE res_partner SET properties = \'{"source": "gone"}\' WHERE id = %s',
            [self.customer_contact.id],
        )
        self.env.invalidate_all()
        Partner = self.env["res.partner"].with_user(self.user_sales_manager)
        domain = [("id", "in", customers.ids)]
        odoo_method = models.BaseModel._read_group_groupby_properties
        for groupby in (["properties.source"], ["properties.source", "state_id"]):
            ours = Partner.formatted_read_group(domain, groupby, ["__count"])
            with patch.object(type(Partner), "_read_group_groupby_properties", odoo_method):
                odoo = Partner.formatted_read_group(domain, groupby, ["__count"])
            self.assertEqual(ours, odoo)
        # the pivot's call: every grouping set at once (a list parameter once crashed it)
        grouping_sets = [["properties.source", "state_id"], ["properties.source"], ["state_id"], []]
        ours = Partner.formatted_read_grouping_sets(domain, grouping_sets, ["__count"])
        with patch.object(type(Partner), "_read_group_groupby_properties", odoo_method):
            odoo = Partner.formatted_read_grouping_sets(domain, grouping_sets, ["__count"])
        self.assertEqual(ours, odoo)
        groups = dict(Partner._read_group(domain, ["properties.source"], ["__count"]))
        self.assertEqual(groups, {"fair": 1, "web": 1, False: 1})  # not an option: no group
