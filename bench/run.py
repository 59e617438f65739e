#!/usr/bin/env python3
"""Measure EFFECT CRM operations against their Odoo baselines in the same run.

    python3 bench/run.py --db effect_bench [--repeat 7] [--markdown bench/RESULTS.md]

Every operation runs server-side, in this process, through the ORM as the user
the operation names, with a new environment (empty record cache) each time,
like a request. Each one is timed ``--repeat`` times after a warm-up; the report
gives the medians and the ratio to the baseline measured the same way, in the
same run, on the same data. Nothing is written to the database (each operation's
transaction is rolled back).
"""

import argparse
import contextlib
import json
import os
import platform
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))

from odoo_env import setup

AGENDA_BUCKETS = ["overdue", "today", "tomorrow", "this_week", "later"]
AGENDA_OPEN = ("overdue", "today")  # what the agenda shows first; the others: counts only
KANBAN_LIMIT = 40  # records the web client loads per kanban column
CUSTOMER_FORM_VIEW = "base.view_partner_form"  # the customers action's form view
CUSTOMER_DOMAIN = [("effect_stage", "!=", False), ("parent_id", "=", False)]
LIST_SPEC = {
    name: {}
    for name in (
        "complete_name", "effect_stage", "vat", "effect_business_type_id", "effect_size_id",
        "industry_id", "state_id", "phone", "user_id", "effect_territory_id",
    )
}  # fmt: skip


def timed(registry, runs, repeat):
    """Median seconds of each ``function(env)`` of ``runs`` (``(uid, function)`` pairs).

    One warm-up, then ``repeat`` rounds; each round runs every function once, in
    turn, so that an operation and its baselines share the machine's load (other
    processes come and go) instead of each meeting it in a block of its own.
    """
    import odoo  # noqa: PLC0415

    samples = [[] for _run in runs]
    for round_ in range(repeat + 1):
        for (uid, function), run_samples in zip(runs, samples, strict=True):
            with registry.cursor() as cr:
                env = odoo.api.Environment(cr, uid, {})
                # the context the web client sends with each request
                context = {
                    "lang": env.user.lang or "en_US",
                    "tz": env.user.tz or "UTC",
                    "uid": uid,
                    "allowed_company_ids": env.user.company_id.ids,
                }
                env = odoo.api.Environment(cr, uid, context)
                started = time.perf_counter()
                function(env)
                elapsed = time.perf_counter() - started
                cr.rollback()
            if round_:
                run_samples.append(elapsed)
    return [statistics.median(run_samples) for run_samples in samples]


def pick_users(env):
    Users = env["res.users"]
    all_docs = Users.search([("login", "=", "bench_all")])
    manager = Users.search([("login", "=", "bench_manager")])
    # the restricted salesperson: a province territory member with a typical book
    territory = env["effect.crm.territory"].search(
        [("parent_id", "!=", False), ("member_ids", "!=", False)], limit=1, order="id"
    )
    return {"restricted": territory.member_ids[0], "all": all_docs, "manager": manager}


def view_specification(env, model, view_type, view_xmlid=None):
    """The ``web_read`` specification the web client builds from a view's fields."""
    view_id = env.ref(view_xmlid).id if view_xmlid else False
    view = env[model].get_view(view_id, view_type)
    return _node_specification(env[model], etree.fromstring(view["arch"]))


def _node_specification(model, node):
    spec = {}
    for field_node in _field_nodes(node):
        name = field_node.get("name")
        field = model._fields[name]
        if field.type == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        elif field.type in ("one2many", "many2many"):
            subviews = [child for child in field_node if child.tag in ("list", "kanban")]
            if subviews:
                limit = int(subviews[0].get("limit") or (40 if field.type == "one2many" else 80))
                spec[name] = {
                    "fields": _node_specification(model.env[field.comodel_name], subviews[0]),
                    "limit": limit,
                }
            else:
                spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    return spec


def _field_nodes(node):
    """The <field> nodes of a view, not those of the subviews inside them."""
    for child in node:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "field":
            yield child
        else:
            yield from _field_nodes(child)


def local_today(tz):
    return datetime.now(ZoneInfo(tz or "UTC")).date()


