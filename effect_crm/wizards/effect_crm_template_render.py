import base64

from odoo import api, fields, models
from odoo.exceptions import UserError


class EffectCrmTemplateRender(models.TransientModel):
    """Render a Word template: a preview for a customer, or a new contract version."""

    _name = "effect.crm.template.render"
    _inherit = ["effect.crm.customer.mixin"]
    _description = "Render a Word Template"

    # a preview is a record about its customer: a customer the user does not work is
    # refused with the mixin's message when the wizard is saved, before any rendering
    _effect_customer_fields = ("partner_id", "contract_id", "sale_order_id")

    mode = fields.Selection(
        [("preview", "Preview"), ("version", "Contract Version")],
        required=True,
        default="preview",
    )
    template_id = fields.Many2one(
        "effect.crm.template",
        required=True,
        domain="[('purpose', 'in', allowed_purposes)]",
    )
    allowed_purposes = fields.Json(compute="_compute_allowed_purposes")
    unknown_fields = fields.Text(related="template_id.unknown_fields")
    partner_id = fields.Many2one("res.partner", "Customer", domain="[('parent_id', '=', False)]")
    contract_id = fields.Many2one("effect.crm.contract")
    sale_order_id = fields.Many2one("sale.order", "Quotation")
    result_file = fields.Binary("Document", readonly=True)
    result_name = fields.Char()

    @api.depends("mode")
    def _compute_allowed_purposes(self):
        for wizard in self:
            wizard.allowed_purposes = (
                ["contract", "quotation"]
                if wizard.mode == "version"
                else ["contract", "quotation", "letter"]
            )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        contract = self.env["effect.crm.contract"].browse(values.get("contract_id"))
        if contract and "template_id" in fields_list and not values.get("template_id"):
            templates = self.env["effect.crm.template"].search(
                [("purpose", "=", "contract")], order="sequence, id"
            )
            values["template_id"] = (
                templates.filtered(lambda t: t.contract_type_id == contract.type_id)[:1]
                or templates.filtered(lambda t: not t.contract_type_id)[:1]
                or templates[:1]
            ).id
        return values

    def _effect_render(self):
        self.ensure_one()
        # the customer may have moved to another territory since the wizard was saved
        self._effect_check_customer_action()
        partner = self.partner_id or self.contract_id.partner_id or self.sale_order_id.partner_id
        if not partner:
            raise UserError(self.env._("Choose the customer to render the template for."))
        return self.template_id._effect_render(
            partner=partner.commercial_partner_id,
            contract=self.contract_id,
            order=self.sale_order_id or self.contract_id.sale_order_id,
        )

    def action_preview(self):
        self.ensure_one()
        data = self._effect_render()
        record = self.contract_id.name or self.sale_order_id.name or self.partner_id.name
        self.write(
            {
                "result_file": base64.b64encode(data),
                "result_name": self.template_id._effect_output_name(record),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/result_file/{self.result_name}"
            "?download=true",
            "target": "self",
        }

    def action_create_version(self):
        """A new version of the contract, merged from the template."""
        self.ensure_one()
        if not self.contract_id:
            raise UserError(self.env._("Choose the contract that receives the new version."))
        version = self.contract_id._effect_version_from_template(self.template_id)
        return version.contract_id._effect_form_action()
