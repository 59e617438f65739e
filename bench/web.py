#!/usr/bin/env python3
"""The operations of run.py over HTTP, as the web client sends them, against a real server.

    python3 bench/web.py --db effect_bench [--repeat 9] [--workers 2] [--markdown bench/RESULTS.md]

Starts an Odoo server on the database (``--workers 2``, 127.0.0.1, a free port, no
cron), logs each user in (``/web/session/authenticate``) and times each operation
of run.py that a browser can send (``/web/dataset/call_kw/<model>/<method>`` with
the user's context, the chatter's ``/mail/data`` and ``/mail/thread/messages``)
against its baselines, in turn, ``--repeat`` rounds after a warm-up. The times are
what the browser waits for: request, JSON encoding, the server's work and the
answer. Measures that need the server's own process (bare SQL, Odoo's path with
the grouping overrides patched out, the reassignment job) are left to run.py.

The benchmark users are given the password ``bench`` (written to the database
before the server starts) so that they can log in.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bin"))

import run as bench
from effect_env import free_port, odoo_args, odoo_command, start_process, stop_process
from jsonrpc import rpc
from odoo_env import setup

PASSWORD = "bench"
START_TIMEOUT = 900


class HttpCaller:
    """A logged-in browser session: the web client's JSON-RPC requests."""

    def __init__(self, url, dbname, login):
        self.url = url
        self.session = requests.Session()
        result = self._post(
            "/web/session/authenticate", {"db": dbname, "login": login, "password": PASSWORD}
        )
        self.context = result["user_context"]
        self.context["allowed_company_ids"] = [result["user_companies"]["current_company"]]

    def _post(self, path, params):
        return rpc(self.session, self.url, path, params)

    def call(self, model, method, *args, **kwargs):
        kwargs = {**kwargs, "context": self.context}
        return self._post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def chatter(self, model, res_id):
        self._post(
            "/mail/data",
            {
                "fetch_params": [
                    [
                        "mail.thread",
                        {
                            "thread_model": model,
                            "thread_id": res_id,
                            "request_list": bench.CHATTER_REQUESTS,
                        },
                    ]
                ],
                "context": self.context,
            },
        )
        self._post(
            "/mail/thread/messages",
            {"thread_model": model, "thread_id": res_id, "fetch_params": {"limit": 30}},
        )


def prepare(dbname):
    """The users, their logins and the operations (built from the views, in this process)."""
    odoo = setup(dbname)
    from odoo.modules.registry import Registry  # noqa: PLC0415

    registry = Registry(dbname)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        users = {role: user.id for role, user in bench.pick_users(env).items()}
        users["admin"] = env.ref("base.user_admin").id
        users["timeline_customer"] = bench.timeline_customer(env, users["restricted"])
        scale = bench.database_scale(env, users)
        ops = bench.operations(users, env)
        accounts = env["res.users"].browse(
            [users[role] for role in ("restricted", "median", "all", "manager", "admin")]
        )
        accounts.write({"password": PASSWORD})
        logins = {
            role: env["res.users"].browse(users[role]).login
            for role in users
            if role != "timeline_customer"
        }
        cr.commit()
    return scale, ops, logins


def start_server(dbname, workers):
    port = free_port()
    log = open(f"/tmp/{dbname}-web-bench.log", "w", encoding="utf-8")  # noqa: SIM115
    command = odoo_command() + odoo_args(dbname, http_port=port)
    command += ["--workers", str(workers), "--max-cron-threads", "0", "--log-level", "warn"]
    # the default limits would recycle a worker in the middle of a pivot of 11,000 groups
    command += ["--limit-time-cpu", "600", "--limit-time-real", "1200"]
    process = start_process(command, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Odoo exited with {process.returncode}; see {log.name}")
        try:
            if requests.get(f"{url}/web/login", timeout=60).status_code == 200:
                return process, url
        except requests.RequestException:
            pass
        time.sleep(1)
    stop_process(process)
    raise TimeoutError(f"Odoo did not answer on {url}")


def timed(callers, runs, repeat):
    """Median seconds of each ``function(caller)`` of ``runs`` (``(role, function)``)."""
    samples = [[] for _run in runs]
    for round_ in range(repeat + 1):
        for (role, function), run_samples in zip(runs, samples, strict=True):
            started = time.perf_counter()
            function(callers[role])
            elapsed = time.perf_counter() - started
            if round_:
                run_samples.append(elapsed)
    return [statistics.median(run_samples) for run_samples in samples]


def run(dbname, repeat, workers, only=None):
    scale, ops, logins = prepare(dbname)
    process, url = start_server(dbname, workers)
    try:
        callers = {role: HttpCaller(url, dbname, login) for role, login in logins.items()}
        results = []
        for op in ops:
            if only and only not in op["name"]:
                continue
            role, function = op["as"]
            baselines = [
                base for base in op["baselines"] if not getattr(base[2], "in_process", False)
            ]
            runs = [(role, function)] + [(base_role, fn) for _l, base_role, fn, _t in baselines]
            ours, *bases = timed(callers, runs, repeat)
            if not baselines:
                results.append(
                    {
                        "operation": op["name"], "as": role, "baseline": "— (run.py)",
                        "ms": round(ours * 1000, 2), "baseline_ms": None, "ratio": None,
                        "target": "—", "met": True,
                    }
                )  # fmt: skip
            for (label, _role, _fn, target), base in zip(baselines, bases, strict=True):
                ratio = ours / base if base else float("inf")
                results.append(
                    {
                        "operation": op["name"], "as": role, "baseline": label,
                        "ms": round(ours * 1000, 2), "baseline_ms": round(base * 1000, 2),
                        "ratio": round(ratio, 2), "target": target, "met": ratio <= target,
                    }
                )  # fmt: skip
    finally:
        stop_process(process)
    return {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": bench.machine() + f", HTTP, --workers {workers}",
        "database": dbname,
        "scale": scale,
        "repeat": repeat,
        "results": results,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="effect_bench")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", help="write the report as JSON to this file")
    parser.add_argument("--markdown", help="append the report as a Markdown table to this file")
    parser.add_argument("--only", help="run only the operations whose name contains this")
    args = parser.parse_args()
    report = run(args.db, args.repeat, args.workers, args.only)
    print(bench.markdown(report))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False))
    if args.markdown:
        with open(args.markdown, "a", encoding="utf-8") as out:
            out.write("\n" + bench.markdown(report))


if __name__ == "__main__":
    main()
