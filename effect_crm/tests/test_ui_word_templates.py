import base64

from odoo.tests import HttpCase, tagged

from .contract_common import EffectCrmSalesCommon, b64
from .test_word_templates import contract_template, edit_controls


@tagged("post_install", "-at_install")
class TestWordTemplatesUi(HttpCase, EffectCrmSalesCommon):
    def test_contract_from_template_round_trip(self):
        """Contract from template → version 1 → upload an edited file → difference shown
        → apply → version 2 kept and the contract holds the document's value."""
        template = (
            self.env["effect.crm.template"]
            .with_user(self.user_sales_manager)
            .create(
                {
                    "name": "Hợp đồng mua bán",
                    "purpose": "contract",
                    "file": b64(contract_template()),
                    "file_name": "hop-dong.docx",
                }
            )
        )
        contract = self._contract(currency_id=self.vnd.id, amount=1250000)
        # what the customer sends back: the merged document with another value
        merged = template.with_user(self.user_salesman)._effect_render(contract=contract)
        edited = edit_controls(merged, {"contract.amount": "9.999.000"})
        self.env["ir.attachment"].with_user(self.user_salesman).create(
            {"name": "effect-tour-edited.docx", "datas": base64.b64encode(edited)}
        )
        self.start_tour(
            f"/odoo/effect-contracts/{contract.id}",
            "effect_crm_word_template_tour",
            login=self.user_salesman.login,
        )
        versions = contract.version_ids.sorted("number")
        self.assertEqual(versions.mapped("number"), [1, 2])
        self.assertEqual(versions[0].template_id, template)
        self.assertEqual(versions[1].file_name, "hop-dong-khach-sua.docx")
        self.assertEqual(contract.amount, 9999000)
