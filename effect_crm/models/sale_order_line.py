from odoo import api, models

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
