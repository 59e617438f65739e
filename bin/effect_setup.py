"""Set up everything bin/demo and bin/test need, idempotently, and say what is done.

    ODOO_SOURCE      where Odoo 19.0 Community comes from: a git URL (default: Odoo's
                     official repository, branch ODOO_BRANCH=19.0), a ``.tar.gz`` of the
                     source, or a folder holding it
    EFFECT_CACHE     folder outside the checkout for the Odoo source and the virtual
                     environment (default: $XDG_CACHE_HOME/effect-crm or ~/.cache/effect-crm),
                     so that every clone of the project reuses one set-up
    EFFECT_VENV      the virtual environment (default: <EFFECT_CACHE>/venv-odoo19-py3.X)
    EFFECT_NO_SYSTEM_INSTALL=1   never run apt-get, only say what is missing

When the Python running the command already imports Odoo 19, it is used as it is
(with this project's requirements added).  Otherwise a virtual environment is
made in the cache and the command starts again inside it.  Several runs at once
(two clones tested together) wait for each other on a lock while one sets up.
"""

import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SETUP_VERSION = (
    "3"  # change it when the set-up changes: existing environments are brought up to date
)
DEFAULT_SOURCE = "https://github.com/odoo/odoo.git"
# Debian packages the product and its tests use: package -> a command (or a path) that
# proves it is there
PRODUCT_PACKAGES = {
    "wkhtmltopdf": "wkhtmltopdf",  # Odoo's PDF reports (quotation Send, New Revision)
    "libreoffice-writer-nogui": "soffice",  # PDF of Word documents (contracts, letters)
    "fonts-liberation2": "/usr/share/fonts/truetype/liberation2",  # Vietnamese glyphs in PDFs
}
SYSTEM_PACKAGES = {
    **PRODUCT_PACKAGES,
    "chromium": "chromium",  # browser tours
    "cadaver": "cadaver",  # a real WebDAV client for the Edit in Word tests
    "litmus": "litmus",  # WebDAV compliance tests
}
# Pins of Odoo's requirements.txt that cannot install on some Pythons, and their replacement
REQUIREMENT_FIXES = {
    "cbor2": "cbor2==5.6.2",  # 5.4.2 does not build on Python 3.11
    "python-ldap": None,  # needs the LDAP headers, only serves the auth_ldap addon
}


def say(text):
    print(f"[setup] {text}", flush=True)


