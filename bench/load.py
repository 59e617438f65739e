#!/usr/bin/env python3
"""Many salespeople at once: a Locust load test of the web client's screens on a real server.

    python3 bench/load.py --db effect_bench [--users 30] [--run-time 10m] \
        [--markdown bench/RESULTS.md]

On a database of bench/generate.py made with the three addons
(``--modules effect_crm,effect_crm_accounting,effect_crm_mailmerge``):

1. picks ``--users`` salespeople (the members of the first province territories, so
   that colleagues work the same customers), the sales manager, and for each
   salesperson the customers, search terms and sent quotations of their day;
2. starts Odoo (``--workers 2`` and a cron worker for the background jobs, 127.0.0.1,
   a free port), logs every user in, and records, for each
   salesperson, the requests the web client sends for each screen (web.py's
   HttpCaller, run.py's operations and view specifications) into a plan file;
3. runs Locust headless (its own venv, made from bench/requirements-load.txt on the
   first run) with one simulated salesperson per user and think times of 5 to 15 s:
   agenda, customer form with its timeline and chatter, log an interaction with a
   next action, search customers, open and revise a quotation, interaction pivot;
4. meanwhile, as the sales manager through the forms' own requests: a reassignment of
   ``--reassign`` customers (the job in background batches) and a mail merge campaign
   (the letters of one salesperson's customers, made by the cron);
5. waits for both jobs, then checks: every interaction the users saved is in the
   database as saved and there is none more (no lost write), every revision is there,
   the reassignment moved every customer once, the campaign made every letter;
6. prints (and appends with ``--markdown``) the table of each screen: requests,
   requests per second, p50/p95/p99 and errors.

Exits non-zero when a screen failed or a check did not hold. Every process it starts
is stopped on the way out, failure included.
"""

import argparse
import base64
import contextlib
import copy
import fcntl
import hashlib
import json
import math
import os
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bin"))

import requests
import run as bench
import web
from effect_env import (
    free_port,
    odoo_args,
    odoo_command,
    run_process,
    start_process,
    stop_process,
)
from odoo_env import setup

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "requirements-load.txt"
CACHE = Path(os.environ.get("EFFECT_CACHE_DIR") or Path.home() / ".cache" / "effect-crm")
PLACEHOLDER = "__effect_load_id__"
# the customers action's search field (base's res.partner search view: "name")
SEARCH_FIELDS = ("complete_name", "ref", "email", "vat", "company_registry")
LOG_SCREEN = "log interaction + next action"
REVISE_SCREEN = "quotation: open + revise"
LOG_PREFIX = "Load test"


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# ----------------------------------------------------------------------
# Locust in its own venv (its gevent is not Odoo's)
# ----------------------------------------------------------------------


def locust_command():
    """The ``locust`` of a venv made from requirements-load.txt (made once, then reused)."""
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()[:12]
    venv = CACHE / f"venv-locust-{digest}"
    locust = venv / "bin" / "locust"
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / f"venv-locust-{digest}.lock", "w", encoding="ascii") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two runs at once build it once
        if not locust.exists():
            log(f"making Locust's venv {venv}")
            run_process([sys.executable, "-m", "venv", "--clear", str(venv)], timeout=600)
            run_process(
                [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "-r", REQUIREMENTS],
                timeout=1800,
            )
    return [str(locust)]


# ----------------------------------------------------------------------
# The web client's requests
# ----------------------------------------------------------------------


class Caller(web.HttpCaller):
    """web.py's logged-in browser session, with the route of the forms' buttons."""

    _route = "call_kw"

    def button(self, model, method, ids):
        """A ``type="object"`` button: /web/dataset/call_button, the call_kw params."""
        self._route = "call_button"
        try:
            return self.call(model, method, ids)
        finally:
            self._route = "call_kw"

    def _post(self, path, params):
        if self._route != "call_kw":
            path = path.replace("/call_kw/", f"/{self._route}/", 1)
        return self._send(path, params)

    def _send(self, path, params):
        return super()._post(path, params)


