"""How long ago a customer was last contacted, in the bands the statistics use."""

from odoo.tools import SQL

RECENCY_BANDS = (
    # (key, last day of the band); ``None`` closes the list
    ("week", 7),
    ("month", 30),
    ("quarter", 90),
    ("older", None),
)


def contact_recency(days_since_contact):
    """The band of a customer last contacted ``days_since_contact`` days ago.

    ``never`` when there was no contact (``None``); ``week`` up to 7 days,
    ``month`` up to 30, ``quarter`` up to 90, ``older`` beyond.
    """
    if days_since_contact is None:
        return "never"
    for key, last_day in RECENCY_BANDS:
        if last_day is None or days_since_contact <= last_day:
            return key
    return "older"  # pragma: no cover (the list ends with an open band)


def recency_sql(days):
    """PostgreSQL expression of :func:`contact_recency` for an integer expression
    (an ``odoo.tools.SQL`` object, its parameters kept)."""
    cases = SQL(" ").join(
        SQL("WHEN (%s) <= %s THEN %s", days, last_day, key)
        for key, last_day in RECENCY_BANDS
        if last_day is not None
    )
    return SQL("CASE WHEN (%s) IS NULL THEN 'never' %s ELSE 'older' END", days, cases)
