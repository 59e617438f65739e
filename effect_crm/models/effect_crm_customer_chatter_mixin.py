from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL


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

        The others (what the record rules ask) are the records on another model or on a
        partner whose chatter the user may read, checked row by row: ``EXISTS`` that
        partner, by its key, among those the user may read. Not ``res_id NOT IN`` the
        hidden ones: PostgreSQL cannot turn a ``NOT IN`` into an anti-join, and hashing
        the 150,000 customers a salesperson does not work took a second a check at full
        scale; nor ``res_id IN`` the readable ones: under the rules' ``OR`` PostgreSQL
        hashes the user's whole book (13,000 partners) for every check, which made a
        customer's form 2.25 times the administrator's (bench/RESULTS.md, issue 15). A
        form checks a few dozen rows: a few primary-key look-ups.
        """
        Partner = self.env["res.partner"]
        if Partner._effect_crm_hidden_partners_domain() is None:
            return Domain.FALSE if hidden else Domain.TRUE
        on_partner = Domain(self._effect_document_model_field, "=", "res.partner")
        if hidden:
            return on_partner & Domain("res_id", "in", Partner._effect_crm_hidden_customers())

        def readable_partner(model, alias, query):
            # the ORM has no domain for "the partner of this Many2oneReference, by its
            # key": the sub-query of the readable partners, tied to this row's res_id
            partners = model.env["res.partner"]._effect_crm_hidden_customers(hidden=False)
            partners.add_where(
                SQL(
                    "%s = %s",
                    SQL.identifier(partners.table, "id"),
                    SQL.identifier(alias, "res_id"),
                )
            )
            return SQL("EXISTS(%s)", partners.subselect(SQL("1")))

        return ~on_partner | Domain.custom(to_sql=readable_partner)

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