def agenda_bare_sql(env):
    """Today's agenda of the user in hand-written indexed SQL: counts and first rows."""
    cr = env.cr
    today = local_today(env.user.tz)
    end_of_week = today + timedelta(days=7 - today.isoweekday())
    counts = """
        SELECT CASE WHEN a.date_deadline < %(today)s THEN 'overdue'
                    WHEN a.date_deadline = %(today)s THEN 'today'
                    WHEN a.date_deadline = %(tomorrow)s THEN 'tomorrow'
                    WHEN a.date_deadline <= %(end_of_week)s THEN 'this_week'
                    ELSE 'later' END AS bucket, count(*)
          FROM mail_activity a
         WHERE a.user_id = %(uid)s AND a.active
         GROUP BY 1
    """
    rows = """
        SELECT a.id, a.date_deadline, a.summary, t.name->>'en_US', t.icon, a.res_model, a.res_id,
               a.res_name, cp.id, cp.complete_name, up.name, a.effect_reschedule_count
          FROM mail_activity a
          JOIN res_users u ON u.id = a.user_id
          JOIN res_partner up ON up.id = u.partner_id
          LEFT JOIN mail_activity_type t ON t.id = a.activity_type_id
          LEFT JOIN res_partner rp ON a.res_model = 'res.partner' AND rp.id = a.res_id
          LEFT JOIN sale_order so ON a.res_model = 'sale.order' AND so.id = a.res_id
          LEFT JOIN res_partner sp ON sp.id = so.partner_id
          LEFT JOIN res_partner cp ON cp.id = COALESCE(rp.commercial_partner_id,
                                                       sp.commercial_partner_id)
         WHERE a.user_id = %(uid)s AND a.active AND {condition}
         ORDER BY a.date_deadline, a.id
         LIMIT %(limit)s
    """
    params = {
        "uid": env.uid,
        "today": today,
        "tomorrow": today + timedelta(days=1),
        "end_of_week": end_of_week,
        "limit": KANBAN_LIMIT,
    }
    cr.execute(counts, params)
    result = {"counts": dict(cr.fetchall())}
    for bucket, condition in (
        ("overdue", "a.date_deadline < %(today)s"),
        ("today", "a.date_deadline = %(today)s"),
    ):
        cr.execute(rows.format(condition=condition), params)
        result[bucket] = cr.fetchall()
    return result


def operations(users, env):
    """Each operation: who runs it, and its baselines measured in the same run."""
    agenda_spec = view_specification(
        env, "effect.crm.agenda", "kanban", "effect_crm.effect_crm_agenda_view_kanban"
    )
    form_spec = view_specification(
        env(user=users["restricted"]), "res.partner", "form", CUSTOMER_FORM_VIEW
    )
    customer_id = users["timeline_customer"]
    months_start = (date.today().replace(day=1) - timedelta(days=335)).replace(day=1)
    pivot_domain = [("date", ">=", f"{months_start} 00:00:00")]
    pivot_sets = [[], ["user_id"], ["user_id", "type_id"], ["date:month"],
                  ["user_id", "date:month"], ["user_id", "type_id", "date:month"]]  # fmt: skip

    def agenda(env):
        # the kanban's first load: counts per bucket, the overdue and today columns open
        env["effect.crm.agenda"].with_context(read_group_expand=True).web_read_group(
            [("user_id", "=", env.uid)],
            ["bucket"],
            ["__count"],
            auto_unfold=True,
            opening_info=[
                {
                    "value": bucket,
                    "folded": bucket not in AGENDA_OPEN,
                    "limit": KANBAN_LIMIT,
                    "offset": 0,
                }
                for bucket in AGENDA_BUCKETS
            ],
            unfold_read_specification=agenda_spec,
            unfold_read_default_limit=KANBAN_LIMIT,
        )

    def systray(env):
        env["res.users"]._get_activity_groups()

    def customer_list(env):
        env["res.partner"].web_search_read(
            CUSTOMER_DOMAIN, LIST_SPEC, limit=80, order="complete_name"
        )

    def customer_form(env):
        env["res.partner"].browse(customer_id).web_read(form_spec)

    def interaction_pivot(env):
        env["effect.crm.interaction"].formatted_read_grouping_sets(
            pivot_domain, pivot_sets, ["__count"]
        )

    def interaction_pivot_sql(env):
        # the same groups in plain SQL, written as fast as we could: one hash aggregate
        # of the interactions to the finest grouping (a materialized CTE, else
        # PostgreSQL sorts them all for the grouping sets), then the grouping sets
        tz = env.context.get("tz") or "UTC"
        env.cr.execute(
            """
            WITH finest AS MATERIALIZED (
                SELECT i.user_id, i.type_id,
                       date_trunc('month', timezone(%(tz)s, timezone('UTC', i.date))) AS month,
                       count(*) AS n
                  FROM effect_crm_interaction i
                 WHERE i.date >= %(start)s
                   AND (i.company_id = ANY(%(companies)s) OR i.company_id IS NULL)
                 GROUP BY 1, 2, 3
            )
            SELECT user_id, type_id, month, sum(n)
              FROM finest
             GROUP BY GROUPING SETS ((), (user_id), (user_id, type_id), (month),
                                     (user_id, month), (user_id, type_id, month))
            """,
            {"tz": tz, "start": months_start, "companies": env.context["allowed_company_ids"]},
        )
        env.cr.fetchall()

    def pivot_attribute_province(env):
        env["res.partner"]._read_group(
            CUSTOMER_DOMAIN, ["properties.effect_source", "state_id"], ["__count"]
        )

    def pivot_industry(env):
        env["res.partner"]._read_group(CUSTOMER_DOMAIN, ["industry_id"], ["__count"])

    return [
        {
            "name": "today's agenda: counts per bucket, overdue and today's rows (kanban)",
            "as": ("restricted", agenda),
            "baselines": [
                ("Odoo's activity systray, same user", "restricted", systray, 1.0),
                ("bare indexed SQL, same rows and counts", "restricted", agenda_bare_sql, 5.0),
            ],
        },
        {
            "name": "customer list: first page (80) + count",
            "as": ("restricted", customer_list),
            "baselines": [("same list as an all-documents salesperson", "all", customer_list, 1.3)],
        },
        {
            "name": "customer form with its timeline",
            "as": ("restricted", customer_form),
            "baselines": [("same read as the administrator", "admin", customer_form, 2.0)],
        },
        {
            "name": "interactions per type, month and salesperson, last 12 months (pivot)",
            "as": ("manager", interaction_pivot),
            "baselines": [("same groups in plain SQL", "manager", interaction_pivot_sql, 1.2)],
        },
        {
            "name": "customers grouped by an attribute and province (pivot)",
            "as": ("manager", pivot_attribute_province),
            "baselines": [("grouped by industry alone", "manager", pivot_industry, 2.0)],
        },
    ]


