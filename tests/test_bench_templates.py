"""bench/templates.py runs and merges the same values as the library it is compared with.

Timings are printed by the benchmark, never asserted here.
"""

import json
import sys

from effect_env import REPO, run_process


def test_template_benchmark_reports_ours_against_the_library(tmp_path):
    report_path = tmp_path / "templates.json"
    run_process(
        [sys.executable, "bench/templates.py", "--repeat", "1", "--json", str(report_path)],
        cwd=REPO,
    )
    report = json.loads(report_path.read_text())
    assert report["ms"] > 0
    assert report["baseline_ms"] > 0
    assert isinstance(report["met"], bool)
    assert "docx-mailmerge2" in report["baseline"]
