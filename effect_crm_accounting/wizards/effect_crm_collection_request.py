from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError


class EffectCrmCollectionRequest(models.TransientModel):
    """An accountant asks the customer's salesperson to call about its overdue invoices.

    The request is a "Debt Collection" activity on the customer for the salesperson;
    the collection call logged as an interaction marks it done and reports the outcome
    and the promised payment date back to the accountant.
    """

    _name = "effect.crm.collection.request"
    _description = "Request a Debt Collection Call"

    partner_id = fields.Many2one("res.partner", "Customer", required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users",
        "Salesperson",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        domain="[('share', '=', False)]",
    )
    date_deadline = fields.Date(
        "Call By", required=True, default=lambda self: self._default_date_deadline()
    )
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.company.currency_id)
    amount_overdue = fields.Monetary("Overdue", compute="_compute_amount_overdue")
    note = fields.Html("Instructions")

    def _default_date_deadline(self):
        return fields.Date.context_today(self) + timedelta(days=2)

    @api.depends("partner_id")
    def _compute_user_id(self):
        for request in self:
            request.user_id = request.partner_id.commercial_partner_id.user_id

    @api.depends("partner_id")
    def _compute_amount_overdue(self):
        for request in self:
            request.amount_overdue = request.partner_id.commercial_partner_id.effect_amount_overdue

    def action_request(self):
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        if not self.user_id:
            raise UserError(
                self.env._(
                    "%(customer)s has no salesperson: choose who should call.",
                    customer=customer.display_name,
                )
            )
        customer.check_access("read")
        summary = self.env._(
            "Collect %(amount)s overdue",
            amount=self.currency_id.format(self.amount_overdue),
        )
        note = self.note or Markup("")
        # sudo: accountants read customers but do not edit CRM customers; asking the
        # salesperson to call one they may read is what this dialog is for
        customer.sudo().activity_schedule(
            "effect_crm_accounting.mail_activity_type_collection",
            date_deadline=self.date_deadline,
            user_id=self.user_id.id,
            summary=summary,
            note=note,
        )
        return {"type": "ir.actions.act_window_close"}