def reassignment_batches(registry, users, count=10_000):
    """Seconds of each batch when a manager moves ``count`` customers to another territory."""
    import odoo  # noqa: PLC0415

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, users["manager"].id, {})
        territories = env["effect.crm.territory"].search([("parent_id", "!=", False)], order="id")
        target = territories[-1]
        customers = env["res.partner"].search(
            [*CUSTOMER_DOMAIN, ("effect_territory_id", "!=", target.id)], limit=count
        )
        job = env["effect.crm.reassignment"].create(
            {"mode": "move", "partner_ids": [(6, 0, customers.ids)], "to_territory_id": target.id}
        )
        started = time.perf_counter()
        job.action_start()  # selects the customers; runs a small job at once
        env.flush_all()
        batches = [time.perf_counter() - started]
        while job.state == "queued":
            started = time.perf_counter()
            job._process_batch()
            env.flush_all()
            batches.append(time.perf_counter() - started)
        total = job.total_count
        cr.rollback()
    return {"customers": total, "batches": len(batches), "max_batch_s": max(batches)}


def run(dbname, repeat, only=None):
    odoo = setup(dbname)
    from odoo.modules.registry import Registry  # noqa: PLC0415

    registry = Registry(dbname)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        users = {role: user.id for role, user in pick_users(env).items()}
        users["admin"] = env.ref("base.user_admin").id
        users["timeline_customer"] = timeline_customer(env, users["restricted"])
        scale = database_scale(env, users)
        ops = operations(users, env)
    results = []
    for op in ops:
        if only and only not in op["name"]:
            continue
        role, function = op["as"]
        runs = [(users[role], function)]
        runs += [
            (users[base_role], base_function)
            for _l, base_role, base_function, _t in op["baselines"]
        ]
        ours, *bases = timed(registry, runs, repeat)
        for (label, _role, _function, target), base in zip(op["baselines"], bases, strict=True):
            ratio = ours / base if base else float("inf")
            results.append(
                {
                    "operation": op["name"],
                    "as": role,
                    "baseline": label,
                    "ms": round(ours * 1000, 2),
                    "baseline_ms": round(base * 1000, 2),
                    "ratio": round(ratio, 2),
                    "target": target,
                    "met": ratio <= target,
                }
            )
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        user_records = {role: env["res.users"].browse(users[role]) for role in ("manager",)}
    reassign = reassignment_batches(registry, user_records) if not only else None
    results += (
        []
        if only
        else [
            {
                "operation": f"reassign {reassign['customers']} customers to another territory",
                "as": "manager",
                "baseline": f"none: no batch over 30 s ({reassign['batches']} batches)",
                "ms": round(reassign["max_batch_s"] * 1000, 2),
                "baseline_ms": None,
                "ratio": None,
                "target": "max batch ≤ 30 s",
                "met": reassign["max_batch_s"] <= 30,
                "batches": reassign["batches"],
            }
        ]
    )
    return {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": machine(),
        "database": dbname,
        "scale": scale,
        "repeat": repeat,
        "results": results,
    }


