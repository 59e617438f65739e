import importlib.util
import os
import sys
from pathlib import Path

import pytest
from odoo_client import OdooServer

REPO = Path(__file__).resolve().parent.parent


def load_tools(addon):
    """Import ``<addon>/tools`` as a plain package, without Odoo's addon loader."""
    name = f"{addon}_tools"
    if name in sys.modules:
        return sys.modules[name]
    init = REPO / addon / "tools" / "__init__.py"
    spec = importlib.util.spec_from_file_location(
        name, init, submodule_search_locations=[str(init.parent)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def test_db():
    dbname = os.environ.get("EFFECT_TEST_DB")
    if not dbname:
        pytest.fail(
            "EFFECT_TEST_DB is not set: run the suite with bin/test, which creates the "
            "database with the addons and their demo data first."
        )
    return dbname


@pytest.fixture(scope="session")
def server(test_db):
    """A real Odoo server on the test database with demo data, on a free port
    (EFFECT_TEST_HTTP_PORT to choose one)."""
    odoo = OdooServer(test_db, int(os.environ.get("EFFECT_TEST_HTTP_PORT") or 0) or None)
    yield odoo
    odoo.stop()


@pytest.fixture(scope="session")
def admin(server):
    """The administrator's JSON-RPC client on the test server."""
    return server.client("admin")


@pytest.fixture(scope="session")
def ref(admin):
    """``ref(name, module="effect_crm")``: the database id of a record of the demo data."""

    def ref(name, module="effect_crm"):
        [row] = admin.execute(
            "ir.model.data", "search_read", [("module", "=", module), ("name", "=", name)],
            ["res_id"],
        )  # fmt: skip
        return row["res_id"]

    return ref
