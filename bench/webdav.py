#!/usr/bin/env python3
""" "Edit in Word" over WebDAV against Odoo's own download of the same bytes, in one run.

    python3 bench/webdav.py --db effect_bench [--repeat 9] [--size-mb 1] [--json report.json]
    python3 bench/webdav.py --url http://127.0.0.1:8069 --db DB   # a server already running

A contract gets a Word document of about ``--size-mb`` MB (text and a picture that does
not compress, as a scanned signature page); then, in turn and ``--repeat`` times, over
HTTP against a real Odoo server (started here on a free port unless ``--url`` is given):

* the baseline: GET of the same bytes from ``/web/content`` (Odoo's own download, with a
  session cookie, as the browser does);
* what Word sends to ``/effect_crm/dav/<token>/<file>``: PROPFIND depth 0, GET, and PUT of
  an edited document (each PUT is a new version: the text extracted, the content controls
  read back, the differences with the database computed).

The time is the request's wall time seen by a client on the same machine (the server's
time plus a loopback round trip, the same for every operation). Target (issue 12): each
operation at most 3x the baseline. Timings are printed, never asserted in tests.
"""

import argparse
import base64
import io
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import docx
import requests
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from odoo_client import OdooClient, OdooServer, RpcError  # noqa: E402

TARGET = 3.0
LOCK_BODY = (
    '<?xml version="1.0" encoding="utf-8"?><D:lockinfo xmlns:D="DAV:">'
    "<D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype>"
    "<D:owner><D:href>bench</D:href></D:owner></D:lockinfo>"
)


def make_document(size_mb, seed):
    """A .docx of about ``size_mb`` MB: contract text and a picture of noise."""
    rng = random.Random(seed)
    side = max(16, int((size_mb * 1024 * 1024 / 3) ** 0.5))
    picture = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    document = docx.Document()
    document.add_heading("HỢP ĐỒNG MUA BÁN HÀNG HÓA", 0)
    for article in range(40):
        document.add_paragraph(
            f"Điều {article + 1}. Hai bên thỏa thuận về giao hàng, thanh toán và bảo hành "
            f"(bản {seed})."
        )
    buffer.seek(0)
    document.add_picture(buffer)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def timed(function):
    started = time.perf_counter()
    response = function()
    elapsed = (time.perf_counter() - started) * 1000
    return elapsed, response


def expect(response, statuses, what):
    if response.status_code not in statuses:
        sys.exit(f"{what}: HTTP {response.status_code} {response.text[:200]}")
    return response


