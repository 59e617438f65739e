from odoo import fields, models
from odoo.tools import SQL

from ..tools.followup import recency_sql

RECENCY = [
    ("week", "Within 7 days"),
    ("month", "8 to 30 days"),
    ("quarter", "31 to 90 days"),
    ("older", "Over 90 days"),
    ("never", "Never contacted"),
]


class EffectCrmCustomerReport(models.Model):
    """Customer statistics: where prospects and customers stand, and when they were
    last contacted. A SQL view over CRM customers (partners with a lifecycle stage),
    so that "days since last contact" is always today's and can be averaged."""

    _name = "effect.crm.customer.report"
    _description = "Customer Follow-up Statistics"
    _auto = False
    _order = "days_since_contact desc, id"
    _rec_name = "partner_id"
    _depends = {
        "res.partner": [
            "active",
            "parent_id",
            "effect_stage",
            "is_company",
            "effect_business_type_id",
            "effect_size_id",
            "industry_id",
            "state_id",
            "country_id",
            "user_id",
            "company_id",
            "effect_last_interaction_date",
            "effect_next_action_date",
            "effect_interaction_count",
        ],
        "res.users": ["sale_team_id"],
    }

    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    effect_stage = fields.Selection(
        [("prospect", "Prospect"), ("customer", "Customer"), ("inactive", "Inactive")],
        "Lifecycle Stage",
        readonly=True,
    )
    is_company = fields.Boolean("Is a Company", readonly=True)
    business_type_id = fields.Many2one("effect.crm.business.type", readonly=True)
    size_id = fields.Many2one("effect.crm.size", readonly=True)
    industry_id = fields.Many2one("res.partner.industry", readonly=True)
    state_id = fields.Many2one("res.country.state", "Province", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", "Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    last_interaction_date = fields.Datetime("Last Interaction", readonly=True)
    next_action_date = fields.Date("Next Action", readonly=True)
    days_since_contact = fields.Integer("Days Since Last Contact", readonly=True, aggregator="avg")
    recency = fields.Selection(RECENCY, "Last Contact", readonly=True)
    has_next_action = fields.Boolean("Has a Next Action", readonly=True)
    interaction_count = fields.Integer("Interactions", readonly=True)
    customer_count = fields.Integer("Customers", readonly=True)

    @property
    def _table_query(self):
        # days from the user's today (effect.crm.clock) to the day of the last contact
        # in the user's time zone, as the customer form counts them
        clock = self.env["effect.crm.clock"]
        days = SQL(
            "(%s::date - ((p.effect_last_interaction_date AT TIME ZONE 'UTC')"
            " AT TIME ZONE %s)::date)",
            clock._effect_today(),
            clock._effect_tz(),
        )
        return SQL(
            """
            SELECT
                p.id AS id,
                p.id AS partner_id,
                p.effect_stage AS effect_stage,
                p.is_company AS is_company,
                p.effect_business_type_id AS business_type_id,
                p.effect_size_id AS size_id,
                p.industry_id AS industry_id,
                p.state_id AS state_id,
                p.country_id AS country_id,
                p.user_id AS user_id,
                salesperson.sale_team_id AS team_id,
                p.company_id AS company_id,
                p.effect_last_interaction_date AS last_interaction_date,
                p.effect_next_action_date AS next_action_date,
                %(days)s AS days_since_contact,
                %(recency)s AS recency,
                p.effect_next_action_date IS NOT NULL AS has_next_action,
                COALESCE(p.effect_interaction_count, 0) AS interaction_count,
                1 AS customer_count
            FROM res_partner p
            LEFT JOIN res_users salesperson ON salesperson.id = p.user_id
            WHERE p.effect_stage IS NOT NULL
              AND p.parent_id IS NULL
              AND p.active
            """,
            days=days,
            recency=recency_sql(days),
        )
