"""Two users saving the same customer, quotation or contract on a real server.

One wins, the other is told who changed the record, and nothing is silently
overwritten: one save after the other (the second from a stale form), and both at
the same moment, when PostgreSQL makes one transaction fail and Odoo retries it.
"""

import threading
import time

import pytest
from odoo_client import RpcError, db_connection
from psycopg2 import sql

VERSION = "effect_edit_version"
# what each user changes on each kind of record, and the record's table
KINDS = {
    "customer": ("res.partner", "phone", "res_partner"),
    "quotation": ("sale.order", "client_order_ref", "sale_order"),
    "contract": ("effect.crm.contract", "title", "effect_crm_contract"),
}
# how long a loaded machine may take to bring both requests to the locked row
BLOCKED_TIMEOUT = 300


@pytest.fixture(scope="module")
def an(server):
    """A salesperson."""
    return server.client("an")


@pytest.fixture(scope="module")
def chau(server):
    """A sales manager: works every customer, An's included."""
    return server.client("chau")


@pytest.fixture(scope="module")
def chau_name(chau):
    return chau.execute("res.users", "read", [chau.uid], ["name"])[0]["name"]


@pytest.fixture
def records(an):
    """A new customer of An with a quotation and a contract, by kind: their ids."""
    customer = an.execute(
        "res.partner",
        "create",
        {"name": "Công ty Lưu Cùng Lúc", "is_company": True, "effect_stage": "prospect"},
    )
    quotation = an.execute("sale.order", "create", {"partner_id": customer})
    contract = an.execute(
        "effect.crm.contract", "create", {"partner_id": customer, "title": "Hợp đồng gốc"}
    )
    return {"customer": customer, "quotation": quotation, "contract": contract}


def _loaded(client, model, record_id, field):
    """What a form shows when the user opens it: the value and the edit count."""
    [row] = client.execute(model, "read", [record_id], [field, VERSION, "display_name"])
    return row


def _save(client, model, record_id, field, value, loaded):
    """The form's save: the change and the count it loaded. ``True`` or the error."""
    try:
        return client.execute(model, "write", [record_id], {field: value, VERSION: loaded})
    except RpcError as error:
        return error


@pytest.mark.parametrize("kind", KINDS)
def test_a_save_from_a_stale_form_is_refused(kind, records, an, chau, chau_name):
    model, field, _table = KINDS[kind]
    record_id = records[kind]
    opened_by_an = _loaded(an, model, record_id, field)
    opened_by_chau = _loaded(chau, model, record_id, field)
    assert opened_by_an[VERSION] == opened_by_chau[VERSION]

    assert _save(chau, model, record_id, field, "Châu sửa", opened_by_chau[VERSION]) is True
    refused = _save(an, model, record_id, field, "An sửa", opened_by_an[VERSION])

    assert isinstance(refused, RpcError)
    assert refused.name == "odoo.exceptions.UserError"
    assert chau_name in refused.message
    assert opened_by_an["display_name"] in refused.message
    now = _loaded(an, model, record_id, field)
    assert now[field] == "Châu sửa"
    assert now[VERSION] == opened_by_an[VERSION] + 1
    # An reloads: the save goes through
    assert _save(an, model, record_id, field, "An sửa", now[VERSION]) is True
    assert _loaded(chau, model, record_id, field)[field] == "An sửa"


@pytest.mark.parametrize("kind", KINDS)
def test_two_saves_at_the_same_moment_one_wins(kind, records, server, an, chau):
    """Both requests read the record before either writes it: a lock held on its row
    stops both at their update until both are there. Released, one commits; the
    other's update fails to serialize, Odoo retries it, and the retry is refused."""
    model, field, table = KINDS[kind]
    record_id = records[kind]
    loaded = _loaded(an, model, record_id, field)[VERSION]
    values = {"an": "An lưu cùng lúc", "chau": "Châu lưu cùng lúc"}
    clients = {"an": an, "chau": chau}
    results = {}
    barrier = threading.Barrier(2)

    def save(who):
        barrier.wait()
        results[who] = _save(clients[who], model, record_id, field, values[who], loaded)

    log_start = server.log_path.stat().st_size
    lock = db_connection(server.dbname)
    try:
        with lock.cursor() as cr:
            cr.execute(
                sql.SQL("SELECT id FROM {} WHERE id = %s FOR NO KEY UPDATE").format(
                    sql.Identifier(table)
                ),
                [record_id],
            )
            cr.execute("SELECT pg_backend_pid()")
            [[lock_pid]] = cr.fetchall()
            threads = [threading.Thread(target=save, args=(who,)) for who in clients]
            for thread in threads:
                thread.start()
            # wait (a condition, not a duration) until both requests wait for the row:
            # the first for this lock, the second behind the first in the row's queue
            deadline = time.monotonic() + BLOCKED_TIMEOUT
            while True:
                # pg_stat_activity is read once per transaction unless cleared
                cr.execute("SELECT pg_stat_clear_snapshot()")
                cr.execute(
                    """
                    WITH waiting AS (
                        SELECT pid, pg_blocking_pids(pid) AS blockers
                          FROM pg_stat_activity
                         WHERE datname = current_database()
                    ), first AS (SELECT pid FROM waiting WHERE %s = ANY(blockers))
                    SELECT count(*) FROM waiting
                     WHERE pid IN (SELECT pid FROM first)
                        OR blockers && ARRAY(SELECT pid FROM first)
                    """,
                    [lock_pid],
                )
                [[blocked]] = cr.fetchall()
                if blocked == 2:
                    break
                assert time.monotonic() < deadline, f"{blocked} of 2 saves reached the row"
                assert all(thread.is_alive() for thread in threads), results
                time.sleep(0.2)
        lock.rollback()
    finally:
        lock.close()
    for thread in threads:
        thread.join()

    # the loser's first attempt failed in PostgreSQL, and Odoo retried it
    with open(server.log_path, "rb") as log:
        log.seek(log_start)
        server_log = log.read().decode("utf-8", errors="replace")
    assert f'UPDATE "{table}"' in server_log
    assert "could not serialize access due to concurrent update" in server_log

    winners = [who for who, result in results.items() if result is True]
    losers = [who for who, result in results.items() if isinstance(result, RpcError)]
    assert len(winners) == 1 and len(losers) == 1, results
    [winner], [loser] = winners, losers
    assert results[loser].name == "odoo.exceptions.UserError"
    winner_name = clients[winner].execute("res.users", "read", [clients[winner].uid], ["name"])
    assert winner_name[0]["name"] in results[loser].message
    now = _loaded(an, model, record_id, field)
    assert now[field] == values[winner], "the loser's retry overwrote the winner"
    assert now[VERSION] == loaded + 1
