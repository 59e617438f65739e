"""Day arithmetic of the salesperson agenda, in the salesperson's time zone.

The agenda sorts planned actions and meetings into day buckets: overdue, today,
tomorrow, the rest of this (ISO, Monday-first) week, and later. Days are local
days: a meeting at 00:30 in Hồ Chí Minh City (17:30 UTC the day before) belongs
to the local day, not to the UTC one.

The SQL view of the agenda computes the same buckets in PostgreSQL;
:func:`bucket_sql` writes that expression from the same rules, and the tests
check both agree.
"""

from datetime import date, datetime, timedelta, timezone

from odoo.tools import SQL

# today and local days come from the one clock of EFFECT CRM (re-exported here)
from .clock import local_date, local_today, zone

__all__ = [
    "BUCKETS",
    "bucket_day_bounds",
    "bucket_sql",
    "day_bucket",
    "end_of_week",
    "local_date",
    "local_today",
    "shift_to_day",
    "zone",
]

BUCKETS = ("overdue", "today", "tomorrow", "this_week", "later")


def end_of_week(today):
    """The Sunday that ends the ISO week of ``today``."""
    return today + timedelta(days=7 - today.isoweekday())


def day_bucket(day, today):
    """The agenda bucket of an action due on ``day`` when it is ``today``.

    ``overdue`` before today; ``today``; ``tomorrow``; ``this_week`` up to the
    Sunday of the current week; ``later`` after that.
    """
    if not isinstance(day, date):
        raise TypeError(f"day must be a date, not {day!r}")
    if isinstance(day, datetime):
        day = day.date()
    if day < today:
        return "overdue"
    if day == today:
        return "today"
    if day == today + timedelta(days=1):
        return "tomorrow"
    if day <= end_of_week(today):
        return "this_week"
    return "later"


def bucket_day_bounds(buckets, utc_today):
    """The first and last day (None: open) of the actions in ``buckets``, in any time zone.

    A salesperson's today is within a day of ``utc_today`` (UTC-12 to UTC+14), so
    each bucket holds days in a range around it; an unknown bucket holds none.
    """
    earliest, latest = utc_today - timedelta(days=1), utc_today + timedelta(days=1)
    ranges = {
        "overdue": (None, latest - timedelta(days=1)),
        "today": (earliest, latest),
        "tomorrow": (earliest + timedelta(days=1), latest + timedelta(days=1)),
        "this_week": (earliest + timedelta(days=2), end_of_week(latest)),
        "later": (earliest + timedelta(days=1), None),
    }
    known = [ranges[bucket] for bucket in buckets if bucket in ranges]
    if not known:
        return utc_today, utc_today - timedelta(days=1)  # an empty range
    firsts = [first for first, _last in known]
    lasts = [last for _first, last in known]
    first = None if None in firsts else min(firsts)
    last = None if None in lasts else max(lasts)
    return first, last


def bucket_sql(day, today):
    """PostgreSQL expression of :func:`day_bucket` for two SQL date expressions
    (``odoo.tools.SQL`` objects, their parameters kept)."""
    return SQL(
        "CASE WHEN (%(day)s) < (%(today)s) THEN 'overdue' "
        "WHEN (%(day)s) = (%(today)s) THEN 'today' "
        "WHEN (%(day)s) = (%(today)s) + 1 THEN 'tomorrow' "
        "WHEN (%(day)s) <= (%(today)s) + (7 - EXTRACT(ISODOW FROM (%(today)s))::int) "
        "THEN 'this_week' "
        "ELSE 'later' END",
        day=day,
        today=today,
    )


def shift_to_day(start, stop, new_day, tz_name):
    """Move a meeting (naive UTC ``start``/``stop``) to ``new_day``, same local time.

    Returns the new ``(start, stop)``, naive UTC. The local clock time is kept
    even across a daylight-saving change.
    """
    tz = zone(tz_name)
    local_start = start.replace(tzinfo=timezone.utc).astimezone(tz)
    moved = datetime.combine(new_day, local_start.time().replace(tzinfo=None)).replace(tzinfo=tz)
    new_start = moved.astimezone(timezone.utc).replace(tzinfo=None)
    return new_start, new_start + (stop - start)
