from odoo import api, models

from ..tools.promotions import line_discount

# what the customer sees of a line: frozen on a sent or replaced revision
FROZEN_LINE_FIELDS = (
    "product_id",
    "product_template_id",
    "name",
    "product_uom_qty",
    "product_uom_id",
    "price_unit",
    "technical_price_unit",
    "discount",
    "tax_ids",
    "display_type",
    "sequence",
)


class SaleOrderLine(models.Model):
    _name = "sale.order.line"
    _inherit = ["sale.order.line", "effect.crm.customer.mixin"]
    _effect_customer_fields = ("order_id",)

    def _compute_discount(self):
        """Keep the quotation's promotion on its lines.

        Odoo recomputes a line's discount from the pricelist whenever its product,
        quantity or unit changes; a promotion applied to the quotation (and carried to
        its next revision) must survive that, or a changed quantity silently drops it
        while the quotation still names the promotion and quotes its terms.
        """
        result = super()._compute_discount()
        for line in self:
            order = line.order_id
            promotion = order.effect_promotion_id
            if (
                promotion
                and line.product_id
                and not line.display_type
                and promotion._effect_matches(line.product_id)
            ):
                line.discount = line_discount(
                    promotion.discount_type,
                    order._effect_promotion_value(promotion),
                    line.price_unit,
                )
        return result

    @api.model_create_multi
    def create(self, vals_list):
        self._effect_check_customer_create(vals_list)
        order_ids = {vals.get("order_id") for vals in vals_list if vals.get("order_id")}
        self.env["sale.order"].browse(order_ids)._effect_check_frozen(["order_line"])
        return super().create(vals_list)

    def write(self, vals):
        self._effect_check_customer_write(vals)
        # Odoo's price recompute finishes what was changed before the freeze: every
        # field it depends on (product, quantity, unit, pricelist) is frozen itself
        from_compute = self.env.context.get("sale_write_from_compute")
        if not from_compute and any(name in vals for name in FROZEN_LINE_FIELDS):
            self.order_id._effect_check_frozen(["order_line"])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_effect_frozen_order(self):
        self.order_id._effect_check_frozen(["order_line"])
