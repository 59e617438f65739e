#!/usr/bin/env python3
"""A letter campaign's recipient filter against the plain SQL that finds the same customers.

    python3 bench/campaign_filter.py --db effect_bench [--repeat 9] [--json report.json]

The filter "sales above 10,000 USD last month" (``--usd``, ``--period``) of a campaign
(effect_crm_mailmerge), as the sales manager (every customer: the 200,000 of the full
scale), through the ORM: ``campaign._effect_matching_customers()`` on a new campaign,
what its form counts and samples. The threshold is converted from USD to the company
currency at today's rate. The baseline is one hand-written SQL query returning the
same customers in the same order: confirmed orders of the period (and, with
effect_crm_accounting, posted invoices that come from no order), summed per
customer in the company currency, kept above the threshold, joined to the customers.
Both answers are compared. Target (issue 13): at most 2x the SQL.

Needs a database with effect_crm_mailmerge installed (``bench/generate.py`` makes one);
nothing is written (each run is rolled back). Works at any scale.
"""

import argparse
import datetime
import json
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from odoo_env import setup
from run import pick_users, timed

PERIODS = ("this_month", "last_month", "this_quarter", "this_year", "last_year")


def plain_sql(cr, company_id, start, end, day_from, day_to, minimum, invoices, states):
    """The customers with sales of at least ``minimum`` in the period, by name: one query.

    ``start``/``end`` bound the orders (UTC), ``day_from``/``day_to`` the invoices
    (local days).
    """
    from odoo.tools import SQL  # noqa: PLC0415

    sources = [
        SQL(
            """
            SELECT rp.commercial_partner_id AS customer_id,
                   so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1) AS amount
              FROM sale_order so
              JOIN res_partner rp ON rp.id = so.partner_id
             WHERE so.state IN %s AND so.company_id = %s
               AND so.date_order >= %s AND so.date_order < %s
            """,
            states,
            company_id,
            start,
            end,
        )
    ]
    if invoices:
        sources.append(
            SQL(
                """
                SELECT am.commercial_partner_id, -aml.balance
                  FROM account_move_line aml
                  JOIN account_move am ON am.id = aml.move_id
                 WHERE am.state = 'posted' AND am.move_type IN ('out_invoice', 'out_refund')
                   AND am.company_id = %s AND aml.display_type = 'product'
                   AND am.invoice_date >= %s AND am.invoice_date < %s
                   AND NOT EXISTS (SELECT 1 FROM sale_order_line_invoice_rel rel
                                    WHERE rel.invoice_line_id = aml.id)
                """,
                company_id,
                day_from,
                day_to,
            )
        )
    cr.execute(
        SQL(
            """
            SELECT p.id
              FROM res_partner p
              JOIN (SELECT customer_id FROM (%s) AS sales
                  GROUP BY customer_id
                    HAVING SUM(amount) >= %s) AS picked ON picked.customer_id = p.id
             WHERE p.active AND p.effect_stage IS NOT NULL
               AND (p.is_company OR p.parent_id IS NULL)
          ORDER BY p.name, p.id
            """,
            SQL(" UNION ALL ").join(sources),
            minimum,
        )
    )
    return [row[0] for row in cr.fetchall()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--usd", type=float, default=10_000, help="sales at least (USD)")
    parser.add_argument("--period", choices=PERIODS, default="last_month")
    parser.add_argument(
        "--order-states",
        default="sale",
        help="the states of sale.order that are sales, for both sides (comma-separated). "
        "The generated data has no confirmed order (an accepted quote keeps its state): "
        "'sale,sent' counts its sent quotations as orders",
    )
    parser.add_argument("--json", help="write the report here")
    args = parser.parse_args()
    states = tuple(args.order_states.split(","))

    odoo = setup(args.db)
    from odoo.modules.registry import Registry  # noqa: PLC0415

    from odoo.addons.effect_crm.tools.clock import utc_start  # noqa: PLC0415
    from odoo.addons.effect_crm_mailmerge.tools.letters import period_bounds  # noqa: PLC0415

    registry = Registry(args.db)
    # the ORM's definition of sales, with the same states as the SQL (see --order-states)
    registry["effect.crm.sales.figure"]._effect_order_states = states
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        manager = pick_users(env)["manager"]
        if not manager:
            manager = env.ref("base.user_admin")
        company = manager.company_id
        user_env = env(user=manager.id, context={"tz": manager.tz or "UTC"})
        today = user_env["effect.crm.clock"]._effect_today()
        tz = user_env["effect.crm.clock"]._effect_tz()
        minimum = env.ref("base.USD")._convert(args.usd, company.currency_id, company, today)
        invoices = bool(
            env["ir.module.module"].search_count(
                [("name", "=", "effect_crm_accounting"), ("state", "=", "installed")]
            )
        )
        currency_name, login = company.currency_id.name, manager.login
        customers = env["res.partner"].search_count(
            [("effect_stage", "!=", False), ("parent_id", "=", False)]
        )
    day_from, day_to = period_bounds(args.period, today)
    start, end = utc_start(day_from, tz), utc_start(day_to, tz)
    answers = {}

    # run.timed hands each measure the web client's caller; these read its environment
    def ours(caller):
        campaign = caller.env["effect.crm.mailmerge.campaign"].new(
            {
                "name": "Bench",
                "filter_sales": True,
                "sales_period": args.period,
                "sales_min": minimum,
            }
        )
        answers["ours"] = campaign._effect_matching_customers().ids

    def sql(caller):
        answers["sql"] = plain_sql(
            caller.env.cr, company.id, start, end, day_from, day_to, minimum, invoices, states
        )

    ours_s, sql_s = timed(registry, [(manager.id, ours), (manager.id, sql)], args.repeat)
    if answers["ours"] != answers["sql"]:
        sys.exit(f"not the same customers: ORM {len(answers['ours'])}, SQL {len(answers['sql'])}")
    ratio = ours_s / sql_s if sql_s else float("inf")
    report = {
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
        "database": args.db,
        "customers": customers,
        "date": datetime.date.today().isoformat(),
        "operation": f"recipient filter: sales >= {args.usd:,.0f} USD "
        f"({minimum:,.0f} {currency_name}) {args.period.replace('_', ' ')}"
        f"{', orders and invoices' if invoices else ', orders'}"
        f" (orders: sale.order in {', '.join(states)})",
        "as": login,
        "picked": len(answers["ours"]),
        "ms": round(ours_s * 1000, 1),
        "baseline": "plain SQL, the same customers in the same order",
        "baseline_ms": round(sql_s * 1000, 1),
        "ratio": round(ratio, 2),
        "target": "<= 2x",
        "met": ratio <= 2,
    }
    print(
        f"{report['operation']} over {customers:,} customers as {login}: "
        f"{report['picked']} picked, {report['ms']} ms vs plain SQL {report['baseline_ms']} ms, "
        f"{report['ratio']}x (target <= 2x: {'met' if report['met'] else 'NOT met'})"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
