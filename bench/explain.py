#!/usr/bin/env python3
"""Write the query plans of each benchmarked operation, as run.py runs it.

    python3 bench/explain.py --db effect_bench [--out bench/plans] [--top 3]

For each operation of run.py and each of its baselines: run it once to warm up,
then again in a new transaction recording every SQL query and its time, and
write ``<out>/<operation>.txt`` with the slowest queries and their
``EXPLAIN (ANALYZE, BUFFERS)`` plans. Nothing is written to the database.
"""

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench
from odoo_env import setup

from odoo.tools import SQL


def slug(text):
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:60]


def recorded(registry, uid, function):
    """``(total seconds, [(seconds, sql text)])`` of ``function(caller)`` as ``uid``, warm."""
    import odoo  # noqa: PLC0415

    def run(cr, record):
        env = odoo.api.Environment(cr, uid, {})
        context = {
            "lang": env.user.lang or "en_US",
            "tz": env.user.tz or "UTC",
            "uid": uid,
            "allowed_company_ids": env.user.company_id.ids,
        }
        env = odoo.api.Environment(cr, uid, context)
        queries = []
        if record:
            execute = cr.execute

            def recording(query, params=None, log_exceptions=True):
                started = time.perf_counter()
                result = execute(query, params, log_exceptions)
                elapsed = time.perf_counter() - started
                if isinstance(query, SQL):
                    text = cr.mogrify(query.code, query.params).decode()
                else:
                    text = cr.mogrify(query, params).decode()
                queries.append((elapsed, text))
                return result

            cr.execute = recording
        started = time.perf_counter()
        function(bench.EnvCaller(env))
        total = time.perf_counter() - started
        if record:
            del cr.execute
        cr.rollback()
        return total, queries

    with registry.cursor() as cr:
        run(cr, record=False)
    with registry.cursor() as cr:
        return run(cr, record=True)


def explain(registry, sql):
    with registry.cursor() as cr:
        # the statement as it ran, its parameters inlined (``%`` doubled: it has none left)
        cr.execute(SQL("EXPLAIN (ANALYZE, BUFFERS) %s", SQL(sql.replace("%", "%%"))))
        plan = "\n".join(row[0] for row in cr.fetchall())
        cr.rollback()
    return plan


def write_plans(dbname, out, top, only=None):
    odoo = setup(dbname)
    from odoo.modules.registry import Registry  # noqa: PLC0415

    registry = Registry(dbname)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        users = {role: user.id for role, user in bench.pick_users(env).items()}
        users["admin"] = env.ref("base.user_admin").id
        users["timeline_customer"] = bench.timeline_customer(env, users["restricted"])
        ops = bench.operations(users, env)
    out.mkdir(parents=True, exist_ok=True)
    for op in ops:
        if only and only not in op["name"]:
            continue
        role, function = op["as"]
        runs = [(f"{op['name']} (as {role})", users[role], function)]
        runs += [
            (f"baseline: {label} (as {base_role})", users[base_role], base_function)
            for label, base_role, base_function, _target in op["baselines"]
        ]
        lines = [f"# {op['name']}", f"database {dbname}, {time.strftime('%Y-%m-%d %H:%M')}", ""]
        for title, uid, fn in runs:
            total, queries = recorded(registry, uid, fn)
            sql_time = sum(elapsed for elapsed, _text in queries)
            lines += [
                f"## {title}",
                f"{total * 1000:.1f} ms in all, {len(queries)} queries taking "
                f"{sql_time * 1000:.1f} ms; the slowest {min(top, len(queries))}:",
                "",
            ]
            for elapsed, text in sorted(queries, key=lambda q: -q[0])[:top]:
                if not text.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                lines += [
                    f"### {elapsed * 1000:.2f} ms",
                    text.strip(),
                    "",
                    explain(registry, text),
                    "",
                ]
        path = out / f"{slug(op['name'])}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="effect_bench")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent / "plans"))
    parser.add_argument("--top", type=int, default=3)
    parser.add_argument("--only", help="only the operations whose name contains this")
    args = parser.parse_args()
    write_plans(args.db, Path(args.out), args.top, args.only)


if __name__ == "__main__":
    main()
