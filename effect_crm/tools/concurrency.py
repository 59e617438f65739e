"""A batch of a scheduled action that meets a user's concurrent change is done again.

PostgreSQL refuses a transaction that changes a row another transaction changed since it
began ("could not serialize access due to concurrent update", Odoo's REPEATABLE READ), or
that waits for locks in a cycle (a deadlock). Odoo runs an HTTP request that meets one
again, a few times; the batch loop of a long job must do the same: a customer a
salesperson updated a moment before is no reason to fail a job of 10,000 customers.
"""

import random
import time

from psycopg2 import errors

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
