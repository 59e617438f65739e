from odoo import api, fields, models


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "effect.crm.customer.mixin"]

    effect_interaction_ids = fields.One2many(
        "effect.crm.interaction",
        "lead_id",
        "Interactions",
        groups="sales_team.group_sale_salesman,effect_crm.group_crm_read_all",
    )
    effect_interaction_count = fields.Integer(
        "Interaction Count",
        compute="_compute_effect_interaction_count",
        groups="sales_team.group_sale_salesman,effect_crm.group_crm_read_all",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # before Odoo's create and what follows it (partner sync, assignment)
        self._effect_check_customer_create(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._effect_check_customer_write(vals)
        return super().write(vals)

    def _compute_effect_interaction_count(self):
        counts = dict(
            self.env["effect.crm.interaction"]._read_group(
                [("lead_id", "in", self.ids)], ["lead_id"], ["__count"]
            )
        )
        for lead in self:
            lead.effect_interaction_count = counts.get(lead, 0)

    def action_effect_log_interaction(self):
        self.ensure_one()
        defaults = {"lead_id": self.id, "name": self.name}
        if self.partner_id:
            customer = self.partner_id.commercial_partner_id
            defaults["partner_id"] = customer.id
            if self.partner_id != customer:
                defaults["contact_id"] = self.partner_id.id
        return self.env["effect.crm.interaction"]._effect_log_action(defaults)

    def action_effect_interactions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "effect_crm.effect_crm_interaction_action"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        defaults = {"lead_id": self.id}
        if self.partner_id:
            defaults["partner_id"] = self.partner_id.commercial_partner_id.id
        action["context"] = {"effect_interaction_defaults": defaults}
        return action