class Recorder(Caller):
    """The same requests, written down (for Locust to send) instead of sent."""

    def __init__(self, context):
        # no session: nothing is sent
        self.context = context
        self.steps = []

    def _send(self, path, params):
        self.steps.append({"path": path, "params": copy.deepcopy(params)})

    def returns_id(self):
        """The last request returns the record the next ones use (PLACEHOLDER)."""
        self.steps[-1]["returns_id"] = True

    def take(self):
        steps, self.steps = self.steps, []
        return steps


# ----------------------------------------------------------------------
# Who does what
# ----------------------------------------------------------------------


def prepare(dbname, user_count, reassign_count, seed):
    """The salespeople, the manager, each one's customers and quotations, the jobs' data."""
    odoo = setup(dbname)
    from odoo.modules.registry import Registry  # noqa: PLC0415

    rng = random.Random(seed)
    registry = Registry(dbname)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        Users = env["res.users"]
        provinces = env["effect.crm.territory"].search(
            [("parent_id", "!=", False), ("member_ids", "!=", False)], order="id"
        )
        salespeople = Users
        for territory in provinces:
            for member in territory.member_ids.sorted("id"):
                if member.login.startswith("bench_sales_") and member not in salespeople:
                    salespeople |= member
        salespeople = salespeople[:user_count]
        if len(salespeople) < user_count:
            sys.exit(f"{dbname} has {len(salespeople)} territory salespeople, not {user_count}")
        manager = Users.search([("login", "=", "bench_manager")])
        (salespeople | manager).write({"password": web.PASSWORD})
        territories = provinces.filtered(lambda t: t.member_ids & salespeople)
        # the manager moves customers of these territories to the user who has the
        # fewest, but none a user sees only as its salesperson (a user's customer moved
        # away stays theirs to see through the territory), then customers of others
        Partner = env["res.partner"]
        in_territories = [*bench.CUSTOMER_DOMAIN, ("effect_territory_id", "in", territories.ids)]
        target = min(
            salespeople,
            key=lambda user: Partner.search_count([*in_territories, ("user_id", "=", user.id)]),
        )
        moved = Partner
        for territory in territories:
            strangers = salespeople - territory.member_ids
            moved |= Partner.search(
                [*bench.CUSTOMER_DOMAIN, ("effect_territory_id", "=", territory.id),
                 ("user_id", "not in", (strangers | target).ids)],
                order="id", limit=reassign_count - len(moved),
            )  # fmt: skip
            if len(moved) >= reassign_count:
                break
        if len(moved) < reassign_count:
            moved |= Partner.search(
                [*bench.CUSTOMER_DOMAIN, ("user_id", "not in", salespeople.ids),
                 ("id", "not in", moved.ids)],
                order="id", limit=reassign_count - len(moved),
            )  # fmt: skip
        # the campaign's letters: the customers of the second salesperson
        letters_domain = [
            ("user_id", "=", salespeople[1 % len(salespeople)].id),
            ("effect_stage", "=", "customer"),
        ]
        users = []
        for user in salespeople:
            user_env = env(user=user.id)
            worked = user_env["res.partner"].search(bench.CUSTOMER_DOMAIN, order="id", limit=400)
            customers = rng.sample(worked.ids, min(12, len(worked)))
            quotes = user_env["sale.order"].search(
                [
                    ("user_id", "=", user.id),
                    ("effect_is_current_revision", "=", True),
                    ("effect_customer_status", "in", ("sent", "received")),
                    ("state", "in", ("draft", "sent")),
                ],
                order="id",
                limit=15,
            )
            names = [p.name for p in worked.browse(customers)]
            terms = sorted({max(name.split(), key=len) for name in names})[:6]
            users.append(
                {"id": user.id, "login": user.login, "customers": customers,
                 "quotes": quotes.ids, "terms": terms}
            )  # fmt: skip
        scale = bench.database_scale(
            env,
            {"restricted": salespeople[0].id, "timeline_customer": users[0]["customers"][0]},
        )
        result = {
            "users": users,
            "manager": {"id": manager.id, "login": manager.login},
            "target": target.id,
            "moved": moved.ids,
            "letters_domain": letters_domain,
            "scale": scale,
        }
        cr.commit()
    return result


