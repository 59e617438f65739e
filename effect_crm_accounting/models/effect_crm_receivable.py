from odoo import fields, models
from odoo.tools import SQL

from ..tools.aging import BUCKETS, bucket_sql

AGING = [
    ("not_due", "Not Due"),
    ("1_30", "1-30 Days"),
    ("31_60", "31-60 Days"),
    ("61_90", "61-90 Days"),
    ("over_90", "Over 90 Days"),
]


class EffectCrmReceivable(models.Model):
    """Customers' open receivables, one row per open receivable journal item.

    A SQL view over posted, unreconciled receivable lines, with the customer
    (commercial partner), its salesperson and territory, and the aging bucket of
    today. The amounts are in the company currency (``amount_residual``), the
    original currency is kept beside. Salespeople in the receivables group read it
    for the customers they work; accountants for all. The view reads the accounting
    tables directly, so a salesperson needs no accounting access rights to read it.
    """

    _name = "effect.crm.receivable"
    _description = "Customer Receivable"
    _auto = False
    _order = "date_due, id"
    _rec_name = "move_name"
    _depends = {
        "account.move.line": [
            "move_id",
            "partner_id",
            "account_id",
            "company_id",
            "company_currency_id",
            "currency_id",
            "date",
            "date_maturity",
            "amount_residual",
            "amount_residual_currency",
            "reconciled",
            "parent_state",
        ],
        "account.move": ["name", "move_type", "invoice_date", "state"],
        "account.account": ["account_type"],
        "res.partner": ["commercial_partner_id", "user_id", "effect_territory_id"],
    }

    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    territory_id = fields.Many2one("effect.crm.territory", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    move_id = fields.Many2one("account.move", "Document", readonly=True)
    move_name = fields.Char("Number", readonly=True)
    move_type = fields.Selection(
        [
            ("out_invoice", "Invoice"),
            ("out_refund", "Credit Note"),
            ("entry", "Payment or Entry"),
            ("out_receipt", "Receipt"),
            ("in_invoice", "Vendor Bill"),
            ("in_refund", "Vendor Credit Note"),
            ("in_receipt", "Purchase Receipt"),
        ],
        "Type",
        readonly=True,
    )
    invoice_date = fields.Date(readonly=True)
    date = fields.Date("Accounting Date", readonly=True)
    date_due = fields.Date("Due Date", readonly=True)
    days_overdue = fields.Integer(readonly=True, aggregator="max")
    aging = fields.Selection(AGING, readonly=True)
    currency_id = fields.Many2one("res.currency", "Company Currency", readonly=True)
    amount_residual = fields.Monetary("Amount Due", readonly=True)
    amount_overdue = fields.Monetary("Overdue", readonly=True)
    amount_not_due = fields.Monetary("Not Due", readonly=True)
    amount_1_30 = fields.Monetary("1-30 Days", readonly=True)
    amount_31_60 = fields.Monetary("31-60 Days", readonly=True)
    amount_61_90 = fields.Monetary("61-90 Days", readonly=True)
    amount_over_90 = fields.Monetary("Over 90 Days", readonly=True)
    line_currency_id = fields.Many2one("res.currency", "Currency", readonly=True)
    amount_residual_currency = fields.Monetary(
        "Amount Due in Currency", currency_field="line_currency_id", readonly=True
    )

    @property
    def _table_query(self):
        # days overdue from the user's today (effect.crm.clock), a parameter: the
        # customer form ages the same receivables from the same day
        days = SQL(
            "GREATEST(%s::date - COALESCE(aml.date_maturity, aml.date), 0)",
            self.env["effect.crm.clock"]._effect_today(),
        )
        bucket = bucket_sql(days)
        amounts = SQL(",\n").join(
            SQL(
                "CASE WHEN (%s) = %s THEN aml.amount_residual ELSE 0 END AS %s",
                bucket,
                key,
                SQL.identifier(f"amount_{key}"),
            )
            for key, _last_day in BUCKETS
        )
        return SQL(
            """
            SELECT
                aml.id AS id,
                cp.id AS partner_id,
                cp.user_id AS user_id,
                cp.effect_territory_id AS territory_id,
                aml.company_id AS company_id,
                aml.move_id AS move_id,
                am.name AS move_name,
                am.move_type AS move_type,
                am.invoice_date AS invoice_date,
                aml.date AS date,
                COALESCE(aml.date_maturity, aml.date) AS date_due,
                %(days)s AS days_overdue,
                %(bucket)s AS aging,
                aml.company_currency_id AS currency_id,
                aml.amount_residual AS amount_residual,
                CASE WHEN %(days)s > 0 THEN aml.amount_residual ELSE 0 END AS amount_overdue,
                %(amounts)s,
                aml.currency_id AS line_currency_id,
                aml.amount_residual_currency AS amount_residual_currency
            FROM account_move_line aml
            JOIN account_move am ON am.id = aml.move_id
            JOIN account_account acc ON acc.id = aml.account_id
            JOIN res_partner p ON p.id = aml.partner_id
            JOIN res_partner cp ON cp.id = p.commercial_partner_id
            WHERE aml.parent_state = 'posted'
              AND acc.account_type = 'asset_receivable'
              AND aml.reconciled IS NOT TRUE
              AND aml.amount_residual != 0
            """,
            days=days,
            bucket=bucket,
            amounts=amounts,
        )
