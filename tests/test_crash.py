"""A server killed (SIGKILL) in the middle of a background job loses nothing.

A server of its own on the test database runs the job in a request
(``ir.cron.method_direct_trigger``, as the scheduler would); it is killed while the
job is between two committed batches, restarted, and the job resumes: every record
is done exactly once, nothing of the killed batch is half-written.
"""

import base64
import contextlib
import hashlib
import io
import os
import signal
import socket
import threading
import time
from urllib.parse import urlsplit

import docx
import pytest
import requests
from odoo_client import OdooServer, RpcError, db_connection

KILL_TIMEOUT = 600


def kill(server):
    """SIGKILL the server and everything it started, as a power cut would."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.process.pid, signal.SIGKILL)
    server.process.wait()
    server.stop()


def run_in_background(function):
    """Start ``function`` in a thread (a request the kill interrupts); errors are kept."""
    outcome = {}

    def target():
        try:
            outcome["result"] = function()
        except Exception as error:  # the connection dies with the server
            outcome["error"] = error

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, outcome


def wait_for(dbname, query, params, condition, timeout=KILL_TIMEOUT):
    """Poll ``query`` (one row) on the committed data until ``condition(row)``."""
    deadline = time.monotonic() + timeout
    with db_connection(dbname) as conn:
        conn.autocommit = True
        with conn.cursor() as cr:
            while time.monotonic() < deadline:
                cr.execute(query, params)
                row = cr.fetchone()
                if condition(row):
                    return row
                time.sleep(0.05)
    conn.close()
    raise TimeoutError(f"{query} never satisfied the condition")


def fetch(dbname, query, params=()):
    with db_connection(dbname) as conn, conn.cursor() as cr:
        cr.execute(query, params)
        rows = cr.fetchall()
    conn.close()
    return rows


def run_cron_until(client, cron_id, dbname, query, params, condition, runs=60):
    """Run the scheduled action until ``condition(row)`` holds on the committed data, as
    the scheduler would: a run that is out of time leaves the rest to the next one (on
    a loaded machine one run may not finish the job)."""
    for _run in range(runs):
        trigger_cron(client, cron_id)
        row = fetch(dbname, query, params)[0]
        if condition(row):
            return row
    raise TimeoutError(f"the job was not done after {runs} runs: {row}")


def create_in_batches(client, model, values, size=250):
    """``create`` in requests of ``size`` records (each a short request)."""
    ids = []
    for start in range(0, len(values), size):
        ids += client.execute(model, "create", values[start : start + size])
    return ids


def trigger_cron(client, cron_id, attempts=120):
    """Run the scheduled action now; wait while the killed server's lock is released."""
    for _attempt in range(attempts):
        try:
            return client.execute("ir.cron", "method_direct_trigger", [cron_id])
        except RpcError as error:
            if "already executing" not in error.message:
                raise
            time.sleep(1)
    raise TimeoutError("the scheduled action stayed locked")


@pytest.fixture
def own_server(test_db):
    """A server of this test only: the one the test kills."""
    servers = [OdooServer(test_db)]
    yield servers
    for server in servers:
        server.stop()


