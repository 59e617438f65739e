"""bench/letters.py runs and both engines merge every letter, in order.

Timings are printed by the benchmark, never asserted here.
"""

import json
import sys

from effect_env import REPO, run_process


def test_letters_benchmark_reports_ours_against_the_library(tmp_path):
    report_path = tmp_path / "letters.json"
    run_process(
        [
            sys.executable,
            "bench/letters.py",
            "--letters",
            "12",
            "--separate",
            "5",
            "--json",
            str(report_path),
        ],
        cwd=REPO,
    )
    report = json.loads(report_path.read_text())
    assert set(report["cases"]) == {
        "ours_combined",
        "library_page_break",
        "library_section",
        "ours_separate",
    }
    assert report["cases"]["ours_combined"]["letters"] == 12
    assert report["cases"]["ours_separate"]["letters"] == 5
    assert all(case["peak_mb"] > 0 for case in report["cases"].values())
    assert isinstance(report["met"], bool)
