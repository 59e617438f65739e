"""A background job whose batch meets a user's concurrent change does the batch again.

A salesperson's request updates a customer while the reassignment's batch (in the
scheduled action) is about to move it: PostgreSQL refuses the batch's update ("could
not serialize access due to concurrent update"). The batch is rolled back and done
again: the job ends done, not failed, every customer moved once, and the user's change
is kept. Here the user's change is a transaction held open on the test database, so
that the conflict happens every time, not by chance (bench/load.py meets it by chance).
"""

import time

from odoo_client import db_connection
from test_crash import fetch, run_in_background, trigger_cron


def wait_for_lock_wait(dbname, timeout=300):
    """Until a session of ``dbname`` waits for a row lock (the batch, on our row)."""
    deadline = time.monotonic() + timeout
    conn = db_connection(dbname)
    conn.autocommit = True
    try:
        with conn.cursor() as cr:
            while time.monotonic() < deadline:
                cr.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = %s AND wait_event_type = 'Lock'",
                    [dbname],
                )
                if cr.fetchone()[0]:
                    return
                time.sleep(0.05)
    finally:
        conn.close()
    raise TimeoutError("the batch never waited for the customer the user changes")


def test_reassignment_batch_meeting_a_users_change_runs_again(server, admin, test_db, ref):
    an, binh = (
        admin.execute("res.users", "search", [("login", "=", login)])[0] for login in ("an", "binh")
    )
    count = 600  # two batches of 500
    ids = admin.execute(
        "res.partner", "create",
        [{"name": f"Khách hàng tranh chấp {i:04d}", "is_company": True,
          "effect_stage": "customer", "user_id": an} for i in range(count)],
    )  # fmt: skip
    job = admin.execute(
        "effect.crm.reassignment", "create",
        {"mode": "move", "partner_ids": [(6, 0, ids)], "to_user_id": binh},
    )  # fmt: skip
    admin.execute("effect.crm.reassignment", "action_start", [job])
    # the user's request: it has updated the first customer and not committed yet
    user = db_connection(test_db)
    try:
        with user.cursor() as cr:
            cr.execute(
                "UPDATE res_partner SET comment = %s WHERE id = %s", ["<p>Gọi lại</p>", ids[0]]
            )
        thread, outcome = run_in_background(
            lambda: trigger_cron(admin, ref("ir_cron_effect_crm_reassignment"))
        )
        wait_for_lock_wait(test_db)  # the batch waits for the user's row
        user.commit()  # the user's change is in: the batch's update is refused
    finally:
        user.close()
    thread.join(timeout=600)
    assert "error" not in outcome, outcome
    [(done, moved, state, error)] = fetch(
        test_db,
        "SELECT done_count, moved_count, state, error FROM effect_crm_reassignment WHERE id = %s",
        [job],
    )
    assert (done, moved, state, error) == (count, count, "done", None)
    history = fetch(
        test_db,
        "SELECT partner_id, count(*) FROM effect_crm_territory_history"
        " WHERE reassignment_id = %s GROUP BY partner_id",
        [job],
    )
    assert len(history) == count and {n for _p, n in history} == {1}, "each moved once"
    # the user's change is kept, and the customer moved
    [(comment, user_id)] = fetch(
        test_db, "SELECT comment, user_id FROM res_partner WHERE id = %s", [ids[0]]
    )
    assert (comment, user_id) == ("<p>Gọi lại</p>", binh)