def test_reassignment_killed_mid_batch_resumes_and_moves_each_customer_once(
    own_server, test_db, ref
):
    server = own_server[0]
    admin = server.client("admin")
    an, binh = (
        admin.execute("res.users", "search", [("login", "=", login)])[0] for login in ("an", "binh")
    )
    count = 1500  # three batches of 500
    ids = create_in_batches(
        admin,
        "res.partner",
        [
            {"name": f"Khách hàng sự cố {i:04d}", "is_company": True, "effect_stage": "customer"}
            | {"user_id": an}
            for i in range(count)
        ],
    )
    job = admin.execute(
        "effect.crm.reassignment",
        "create",
        {"mode": "move", "partner_ids": [(6, 0, ids)], "to_user_id": binh},
    )
    admin.execute("effect.crm.reassignment", "action_start", [job])
    cron = ref("ir_cron_effect_crm_reassignment")

    thread, _outcome = run_in_background(lambda: trigger_cron(admin, cron))
    progress = "SELECT done_count, state FROM effect_crm_reassignment WHERE id = %s"
    done, state = wait_for(test_db, progress, [job], lambda row: row[0] > 0)
    kill(server)
    thread.join(timeout=60)
    done, state = fetch(test_db, progress, [job])[0]
    assert state == "queued" and 0 < done < count, "killed between two batches"

    moved_query = "SELECT count(*) FROM res_partner WHERE id = ANY(%s) AND user_id = %s"
    # the killed batch left nothing: exactly the committed batches are moved
    assert fetch(test_db, moved_query, [ids, binh])[0][0] == done

    server = OdooServer(test_db)
    own_server.append(server)
    done, moved, state = run_cron_until(
        server.client("admin"),
        cron,
        test_db,
        "SELECT done_count, moved_count, state FROM effect_crm_reassignment WHERE id = %s",
        [job],
        lambda row: row[2] != "queued",
    )
    assert (done, moved, state) == (count, count, "done")
    assert fetch(test_db, moved_query, [ids, binh])[0][0] == count
    history = fetch(
        test_db,
        "SELECT partner_id, count(*) FROM effect_crm_territory_history"
        " WHERE reassignment_id = %s GROUP BY partner_id",
        [job],
    )
    assert len(history) == count, "every customer has its move in the history"
    assert {n for _partner, n in history} == {1}, "no customer moved twice"


def test_mail_merge_killed_mid_batch_resumes_without_missing_or_doubled_letters(
    own_server, test_db, ref
):
    server = own_server[0]
    admin = server.client("admin")
    count = 300  # three batches of 100 letters
    marker = "Thư sự cố"
    partners = create_in_batches(
        admin,
        "res.partner",
        [
            {"name": f"{marker} {i:04d}", "is_company": True, "effect_stage": "customer"}
            for i in range(count)
        ],
    )
    campaign = admin.execute(
        "effect.crm.mailmerge.campaign",
        "create",
        {
            "name": "Chiến dịch sự cố",
            "template_id": ref("template_thank_you_demo", "effect_crm_mailmerge"),
            "partner_domain": repr([("name", "=like", f"{marker} %")]),
        },
    )
    admin.execute("effect.crm.mailmerge.campaign", "action_launch", [campaign])
    recipients = admin.execute(
        "effect.crm.mailmerge.recipient", "search", [("campaign_id", "=", campaign)]
    )
    assert len(recipients) == count
    admin.execute("effect.crm.mailmerge.campaign", "action_generate", [campaign])
    cron = ref("ir_cron_effect_mailmerge_generate", "effect_crm_mailmerge")

    made = (
        "SELECT count(*) FILTER (WHERE letter_done),"
        " count(*) FILTER (WHERE attachment_id IS NOT NULL),"
        " count(*) FILTER (WHERE interaction_id IS NOT NULL)"
        " FROM effect_crm_mailmerge_recipient WHERE campaign_id = %s"
    )
    thread, _outcome = run_in_background(lambda: trigger_cron(admin, cron))
    wait_for(test_db, made, [campaign], lambda row: row[0] > 0)
    kill(server)
    thread.join(timeout=60)
    [(done, with_file, with_interaction)] = fetch(test_db, made, [campaign])
    assert 0 < done < count, "killed between two batches"
    # the killed batch left nothing half-made: a letter is its file and its interaction
    assert done == with_file == with_interaction

    server = OdooServer(test_db)
    own_server.append(server)
    (state,) = run_cron_until(
        server.client("admin"),
        cron,
        test_db,
        "SELECT state FROM effect_crm_mailmerge_campaign WHERE id = %s",
        [campaign],
        lambda row: row[0] != "generating",
    )
    assert state == "done"
    assert fetch(test_db, made, [campaign])[0] == (count, count, count)
    # one letter interaction and one letter file per customer: none missing, none doubled
    letters = fetch(
        test_db,
        "SELECT partner_id, count(*) FROM effect_crm_interaction"
        " WHERE partner_id = ANY(%s) GROUP BY partner_id",
        [partners],
    )
    assert len(letters) == count and {n for _p, n in letters} == {1}
    files = fetch(
        test_db,
        "SELECT count(*), count(DISTINCT res_id) FROM ir_attachment"
        " WHERE res_model = 'effect.crm.interaction' AND res_id IN"
        " (SELECT id FROM effect_crm_interaction WHERE partner_id = ANY(%s))",
        [partners],
    )
    assert files == [(count, count)]


