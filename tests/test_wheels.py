"""Each addon builds as a wheel (OCA's ``whool`` backend, one pyproject.toml per addon),
installs with pip into an environment that has Odoo 19, and then installs in Odoo with
this repository nowhere on the addons path (README: Install into your own Odoo 19)."""

import os
import sys
import sysconfig

import pytest
from effect_env import REPO, drop_database, odoo_args, project_addons, psql_env, run_process
from odoo_client import run_odoo_with


@pytest.fixture(scope="module")
def wheel_python(tmp_path_factory):
    """A new virtual environment that sees the set-up Odoo, with the addons' wheels installed."""
    root = tmp_path_factory.mktemp("wheels")
    wheels = root / "wheels"
    for addon in project_addons():
        run_process(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels),
             str(REPO / addon)],
            check=True, cwd=root,
        )  # fmt: skip
    venv = root / "venv"
    run_process([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = run_process(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    # the environment with Odoo 19 and its requirements, as a site folder of the new one
    odoo_site = sysconfig.get_paths()["purelib"]
    with open(os.path.join(purelib, "odoo-environment.pth"), "w", encoding="utf-8") as pth:
        pth.write(f"import site; site.addsitedir({odoo_site!r})\n")
    installed = run_process(
        [str(python), "-m", "pip", "install", "--quiet", "--no-index", "--find-links",
         str(wheels), *(f"odoo-addon-{addon}" for addon in project_addons())],
        check=False, capture_output=True, cwd=root,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return python, wheels, root


def test_every_addon_builds_a_wheel_with_its_files(wheel_python):
    _python, wheels, _root = wheel_python
    built = sorted(path.name for path in wheels.glob("*.whl"))
    assert [name.split("-")[0] for name in built] == sorted(
        f"odoo_addon_{addon}" for addon in project_addons()
    )


def test_installed_wheels_install_in_odoo_without_the_repository(wheel_python, test_db):
    python, _wheels, root = wheel_python
    where = run_process(
        [str(python), "-c",
         "import importlib.util as u; print(u.find_spec('odoo.addons.effect_crm').origin)"],
        capture_output=True, text=True, check=True, cwd=root,
    ).stdout.strip()  # fmt: skip
    assert where.startswith(str(root)), where  # the wheel's copy, not the checkout's
    dbname = f"{test_db}_wheel"
    args = [*odoo_args(dbname, checkout=False), "-i", ",".join(project_addons()),
            "--stop-after-init", "--log-level", "warn"]  # fmt: skip
    drop_database(dbname)
    try:
        run_odoo_with([str(python), "-m", "odoo"], args, cwd=root)
        states = run_process(
            ["psql", "-d", dbname, "-tAc",
             "SELECT name || ':' || state FROM ir_module_module WHERE name LIKE 'effect_crm%'"],
            env=psql_env(), capture_output=True, text=True, check=True,
        ).stdout.split()  # fmt: skip
        assert sorted(states) == sorted(f"{addon}:installed" for addon in project_addons())
    finally:
        if not os.environ.get("EFFECT_TEST_KEEP_DB"):
            drop_database(dbname)
