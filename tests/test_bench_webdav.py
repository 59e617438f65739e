"""bench/webdav.py runs against a real server: every WebDAV operation and its baseline
answer, each PUT makes a version, the report says what was measured.

Timings are printed by the benchmark, never asserted here.
"""

import json
import sys

from effect_env import REPO, run_process


def test_webdav_benchmark_reports_each_operation_against_web_content(server, tmp_path):
    report_path = tmp_path / "webdav.json"
    run_process(
        [
            sys.executable, "bench/webdav.py", "--url", server.url, "--db", server.dbname,
            "--repeat", "1", "--size-mb", "0.2", "--json", str(report_path),
        ],
        cwd=REPO,
    )  # fmt: skip
    report = json.loads(report_path.read_text())
    assert report["size_bytes"] > 100_000
    assert [item["operation"].split(" of ")[0] for item in report["operations"]] == [
        "WebDAV PROPFIND depth 0",
        "WebDAV GET",
        "WebDAV PUT",
    ]
    for item in report["operations"]:
        assert item["ms"] > 0 and item["baseline_ms"] > 0
        assert "/web/content" in item["baseline"]
        assert isinstance(item["met"], bool)
