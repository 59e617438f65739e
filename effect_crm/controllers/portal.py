from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.sale.controllers.portal import CustomerPortal


class EffectCrmSalePortal(CustomerPortal):
    """The customer's side of a quotation: opened (received) and refused on the portal."""

    def _effect_order_sudo(self, order_id, access_token):
        try:
            return self._document_check_access("sale.order", order_id, access_token=access_token)
        except (AccessError, MissingError):
            return None

    @http.route()
    def portal_order_page(self, order_id, report_type=None, access_token=None, **kwargs):
        response = super().portal_order_page(
            order_id, report_type=report_type, access_token=access_token, **kwargs
        )
        if request.env.user.share and report_type not in ("pdf", "text"):
            # a customer (portal user, or anybody holding the link) opened the quotation
            order_sudo = self._effect_order_sudo(order_id, access_token)
            if order_sudo:
                order_sudo._effect_mark_received_by_customer()
        return response

    @http.route()
    def portal_quote_decline(self, order_id, access_token=None, decline_message=None, **kwargs):
        order_sudo = self._effect_order_sudo(order_id, access_token)
        could_decline = bool(order_sudo and order_sudo._has_to_be_signed() and decline_message)
        response = super().portal_quote_decline(
            order_id, access_token=access_token, decline_message=decline_message, **kwargs
        )
        if could_decline and order_sudo.state == "cancel":
            order_sudo._effect_set_customer_status("refused")
        return response