def record_plan(dbname, url, data, contexts, think):
    """Each salesperson's screens as the web client's requests (the plan Locust sends)."""
    odoo = setup(dbname)
    from odoo.modules.registry import Registry  # noqa: PLC0415

    registry = Registry(dbname)
    plan = {
        "url": url, "db": dbname, "password": web.PASSWORD, "placeholder": PLACEHOLDER,
        "think_min": think[0], "think_max": think[1], "users": [],
    }  # fmt: skip
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        admin = env.ref("base.user_admin").id
        call_type = env.ref("effect_crm.interaction_type_call").id
        next_type = env.ref("mail.mail_activity_data_call").id
        for user in data["users"]:
            uid, context = user["id"], contexts[user["login"]]
            user_env = env(user=uid, context={"lang": context.get("lang"), "tz": context["tz"]})
            log_spec = bench.view_specification(
                user_env, "effect.crm.interaction", "form",
                "effect_crm.effect_crm_interaction_view_form_log",
            )  # fmt: skip
            order_spec = bench.view_specification(user_env, "sale.order", "form")
            list_spec = bench.view_specification(
                user_env, "res.partner", "list", "effect_crm.view_partner_tree_effect_crm_customer"
            )
            rec = Recorder(context)
            screens = {"login": user["login"], "customer": [], "log": [], "search": []}
            for customer in user["customers"]:
                roles = {"restricted": uid, "median": uid, "all": admin,
                         "manager": data["manager"]["id"], "admin": admin,
                         "timeline_customer": customer}  # fmt: skip
                ops = {op["name"]: op["as"][1] for op in bench.operations(roles, user_env)}
                if "agenda" not in screens:
                    ops["agenda first load, all columns (kanban)"](rec)
                    screens["agenda"] = rec.take()
                    ops["interaction pivot: salesperson > type by month, count and duration"](rec)
                    screens["pivot"] = rec.take()
                ops["customer form with its timeline and chatter"](rec)
                screens["customer"].append(rec.take())
                screens["log"].append(
                    {"partner_id": customer,
                     "steps": log_interaction(rec, customer, log_spec, call_type, next_type)}
                )  # fmt: skip
            for term in user["terms"]:
                domain = [*bench.CUSTOMER_DOMAIN, *["|"] * (len(SEARCH_FIELDS) - 1)]
                domain += [(name, "ilike", term) for name in SEARCH_FIELDS]
                rec.call(
                    "res.partner", "web_search_read", domain, list_spec,
                    limit=80, count_limit=bench.COUNT_LIMIT,
                )  # fmt: skip
                screens["search"].append(rec.take())
            screens["revise"] = []
            for order in user["quotes"]:
                rec.call("sale.order", "web_read", [order], order_spec)
                rec.chatter("sale.order", order)
                rec.button("sale.order", "action_effect_new_revision", [order])
                rec.returns_id()
                rec.call("sale.order", "web_read", [PLACEHOLDER], order_spec)
                rec.chatter("sale.order", PLACEHOLDER)
                screens["revise"].append({"order_id": order, "steps": rec.take()})
            plan["users"].append(screens)
        cr.rollback()
    return plan


