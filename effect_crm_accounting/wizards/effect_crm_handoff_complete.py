from odoo import api, fields, models
from odoo.exceptions import AccessError

# the accounting side of a customer: what an accountant completes after a hand-off
ACCOUNTING_FIELDS = (
    "property_payment_term_id",
    "property_account_receivable_id",
    "credit_limit",
    "use_partner_credit_limit",
)
ADDRESS_FIELDS = ("street", "street2", "city", "state_id", "country_id", "zip")


class EffectCrmHandoffComplete(models.TransientModel):
    """An accountant completes the accounting side of a handed-off customer: payment
    terms, receivable account, credit limit and invoicing address, and nothing of the
    CRM side (stage, salesperson, territory, attributes). Accountants have no write
    access to customers; this dialog, open to accounting users only (access rights),
    writes exactly these fields."""

    _name = "effect.crm.handoff.complete"
    _description = "Complete a Customer's Accounting Information"

    handoff_id = fields.Many2one("effect.crm.handoff", "Hand-off", required=True, readonly=True)
    partner_id = fields.Many2one(related="handoff_id.partner_id")
    company_id = fields.Many2one(related="handoff_id.company_id")
    invoice_partner_id = fields.Many2one(
        "res.partner",
        "Invoicing Address",
        compute="_compute_invoice_partner_id",
        help="The customer's invoice address: its invoicing contact if it has one, "
        "else the customer itself.",
    )
    street = fields.Char(compute="_compute_defaults", store=True, readonly=False)
    street2 = fields.Char(compute="_compute_defaults", store=True, readonly=False)
    city = fields.Char(compute="_compute_defaults", store=True, readonly=False)
    zip = fields.Char(compute="_compute_defaults", store=True, readonly=False)
    state_id = fields.Many2one(
        "res.country.state",
        "Province",
        compute="_compute_defaults",
        store=True,
        readonly=False,
        domain="[('country_id', '=?', country_id)]",
    )
    country_id = fields.Many2one(
        "res.country", compute="_compute_defaults", store=True, readonly=False
    )
    property_payment_term_id = fields.Many2one(
        "account.payment.term",
        "Payment terms",
        compute="_compute_defaults",
        store=True,
        readonly=False,
    )
    property_account_receivable_id = fields.Many2one(
        "account.account",
        "Receivable account",
        compute="_compute_defaults",
        store=True,
        readonly=False,
        domain="[('account_type', '=', 'asset_receivable'), ('active', '=', True)]",
    )
    use_partner_credit_limit = fields.Boolean(
        "Partner Limit", compute="_compute_defaults", store=True, readonly=False
    )
    credit_limit = fields.Float(
        "Credit limit", compute="_compute_defaults", store=True, readonly=False
    )
    uses_credit_limit = fields.Boolean(related="company_id.account_use_credit_limit")

    @api.depends("handoff_id")
    def _compute_invoice_partner_id(self):
        for wizard in self:
            partner = wizard._effect_partner()
            wizard.invoice_partner_id = partner.address_get(["invoice"])["invoice"]

    @api.depends("handoff_id")
    def _compute_defaults(self):
        for wizard in self:
            partner = wizard._effect_partner()
            invoice = partner.browse(partner.address_get(["invoice"])["invoice"])
            for name in ADDRESS_FIELDS:
                wizard[name] = invoice[name]
            for name in ACCOUNTING_FIELDS:
                wizard[name] = partner[name]

    def _effect_partner(self):
        """The customer in the hand-off's company (the property fields are per company)."""
        self.ensure_one()
        handoff = self.handoff_id
        return handoff.partner_id.with_company(handoff.company_id or self.env.company)

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(
                self.env._("Only accounting users complete a customer's accounting information.")
            )
        self.handoff_id.check_access("write")
        partner = self._effect_partner()
        partner.check_access("read")
        invoice = self.invoice_partner_id.with_company(partner.env.company)
        # only what changed: an unchanged address must not re-run the territory criteria
        address = self._effect_changes(invoice, ADDRESS_FIELDS)
        accounting = self._effect_changes(partner, ACCOUNTING_FIELDS)
        # sudo: accountants have no write access to customers; this writes only the
        # accounting side listed above, for an accounting user (checked above) who may
        # read the customer and check its hand-off. Tracking still names the user.
        if invoice != partner:
            if address:
                invoice.sudo().write(address)
            if accounting:
                partner.sudo().write(accounting)
        elif address or accounting:
            partner.sudo().write(address | accounting)
        # the write re-ran the hand-off's checklist: the form shows where it stands
        return {"type": "ir.actions.act_window_close"}

    def _effect_changes(self, record, names):
        changes = {}
        for name in names:
            value = self[name]
            if value != record[name]:
                changes[name] = value.id if isinstance(value, models.BaseModel) else value
        return changes
