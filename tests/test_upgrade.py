"""An upgrade from the first release keeps every record as it was.

The addons of commit d4e956c (main after the first wave: effect_crm and
effect_crm_accounting 19.0.1.0.0) are installed with their demo data (customers and
contacts in territories, interactions, activities, quotation revisions, contracts
with versions, hand-offs) and that commit's benchmark generator adds its tiny dataset
(hundreds of customers, thousands of interactions and activities, quotes and
contracts written as its bulk loader writes them); then this checkout's addons
upgrade the database (``-u``, migrations/ scripts included). The old generator runs
with this checkout's ``bench/bulk.py``, whose loader drops and re-adds foreign keys
instead of ``session_replication_role`` (which needs a PostgreSQL superuser, which
tests do not have); what it writes is the same.
Every row of the customers, interactions, activities, quotation revisions and their
lines, contracts and their versions (and their files), hand-offs and territories
must still be there with the same values in every column the old schema had.
"""

import os
import shutil
import subprocess
import sys
import tarfile
import unicodedata
from pathlib import Path

import pytest
from effect_env import REPO, drop_database, odoo_args, odoo_command, run_process
from odoo_client import OdooServer, db_connection, run_odoo, run_odoo_with
from psycopg2 import sql

OLD_COMMIT = "d4e956c"  # 19.0.1.0.0 of effect_crm and effect_crm_accounting
OLD_ADDONS = ["effect_crm", "effect_crm_accounting"]
QUIET = ["--stop-after-init", "--log-level", "warn", "--max-cron-threads", "0"]

# (table, rows to compare): what a user would call their data
KEPT = [
    ("res_partner", sql.SQL("TRUE")),
    ("effect_crm_territory", sql.SQL("TRUE")),
    ("effect_crm_territory_member_rel", sql.SQL("TRUE")),
    ("effect_crm_territory_history", sql.SQL("TRUE")),
    ("effect_crm_interaction", sql.SQL("TRUE")),
    ("mail_activity", sql.SQL("TRUE")),
    ("sale_order", sql.SQL("TRUE")),
    ("sale_order_line", sql.SQL("TRUE")),
    ("effect_crm_contract", sql.SQL("TRUE")),
    ("effect_crm_contract_version", sql.SQL("TRUE")),
    ("ir_attachment", sql.SQL("res_model LIKE 'effect.crm.%' OR res_model = 'res.partner'")),
    ("effect_crm_handoff", sql.SQL("TRUE")),
    ("effect_crm_document", sql.SQL("TRUE")),
]
# what an upgrade may rewrite without changing anything a user sees
NOT_COMPARED = {"write_date", "write_uid"}
# a customer's name saved decomposed (NFD, as pasted from macOS or a PDF) by the old
# version: the upgrade puts it in NFC (effect_crm/migrations/19.0.1.3.0/post-text-nfc.py),
# which a user sees as the same name, and which searches now find
NFD_NAME = unicodedata.normalize("NFD", "Công ty TNHH Thương mại Nguyễn Phúc")
# columns renamed by a migration script (the value must follow the column):
# effect_crm/migrations/19.0.1.2.0/pre-classification.py
RENAMED = {
    "sale_order": {
        "effect_partner_business_type_id": "partner_business_type_id",
        "effect_partner_size_id": "partner_size_id",
        "effect_partner_industry_id": "partner_industry_id",
        "effect_partner_state_id": "partner_state_id",
    },
}


def snapshot(dbname):
    """{table: {row key: {column: value}}} of the KEPT rows, every column but NOT_COMPARED."""
    tables = {}
    with db_connection(dbname) as conn, conn.cursor() as cr:
        for table, where in KEPT:
            cr.execute(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = 'public' AND table_name = %s ORDER BY column_name",
                [table],
            )
            columns = [name for (name,) in cr.fetchall() if name not in NOT_COMPARED]
            assert columns, f"table {table} is missing"
            cr.execute(
                sql.SQL("SELECT {} FROM {} WHERE {}").format(
                    sql.SQL(", ").join(map(sql.Identifier, columns)), sql.Identifier(table), where
                )
            )
            key = ["id"] if "id" in columns else columns
            rows = {}
            for values in cr.fetchall():
                row = dict(zip(columns, values, strict=True))
                rows[tuple(row[k] for k in key)] = row
            tables[table] = rows
    conn.close()
    return tables


@pytest.fixture(scope="module")
def old_checkout(tmp_path_factory):
    """The repository as it was at OLD_COMMIT, in a temporary folder."""
    folder = tmp_path_factory.mktemp("effect_crm_19.0.1.0.0")
    archive = folder / "old.tar"
    result = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", "-o", str(archive), OLD_COMMIT],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        pytest.fail(f"this checkout has no commit {OLD_COMMIT} (a full git clone is needed)")
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    # the old generator's bulk loader needed a superuser; this one does the same without
    shutil.copy(REPO / "bench" / "bulk.py", folder / "bench" / "bulk.py")
    return folder


