"""Bad input of EFFECT CRM Accounting (effect_crm/readme/USAGE.md, "Bad input"): a
promise to pay that cannot be is refused in the user's language, nothing written."""

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import EffectCrmAccountingCommon


@tagged("post_install", "-at_install")
class TestBadInputAccounting(EffectCrmAccountingCommon):
    def test_a_promise_to_pay_that_cannot_be_is_refused(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"]._load_module_terms(
            ["effect_crm", "effect_crm_accounting"], ["vi_VN"], overwrite=True
        )
        self.user_salesman.lang = "vi_VN"
        Interaction = self.env["effect.crm.interaction"].with_user(self.user_salesman)
        Interaction = Interaction.with_context(lang="vi_VN")
        values = {
            "name": "Gọi nhắc nợ",
            "partner_id": self.customer.id,
            "type_id": self.env.ref("effect_crm.interaction_type_call").id,
        }
        count = Interaction.sudo().search_count([])
        # checked after the insert: the request's transaction is rolled back (here:
        # assertRaises' savepoint)
        with self.assertRaises(ValidationError) as caught:
            Interaction.create({**values, "effect_promised_amount": -500.0})
        self.assertIn("số tiền khách hứa trả không được âm", str(caught.exception))
        with self.assertRaises(ValidationError) as caught:
            Interaction.create({**values, "effect_promised_date": self.days(-1)})
        self.assertIn("không thể trước ngày gọi điện", str(caught.exception))
        self.assertEqual(Interaction.sudo().search_count([]), count, "nothing written")
        call = Interaction.create(
            {**values, "effect_promised_date": self.days(0), "effect_promised_amount": 500.0}
        )
        with self.assertRaises(ValidationError):
            call.write({"effect_promised_amount": -1.0})
        self.assertEqual(call.effect_promised_amount, 500.0, "the promise is kept")
