"""Locust users of the load test: salespeople doing their day in the web client.

Run by bench/load.py, in Locust's own venv (no Odoo there): the requests of each
screen were recorded by load.py from the web client's shapes (web.py's HttpCaller,
run.py's operations) into the plan file ``EFFECT_LOAD_PLAN``; each simulated
salesperson logs in as one of the plan's users and sends them, screen after screen,
with think times. Each screen (its requests in turn, as the browser waits for them)
is one Locust sample named after the screen; every sample, the records the users
wrote and the errors are written to ``EFFECT_LOAD_OUT`` when the run ends, for
load.py's report and checks.
"""

import itertools
import json
import os
import random
import sys
import time
from pathlib import Path

import requests
from locust import User, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent))

from jsonrpc import rpc

PLAN = json.loads(Path(os.environ["EFFECT_LOAD_PLAN"]).read_text(encoding="utf-8"))
ID = PLAN["placeholder"]  # stands for the id an earlier request of the screen returned
SAMPLES = []  # [screen, milliseconds, error or None]
WRITTEN = {"interactions": [], "revisions": []}  # what the users saved, for the checks
_next_user = itertools.count()


def _bind(value, ident):
    if value == ID:
        return ident
    if isinstance(value, list):
        return [_bind(item, ident) for item in value]
    if isinstance(value, dict):
        return {key: _bind(item, ident) for key, item in value.items()}
    return value


def _returned_id(result):
    """The record a request returned: web_save's first record, a button's action."""
    if isinstance(result, list):
        return result[0]["id"]
    return result["res_id"]


class Salesperson(User):
    wait_time = between(PLAN["think_min"], PLAN["think_max"])

    def on_start(self):
        self.me = PLAN["users"][next(_next_user) % len(PLAN["users"])]
        self.first_pass = random.sample(list(SCREENS), len(SCREENS))
        self.quotes = list(self.me["revise"])
        random.shuffle(self.quotes)
        self.log_in()

    def log_in(self):
        """The login page; a user whose login failed tries again before anything else."""
        self.session = requests.Session()
        step = {
            "path": "/web/session/authenticate",
            "params": {"db": PLAN["db"], "login": self.me["login"], "password": PLAN["password"]},
        }
        self.logged_in = self.screen("log in", [step], returns_session=True)

    def screen(self, name, steps, returns_session=False):
        """Send a screen's requests in turn; one sample of the whole screen. The id the
        screen's requests returned (whether it passed, for the login)."""
        started = time.perf_counter()
        error, ident = None, None
        try:
            for step in steps:
                result = rpc(self.session, PLAN["url"], step["path"], _bind(step["params"], ident))
                if step.get("returns_id"):
                    ident = _returned_id(result)
        except Exception as exc:  # every failure is the screen's error
            error = exc
        elapsed = (time.perf_counter() - started) * 1000
        self.environment.events.request.fire(
            request_type="screen",
            name=name,
            response_time=elapsed,
            response_length=0,
            exception=error,
            context={},
        )
        SAMPLES.append([name, elapsed, None if error is None else str(error)[:500]])
        if returns_session:
            return error is None
        return ident if error is None else None

    @task
    def next_screen(self):
        """Every screen once first (in a random order, as one task: a user that started
        it finishes it when the run ends, within Locust's --stop-timeout), then as often
        as a day has them."""
        if not self.logged_in:
            self.log_in()
            return
        if self.first_pass:
            for screen in self.first_pass:
                getattr(self, screen)()
                time.sleep(random.uniform(PLAN["think_min"], PLAN["think_max"]))
            self.first_pass = None
            return
        screen = random.choices(list(SCREENS), weights=list(SCREENS.values()))[0]
        getattr(self, screen)()

    def agenda(self):
        self.screen("agenda", self.me["agenda"])

    def customer(self):
        self.screen("customer with timeline", random.choice(self.me["customer"]))

    def log_interaction(self):
        variant = random.choice(self.me["log"])
        ident = self.screen("log interaction + next action", variant["steps"])
        if ident:
            WRITTEN["interactions"].append(
                {"id": ident, "partner_id": variant["partner_id"], "user": self.me["login"]}
            )

    def search(self):
        self.screen("search customers", random.choice(self.me["search"]))

    def quotation(self):
        if not self.quotes:
            return
        variant = self.quotes.pop()
        ident = self.screen("quotation: open + revise", variant["steps"])
        if ident:
            WRITTEN["revisions"].append({"id": ident, "previous_id": variant["order_id"]})

    def pivot(self):
        self.screen("interaction pivot", self.me["pivot"])


# each screen and how often a salesperson opens it, relatively
SCREENS = {
    "agenda": 3, "customer": 3, "log_interaction": 2, "search": 2, "quotation": 1, "pivot": 1,
}  # fmt: skip


@events.quitting.add_listener
def _write_results(environment, **_kwargs):
    Path(os.environ["EFFECT_LOAD_OUT"]).write_text(
        json.dumps({"samples": SAMPLES, "written": WRITTEN}), encoding="utf-8"
    )
