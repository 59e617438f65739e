"""Settings shared by bin/demo, bin/test and the black-box tests in tests/.

Everything comes from environment variables with defaults that work on a
machine where PostgreSQL listens on 127.0.0.1:5432:

    PGHOST, PGPORT, PGUSER, PGPASSWORD   the database server (libpq's own names);
                                         PGUSER defaults to "odoo" (Odoo refuses "postgres")
    EFFECT_ODOO                          the odoo command (default: "odoo" on PATH or beside
                                         the Python that runs, else "python3 -m odoo")
    EFFECT_ADDONS_PATH                   extra addons folders to add (comma-separated);
                                         Odoo's own addons are found from the installed Odoo
"""

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def project_addons():
    """The addons of this repository, in dependency order (effect_crm first)."""
    names = sorted(
        path.parent.name for path in REPO.glob("*/__manifest__.py") if path.parent.name != "bench"
    )
    return sorted(names, key=lambda name: (name != "effect_crm", name))


def db_settings():
    return {
        "host": os.environ.get("PGHOST", "127.0.0.1"),
        "port": os.environ.get("PGPORT", "5432"),
        "user": os.environ.get("PGUSER", "odoo"),
        "password": os.environ.get("PGPASSWORD", ""),
    }


def odoo_command():
    """The command that starts Odoo, as a list."""
    if os.environ.get("EFFECT_ODOO"):
        return os.environ["EFFECT_ODOO"].split()
    # the script of this Python's venv first: with --workers, Odoo starts its websocket
    # process as ``python sys.argv[0] gevent``, which ``python -m odoo`` (odoo/__main__.py,
    # a relative import) cannot run: it fails and is started again, many times a second
    beside = Path(sys.executable).with_name("odoo")
    odoo = shutil.which("odoo") or (str(beside) if beside.exists() else None)
    return [odoo] if odoo else [sys.executable, "-m", "odoo"]


def odoo_version():
    """Odoo's version string, or None when Odoo is not installed for this Python."""
    try:
        result = subprocess.run(
            [sys.executable, "-c", "import odoo.release as r; print(r.version)"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def addons_path():
    extra = [p for p in os.environ.get("EFFECT_ADDONS_PATH", "").split(",") if p]
    # Odoo adds its own addons folders (odoo/addons and the addons/ beside the package)
    return ",".join([str(REPO), *extra])


def odoo_args(dbname, http_port=None, checkout=True):
    """Arguments for an Odoo server on ``dbname`` with this project's addons (from this
    checkout; ``checkout=False``: only those Odoo finds itself, installed wheels).

    ``--database`` without ``--db-filter``: the server exposes that database alone and
    never lists the PostgreSQL server's databases. With a filter, Odoo lists them (a new
    connection to ``postgres``) on every request without a session cookie, which is
    every request of Word's WebDAV client (see CONFIGURE)."""
    db = db_settings()
    args = [
        "--database", dbname,
        "--db_host", db["host"],
        "--db_port", db["port"],
        "--db_user", db["user"],
        "--http-interface", "127.0.0.1",
    ]  # fmt: skip
    if checkout:
        args += ["--addons-path", addons_path()]
    if db["password"]:
        args += ["--db_password", db["password"]]
    if http_port:
        args += ["--http-port", str(http_port)]
    return args


def psql_env():
    db = db_settings()
    env = dict(os.environ, PGHOST=db["host"], PGPORT=db["port"], PGUSER=db["user"])
    if db["password"]:
        env["PGPASSWORD"] = db["password"]
    return env


def drop_database(dbname):
    subprocess.run(
        ["dropdb", "--if-exists", "--force", dbname],
        env=psql_env(),
        check=False,
        capture_output=True,
    )


def free_port():
    """A TCP port free on 127.0.0.1 now (the kernel picks it), for one server of this run."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent():
    """In the child: get SIGTERM when the process that started it dies (Linux), so that a
    killed test run leaves no server behind; and a process group of its own, so that
    stop_process reaches its children too."""
    os.setsid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start_process(command, **kwargs):
    """Popen ``command`` so that it cannot outlive this process."""
    return subprocess.Popen(command, preexec_fn=_die_with_parent, **kwargs)


def run_process(command, *, timeout=3600, check=True, capture_output=False, text=True, **kwargs):
    """subprocess.run, but the child cannot outlive us and is stopped on any exception."""
    if capture_output:
        kwargs.update(stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process = start_process(command, text=text, **kwargs)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    finally:
        stop_process(process)
    result = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
    if check:
        result.check_returncode()
    return result


def stop_process(process, timeout=60):
    """Stop ``process`` and its children: SIGTERM, then SIGKILL after ``timeout`` seconds."""
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def run_database(prefix="effect_t"):
    """A database name of this run: ``<prefix><pid>``, so two runs at once never share one."""
    return f"{prefix}{os.getpid()}"


def drop_stale_databases(prefix="effect_t"):
    """Drop the databases that runs which no longer exist left behind (a killed run)."""
    result = subprocess.run(
        ["psql", "-d", "postgres", "-tAc", "SELECT datname FROM pg_database"],
        env=psql_env(), capture_output=True, text=True, check=False,
    )  # fmt: skip
    for name in result.stdout.split():
        if not name.startswith(prefix):
            continue
        digits = name[len(prefix) :].split("_", 1)[0]
        if not digits.isdigit():
            continue
        try:
            os.kill(int(digits), 0)
        except ProcessLookupError:
            drop_database(name)
        except PermissionError:
            pass
