"""effect_crm's retry of a batch that met a concurrent change (no database)."""

import pytest
from conftest import load_tools
from psycopg2 import errors

concurrency = load_tools("effect_crm").concurrency


class Batch:
    """A batch that meets ``conflicts`` (exception classes) before it passes."""

    def __init__(self, *conflicts):
        self.conflicts = list(conflicts)
        self.runs = self.rollbacks = 0
        self.waits, self.logged = [], []

    def run(self):
        self.runs += 1
        if self.conflicts:
            raise self.conflicts.pop(0)("could not serialize access due to concurrent update")
        return "done"

    def rollback(self):
        self.rollbacks += 1

    def retry(self, **kwargs):
        return concurrency.retry_on_conflict(
            self.run, self.rollback, wait=self.waits.append,
            log=lambda error, attempt: self.logged.append(attempt), **kwargs,
        )  # fmt: skip


def test_a_conflict_rolls_back_and_runs_the_batch_again():
    batch = Batch(errors.SerializationFailure, errors.DeadlockDetected)
    assert batch.retry() == "done"
    assert (batch.runs, batch.rollbacks, batch.logged) == (3, 2, [1, 2])
    # a random wait within Odoo's growing bound before each new attempt
    assert 0 <= batch.waits[0] <= 2 and 0 <= batch.waits[1] <= 4


def test_a_batch_that_keeps_conflicting_fails_after_the_tries():
    batch = Batch(*[errors.LockNotAvailable] * 3)
    with pytest.raises(errors.LockNotAvailable):
        batch.retry(tries=3)
    assert (batch.runs, batch.rollbacks, len(batch.waits)) == (3, 3, 2)


def test_any_other_error_is_not_retried():
    batch = Batch(ValueError)
    with pytest.raises(ValueError):
        batch.retry()
    assert (batch.runs, batch.rollbacks) == (1, 0)


class Env:
    """What a scheduled job's batch uses of an Odoo environment."""

    def __init__(self, batch):
        self.cr = batch  # rollback()
        self.flushes = 0

    def flush_all(self):
        self.flushes += 1


def test_a_cron_step_is_flushed_inside_the_retries():
    # the ORM writes at the flush: a conflict met there must be retried too
    batch = Batch(errors.SerializationFailure)
    env = Env(batch)
    assert (
        concurrency.run_cron_step(env, batch.run, "Reassignment 7", wait=batch.waits.append)
        == "done"
    )
    assert (batch.runs, batch.rollbacks, env.flushes) == (2, 1, 1)


def test_a_failed_cron_step_is_rolled_back_logged_and_raised(caplog):
    batch = Batch(ValueError)
    with pytest.raises(ValueError):
        concurrency.run_cron_step(Env(batch), batch.run, "Letter campaign 3")
    assert batch.rollbacks == 1
    assert "Letter campaign 3 failed" in caplog.text
