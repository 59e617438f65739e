"""The load test at tiny scale, so that it cannot rot: bench/load.py with 3 salespeople for
45 seconds against a real server (``--workers 2``), the manager's reassignment and a mail
merge in background. It asserts what must hold under any load: no screen failed, every
interaction and revision the users saved is in the database, the reassignment moved
every customer once, the campaign made every letter. Timings are never asserted.
"""

import json
import os
import sys

import pytest
from effect_env import REPO, drop_database, run_process

MODULES = "effect_crm,effect_crm_accounting,effect_crm_mailmerge"
SCREENS = {
    "agenda", "customer with timeline", "log interaction + next action", "search customers",
    "quotation: open + revise", "interaction pivot",
}  # fmt: skip


@pytest.fixture(scope="module")
def load_db(test_db):
    dbname = f"{test_db}_load"
    run_process(
        [sys.executable, "bench/generate.py", "--db", dbname, "--scale", "tiny", "--reset",
         "--modules", MODULES],
        cwd=REPO, check=True,
    )  # fmt: skip
    yield dbname
    if not os.environ.get("EFFECT_TEST_KEEP_DB"):
        drop_database(dbname)


def test_salespeople_at_once_lose_nothing(load_db, tmp_path):
    report_path = tmp_path / "report.json"
    result = run_process(
        [sys.executable, "bench/load.py", "--db", load_db, "--users", "3", "--run-time", "45s",
         "--think", "1", "2", "--reassign", "150", "--drain", "10",
         "--workdir", str(tmp_path), "--json", str(report_path)],
        cwd=REPO, check=False, capture_output=True, timeout=1800,
    )  # fmt: skip
    assert report_path.exists(), result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads(report_path.read_text())
    rows = {row["screen"]: row for row in report["rows"]}
    # every screen of the day ran (each user opens each one first), and none failed
    assert set(rows) >= SCREENS, sorted(rows)
    assert rows["all screens"]["errors"] == 0, report["errors"]
    assert rows["log interaction + next action"]["requests"] >= 3
    # no lost write, the reassignment and the mail merge complete
    assert report["failures"] == [], report["failures"]
    assert report["moved"] == 150
    assert report["letters"] > 0
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
