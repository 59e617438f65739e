"""Aging of receivables: which bucket an amount due on a date falls in, today.

Plain Python, so that the buckets are tested without a database and the SQL of the
receivables analysis is generated from the same bands.
"""

from odoo.tools import SQL

BUCKETS = (
    # (key, last day overdue of the bucket); ``None`` closes the list
    ("not_due", 0),
    ("1_30", 30),
    ("31_60", 60),
    ("61_90", 90),
    ("over_90", None),
)
BUCKET_KEYS = tuple(key for key, _last_day in BUCKETS)


def days_overdue(due_date, today):
    """Days past ``due_date`` on ``today``: 0 when not yet due (due today is not overdue)."""
    return max((today - due_date).days, 0)


def bucket_of(days):
    """The bucket of an amount ``days`` overdue: ``not_due`` for 0, then 1-30, 31-60…"""
    for key, last_day in BUCKETS:
        if last_day is None or days <= last_day:
            return key
    return BUCKETS[-1][0]  # pragma: no cover (the list ends with an open bucket)


def age(items, today):
    """Total, overdue amount and aging buckets of ``items``.

    ``items``: iterable of ``(due_date, amount)``; an open credit (a credit note or a
    payment not yet matched with an invoice) is a negative amount and counts in the
    bucket of its own date, as in Odoo's aged receivable report.
    Returns a dict with ``total``, ``overdue`` and one key per bucket.
    """
    result = dict.fromkeys(("total", "overdue", *BUCKET_KEYS), 0.0)
    for due_date, amount in items:
        key = bucket_of(days_overdue(due_date, today))
        result[key] += amount
        result["total"] += amount
        if key != "not_due":
            result["overdue"] += amount
    return result


def bucket_sql(days):
    """PostgreSQL expression of :func:`bucket_of` for an integer expression ``days``
    (an ``odoo.tools.SQL`` object, its parameters kept)."""
    cases = SQL(" ").join(
        SQL("WHEN (%s) <= %s THEN %s", days, last_day, key)
        for key, last_day in BUCKETS
        if last_day is not None
    )
    return SQL("CASE %s ELSE %s END", cases, BUCKETS[-1][0])