def log_interaction(rec, customer, spec, call_type, next_type):
    """The customer form's "Log interaction" dialog: opened, filled, saved with the next
    action, and its Log button."""
    context = rec.context
    rec.button("res.partner", "action_effect_log_interaction", [customer])
    # the dialog's action brings the prefilled values in its context
    rec.context = {**context, "effect_interaction_defaults": {"partner_id": customer}}
    rec.call("effect.crm.interaction", "onchange", [], {}, [], spec)
    values = {
        "partner_id": customer,
        "type_id": call_type,
        "direction": "outgoing",
        "name": f"{LOG_PREFIX}: gọi điện chào hàng",
        "notes": "<p>Khách hỏi giá mới, hẹn gọi lại.</p>",
        "next_activity_type_id": next_type,
        "next_date": str(date.today() + timedelta(days=3)),
        "next_summary": "Gọi lại báo giá",
    }
    rec.call("effect.crm.interaction", "web_save", [], values, specification=spec)
    rec.returns_id()
    rec.button("effect.crm.interaction", "action_effect_logged", [PLACEHOLDER])
    rec.context = context
    return rec.take()


# ----------------------------------------------------------------------
# The manager's background jobs
# ----------------------------------------------------------------------


def start_jobs(url, dbname, data, jobs):
    """As the sales manager, through the forms: the reassignment and the campaign."""
    from odoo.addons.effect_crm_mailmerge.tests.docx_factory import (  # noqa: PLC0415
        letter_template,
    )

    manager = Caller(url, dbname, data["manager"]["login"])
    [job] = manager.call(
        "effect.crm.reassignment", "web_save", [],
        {"mode": "move", "partner_ids": [[6, 0, data["moved"]]], "to_user_id": data["target"],
         "move_activities": True, "move_opportunities": True},
        specification={"state": {}, "total_count": {}},
    )  # fmt: skip
    manager.button("effect.crm.reassignment", "action_start", [job["id"]])
    jobs["reassignment"] = job["id"]
    log(f"reassignment {job['id']} of {len(data['moved'])} customers started")
    [template] = manager.call(
        "effect.crm.template", "web_save", [],
        {"name": "Thư cảm ơn (load test)", "purpose": "letter",
         "file": base64.b64encode(letter_template()).decode(), "file_name": "thu_cam_on.docx"},
        specification={},
    )  # fmt: skip
    [campaign] = manager.call(
        "effect.crm.mailmerge.campaign", "web_save", [],
        {"name": "Thư cảm ơn (load test)", "purpose": "thank_you",
         "partner_domain": repr(data["letters_domain"]), "template_id": template["id"]},
        specification={"state": {}, "match_count": {}},
    )  # fmt: skip
    jobs["campaign"] = campaign["id"]
    manager.button("effect.crm.mailmerge.campaign", "action_launch", [campaign["id"]])
    # a large list is frozen in background: the manager waits for "Launched"
    while True:
        [state] = manager.call(
            "effect.crm.mailmerge.campaign", "web_read", [campaign["id"]], {"state": {}}
        )
        if state["state"] != "launching":
            break
        time.sleep(5)
    manager.button("effect.crm.mailmerge.campaign", "action_generate", [campaign["id"]])
    log(f"campaign {campaign['id']}: {campaign['match_count']} letters scheduled")


def jobs_thread(url, dbname, data, jobs, delay):
    def target():
        time.sleep(delay)
        try:
            start_jobs(url, dbname, data, jobs)
        except Exception as error:  # reported as a failed check
            jobs["error"] = repr(error)
            log(f"starting the background jobs failed: {error!r}")

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


def wait_for_jobs(dbname, jobs, timeout):
    """Until the reassignment, the campaign and the replaced revisions' PDFs are finished
    (or ``timeout`` seconds)."""
    odoo = setup(dbname)
    from odoo.modules.registry import Registry  # noqa: PLC0415

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with Registry(dbname).cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            job = env["effect.crm.reassignment"].browse(jobs.get("reassignment"))
            campaign = env["effect.crm.mailmerge.campaign"].browse(jobs.get("campaign"))
            job_done = job.exists() and job.state in ("done", "failed")
            campaign_done = campaign.exists() and (
                campaign.state == "done" or campaign.generation_error
            )
            # the PDFs of the replaced revisions, made by the cron after the requests
            pdfs_done = not env["sale.order"].search_count(
                [("effect_next_revision_id", "!=", False), ("effect_revision_pdf_id", "=", False)]
            )
            if (job_done and campaign_done and pdfs_done) or jobs.get("error"):
                return True
        time.sleep(10)
    return False


