from odoo.tests import tagged

from .contract_common import EffectCrmSalesCommon

CLASSIFICATION = {
    "partner_stage": "effect_stage",
    "partner_business_type_id": "effect_business_type_id",
    "partner_size_id": "effect_size_id",
    "partner_industry_id": "industry_id",
    "partner_state_id": "state_id",
}


@tagged("post_install", "-at_install")
class TestClassification(EffectCrmSalesCommon):
    """The customer's classification is declared once (effect.crm.classification.mixin)
    and copied onto every record about a customer, kept up to date when it changes."""

    def test_every_model_carries_the_same_classification(self):
        models = self.env["effect.crm.classification.mixin"]._inherit_children
        # the models of this addon (and those of the other addons when installed)
        self.assertLessEqual(
            {"effect.crm.interaction", "sale.order", "effect.crm.contract"}, set(models)
        )
        for model in models:
            for name, customer_field in CLASSIFICATION.items():
                with self.subTest(model=model, field=name):
                    field = self.env[model]._fields[name]
                    self.assertTrue(field.store)
                    self.assertEqual(
                        field.related, f"partner_id.commercial_partner_id.{customer_field}"
                    )

    def test_records_follow_their_customer(self):
        industry = self.env["res.partner.industry"].create({"name": "Cơ khí"})
        # a quotation addressed to the customer's contact person counts for the customer
        order = self._quotation(partner=self.customer_contact)
        contract = self._contract()
        interaction = (
            self.env["effect.crm.interaction"]
            .with_user(self.user_salesman)
            .create(
                {
                    "partner_id": self.customer.id,
                    "type_id": self.env.ref("effect_crm.interaction_type_call").id,
                    "name": "Gọi hỏi nhu cầu",
                }
            )
        )
        records = [order, contract, interaction]
        messages = {record: len(record.message_ids) for record in records}
        for record in records:
            self.assertEqual(record.partner_business_type_id, self.business_type_jsc)
            self.assertEqual(record.partner_state_id, self.hanoi)
            self.assertEqual(record.partner_stage, "prospect")
        self.customer.write(
            {"industry_id": industry.id, "state_id": self.hcmc.id, "effect_stage": "customer"}
        )
        for record in records:
            with self.subTest(model=record._name):
                self.assertEqual(record.partner_industry_id, industry)
                self.assertEqual(record.partner_state_id, self.hcmc)
                self.assertEqual(record.partner_stage, "customer")
                # stored: a group-by reads the record's own column
                groups = record._read_group(
                    [("id", "=", record.id)], ["partner_industry_id", "partner_stage"]
                )
                self.assertEqual(groups, [(industry, "customer")])
                # copies, not the record's own history: no tracking message each time
                self.assertEqual(len(record.message_ids), messages[record])
