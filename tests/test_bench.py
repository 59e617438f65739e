"""The benchmark generator and runner at tiny scale, so they cannot rot.

Timings are printed by the runner, never asserted here.
"""

import json
import os
import sys

import pytest
from effect_env import REPO, drop_database, odoo_args, odoo_command, run_process

# columns that differ between two customers however they were written (identity, names
# and the creation timestamps)
IDENTITY = {
    "id", "name", "complete_name", "commercial_company_name", "commercial_partner_id",
    "create_date", "write_date", "calendar_last_notif_ack",
    # how many times the record was saved (effect.crm.concurrency.mixin): its history
    "effect_edit_version",
}  # fmt: skip
# the customer's interaction statistics: the twin has none yet; bench/twins.py checks
# the generated ones by recomputing them through the ORM
STATISTICS = {"effect_interaction_count", "effect_last_interaction_date", "effect_next_action_date"}


@pytest.fixture(scope="module")
def bench_db(test_db):
    dbname = f"{test_db}_bench"
    run_process(
        [sys.executable, "bench/generate.py", "--db", dbname, "--scale", "tiny", "--reset"],
        cwd=REPO,
        check=True,
    )
    yield dbname
    if not os.environ.get("EFFECT_TEST_KEEP_DB"):
        drop_database(dbname)


def test_generated_rows_are_what_the_orm_writes(bench_db):
    script = f"""
import json, sys
sys.path.insert(0, "bench")
from odoo_env import environment
with environment({bench_db!r}) as env:
    Partner = env["res.partner"]
    copy = Partner.search([("effect_stage", "!=", False), ("parent_id", "=", False),
                           ("is_company", "=", True)], limit=1, order="id")
    orm = Partner.with_context(tracking_disable=True, mail_create_nolog=True).create({{
        "name": "ORM twin", "is_company": True, "effect_stage": copy.effect_stage,
        "country_id": copy.country_id.id, "state_id": copy.state_id.id,
        "user_id": copy.user_id.id, "industry_id": copy.industry_id.id,
        "effect_business_type_id": copy.effect_business_type_id.id,
        "effect_size_id": copy.effect_size_id.id,
        "properties": {{p["name"]: p.get("value") for p in copy.read(["properties"])[0]["properties"]}},
    }})
    env.flush_all()
    rows = []
    for record in (copy, orm):
        env.cr.execute("SELECT row_to_json(p)::text FROM res_partner p WHERE id = %s", [record.id])
        rows.append(json.loads(env.cr.fetchone()[0]))
    contact = Partner.search([("parent_id", "=", copy.id)], limit=1)
    contact_ok = (not contact) or (
        contact.commercial_partner_id == copy and contact.effect_salesperson_id == copy.user_id
        and contact.effect_territory_id == copy.effect_territory_id
    )
    env.cr.rollback()
    print(json.dumps({{"rows": rows, "contact_ok": bool(contact_ok)}}))
"""
    result = run_process(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    )
    data = json.loads(result.stdout.strip().splitlines()[-1])
    generated, written = data["rows"]
    differing = {
        column
        for column in set(generated) | set(written)
        if column not in IDENTITY | STATISTICS and generated.get(column) != written.get(column)
    }
    assert not differing, {c: (generated.get(c), written.get(c)) for c in differing}
    assert generated["commercial_partner_id"] == generated["id"]
    assert generated["commercial_company_name"] == generated["name"]
    assert data["contact_ok"]


