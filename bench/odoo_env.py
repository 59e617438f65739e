"""Open an Odoo environment on a database from a plain Python process (no server)."""

import contextlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bin"))

from effect_env import addons_path, db_settings


def setup(dbname):
    import odoo  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    db = db_settings()
    args = [
        "--database", dbname,
        "--db_host", db["host"],
        "--db_port", db["port"],
        "--db_user", db["user"],
        "--addons-path", addons_path(),
        "--log-level", "warn",
    ]  # fmt: skip
    if db["password"]:
        args += ["--db_password", db["password"]]
    config.parse_config(args, setup_logging=True)
    return odoo


@contextlib.contextmanager
def environment(dbname, uid=None):
    """Yield a superuser environment (or ``uid``'s) inside one committed transaction."""
    odoo = setup(dbname)
    from odoo.modules.registry import Registry  # noqa: PLC0415

    registry = Registry(dbname)
    with registry.cursor() as cr:
        yield odoo.api.Environment(cr, uid or odoo.SUPERUSER_ID, {})
