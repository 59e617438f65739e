from odoo import fields, models


class EffectCrmPromotionApply(models.TransientModel):
    _name = "effect.crm.promotion.apply"
    _description = "Apply a Promotion to a Quotation"

    order_id = fields.Many2one("sale.order", "Quotation", required=True)
    company_id = fields.Many2one(related="order_id.company_id")
    promotion_id = fields.Many2one(
        "effect.crm.promotion",
        required=True,
        domain="[('validity_state', '=', 'running'), ('company_id', 'in', [company_id, False])]",
    )
    terms = fields.Html(related="promotion_id.terms")

    def action_apply(self):
        self.ensure_one()
        self.order_id._effect_apply_promotion(self.promotion_id)
        return {"type": "ir.actions.act_window_close"}
