"""The one "today" of EFFECT CRM: the user's today, in the user's time zone.

Between 17:00 and 24:00 UTC it is already tomorrow in Vietnam, so "today" in UTC
(or in the server's zone) is a day behind the salesperson's. Every date rule of
EFFECT CRM (promotion validity, contract dates, quote and contract expiry, aging of
receivables, days since the last contact, the agenda's buckets) asks these functions
for today, with the time zone chosen by :func:`tz_name` and the UTC clock of the
server (Python's, so that tests can freeze it; never PostgreSQL's ``now()``).

The model side is ``effect.crm.clock`` (``self.env["effect.crm.clock"]._effect_today()``),
which picks the time zone of the request: the context's, else the user's, else the
company's, else :data:`HOME_TZ`. Scheduled actions run as a user without a time zone,
so they work on the company's today, or Vietnam's.
"""

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: the time zone of "today" when neither the user nor the company has one
HOME_TZ = "Asia/Ho_Chi_Minh"


def zone(tz_name):
    """The time zone called ``tz_name``, or UTC when it is empty or unknown."""
    if not tz_name:
        return timezone.utc
    try:
        return ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.utc


def is_known(tz_name):
    """Whether ``tz_name`` names a time zone (``"UTC"`` does, ``""`` and typos don't)."""
    if not tz_name or not isinstance(tz_name, str):
        return False
    try:
        ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def tz_name(*candidates, fallback=HOME_TZ):
    """The first known time zone name of ``candidates``, else ``fallback``.

    ``tz_name(context_tz, user_tz, company_tz)`` is the rule of the whole product.
    """
    for candidate in candidates:
        if is_known(candidate):
            return candidate
    return fallback


def utc_now():
    """The server's clock: a naive UTC datetime, as Odoo stores datetimes."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def local_date(moment, tz):
    """The local date of ``moment`` (a naive UTC datetime, as Odoo stores them) in ``tz``.

    A ``date`` (not a datetime) is returned as it is: it is already a local day.
    """
    if not isinstance(moment, datetime):
        return moment
    aware = moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment
    return aware.astimezone(zone(tz)).date()


def local_today(tz, now=None):
    """Today in the time zone ``tz``; ``now`` is a naive UTC datetime (default: the clock)."""
    return local_date(now or utc_now(), tz)


def week_start(day):
    """The Monday of the week of ``day`` (weeks start on Monday in Vietnam, as ISO's)."""
    return day - timedelta(days=day.weekday())


def quarter_start(day):
    """The first day of the calendar quarter of ``day``."""
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def quarter_end(day):
    """The last day of the calendar quarter of ``day``."""
    start = quarter_start(day)
    following = (
        start.replace(year=start.year + 1, month=1)
        if start.month == 10
        else start.replace(month=start.month + 3)
    )
    return following - timedelta(days=1)


def utc_start(day, tz):
    """The naive UTC moment the local ``day`` starts in ``tz`` (midnight there).

    The bound of a period of local days against datetimes stored in UTC: the local
    days ``[a, b)`` are the moments ``utc_start(a, tz) <= moment < utc_start(b, tz)``.
    """
    local = datetime.combine(day, time.min).replace(tzinfo=zone(tz))
    return local.astimezone(timezone.utc).replace(tzinfo=None)