# ----------------------------------------------------------------------
# Checks and report
# ----------------------------------------------------------------------


def check(dbname, data, jobs, samples, written, started_at):
    """The database after the run: what the users and the jobs wrote. Failures, as text."""
    odoo = setup(dbname)
    from odoo.modules.registry import Registry  # noqa: PLC0415

    failures = []
    ok = {name: 0 for name, _ms, _error in samples}
    for name, _ms, error in samples:
        ok[name] += error is None
    with Registry(dbname).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        Interaction = env["effect.crm.interaction"]
        saved = written["interactions"]
        if len(saved) != ok.get(LOG_SCREEN, 0):
            failures.append(f"{ok.get(LOG_SCREEN, 0)} interactions logged, {len(saved)} ids")
        found = Interaction.browse([item["id"] for item in saved]).exists()
        if len(found) != len(saved):
            failures.append(f"lost writes: {len(saved) - len(found)} logged interactions missing")
        for item in saved:
            record = Interaction.browse(item["id"])
            if record.exists() and (
                record.partner_id.id != item["partner_id"]
                or record.user_id.login != item["user"]
                or not record.next_activity_id
                or record.next_activity_id.res_id != item["partner_id"]
            ):
                failures.append(f"interaction {record.id} is not as saved")
        in_db = Interaction.search_count(
            [("name", "=like", f"{LOG_PREFIX}%"), ("create_date", ">=", started_at)]
        )
        if in_db != len(saved):
            failures.append(f"{in_db} load-test interactions in the database, {len(saved)} saved")
        Order = env["sale.order"]
        for item in written["revisions"]:
            revision, previous = Order.browse(item["id"]), Order.browse(item["previous_id"])
            if not revision.exists() or revision.effect_previous_revision_id != previous:
                failures.append(f"revision {item['id']} of {item['previous_id']} missing")
            elif previous.effect_is_current_revision or not revision.effect_is_current_revision:
                failures.append(f"revision {item['id']} is not the current one")
            elif not previous.effect_revision_pdf_id:
                failures.append(f"revision {item['previous_id']} replaced without its PDF")
        if len(written["revisions"]) != ok.get(REVISE_SCREEN, 0):
            failures.append(f"{ok.get(REVISE_SCREEN, 0)} revisions, {len(written['revisions'])}")
        # the reassignment: done, each customer moved once, to the target
        job = env["effect.crm.reassignment"].browse(jobs.get("reassignment")).exists()
        moved = len(data["moved"])
        if not job:
            failures.append(f"no reassignment: {jobs.get('error')}")
        else:
            if (job.state, job.total_count, job.moved_count) != ("done", moved, moved):
                failures.append(
                    f"reassignment {job.state} ({job.error or ''}): "
                    f"{job.moved_count}/{job.total_count} moved of {moved}"
                )
            cr.execute(
                "SELECT count(*), count(DISTINCT partner_id) FROM effect_crm_territory_history"
                " WHERE reassignment_id = %s",
                [job.id],
            )
            entries, partners = cr.fetchone()
            if (entries, partners) != (moved, moved):
                failures.append(f"reassignment history: {entries} entries, {partners} customers")
            astray = env["res.partner"].search_count(
                [("id", "in", data["moved"]), ("user_id", "!=", data["target"])]
            )
            if astray:
                failures.append(f"{astray} reassigned customers not with the new salesperson")
        campaign = env["effect.crm.mailmerge.campaign"].browse(jobs.get("campaign")).exists()
        if not campaign:
            failures.append(f"no campaign: {jobs.get('error')}")
        elif (
            campaign.state != "done"
            or campaign.generation_error
            or campaign.letter_count != campaign.recipient_count
        ):
            failures.append(
                f"campaign {campaign.state} ({campaign.generation_error or ''}): "
                f"{campaign.letter_count}/{campaign.recipient_count} letters"
            )
        jobs["letters"] = campaign.letter_count if campaign else 0
    return failures


