from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._effect_win_prospects()
        return posted

    def _effect_win_prospects(self):
        """A posted customer invoice makes its prospect a customer, handed off to accounting."""
        # sudo: posting the invoice, which the user was allowed to do, turns the prospect
        # into a customer; accountants may not edit CRM customers
        for move in self.sudo().filtered(lambda move: move.move_type == "out_invoice"):
            customer = move.commercial_partner_id
            if customer.effect_stage != "prospect":
                continue
            customer._effect_mark_won("invoice", move=move)
