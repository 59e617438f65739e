from odoo import api, models
from odoo.tools import SQL

from ..tools.clock import utc_start


class EffectCrmSalesFigure(models.AbstractModel):
    """A customer's sales in a period, in the company currency: the one definition.

    effect_crm counts the confirmed orders (``sale.order`` in state *Sales Order*) on
    their order date, at their untaxed amount converted at the order's rate, whatever
    the order's currency. An addon that knows other sales adds its own source by
    extending :meth:`_effect_sales_sources` (effect_crm_accounting adds the posted
    customer invoices and credit notes that do not come from an order, so that an
    order and its invoice never count twice).

    The figure covers every document of the customer and its contacts: the caller
    decides which customers the user may see (the customers are searched as the user).
    """

    _name = "effect.crm.sales.figure"
    _description = "EFFECT CRM Sales Figure"

    # the states of sale.order that are sales
    _effect_order_states = ("sale",)

    @api.model
    def _effect_sales_sources(self, company, date_from, date_to):
        """SQL queries whose rows are ``(customer_id, amount)``; their union is the sales.

        ``customer_id`` is the commercial partner, ``amount`` in the currency of
        ``company``. ``date_from`` / ``date_to`` are local days of the user (the first
        one, and the day after the last one; either may be None: open).
        """
        tz = self.env["effect.crm.clock"]._effect_tz()
        self.env["sale.order"].flush_model(
            ["state", "company_id", "date_order", "amount_untaxed", "currency_rate", "partner_id"]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        conditions = [
            SQL("so.state IN %s", tuple(self._effect_order_states)),
            SQL("so.company_id = %s", company.id),
        ]
        if date_from:
            conditions.append(SQL("so.date_order >= %s", utc_start(date_from, tz)))
        if date_to:
            conditions.append(SQL("so.date_order < %s", utc_start(date_to, tz)))
        return [
            SQL(
                """
                SELECT p.commercial_partner_id AS customer_id,
                       so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1) AS amount
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE %s
                """,
                SQL(" AND ").join(conditions),
            )
        ]

    @api.model
    def _effect_sales_query(
        self, company, date_from, date_to, partner_ids=None, minimum=None, maximum=None
    ):
        """SQL of ``(customer_id, sales)`` rows: the customers with sales in the period.

        ``partner_ids`` limits the customers; ``minimum`` / ``maximum`` (included, in
        the company currency, compared after rounding to the currency) keep the
        customers whose sales lie between them. A customer without sales in the period
        has no row.
        """
        sources = self._effect_sales_sources(company, date_from, date_to)
        where = SQL("TRUE")
        if partner_ids is not None:
            where = SQL("sales.customer_id = ANY(%s)", list(partner_ids))
        digits = company.currency_id.decimal_places
        total = SQL("ROUND(SUM(sales.amount)::numeric, %s)", digits)
        having = [SQL("TRUE")]
        if minimum is not None:
            having.append(SQL("%s >= %s", total, minimum))
        if maximum is not None:
            having.append(SQL("%s <= %s", total, maximum))
        return SQL(
            """
            SELECT sales.customer_id, %s AS sales
              FROM (%s) AS sales
             WHERE %s
          GROUP BY sales.customer_id
            HAVING %s
            """,
            total,
            SQL(" UNION ALL ").join(SQL("(%s)", source) for source in sources),
            where,
            SQL(" AND ").join(having),
        )

    @api.model
    def _effect_sales(
        self, company, date_from, date_to, partner_ids=None, minimum=None, maximum=None
    ):
        """``{customer id: sales}`` of the period (see :meth:`_effect_sales_query`)."""
        if partner_ids is not None and not partner_ids:
            return {}
        self.env.cr.execute(
            self._effect_sales_query(company, date_from, date_to, partner_ids, minimum, maximum)
        )
        # fetch before reading any field: a field read may run its own query on the cursor
        return {customer_id: float(amount) for customer_id, amount in self.env.cr.fetchall()}