def run(url, dbname, login, password, repeat, size_mb):
    admin = OdooClient(url, dbname, login, password)
    partner_id = admin.execute(
        "res.partner", "search", [("is_company", "=", True), ("effect_stage", "!=", False)], limit=1
    )[0]
    # every save from Word is another document (the file store keeps no twin to compare)
    documents = [make_document(size_mb, seed) for seed in range(repeat + 2)]
    contract_id = admin.execute(
        "effect.crm.contract", "create", {"partner_id": partner_id, "title": "Bench WebDAV"}
    )
    try:
        version_id = admin.execute(
            "effect.crm.contract.version",
            "create",
            {
                "contract_id": contract_id,
                "file": base64.b64encode(documents[0]).decode(),
                "file_name": "bench-webdav.docx",
            },
        )
        action = admin.execute("effect.crm.contract.version", "action_edit_in_word", [version_id])
        link = action["params"]["url"].split("|u|", 1)[1]
        dav_url = url + urlsplit(link).path  # web.base.url may name another host
        browser = requests.Session()
        expect(
            browser.post(
                f"{url}/web/session/authenticate",
                json={"params": {"db": dbname, "login": login, "password": password}},
                timeout=120,
            ),
            (200,),
            "login",
        )
        content_url = f"{url}/web/content/effect.crm.contract.version/{version_id}/file"
        word = requests.Session()  # Word sends no cookie: the token in the URL is all
        lock = expect(
            word.request("LOCK", dav_url, data=LOCK_BODY, headers={"Timeout": "Second-3600"}),
            (200,),
            "LOCK",
        ).headers["Lock-Token"]
        store_url = f"{url}/web/dataset/call_kw/ir.attachment/create"
        times = {"baseline": [], "PROPFIND": [], "GET": [], "PUT": [], "store": []}
        current = documents[0]
        for round_ in range(repeat + 1):  # the first round warms the caches, not counted
            # the baseline serves the version the WebDAV GET serves in the same round
            elapsed_base, response = timed(
                lambda content_url=content_url: browser.get(content_url, timeout=120)
            )
            expect(response, (200,), "/web/content")
            if response.content != current:
                sys.exit("/web/content did not serve the document")
            elapsed_find, response = timed(
                lambda: word.request("PROPFIND", dav_url, headers={"Depth": "0"}, timeout=120)
            )
            expect(response, (207,), "PROPFIND")
            if f"<D:getcontentlength>{len(current)}<" not in response.text:
                sys.exit("PROPFIND does not give the document's length")
            elapsed_get, response = timed(lambda: word.get(dav_url, timeout=120))
            expect(response, (200,), "GET")
            if response.content != current:
                sys.exit("WebDAV GET did not serve the document")
            edited = documents[round_ + 1]
            elapsed_put, response = timed(
                lambda edited=edited: word.put(
                    dav_url, data=edited, headers={"If": f"({lock})"}, timeout=120
                )
            )
            expect(response, (201, 204), "PUT")
            current = edited
            # a reference for PUT: Odoo storing the same bytes as an attachment of the
            # contract from the browser (JSON-RPC create, the body prepared beforehand)
            body = json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": "ir.attachment",
                        "method": "create",
                        "args": [
                            {
                                "name": f"bench-{round_}.docx",
                                "datas": base64.b64encode(edited).decode(),
                                "res_model": "effect.crm.contract",
                                "res_id": contract_id,
                            }
                        ],
                        "kwargs": {},
                    },
                }
            ).encode()
            elapsed_store, response = timed(
                lambda body=body: browser.post(
                    store_url,
                    data=body,
                    headers={"Content-Type": "application/json"},
                    timeout=120,
                )
            )
            if "error" in expect(response, (200,), "attachment").json():
                sys.exit(f"attachment: {response.text[:200]}")
            # the download follows the latest version: point the baseline at it
            last = admin.execute("effect.crm.contract", "read", [contract_id], ["last_version_id"])[
                0
            ]["last_version_id"][0]
            content_url = f"{url}/web/content/effect.crm.contract.version/{last}/file"
            if round_:
                measured = (elapsed_base, elapsed_find, elapsed_get, elapsed_put, elapsed_store)
                for key, value in zip(times, measured, strict=True):
                    times[key].append(value)
        expect(word.request("UNLOCK", dav_url, headers={"Lock-Token": lock}), (204,), "UNLOCK")
        count = admin.execute("effect.crm.contract", "read", [contract_id], ["version_count"])[0][
            "version_count"
        ]
        if count != repeat + 2:
            sys.exit(f"{count} versions after {repeat + 1} saves: a PUT made no version")
    finally:
        try:
            admin.execute("effect.crm.contract", "unlink", [contract_id])
        except RpcError as error:
            print(f"the bench contract {contract_id} stays: {error}", file=sys.stderr)
    baseline = statistics.median(times["baseline"])
    operations = []
    for method in ("PROPFIND", "GET", "PUT"):
        ms = statistics.median(times[method])
        operations.append(
            {
                "operation": f"WebDAV {method}"
                + (" depth 0" if method == "PROPFIND" else "")
                + f" of a {len(documents[0]) / 1024 / 1024:.2f} MB .docx",
                "ms": round(ms, 1),
                "baseline": "GET of the same bytes from /web/content",
                "baseline_ms": round(baseline, 1),
                "ratio": round(ms / baseline, 2),
                "target": TARGET,
                "met": ms <= TARGET * baseline,
            }
        )
    store = statistics.median(times["store"])
    put = operations[-1]
    put["reference"] = "Odoo storing the same bytes as an attachment (JSON-RPC create)"
    put["reference_ms"] = round(store, 1)
    put["reference_ratio"] = round(put["ms"] / store, 2)
    return {
        "size_bytes": len(documents[0]),
        "repeat": repeat,
        "operations": operations,
        "met": all(item["met"] for item in operations),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default=os.environ.get("EFFECT_TEST_DB", "effect_bench"))
    parser.add_argument("--url", help="a running server; without it one is started")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--size-mb", type=float, default=1.0)
    parser.add_argument("--json", help="write the report here")
    args = parser.parse_args()
    server = None if args.url else OdooServer(args.db)
    try:
        report = run(
            args.url or server.url, args.db, args.login, args.password, args.repeat, args.size_mb
        )
    finally:
        if server:
            server.stop()
    for item in report["operations"]:
        print(
            f"{item['operation']}: {item['ms']} ms, {item['baseline']} {item['baseline_ms']} ms,"
            f" {item['ratio']}x (target <= {item['target']}x: "
            f"{'met' if item['met'] else 'NOT met'})"
            + (
                f"; {item['reference']} {item['reference_ms']} ms, {item['reference_ratio']}x"
                if "reference" in item
                else ""
            )
        )
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
