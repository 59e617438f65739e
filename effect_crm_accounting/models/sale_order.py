from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _action_confirm(self):
        result = super()._action_confirm()
        self._effect_win_prospects()
        return result

    def _effect_win_prospects(self):
        """A confirmed order makes its prospect a customer, handed off to accounting."""
        # sudo: the confirmation the user was allowed to make turns the prospect into a
        # customer, also when the user may not edit the customer (e.g. an online signature)
        for order in self.sudo():
            customer = order.partner_id.commercial_partner_id
            if customer.effect_stage != "prospect":
                continue
            customer._effect_mark_won("sale_order", order=order)
