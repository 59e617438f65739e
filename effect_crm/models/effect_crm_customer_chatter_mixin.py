from odoo import api, fields, models
from odoo.fields import Domain


class EffectCrmCustomerChatterMixin(models.AbstractModel):
    """What hangs on a partner's chatter (messages, activities, followers, attachments)
    is CRM data when the partner is a CRM customer.

    Other employees and portal users still see the partner as Odoo shows it (name,
    address, for deliveries and invoices): only the users of the sales team (of the
    customers they work) and of "CRM: read all" read what is said, planned and filed
    about a customer (``res.users._effect_reads_crm_data``). The record rules of the models below read
    ``effect_crm_hidden``; Odoo's own checks (the document's access) still apply on
    top of them.

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
    def _effect_crm_hidden_domain(self):
        """The records on a CRM customer whose chatter the current user may not read:
        every CRM customer for a user outside the sales team and "CRM: read all", the
        customers they do not work for an own-documents salesperson, none otherwise."""
        user = self.env.user
        if user.has_group("effect_crm.group_crm_read_all") or (
            user._effect_reads_crm_data() and not user._effect_is_restricted()
        ):
            return Domain.FALSE
        hidden = (
            Domain("effect_is_worked", "=", False)
            if user._effect_reads_crm_data()
            else Domain("effect_stage", "!=", False)
        )
        # sudo: the stage is a CRM field the user may not read; only which partners are
        # hidden from the user is asked, as a sub-query (the worked ones are decided for
        # the user of the environment, also in sudo)
        customers = self.env["res.partner"].sudo().with_context(active_test=False)._search(hidden)
        return Domain(self._effect_document_model_field, "=", "res.partner") & Domain(
            "res_id", "in", customers
        )

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
        domain = self._effect_crm_hidden_domain()
        return domain if (True in value) == (operator == "in") else ~domain
