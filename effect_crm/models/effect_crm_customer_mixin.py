from odoo import api, models


class EffectCrmCustomerMixin(models.AbstractModel):
    """A record about a CRM customer: it may only be created on, or moved to, a customer
    the user works (``res.partner.effect_is_worked``), and only changed while its
    customer is one the user works.

    ``_effect_customer_fields`` names the many2one fields that lead to the customer:
    a field to ``res.partner`` is the customer (or one of its contacts); a field to
    another model of this mixin leads to that record's customer (a quotation line
    follows its quotation). The check runs before the record is created or written,
    so that no side effect taken with superuser rights follows a refused request.
    Superuser code is trusted: it runs after the check of the request that caused it.
    """

    _name = "effect.crm.customer.mixin"
    _description = "Record about a CRM Customer"
    _inherit = ["effect.crm.text.mixin"]

    _effect_customer_fields = ("partner_id",)

    def _effect_customer_field_targets(self, values):
        """The customers (res.partner, sudo) that ``values`` (field -> record) lead to."""
        partners = self.env["res.partner"].sudo()
        for value in values.values():
            if not value:
                continue
            if value._name == "res.partner":
                partners |= value.sudo()
            else:
                partners |= value.sudo()._effect_customers()
        return partners

    def _effect_customers(self):
        """The customers these records are about (res.partner, sudo)."""
        records = self.sudo()
        return self._effect_customer_field_targets(
            {name: records[name] for name in self._effect_customer_fields}
        )

    def _effect_values_customers(self, vals_list):
        """The customers the many2one values of ``vals_list`` lead to."""
        values = {}
        for name in self._effect_customer_fields:
            comodel = self.env[self._fields[name].comodel_name]
            ids = {vals[name] for vals in vals_list if vals.get(name)}
            if ids:
                values[name] = comodel.browse(ids)
        return self._effect_customer_field_targets(values)

    def _effect_check_customer_create(self, vals_list):
        """Refuse to create records on a customer the user does not work."""
        if self.env.su or not self.env.user._effect_is_restricted():
            return
        missing = [
            name for name in self._effect_customer_fields if any(name not in v for v in vals_list)
        ]
        # a default (from the context or the user's defaults) is a value like another
        defaults = self.default_get(missing) if missing else {}
        vals_list = [{**defaults, **vals} for vals in vals_list]
        self._effect_values_customers(vals_list)._effect_check_worked()

    def _effect_check_customer_write(self, vals):
        """Refuse to change records of a customer the user does not work, or to move
        them to one."""
        if self.env.su or not self.env.user._effect_is_restricted():
            return
        (self._effect_customers() | self._effect_values_customers([vals]))._effect_check_worked()

    def _effect_check_customer_action(self):
        """Refuse a button (a status, a confirmation) on records of a customer the user
        does not work. Call it before any side effect taken with superuser rights."""
        if self.env.su or not self.env.user._effect_is_restricted():
            return
        self._effect_customers()._effect_check_worked()

    @api.model_create_multi
    def create(self, vals_list):
        self._effect_check_customer_create(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._effect_check_customer_write(vals)
        return super().write(vals)