@pytest.fixture(scope="module")
def upgraded(test_db, old_checkout):
    """Old addons + demo + tiny generated data, snapshot, upgrade to HEAD, snapshot."""
    dbname = f"{test_db}_upgrade"
    drop_database(dbname)
    try:
        old_args = [*odoo_args(dbname, checkout=False), "--addons-path", str(old_checkout)]
        run_odoo([*old_args, "-i", ",".join(OLD_ADDONS), "--with-demo", *QUIET])
        generator = str(old_checkout / "bench" / "generate.py")
        run_process(
            [sys.executable, generator, "--db", dbname, "--scale", "tiny"],
            cwd=old_checkout,
            timeout=1800,
        )
        with db_connection(dbname) as conn, conn.cursor() as cr:
            cr.execute(
                "UPDATE res_partner SET name = %s WHERE id = ("
                " SELECT min(id) FROM res_partner WHERE effect_stage IS NOT NULL"
                " AND parent_id IS NULL)",
                [NFD_NAME],
            )
        conn.close()
        before = snapshot(dbname)
        run_odoo_with(
            odoo_command(),
            [*odoo_args(dbname), "-u", ",".join(OLD_ADDONS), *QUIET],
        )
        after = snapshot(dbname)
        server = OdooServer(dbname)
        try:
            yield before, after, server
        finally:
            server.stop()
    finally:
        if not os.environ.get("EFFECT_TEST_KEEP_DB"):
            drop_database(dbname)


def test_old_version_was_installed(upgraded, test_db):
    before, _after, _server = upgraded
    # the demo data was there before the upgrade: every kind of record is compared
    customers = [r for r in before["res_partner"].values() if r["effect_stage"]]
    assert len(customers) >= 10
    assert before["effect_crm_interaction"]
    assert before["mail_activity"]
    assert before["effect_crm_territory"]
    assert before["effect_crm_contract_version"]
    assert before["effect_crm_handoff"]
    assert any(r["effect_revision"] for r in before["sale_order"].values())
    # and the generated dataset: the tiny scale's 4,000 interactions, 100 quotes, 20 contracts
    assert len(before["effect_crm_interaction"]) >= 4000
    assert len(before["sale_order"]) >= 100
    assert len(before["effect_crm_contract"]) >= 20


@pytest.mark.parametrize("table", [table for table, _where in KEPT])
def test_upgrade_keeps_every_row_unchanged(upgraded, table):
    before, after, _server = upgraded
    old, new = before[table], after[table]
    assert old.keys() - new.keys() == set(), f"{table}: rows lost by the upgrade"
    changed = {}
    renamed = RENAMED.get(table, {})
    for key, row in old.items():
        differences = {
            column: (value, new[key].get(renamed.get(column, column), "<column dropped>"))
            for column, value in row.items()
            if new[key].get(renamed.get(column, column), "<column dropped>") != nfc(value)
        }
        if differences:
            changed[key] = differences
    assert not changed, f"{table}: {len(changed)} rows changed, e.g. {next(iter(changed.items()))}"


def nfc(value):
    """``value`` as a user sees it: text in NFC (the upgrade normalises stored text)."""
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def test_text_saved_decomposed_is_found_after_the_upgrade(upgraded):
    before, after, server = upgraded
    [key] = [key for key, row in before["res_partner"].items() if row["name"] == NFD_NAME]
    assert after["res_partner"][key]["name"] == unicodedata.normalize("NFC", NFD_NAME)
    admin = server.client("admin")
    for form in ("NFD", "NFC"):
        typed = unicodedata.normalize(form, "Nguyễn Phúc")
        found = admin.execute("res.partner", "search", [("name", "ilike", typed)])
        assert key[0] in found, form


def test_upgraded_database_serves_the_customers(upgraded):
    before, _after, server = upgraded
    admin = server.client("admin")
    customers = [key for key, row in before["res_partner"].items() if row["effect_stage"]]
    ids = [key[0] for key in customers]
    read = admin.execute("res.partner", "read", ids, ["effect_stage", "effect_territory_id"])
    assert {r["id"]: r["effect_stage"] for r in read} == {
        key[0]: before["res_partner"][key]["effect_stage"] for key in customers
    }
    [module] = admin.execute(
        "ir.module.module", "search_read", [("name", "=", "effect_crm")], ["latest_version"]
    )
    manifest = (REPO / "effect_crm" / "__manifest__.py").read_text(encoding="utf-8")
    assert f'"version": "{module["latest_version"]}"' in manifest


def test_old_checkout_is_the_first_release(old_checkout):
    manifest = Path(old_checkout, "effect_crm", "__manifest__.py").read_text(encoding="utf-8")
    assert '"version": "19.0.1.0.0"' in manifest
