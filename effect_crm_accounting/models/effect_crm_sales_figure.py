from odoo import api, models
from odoo.tools import SQL


class EffectCrmSalesFigure(models.AbstractModel):
    """Sales also count the posted customer invoices that do not come from an order.

    The rule that counts nothing twice: a confirmed order counts on its order date
    (effect_crm); an invoice line counts on its invoice date unless it invoices an
    order line (it is then that order's sale, already counted). A credit note's line
    that comes from no order takes its amount off. Amounts are the untaxed lines in
    the company currency, at the invoice's rate (the line's balance), whatever the
    invoice's currency.
    """

    _inherit = "effect.crm.sales.figure"

    @api.model
    def _effect_sales_sources(self, company, date_from, date_to):
        sources = super()._effect_sales_sources(company, date_from, date_to)
        self.env["account.move"].flush_model(
            ["state", "move_type", "invoice_date", "commercial_partner_id", "company_id"]
        )
        self.env["account.move.line"].flush_model(["display_type", "balance", "move_id"])
        self.env["sale.order.line"].flush_model(["invoice_lines"])
        conditions = [
            SQL("am.state = 'posted'"),
            SQL("am.move_type IN ('out_invoice', 'out_refund')"),
            SQL("am.company_id = %s", company.id),
            SQL("aml.display_type = 'product'"),
            SQL(
                "NOT EXISTS (SELECT 1 FROM sale_order_line_invoice_rel rel"
                " WHERE rel.invoice_line_id = aml.id)"
            ),
        ]
        # an invoice date is a local day already
        if date_from:
            conditions.append(SQL("am.invoice_date >= %s", date_from))
        if date_to:
            conditions.append(SQL("am.invoice_date < %s", date_to))
        sources.append(
            SQL(
                """
                SELECT am.commercial_partner_id AS customer_id, -aml.balance AS amount
                  FROM account_move_line aml
                  JOIN account_move am ON am.id = aml.move_id
                 WHERE %s
                """,
                SQL(" AND ").join(conditions),
            )
        )
        return sources
