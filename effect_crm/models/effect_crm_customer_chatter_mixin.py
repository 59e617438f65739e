from odoo import api, fields, models
from odoo.fields import Domain


class EffectCrmCustomerChatterMixin(models.AbstractModel):
    """What hangs on a partner's chatter (messages, activities, followers, attachments)
    is CRM data when the partner is a CRM customer.

    Other employees and portal users still see the partner as Odoo shows it (name,
    address, for deliveries and invoices): only the users of the sales team (of the
    customers they work) and of "CRM: read all" read what is said, planned and filed
    about a customer (``res.partner._effect_crm_hidden_customers``). The record rules
    of the models of this mixin read ``effect_crm_hidden``; Odoo's own checks (the
    document's access) still apply on top of them.

    ``_effect_document_model_field`` names the field that holds the document's model
    (the document's id is ``res_id`` on every model of the mixin).
    """

    _name = "effect.crm.customer.chatter.mixin"
    _description = "Chatter of a CRM Customer"

    _effect_document_model_field = "res_model"

    effect_crm_hidden = fields.Boolean(
        "CRM Data Hidden from Me",
        compute="_compute_effect_crm_hidden",
        search="_search_effect_crm_hidden",
        help="On a CRM customer whose chatter the current user may not read: any for a "
        'user outside the sales team and "CRM: read all", those they do not work for an '
        "own-documents salesperson.",
    )

    @api.model
    def _effect_crm_hidden_domain(self, hidden=True):
        """The records on a CRM customer whose chatter the current user may not read
        (see ``res.partner._effect_crm_hidden_customers``); ``hidden=False``: the others.

        The others are the records on another model or on a partner whose chatter the
        user may read (``res_id IN`` those partners), not ``res_id NOT IN`` the hidden
        ones: PostgreSQL cannot turn a ``NOT IN`` into an anti-join, and hashing the
        150,000 customers a salesperson does not work exceeds its work memory, so every
        rule check on a customer's followers or activities took a second at full scale
        (bench/RESULTS.md, issue 15); an ``IN`` is a semi-join on the partners' key.
        """
        customers = self.env["res.partner"]._effect_crm_hidden_customers(hidden=hidden)
        if customers is None:
            return Domain.FALSE if hidden else Domain.TRUE
        on_partner = Domain(self._effect_document_model_field, "=", "res.partner")
        if hidden:
            return on_partner & Domain("res_id", "in", customers)
        return ~on_partner | Domain("res_id", "in", customers)

    @api.depends_context("uid")
    def _compute_effect_crm_hidden(self):
        records = self.filtered("id")
        hidden = (
            records.sudo().search(
                Domain("id", "in", records.ids) & self._effect_crm_hidden_domain()
            )
            if records
            else records
        )
        for record in self:
            record.effect_crm_hidden = record._origin.id in hidden.ids

    def _search_effect_crm_hidden(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        return self._effect_crm_hidden_domain(hidden=(True in value) == (operator == "in"))