def timeline_customer(env, uid):
    """The customer with the longest timeline among those the salesperson works."""
    partner = env["res.partner"].search(
        [*CUSTOMER_DOMAIN, ("user_id", "=", uid)],
        order="effect_interaction_count desc, id",
        limit=1,
    )
    return partner.id


def database_scale(env, users):
    cr = env.cr
    counts = {
        "customers": env["res.partner"].search_count(CUSTOMER_DOMAIN),
        "partners": env["res.partner"].search_count([]),
        "territories": env["effect.crm.territory"].search_count([]),
        "salespeople": env["res.users"].search_count([("login", "=like", "bench_sales_%")]),
        "interactions": env["effect.crm.interaction"].search_count([]),
    }
    cr.execute("SELECT active, count(*) FROM mail_activity GROUP BY active")
    activities = dict(cr.fetchall())
    counts["open_activities"] = activities.get(True, 0)
    counts["done_activities"] = activities.get(False, 0)
    counts["quotes"] = env["sale.order"].search_count([])
    counts["contracts"] = env["effect.crm.contract"].search_count([])
    cr.execute(
        "SELECT count(*) FROM mail_activity WHERE active AND user_id = %s", [users["restricted"]]
    )
    counts["restricted_open_activities"] = cr.fetchone()[0]
    counts["timeline_interactions"] = (
        env["res.partner"].browse(users["timeline_customer"]).effect_interaction_count
    )
    return counts


def machine():
    memory = ""
    with (
        contextlib.suppress(OSError, ValueError, IndexError),
        open("/proc/meminfo", encoding="ascii") as meminfo,
    ):
        memory = f", {int(meminfo.readline().split()[1]) / 1024 / 1024:.0f} GiB"
    return (
        f"{platform.machine()}, {os.cpu_count()} cores{memory}, Python {platform.python_version()}"
    )


def markdown(report):
    scale = report["scale"]
    lines = [
        f"Run {report['date']} on {report['machine']}, database `{report['database']}`: "
        f"{scale['customers']:,} customers ({scale['partners']:,} partners), "
        f"{scale['interactions']:,} interactions, {scale['open_activities']:,} open and "
        f"{scale['done_activities']:,} done activities, {scale['salespeople']} salespeople in "
        f"{scale['territories']} territories, {scale['quotes']:,} quotes, "
        f"{scale['contracts']:,} contracts; medians of {report['repeat']} runs. The salesperson "
        f"has {scale['restricted_open_activities']:,} open activities; the customer of the "
        f"form has {scale['timeline_interactions']} interactions.",
        "",
        "| operation | as | ms | baseline | baseline ms | ratio | target | met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in report["results"]:
        lines.append(
            f"| {r['operation']} | {r['as']} | {r['ms']} | {r['baseline']} | "
            f"{r['baseline_ms'] if r['baseline_ms'] is not None else '—'} | "
            f"{r['ratio'] if r['ratio'] is not None else '—'} | {r['target']} | "
            f"{'yes' if r['met'] else '**no**'} |"
        )
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="effect_bench")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", help="write the report as JSON to this file")
    parser.add_argument("--markdown", help="append the report as a Markdown table to this file")
    parser.add_argument("--only", help="run only the operations whose name contains this")
    args = parser.parse_args()
    report = run(args.db, args.repeat, args.only)
    print(markdown(report))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False))
    if args.markdown:
        with open(args.markdown, "a", encoding="utf-8") as out:
            out.write("\n" + markdown(report))


if __name__ == "__main__":
    main()
