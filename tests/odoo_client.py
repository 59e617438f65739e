"""A small JSON-RPC client and server launcher for black-box tests.

It talks to Odoo as any external client does: ``/jsonrpc`` with a login and a
password, the ``common`` and ``object`` services.
"""

import contextlib
import itertools
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bin"))

from effect_env import (
    REPO,
    db_settings,
    drop_database,
    free_port,
    odoo_args,
    odoo_command,
    run_process,
    start_process,
    stop_process,
)

# A loaded 2-core machine can take minutes to start Odoo and seconds to answer a page.
START_TIMEOUT = int(os.environ.get("EFFECT_START_TIMEOUT", "900"))
REQUEST_TIMEOUT = 120


class RpcError(Exception):
    """An error that Odoo returned; ``name`` is the Python exception's name."""

    def __init__(self, error):
        data = error.get("data") or {}
        self.name = data.get("name", "")
        self.message = data.get("message") or error.get("message", "")
        super().__init__(f"{self.name}: {self.message}")


class OdooClient:
    _ids = itertools.count(1)

    def __init__(self, url, dbname, login, password):
        self.url = url
        self.dbname = dbname
        self.login = login
        self.password = password
        self._http = None
        self.uid = self.call("common", "login", dbname, login, password)
        if not self.uid:
            raise PermissionError(f"login {login!r} refused by {url}")

    def call(self, service, method, *args):
        response = requests.post(
            f"{self.url}/jsonrpc",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "id": next(self._ids),
                "params": {"service": service, "method": method, "args": args},
            },
            timeout=300,
        )
        response.raise_for_status()
        payload = response.json()
        if "error" in payload:
            raise RpcError(payload["error"])
        return payload["result"]

    def _session(self):
        """A browser-like session of this user (cookie), for the web client's routes."""
        if self._http is None:
            http = requests.Session()
            response = http.post(
                f"{self.url}/web/session/authenticate",
                json={
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {"db": self.dbname, "login": self.login, "password": self.password},
                },
                timeout=REQUEST_TIMEOUT,
            )
            response.raise_for_status()
            if "error" in response.json():
                raise RpcError(response.json()["error"])
            self._http = http
        return self._http

    def route(self, path, **params):
        """Call a JSON-RPC route of the web client (``/mail/thread/messages``…) as this
        user, in a session, as the browser does."""
        response = self._session().post(
            f"{self.url}{path}",
            json={"jsonrpc": "2.0", "method": "call", "id": next(self._ids), "params": params},
            timeout=REQUEST_TIMEOUT,
        )
        response.raise_for_status()
        payload = response.json()
        if "error" in payload:
            raise RpcError(payload["error"])
        return payload["result"]

    def get(self, path):
        """A page or a file (``/my/orders/…``, ``/web/content/…``) as this user's browser
        gets it: the response, errors included."""
        return self._session().get(f"{self.url}{path}", timeout=REQUEST_TIMEOUT)

    def execute(self, model, method, *args, **kwargs):
        return self.call(
            "object",
            "execute_kw",
            self.dbname,
            self.uid,
            self.password,
            model,
            method,
            list(args),
            kwargs,
        )


class OdooServer:
    """An Odoo server process on ``dbname``, stopped by :meth:`stop`."""

    def __init__(self, dbname, port=None, extra_args=()):
        port = port or free_port()
        self.dbname = dbname
        self.url = f"http://127.0.0.1:{port}"
        log_dir = REPO / ".test-logs"
        log_dir.mkdir(exist_ok=True)
        self.log_path = log_dir / f"server-{dbname}.log"
        self._log = open(self.log_path, "w", encoding="utf-8")  # noqa: SIM115
        command = odoo_command() + odoo_args(dbname, http_port=port)
        # a request may take minutes on a loaded 2-core machine: past Odoo's 120 s a
        # threaded server reloads itself, dropping the request's connection
        command += ["--max-cron-threads", "0", "--log-level", "warn", "--limit-time-real", "1800"]
        command += list(extra_args)
        self.process = start_process(command, stdout=self._log, stderr=subprocess.STDOUT, cwd=REPO)
        try:
            self._wait_until_up()
        except BaseException:
            self.stop()
            raise

    def _wait_until_up(self, timeout=START_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"Odoo exited with {self.process.returncode}; see {self.log_path}"
                )
            try:
                response = requests.get(f"{self.url}/web/login", timeout=REQUEST_TIMEOUT)
                if response.status_code == 200:
                    return
            except requests.RequestException:
                pass  # not listening yet, or too busy to answer: ask again
            time.sleep(1)
        raise TimeoutError(
            f"Odoo did not answer on {self.url} within {timeout}s; see {self.log_path}"
        )

    def client(self, login, password=None):
        return OdooClient(self.url, self.dbname, login, password or login)

    def stop(self):
        stop_process(self.process)
        if not self._log.closed:
            self._log.close()


@contextlib.contextmanager
def scratch_server(dbname, modules):
    """A new database ``dbname`` with ``modules`` installed (no demo data), served on a
    free port while the block runs, then dropped (kept with EFFECT_TEST_KEEP_DB=1)."""
    drop_database(dbname)
    server = None
    try:
        run_odoo([*odoo_args(dbname), "-i", modules, "--stop-after-init", "--log-level", "warn"])
        server = OdooServer(dbname)
        yield server
    finally:
        if server:
            server.stop()
        if not os.environ.get("EFFECT_TEST_KEEP_DB"):
            drop_database(dbname)


def db_connection(dbname):
    """A psycopg2 connection to ``dbname`` (to look at stored rows as they are)."""
    settings = db_settings()
    return psycopg2.connect(
        dbname=dbname,
        host=settings["host"],
        port=settings["port"],
        user=settings["user"],
        password=settings["password"] or None,
    )


def run_odoo(args, timeout=START_TIMEOUT * 2):
    """Run an Odoo command to its end (install, update); raise if it fails or hangs."""
    run_odoo_with(odoo_command(), args, timeout=timeout)


def run_odoo_with(odoo, args, timeout=START_TIMEOUT * 2, cwd=REPO):
    """Run ``odoo`` (a command, as a list) with ``args`` to its end; raise if it fails."""
    run_process([*odoo, *args], cwd=cwd, timeout=timeout)