def cache_dir():
    if os.environ.get("EFFECT_CACHE"):
        return Path(os.environ["EFFECT_CACHE"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "effect-crm"


def venv_dir():
    if os.environ.get("EFFECT_VENV"):
        return Path(os.environ["EFFECT_VENV"]).expanduser()
    return cache_dir() / f"venv-odoo19-py{sys.version_info.major}.{sys.version_info.minor}"


@contextmanager
def lock(name):
    """An exclusive lock in the cache folder, so that concurrent runs set up once."""
    cache_dir().mkdir(parents=True, exist_ok=True)
    with open(cache_dir() / f"{name}.lock", "w", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"another run is setting up {name}; waiting for it")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run(command, **kwargs):
    kwargs.setdefault("check", True)
    return subprocess.run(command, **kwargs)


def odoo_version_of(python):
    result = subprocess.run(
        [str(python), "-c", "import odoo.release as r; print(r.version)"],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() if result.returncode == 0 else None


# --------------------------------------------------------------------------- system
def is_root():
    return os.geteuid() == 0


def can_apt():
    return is_root() and shutil.which("apt-get") and not os.environ.get("EFFECT_NO_SYSTEM_INSTALL")


_apt_updated = False


def apt_install(packages):
    global _apt_updated
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    with lock("apt"):
        if not _apt_updated:
            say("apt-get update")
            run(["apt-get", "update", "-qq"], env=env, stdout=subprocess.DEVNULL)
            _apt_updated = True
        say(f"apt-get install {' '.join(packages)}")
        run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
            env=env,
            stdout=subprocess.DEVNULL,
        )


def ensure_system_packages(packages=None):
    """Install the missing Debian packages (as root), else name them; return the missing."""
    packages = SYSTEM_PACKAGES if packages is None else packages

    def present(proof):
        return Path(proof).exists() if proof.startswith("/") else shutil.which(proof)

    missing = [name for name, proof in packages.items() if not present(proof)]
    if missing and can_apt():
        try:
            apt_install(missing)
        except subprocess.CalledProcessError as error:
            say(f"apt-get failed ({error}); continuing without {', '.join(missing)}")
        missing = [name for name in missing if not present(packages[name])]
    for name in missing:
        say(f"missing: Debian package {name!r} (apt-get install {name}) - see README.md")
    return missing


def ensure_postgres(settings):
    """PostgreSQL answers on the PG* settings, and the project's role exists."""
    host, port, user = settings["host"], settings["port"], settings["user"]
    if run(["pg_isready", "-q", "-h", host, "-p", port], check=False).returncode:
        clusters = Path("/etc/postgresql")
        if shutil.which("pg_ctlcluster") and clusters.is_dir():
            version = sorted(p.name for p in clusters.iterdir())[-1]
            say(f"starting PostgreSQL {version}")
            run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
                check=False,
            )
            for _ in range(30):
                if not run(["pg_isready", "-q", "-h", host, "-p", port], check=False).returncode:
                    break
                time.sleep(1)
    if run(["pg_isready", "-q", "-h", host, "-p", port], check=False).returncode:
        sys.exit(f"PostgreSQL does not answer on {host}:{port} (set PGHOST/PGPORT).")
    env = dict(os.environ, PGHOST=host, PGPORT=port, PGUSER=user)
    if settings["password"]:
        env["PGPASSWORD"] = settings["password"]
    probe = ["psql", "-d", "postgres", "-tAc", "SELECT 1"]
    if run(probe, env=env, check=False, capture_output=True).returncode == 0:
        return
    # The role Odoo connects as: it logs in and creates databases, nothing more
    # (Odoo refuses "postgres"; nothing in this project needs a superuser).
    for admin in ("postgres", "root"):
        admin_env = dict(env, PGUSER=admin)
        if run(probe, env=admin_env, check=False, capture_output=True).returncode == 0:
            say(f"creating the PostgreSQL role {user!r} (LOGIN CREATEDB)")
            run(
                ["psql", "-d", "postgres", "-qc", f'CREATE ROLE "{user}" LOGIN CREATEDB'],
                env=admin_env,
                check=False,
            )
            break
    if run(probe, env=env, check=False, capture_output=True).returncode:
        sys.exit(f"Cannot connect to PostgreSQL as {user!r} on {host}:{port} (PGUSER/PGPASSWORD).")


# --------------------------------------------------------------------------- Odoo
def odoo_source():
    return os.environ.get("ODOO_SOURCE") or DEFAULT_SOURCE


def _find_source_root(folder):
    for candidate in [folder, *sorted(p for p in folder.iterdir() if p.is_dir())]:
        if (candidate / "setup.py").exists() and (candidate / "odoo" / "release.py").exists():
            return candidate
    sys.exit(f"No Odoo source (setup.py and odoo/release.py) found in {folder}")


def source_identity():
    """What ODOO_SOURCE names, without fetching it: a folder, a tarball's digest, a git ref."""
    source = odoo_source()
    path = Path(source).expanduser()
    if path.is_dir():
        return f"dir:{path.resolve()}"
    if path.is_file():
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        return f"tar:{digest.hexdigest()[:16]}"
    return f"git:{source}@{os.environ.get('ODOO_BRANCH', '19.0')}"


def fetch_source():
    """The folder of Odoo's source, got from ODOO_SOURCE; returns (folder, identity)."""
    source = odoo_source()
    path = Path(source).expanduser()
    identity = source_identity()
    if path.is_dir():
        return _find_source_root(path.resolve()), identity
    src_root = cache_dir() / "src"
    src_root.mkdir(parents=True, exist_ok=True)
    if path.is_file():
        target = src_root / f"tar-{identity[4:]}"
        if not (target / ".complete").exists():
            say(f"unpacking Odoo's source {path} into {target}")
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir()
            with tarfile.open(path) as archive:
                archive.extractall(target, filter="data")
            (target / ".complete").touch()
        return _find_source_root(target), identity
    branch = os.environ.get("ODOO_BRANCH", "19.0")
    target = src_root / f"git-{hashlib.sha256(identity.encode()).hexdigest()[:16]}"
    if not (target / ".complete").exists():
        say(f"cloning Odoo {branch} from {source} into {target} (a few minutes)")
        shutil.rmtree(target, ignore_errors=True)
        cloned = run(
            ["git", "clone", "--depth", "1", "--branch", branch, source, str(target)],
            check=False,
        )
        if cloned.returncode:
            sys.exit(
                f"Could not clone Odoo {branch} from {source}. Set ODOO_SOURCE to another git "
                "URL, a .tar.gz of Odoo's source or a folder holding it (README.md)."
            )
        (target / ".complete").touch()
    return _find_source_root(target), identity


def fixed_requirements(source_root):
    """Odoo's requirements.txt with the pins that cannot install here replaced."""
    lines = []
    for line in (source_root / "requirements.txt").read_text(encoding="utf-8").splitlines():
        match = re.match(r"\s*([A-Za-z0-9_.-]+)\s*==", line)
        name = match.group(1).lower() if match else None
        if name in REQUIREMENT_FIXES and _marker_applies(line):
            if REQUIREMENT_FIXES[name]:
                lines.append(REQUIREMENT_FIXES[name])
            continue
        lines.append(line)
    return "\n".join(lines) + "\n"


def _marker_applies(line):
    """Whether the environment marker of a requirement line holds for this Python."""
    requirement = line.split("#", 1)[0]
    if ";" not in requirement:
        return True
    marker = requirement.split(";", 1)[1].strip()
    names = {
        "python_version": f"{sys.version_info.major}.{sys.version_info.minor}",
        "sys_platform": sys.platform,
    }
    expression = marker
    for name, value in names.items():
        expression = expression.replace(name, repr(value))

    # compare versions as tuples, not strings
    def version_tuple(match):
        return repr(tuple(int(part) for part in match.group(1).split(".")))

    expression = re.sub(r"'(\d+(?:\.\d+)+)'", version_tuple, expression)
    try:
        return bool(eval(expression, {"__builtins__": {}}))
    except Exception:
        return True


def project_requirements():
    return [REPO / "requirements.txt", REPO / "requirements-dev.txt"]


def pip(python, *args):
    """pip, quiet unless it fails (then its whole output is shown)."""
    result = subprocess.run(
        [str(python), "-m", "pip", "--disable-pip-version-check", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        print(result.stdout, result.stderr, sep="\n", file=sys.stderr)
        sys.exit(f"pip {' '.join(args)} failed (status {result.returncode}): see above")


def _requirements_hash():
    digest = hashlib.sha256(SETUP_VERSION.encode())
    for path in project_requirements():
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_odoo():
    """The Python to run Odoo and the tests with: this one if it has Odoo 19, else the venv's.

    The venv's stamp says which source it was built from and which requirements it has:
    a changed ODOO_SOURCE rebuilds it, changed requirements are added; with ODOO_SOURCE
    unset, a working venv is kept whatever it was built from (no network needed).
    """
    requirements = [arg for path in project_requirements() for arg in ("-r", str(path))]
    venv = venv_dir()
    python = venv / "bin" / "python"
    version = odoo_version_of(sys.executable)
    if version and version.startswith("19.") and Path(sys.prefix) != venv:
        current = Path(sys.executable)
        stamp_file = cache_dir() / f"stamp-{hashlib.sha256(bytes(current)).hexdigest()[:12]}"
        if not stamp_file.exists() or stamp_file.read_text() != _requirements_hash():
            say(f"Odoo {version} is installed for {current}; adding this project's requirements")
            pip(current, "install", "--quiet", *requirements)
            stamp_file.parent.mkdir(parents=True, exist_ok=True)
            stamp_file.write_text(_requirements_hash())
        return current
    with lock("odoo"):
        stamp_file = venv / ".effect-stamp"
        built_from, _, built_with = (
            stamp_file.read_text().partition("\n") if stamp_file.exists() else ("", "", "")
        )
        explicit = bool(os.environ.get("ODOO_SOURCE"))
        reusable = built_from and (not explicit or built_from == source_identity())
        if reusable and odoo_version_of(python):
            if built_with != _requirements_hash():
                say("adding this project's changed requirements to the environment")
                pip(python, "install", "--quiet", *requirements)
                complete_requirements(python)
                stamp_file.write_text(f"{built_from}\n{_requirements_hash()}")
            return python
        source_root, identity = fetch_source()
        say(f"installing Odoo 19.0 from {odoo_source()} into {venv} (first run: several minutes)")
        ensure_build_packages()
        if not python.exists():
            run([sys.executable, "-m", "venv", str(venv)])
        pip(python, "install", "--quiet", "--upgrade", "pip", "setuptools<81", "wheel")
        fixed = venv / "odoo-requirements.txt"
        fixed.write_text(fixed_requirements(source_root), encoding="utf-8")
        say("installing Odoo's requirements (pinned versions, built where no wheel exists)")
        pip(python, "install", "--quiet", "-r", str(fixed))
        say("installing Odoo itself and this project's requirements")
        # compat mode: a .pth with the source folder, so odoo.addons holds only real folders
        pip(
            python, "install", "--quiet", "--no-deps", "--config-settings",
            "editable_mode=compat", "-e", str(source_root),
        )  # fmt: skip
        pip(python, "install", "--quiet", *requirements)
        complete_requirements(python)
        version = odoo_version_of(python)
        if not version or not version.startswith("19."):
            sys.exit(f"Odoo from {odoo_source()} gives version {version!r}, not 19.0")
        stamp_file.write_text(f"{identity}\n{_requirements_hash()}")
        say(f"Odoo {version} is ready in {venv}")
    return python


def complete_requirements(python):
    """Add what installed packages ask for and miss, without moving any installed version.

    Odoo's own metadata asks for packages that its requirements.txt leaves out for this
    Python (lxml_html_clean); with them `pip check` is clean, so pip can install addons'
    wheels (which require ``odoo``) into this environment.
    """
    check = subprocess.run(
        [str(python), "-m", "pip", "check"], capture_output=True, text=True, check=False
    )
    missing = sorted(
        set(re.findall(r"requires ([A-Za-z0-9_.-]+), which is not installed", check.stdout))
    )
    if not missing:
        return
    pinned = subprocess.run(
        [str(python), "-m", "pip", "freeze", "--exclude-editable"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    constraints = Path(python).parent.parent / "effect-constraints.txt"
    constraints.write_text(pinned, encoding="utf-8")
    say(f"adding {', '.join(missing)} (asked for by installed packages), keeping every version")
    pip(python, "install", "--quiet", "-c", str(constraints), *missing)


def ensure_build_packages():
    """What building Odoo's requirements needs (psycopg2 compiles against libpq)."""
    needed = {"libpq-dev": "pg_config", "gcc": "gcc"}
    headers = Path(f"/usr/include/python{sys.version_info.major}.{sys.version_info.minor}")
    include = Path(sys.base_prefix) / "include"
    has_headers = headers.exists() or any(include.glob("python3*/Python.h"))
    missing = [name for name, command in needed.items() if not shutil.which(command)]
    if not has_headers:
        missing.append("python3-dev")
    if missing and can_apt():
        apt_install(missing)
    elif missing:
        say(f"missing for building Odoo's requirements: {' '.join(missing)}")


def enter_odoo_environment():
    """Make sure Odoo 19 runs, restarting this command inside the venv when needed."""
    python = ensure_odoo()
    if Path(sys.executable) != Path(python) and not os.environ.get("EFFECT_IN_VENV"):
        os.environ["EFFECT_IN_VENV"] = "1"
        os.environ["PATH"] = f"{Path(python).parent}{os.pathsep}{os.environ.get('PATH', '')}"
        os.execv(str(python), [str(python), *sys.argv])
    return python
