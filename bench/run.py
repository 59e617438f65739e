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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from odoo_env import setup

CUSTOMER_DOMAIN = [("effect_stage", "!=", False), ("parent_id", "=", False)]
LIST_SPEC = {
    name: {}
    for name in (
        "complete_name", "effect_stage", "vat", "effect_business_type_id", "effect_size_id",
        "industry_id", "state_id", "phone", "user_id", "effect_territory_id",
    )
}  # fmt: skip


def timed(registry, uid, function, repeat):
    """Median seconds of ``function(env)`` over ``repeat`` runs after one warm-up."""
    import odoo  # noqa: PLC0415

    samples = []
    for run in range(repeat + 1):
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, uid, {"lang": "en_US", "tz": "Asia/Ho_Chi_Minh"})
            started = time.perf_counter()
            function(env)
            elapsed = time.perf_counter() - started
            cr.rollback()
        if run:
            samples.append(elapsed)
    return statistics.median(samples)


def pick_users(env):
    Users = env["res.users"]
    all_docs = Users.search([("login", "=", "bench_all")])
    manager = Users.search([("login", "=", "bench_manager")])
    # the restricted salesperson: a province territory member with a typical book
    territory = env["effect.crm.territory"].search(
        [("parent_id", "!=", False), ("member_ids", "!=", False)], limit=1, order="id"
    )
    return {"restricted": territory.member_ids[0], "all": all_docs, "manager": manager}


def operations(users):
    def customer_list(env):
        env["res.partner"].web_search_read(
            CUSTOMER_DOMAIN, LIST_SPEC, limit=80, order="complete_name"
        )

    def pivot_attribute_province(env):
        env["res.partner"]._read_group(
            CUSTOMER_DOMAIN, ["properties.effect_source", "state_id"], ["__count"]
        )

    def pivot_industry(env):
        env["res.partner"]._read_group(CUSTOMER_DOMAIN, ["industry_id"], ["__count"])

    return [
        {
            "name": "customer list: first page (80) + count",
            "as": ("restricted", customer_list),
            "baseline": ("same list as an all-documents salesperson", "all", customer_list),
            "target": 1.3,
        },
        {
            "name": "customers grouped by an attribute and province (pivot)",
            "as": ("manager", pivot_attribute_province),
            "baseline": ("grouped by industry alone", "manager", pivot_industry),
            "target": 2.0,
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


def run(dbname, repeat):
    odoo = setup(dbname)
    from odoo.modules.registry import Registry  # noqa: PLC0415

    registry = Registry(dbname)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        users = {role: user.id for role, user in pick_users(env).items()}
        scale = {
            "customers": env["res.partner"].search_count(CUSTOMER_DOMAIN),
            "partners": env["res.partner"].search_count([]),
            "territories": env["effect.crm.territory"].search_count([]),
        }
        user_records = {role: env["res.users"].browse(uid) for role, uid in users.items()}
    results = []
    for op in operations(user_records):
        role, function = op["as"]
        label, base_role, base_function = op["baseline"]
        ours = timed(registry, users[role], function, repeat)
        base = timed(registry, users[base_role], base_function, repeat)
        ratio = ours / base if base else float("inf")
        results.append(
            {
                "operation": op["name"],
                "as": role,
                "baseline": label,
                "ms": round(ours * 1000, 2),
                "baseline_ms": round(base * 1000, 2),
                "ratio": round(ratio, 2),
                "target": op["target"],
                "met": ratio <= op["target"],
            }
        )
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        user_records = {role: env["res.users"].browse(uid) for role, uid in users.items()}
    reassign = reassignment_batches(registry, user_records)
    results.append(
        {
            "operation": f"reassign {reassign['customers']} customers to another territory",
            "as": "manager",
            "baseline": "none: no single batch over 30 s",
            "ms": round(reassign["max_batch_s"] * 1000, 2),
            "baseline_ms": None,
            "ratio": None,
            "target": "max batch ≤ 30 s",
            "met": reassign["max_batch_s"] <= 30,
            "batches": reassign["batches"],
        }
    )
    return {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": machine(),
        "database": dbname,
        "scale": scale,
        "repeat": repeat,
        "results": results,
    }


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
    lines = [
        f"Run {report['date']} on {report['machine']}, database `{report['database']}` "
        f"({report['scale']['customers']:,} customers, {report['scale']['partners']:,} partners, "
        f"{report['scale']['territories']} territories); medians of {report['repeat']} runs.",
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
    args = parser.parse_args()
    report = run(args.db, args.repeat)
    print(markdown(report))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False))
    if args.markdown:
        with open(args.markdown, "a", encoding="utf-8") as out:
            out.write("\n" + markdown(report))


if __name__ == "__main__":
    main()