def _docx_bytes(paragraphs):
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _send_put(url, body, sent_fraction):
    """Send a PUT of ``body`` as Word does, but only ``sent_fraction`` of the body; the
    socket is returned open (the answer is never read)."""
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=60)
    head = (
        f"PUT {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        "Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    sock.sendall(head.encode() + body[: int(len(body) * sent_fraction)])
    return sock


def _versions(client, contract):
    """(number, checksum, sha256 of the stored file) of each version of ``contract``."""
    ids = client.execute(
        "effect.crm.contract.version", "search", [("contract_id", "=", contract)], order="number"
    )
    rows = client.execute(
        "effect.crm.contract.version", "read", ids, ["number", "checksum", "file"]
    )
    return [
        (row["number"], row["checksum"], hashlib.sha256(base64.b64decode(row["file"])).hexdigest())
        for row in rows
    ]


def test_contract_save_from_word_killed_leaves_no_half_written_version(own_server):
    server = own_server[0]
    admin = server.client("admin")
    partner = admin.execute(
        "res.partner", "create", {"name": "Khách hợp đồng sự cố", "is_company": True}
    )
    admin.execute("res.partner", "write", [partner], {"effect_stage": "customer"})
    contract = admin.execute(
        "effect.crm.contract",
        "create",
        {"partner_id": partner, "title": "Hợp đồng lưu từ Word", "amount": 1000},
    )
    first = _docx_bytes(["Bản 1"])
    version = admin.execute(
        "effect.crm.contract.version",
        "create",
        {"contract_id": contract, "file": base64.b64encode(first).decode(), "file_name": "hd.docx"},
    )
    action = admin.execute("effect.crm.contract.version", "action_edit_in_word", [version])
    path = "/effect_crm/dav/" + action["params"]["url"].split("/effect_crm/dav/", 1)[1]
    before = _versions(admin, contract)
    assert [(n, c == s) for n, c, s in before] == [(1, True)]
    # Word saves a document of some size: a few thousand paragraphs
    saved = _docx_bytes([f"Điều {i}: nội dung đã sửa trong Word." for i in range(4000)])

    # 1. killed while Word is still sending the file: nothing changed
    sock = _send_put(server.url + path, saved, 0.5)
    time.sleep(1)
    kill(server)
    sock.close()
    server = OdooServer(server.dbname)
    own_server.append(server)
    admin = server.client("admin")
    assert _versions(admin, contract) == before

    # 2. killed once the whole file is sent, before the answer: the version is either
    # complete or absent, never a half-written one
    sock = _send_put(server.url + path, saved, 1.0)
    kill(server)
    sock.close()
    server = OdooServer(server.dbname)
    own_server.append(server)
    admin = server.client("admin")
    after_kill = _versions(admin, contract)
    assert after_kill in (before, [*before, (2, sha256(saved), sha256(saved))])

    # Word saves again (its retry): exactly one new version, complete
    response = requests.put(server.url + path, data=saved, timeout=300)
    assert response.status_code in (201, 204)
    assert _versions(admin, contract) == [*before, (2, sha256(saved), sha256(saved))]


def sha256(data):
    return hashlib.sha256(data).hexdigest()
