"""What the statistics open with: the interaction pivot and the quotation analysis."""

from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .contract_common import EffectCrmSalesCommon


@tagged("post_install", "-at_install")
class TestStatisticsViews(EffectCrmSalesCommon):
    def _action(self, xmlid, user):
        return self.env["ir.actions.act_window"].with_user(user)._for_xml_id(xmlid)

    def _arch(self, model, view_type, view_id, user):
        views = self.env[model].with_user(user).get_views([(view_id, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    def test_interaction_pivot_counts_types_by_month(self):
        action = self._action("effect_crm.effect_crm_interaction_report_action", self.user_salesman)
        context = safe_eval(action["context"])
        self.assertFalse(
            [key for key in context if key.startswith("search_default_group")],
            "a group-by from the search would replace the pivot's rows",
        )
        pivot_id = next(view_id for view_id, view_type in action["views"] if view_type == "pivot")
        arch = self._arch("effect.crm.interaction", "pivot", pivot_id, self.user_salesman)
        rows = [f.get("name") for f in arch.iter("field") if f.get("type") == "row"]
        cols = [
            (f.get("name"), f.get("interval")) for f in arch.iter("field") if f.get("type") == "col"
        ]
        measures = [f.get("name") for f in arch.iter("field") if f.get("type") == "measure"]
        self.assertEqual(rows, ["type_id"])
        self.assertEqual(cols, [("date", "month")])
        self.assertEqual(measures, [], "no measure given: the pivot counts")

    def test_quotation_analysis_leaves_out_partners_outside_the_crm(self):
        outsider = self.env["res.partner"].create({"name": "Odoo demo furniture buyer"})
        ours = self._quotation(user=self.user_sales_manager)
        theirs = self._quotation(user=self.user_sales_manager, partner=outsider)
        action = self._action("effect_crm.action_effect_quote_analysis", self.user_sales_manager)
        context = safe_eval(action["context"])
        arch = self._arch(
            "sale.order", "search", action["search_view_id"][0], self.user_sales_manager
        )
        domain = []
        for name in (key.removeprefix("search_default_") for key in context):
            [node] = arch.xpath(f"//filter[@name='{name}']")
            domain += safe_eval(node.get("domain"), {"uid": self.user_sales_manager.id})
        found = self.env["sale.order"].with_user(self.user_sales_manager).search(domain)
        self.assertIn(ours, found)
        self.assertNotIn(theirs, found)