def percentile(sorted_ms, share):
    """The nearest-rank percentile of sorted milliseconds."""
    if not sorted_ms:
        return 0.0
    return sorted_ms[max(1, math.ceil(share * len(sorted_ms))) - 1]


def summary(samples, seconds):
    """Per screen: requests, per second, p50/p95/p99 in ms, errors; a total row last."""
    rows = []
    names = sorted({name for name, _ms, _e in samples}, key=lambda n: (n == "log in", n))
    for name in [*names, None]:
        times = sorted(ms for n, ms, _e in samples if name is None or n == name)
        errors = sum(1 for n, _ms, e in samples if (name is None or n == name) and e)
        rows.append(
            {
                "screen": name or "all screens", "requests": len(times),
                "rps": len(times) / seconds, "p50": percentile(times, 0.50),
                "p95": percentile(times, 0.95), "p99": percentile(times, 0.99),
                "errors": errors,
            }
        )  # fmt: skip
    return rows


def markdown(report):
    scale = report["scale"]
    lines = [
        f"Run {report['date']} on {report['machine']}, database `{report['database']}`: "
        f"{scale['customers']:,} customers, {scale['interactions']:,} interactions, "
        f"{scale['open_activities']:,} open activities, {scale['quotes']:,} quotes. "
        f"{report['users']} simulated salespeople for {report['run_time']} (think times "
        f"{report['think'][0]:g}–{report['think'][1]:g} s); in background the manager's "
        f"reassignment of {report['moved']:,} customers and a mail merge of "
        f"{report['letters']:,} letters. "
        f"Each request of a screen is what the web client sends; a screen's time is all "
        f"its requests, in turn.",
        "",
        "| screen | requests | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in report["rows"]:
        lines.append(
            f"| {row['screen']} | {row['requests']} | {row['rps']:.2f} | {row['p50']:.0f} | "
            f"{row['p95']:.0f} | {row['p99']:.0f} | {row['errors']} |"
        )
    lines.append("")
    lines.append(
        "Checks after the run: "
        + ("all held" if not report["failures"] else "; ".join(report["failures"]))
        + f". Server log: {report['server_log']}."
    )
    if report["errors"]:
        lines.append("")
        lines.append("Errors: " + "; ".join(report["errors"]))
    return "\n".join(lines) + "\n"


def server_log_counts(paths):
    """Serialization failures and deadlocks the servers met (retried or not)."""
    counts = {"serialization": 0, "deadlock": 0, "tracebacks": 0}
    for path in paths:
        with contextlib.suppress(OSError), open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                low = line.lower()
                counts["serialization"] += "could not serialize" in low
                counts["deadlock"] += "deadlock detected" in low
                counts["tracebacks"] += line.startswith("Traceback")
    return ", ".join(f"{value} {name}" for name, value in counts.items())


# ----------------------------------------------------------------------


def start_server(dbname, workers, log_path):
    """Odoo with ``workers`` HTTP workers and a cron worker (the jobs' batches), as
    deployed; web.py's limits (a pivot of 11,000 groups, a batch on a busy machine).
    The server and the URL once it answers."""
    port = free_port()
    command = odoo_command() + odoo_args(dbname, http_port=port)
    command += ["--workers", str(workers), "--max-cron-threads", "1", "--log-level", "info"]
    command += ["--limit-time-cpu", "600", "--limit-time-real", "1200"]
    log_file = open(log_path, "w", encoding="utf-8")  # noqa: SIM115 - the server's, until it stops
    process = start_process(command, stdout=log_file, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + web.START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Odoo exited with {process.returncode}; see {log_path}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{url}/web/login", timeout=60).status_code == 200:
                return process, url
        time.sleep(1)
    stop_process(process)
    raise TimeoutError(f"Odoo did not answer on {url}")


def run(args):
    workdir = Path(args.workdir or f"/tmp/{args.db}-load")
    workdir.mkdir(parents=True, exist_ok=True)
    locust = locust_command()
    data = prepare(args.db, args.users, args.reassign, args.seed)
    log(f"{len(data['users'])} salespeople, {len(data['moved'])} customers to move")
    server = None
    try:
        server, url = start_server(args.db, args.workers, workdir / "odoo.log")
        log(f"Odoo on {url}")
        contexts = {
            user["login"]: Caller(url, args.db, user["login"]).context for user in data["users"]
        }
        plan = record_plan(args.db, url, data, contexts, args.think)
        (workdir / "plan.json").write_text(json.dumps(plan, ensure_ascii=False))
        jobs = {}
        started_at = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
        spawn_rate = max(1.0, args.users / 30)
        jobs_thread(url, args.db, data, jobs, delay=args.users / spawn_rate)
        command = [
            *locust,
            "-f", str(HERE / "locustfile.py"), "--headless", "--host", url,
            "--users", str(args.users), "--spawn-rate", str(spawn_rate),
            "--run-time", args.run_time, "--stop-timeout", "300",
            "--csv", str(workdir / "locust"), "--only-summary", "--loglevel", "WARNING",
        ]  # fmt: skip
        log("locust: " + " ".join(command[1:]))
        started = time.monotonic()
        env = dict(
            os.environ,
            EFFECT_LOAD_PLAN=str(workdir / "plan.json"),
            EFFECT_LOAD_OUT=str(workdir / "out.json"),
        )
        with open(workdir / "locust.log", "w", encoding="utf-8") as out:
            run_process(command, env=env, stdout=out, stderr=out, check=False, timeout=24 * 3600)
        seconds = time.monotonic() - started
        result = json.loads((workdir / "out.json").read_text(encoding="utf-8"))
        log(f"locust done in {seconds:.0f} s; waiting for the background jobs")
        finished = wait_for_jobs(args.db, jobs, args.drain * 60)
    finally:
        stop_process(server)
    samples = result["samples"]
    failures = [] if finished else [f"background jobs not finished {args.drain} min after"]
    failures += check(args.db, data, jobs, samples, result["written"], started_at)
    errors = sorted({f"{name}: {error}" for name, _ms, error in samples if error})
    report = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": bench.machine() + f", HTTP, --workers {args.workers} --max-cron-threads 1",
        "database": args.db, "scale": data["scale"], "users": args.users,
        "run_time": args.run_time, "think": args.think, "moved": len(data["moved"]),
        "letters": jobs.get("letters", 0),
        "rows": summary(samples, seconds), "failures": failures, "errors": errors[:20],
        "server_log": server_log_counts([workdir / "odoo.log"]),
    }  # fmt: skip
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="effect_bench")
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--run-time", default="10m", help="Locust's --run-time")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reassign", type=int, default=10_000, help="customers to move")
    parser.add_argument("--drain", type=float, default=30, help="minutes to wait for the jobs")
    parser.add_argument(
        "--think", type=float, nargs=2, default=(5, 15), metavar=("MIN", "MAX"),
        help="seconds a salesperson waits between two screens",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--workdir", help="plan, Locust's CSV and logs (default /tmp/<db>-load)")
    parser.add_argument("--json", help="write the report as JSON to this file")
    parser.add_argument("--markdown", help="append the report as Markdown to this file")
    args = parser.parse_args()
    # stopped (SIGTERM): the servers and Locust are stopped on the way out, as on failure
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    report = run(args)
    text = markdown(report)
    print(text)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False))
    if args.markdown:
        with open(args.markdown, "a", encoding="utf-8") as out:
            out.write("\n" + text)
    errors = sum(row["errors"] for row in report["rows"][-1:])
    sys.exit(1 if errors or report["failures"] else 0)


if __name__ == "__main__":
    main()
