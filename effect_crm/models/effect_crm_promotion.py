from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.promotions import validity


class EffectCrmPromotion(models.Model):
    """A promotion or discount that salespeople apply to their quotations.

    Odoo's pricelists compute prices but cannot tell which promotion a quotation
    used nor carry its terms; loyalty programs are not part of Sales. A promotion
    here sets the discount of the matching quotation lines and is recorded on the
    quotation.
    """

    _name = "effect.crm.promotion"
    _description = "Promotion"
    _inherit = ["mail.thread", "effect.crm.text.mixin"]
    _order = "date_end desc, sequence, id desc"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    category_id = fields.Many2one("effect.crm.promotion.category", index=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Empty: offered by every company.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    date_start = fields.Date("Valid From", tracking=True)
    date_end = fields.Date("Valid Until", tracking=True)
    discount_type = fields.Selection(
        [("percentage", "Percentage"), ("fixed", "Amount per Unit")],
        required=True,
        default="percentage",
        tracking=True,
    )
    discount_percentage = fields.Float("Discount (%)", digits="Discount", tracking=True)
    discount_amount = fields.Monetary(
        "Discount per Unit",
        tracking=True,
        help="Taken off the unit price of each matching line (converted to the "
        "quotation's currency).",
    )
    product_tmpl_ids = fields.Many2many(
        "product.template",
        string="Products",
        help="The products it applies to. Leave products and categories empty for all products.",
    )
    product_categ_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="It also applies to the products of these categories and their subcategories.",
    )
    terms = fields.Html(translate=True, help="Added to the quotation's terms.")
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    validity_state = fields.Selection(
        [("upcoming", "Upcoming"), ("running", "Running"), ("expired", "Expired")],
        "Validity",
        compute="_compute_validity_state",
        search="_search_validity_state",
    )
    order_count = fields.Integer("Quotations", compute="_compute_order_count")

    _discount_percentage_range = models.Constraint(
        "CHECK(discount_percentage >= 0 AND discount_percentage <= 100)",
        "A promotion's discount percentage is between 0 and 100.",
    )
    _discount_amount_positive = models.Constraint(
        "CHECK(discount_amount >= 0)",
        "A promotion's discount amount cannot be negative.",
    )

    @api.depends("date_start", "date_end")
    @api.depends_context("date", "tz", "uid")  # today is the user's
    def _compute_validity_state(self):
        today = self.env["effect.crm.clock"]._effect_today()
        for promotion in self:
            promotion.validity_state = validity(today, promotion.date_start, promotion.date_end)

    def _search_validity_state(self, operator, value):
        if operator not in ("in", "="):
            return NotImplemented
        values = {value} if isinstance(value, str) else set(value)
        today = self.env["effect.crm.clock"]._effect_today()
        domains = {
            "upcoming": [("date_start", ">", today)],
            "expired": [("date_end", "<", today)],
            "running": [
                "&",
                "|",
                ("date_start", "=", False),
                ("date_start", "<=", today),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", today),
            ],
        }
        result = []
        for name in values & set(domains):
            result = ["|", *result, *domains[name]] if result else domains[name]
        return result or [("id", "=", False)]

    def _compute_order_count(self):
        counts = dict(
            self.env["sale.order"]._read_group(
                [("effect_promotion_id", "in", self.ids)], ["effect_promotion_id"], ["__count"]
            )
        )
        for promotion in self:
            promotion.order_count = counts.get(promotion, 0)

    @api.constrains("discount_type", "discount_percentage", "discount_amount")
    def _check_discount(self):
        for promotion in self:
            if promotion.discount_type == "percentage" and not promotion.discount_percentage:
                raise ValidationError(
                    self.env._(
                        "Promotion %(name)s: enter its discount percentage.", name=promotion.name
                    )
                )
            if promotion.discount_type == "fixed" and not promotion.discount_amount:
                raise ValidationError(
                    self.env._(
                        "Promotion %(name)s: enter its discount amount.", name=promotion.name
                    )
                )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for promotion in self:
            if (
                promotion.date_start
                and promotion.date_end
                and promotion.date_end < promotion.date_start
            ):
                raise ValidationError(
                    self.env._(
                        "Promotion %(name)s ends (%(end)s) before it starts (%(start)s).",
                        name=promotion.name,
                        end=promotion.date_end,
                        start=promotion.date_start,
                    )
                )

    def _effect_matches(self, product):
        """Whether this promotion applies to ``product`` (a product.product)."""
        self.ensure_one()
        if not self.product_tmpl_ids and not self.product_categ_ids:
            return True
        if product.product_tmpl_id in self.product_tmpl_ids:
            return True
        return bool(
            self.product_categ_ids
            and product.categ_id.filtered_domain([("id", "child_of", self.product_categ_ids.ids)])
        )

    def _effect_check_applicable(self, order):
        """Refuse, with the reason, a promotion that cannot be applied to ``order`` today."""
        self.ensure_one()
        today = self.env["effect.crm.clock"]._effect_today()
        state = validity(today, self.date_start, self.date_end)
        if not self.active:
            raise UserError(self.env._("Promotion %(name)s is archived.", name=self.display_name))
        if state == "expired":
            raise UserError(
                self.env._(
                    "Promotion %(name)s ended on %(date)s: it can no longer be applied.",
                    name=self.display_name,
                    date=self.date_end,
                )
            )
        if state == "upcoming":
            raise UserError(
                self.env._(
                    "Promotion %(name)s starts on %(date)s: it cannot be applied yet.",
                    name=self.display_name,
                    date=self.date_start,
                )
            )
        if self.company_id and self.company_id != order.company_id:
            raise UserError(
                self.env._(
                    "Promotion %(name)s is offered by %(company)s, not by %(order_company)s.",
                    name=self.display_name,
                    company=self.company_id.name,
                    order_company=order.company_id.name,
                )
            )

    def action_view_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_quotations")
        action["domain"] = [("effect_promotion_id", "=", self.id)]
        action["context"] = {}
        return action