def test_generated_interactions_activities_quotes_contracts_are_what_the_orm_writes(bench_db):
    """bench/twins.py writes an ORM twin of each kind of generated row and compares them."""
    result = run_process(
        [sys.executable, "bench/twins.py", "--db", bench_db],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    kinds = {
        "interaction planning", "open activity", "interaction doing a planned action",
        "done activity", "activity planned from the chatter on res.partner",
        "activity planned from the chatter on sale.order", "followers", "customer statistics",
        "quote not_sent", "quote sent", "quote received", "quote accepted", "quote refused",
        "quote expired", "quote line (accepted)", "contract draft", "contract active",
        "contract expired", "contract cancelled", "chatter note of the done activity",
        "chatter note of the done activity (summary)",
        "chatter note of the done activity (by a colleague)", "meeting", "meeting attendee",
    }  # fmt: skip
    assert kinds <= report.keys(), kinds - report.keys()
    differing = {kind: found for kind, found in report.items() if found}
    assert not differing, differing


def test_generated_rows_keep_their_foreign_keys(bench_db):
    """The bulk load writes with foreign-key triggers off: every reference still holds."""
    script = f"""
import json, sys
sys.path.insert(0, "bench")
from odoo_env import environment
from bulk import broken_foreign_keys
from generate import BULK_TABLES
with environment({bench_db!r}) as env:
    print(json.dumps(broken_foreign_keys(env.cr, BULK_TABLES)))
"""
    result = run_process(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {}


def test_generated_scale(bench_db):
    """The tiny scale has every kind of row, in the proportions of the full scale."""
    script = f"""
import json, sys
sys.path.insert(0, "bench")
from odoo_env import environment
with environment({bench_db!r}) as env:
    cr = env.cr
    counts = {{}}
    for name, query in [
        ("interactions", "SELECT count(*) FROM effect_crm_interaction"),
        ("open", "SELECT count(*) FROM mail_activity WHERE active"),
        ("done", "SELECT count(*) FROM mail_activity WHERE NOT active AND date_done IS NOT NULL"),
        ("quotes", "SELECT count(*) FROM sale_order"),
        ("lines", "SELECT count(*) FROM sale_order_line"),
        ("contracts", "SELECT count(*) FROM effect_crm_contract"),
        ("done_by_interaction", "SELECT count(*) FROM effect_crm_interaction WHERE done_activity_id IS NOT NULL"),
        ("done_notes", "SELECT count(*) FROM mail_message WHERE mail_activity_type_id IS NOT NULL AND model = 'res.partner'"),
        ("meetings", "SELECT count(*) FROM calendar_event"),
        ("upcoming_meetings", "SELECT count(*) FROM calendar_event WHERE stop > now() at time zone 'UTC'"),
        ("attendees", "SELECT count(*) FROM calendar_attendee"),
        ("time_zones", "SELECT count(DISTINCT p.tz) FROM res_users u JOIN res_partner p ON p.id = u.partner_id WHERE u.login LIKE 'bench_sales_%'"),
        ("overdue_over_a_year", "SELECT count(*) FROM mail_activity WHERE active AND date_deadline < current_date - 365"),
    ]:
        cr.execute(query)
        counts[name] = cr.fetchone()[0]
    cr.execute(
        "SELECT count(a.id) FROM res_users u LEFT JOIN mail_activity a "
        "ON a.user_id = u.id AND a.active WHERE u.login LIKE 'bench_sales_%' "
        "GROUP BY u.id ORDER BY 1"
    )
    counts["open_by_salesperson"] = [r[0] for r in cr.fetchall()]
    print(json.dumps(counts))
"""
    result = run_process(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    )
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    sys.path.insert(0, str(REPO / "bench"))
    from generate import SCALES

    tiny = SCALES["tiny"]
    assert counts["interactions"] == tiny["interactions"]
    assert counts["open"] == tiny["open_activities"]
    assert counts["done"] == counts["done_by_interaction"] == tiny["done_activities"]
    assert counts["quotes"] == tiny["quotes"]
    assert counts["contracts"] == tiny["contracts"]
    assert counts["lines"] >= counts["quotes"]
    # realistic data: a chatter note per done action, meetings past and ahead (two
    # attendees each), salespeople in several time zones, a backlog years old, and a
    # salesperson with ten times the median's open actions
    assert counts["done_notes"] == counts["done"]
    assert counts["meetings"] == tiny["meetings"]
    assert 0 < counts["upcoming_meetings"] < counts["meetings"]
    assert counts["attendees"] == 2 * counts["meetings"]
    assert counts["time_zones"] > 1
    assert counts["overdue_over_a_year"] > 0
    loads = counts["open_by_salesperson"]
    assert loads[-1] >= 8 * loads[len(loads) // 2], loads


def test_runner_reports_every_operation_with_its_baseline(bench_db, tmp_path):
    report_path = tmp_path / "report.json"
    run_process(
        [sys.executable, "bench/run.py", "--db", bench_db, "--repeat", "1", "--json",
         str(report_path)],
        cwd=REPO,
        check=True,
    )  # fmt: skip
    report = json.loads(report_path.read_text())
    assert report["scale"]["customers"] > 0
    operations = {r["operation"].split(":")[0] for r in report["results"]}
    assert {
        "agenda first load, all columns (kanban)",
        "agenda of a salesperson opened by their manager",
        "customer list",
        "customer kanban",
        "customer form with its timeline and chatter",
        "interaction pivot",
        "customer pivot",
    } <= operations, operations
    assert any(r["operation"].startswith("reassign") for r in report["results"])
    agenda = [
        r for r in report["results"] if r["operation"] == "agenda first load, all columns (kanban)"
    ]
    assert len(agenda) == 2  # against My Activities and against bare SQL
    assert any(r["operation"].endswith("median salesperson") for r in report["results"])
    for result in report["results"]:
        assert result["ms"] >= 0
        if result["baseline_ms"] is not None:
            assert result["baseline_ms"] > 0
            assert result["ratio"] > 0
            assert isinstance(result["met"], bool)


@pytest.fixture(scope="module")
def campaign_db(bench_db):
    """The generated data with the letter campaigns' addons (when the generator installed
    them already, this only loads the registry)."""

    run_process(
        odoo_command()
        + odoo_args(bench_db)
        + ["-i", "effect_crm_accounting,effect_crm_mailmerge", "--stop-after-init"]
        + ["--log-level", "warn"],
        cwd=REPO,
    )
    return bench_db


def test_campaign_filter_finds_what_the_plain_sql_finds(campaign_db, tmp_path):
    report_path = tmp_path / "filter.json"
    # sent quotations count as orders (the generated data confirms none) and a low
    # threshold, so that the tiny scale picks customers; the script checks that the ORM
    # and the SQL answers are the same customers
    run_process(
        [
            sys.executable,
            "bench/campaign_filter.py",
            "--db",
            campaign_db,
            "--repeat",
            "1",
            "--order-states",
            "sale,sent",
            "--usd",
            "1",
            "--period",
            "this_year",
            "--json",
            str(report_path),
        ],
        cwd=REPO,
    )
    report = json.loads(report_path.read_text())
    assert report["picked"] > 0
    assert report["ms"] > 0 and report["baseline_ms"] > 0
    assert isinstance(report["met"], bool)


def test_campaign_generate_makes_every_letter(campaign_db, tmp_path):
    report_path = tmp_path / "generate.json"
    run_process(
        [
            sys.executable,
            "bench/campaign_generate.py",
            "--db",
            campaign_db,
            "--recipients",
            "12",
            "--json",
            str(report_path),
        ],
        cwd=REPO,
    )
    report = json.loads(report_path.read_text())
    assert report["state"] == "done"
    assert report["letters"] == report["recipients"] == 12
    assert report["peak_mb"] > 0
