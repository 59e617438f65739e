"""A batch of a scheduled action that meets a user's concurrent change is done again.

PostgreSQL refuses a transaction that changes a row another transaction changed since it
began ("could not serialize access due to concurrent update", Odoo's REPEATABLE READ), or
that waits for locks in a cycle (a deadlock). Odoo runs an HTTP request that meets one
again, a few times; the batch loop of a long job must do the same: a customer a
salesperson updated a moment before is no reason to fail a job of 10,000 customers.
"""

import logging
import random
import time

from psycopg2 import errors

_logger = logging.getLogger(__name__)

CONFLICTS = (errors.SerializationFailure, errors.DeadlockDetected, errors.LockNotAvailable)
TRIES = 5  # as Odoo's requests (odoo.service.model.MAX_TRIES_ON_CONCURRENCY_FAILURE)


def retry_on_conflict(run, rollback, *, tries=TRIES, wait=time.sleep, log=None):
    """``run()``'s result. When it meets a concurrency conflict: ``rollback()``, wait a
    random time that grows with each attempt (Odoo's back-off for requests), and run it
    again, ``tries`` times in all; the last conflict is raised. ``log(error, attempt)``
    is told of each conflict retried."""
    for attempt in range(1, tries + 1):
        try:
            return run()
        except CONFLICTS as error:
            rollback()
            if attempt == tries:
                raise
            if log:
                log(error, attempt)
            wait(random.uniform(0.0, 2**attempt))
    return None


def run_cron_step(env, step, label, **retry):
    """``step()``'s result, for one batch of a scheduled job: what it writes is flushed
    inside the retries (where a user's concurrent change is met, not at the commit
    after them), and the batch is rolled back and done again on a conflict. Any other
    error rolls the batch back, is logged with ``label`` ("Reassignment 7") and raised
    for the job to record. ``retry``: options of ``retry_on_conflict``."""

    def run():
        result = step()
        env.flush_all()
        return result

    def log(error, attempt):
        _logger.info(
            "%s: %s; the batch runs again (attempt %s)", label, str(error).strip(), attempt + 1
        )

    try:
        return retry_on_conflict(run, env.cr.rollback, log=log, **retry)
    except Exception:
        env.cr.rollback()
        _logger.exception("%s failed", label)
        raise
