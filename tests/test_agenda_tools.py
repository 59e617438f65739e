"""Unit tests of the agenda's day arithmetic and the follow-up bands (no database)."""

from datetime import date, datetime, timedelta

import pytest
from conftest import load_tools

from odoo.tools import SQL

tools = load_tools("effect_crm")
agenda = tools.agenda
followup = tools.followup

WEDNESDAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("day", "bucket"),
    [
        (date(2025, 11, 25), "overdue"),
        (WEDNESDAY - timedelta(days=1), "overdue"),
        (WEDNESDAY, "today"),
        (WEDNESDAY + timedelta(days=1), "tomorrow"),
        (WEDNESDAY + timedelta(days=2), "this_week"),
        (date(2026, 11, 29), "this_week"),  # Sunday ends the ISO week
        (date(2026, 11, 30), "later"),  # next Monday
        (date(2027, 11, 25), "later"),  # a year ahead
    ],
)
def test_day_bucket(day, bucket):
    assert agenda.day_bucket(day, WEDNESDAY) == bucket


def test_on_sunday_tomorrow_is_next_week():
    sunday = date(2026, 11, 29)
    assert agenda.day_bucket(sunday + timedelta(days=1), sunday) == "tomorrow"
    assert agenda.day_bucket(sunday + timedelta(days=2), sunday) == "later"


def test_day_bucket_needs_a_date():
    with pytest.raises(TypeError):
        agenda.day_bucket("2026-11-25", WEDNESDAY)
    assert agenda.day_bucket(datetime(2026, 11, 25, 23, 59), WEDNESDAY) == "today"


@pytest.mark.parametrize(
    ("utc", "tz", "day"),
    [
        # 23:30 in Hồ Chí Minh City is 16:30 UTC the same day
        (datetime(2026, 11, 25, 16, 30), "Asia/Ho_Chi_Minh", date(2026, 11, 25)),
        # 00:30 in Hồ Chí Minh City is 17:30 UTC the day before
        (datetime(2026, 11, 24, 17, 30), "Asia/Ho_Chi_Minh", date(2026, 11, 25)),
        (datetime(2026, 11, 24, 17, 30), "UTC", date(2026, 11, 24)),
        (datetime(2026, 11, 25, 3, 0), "America/Los_Angeles", date(2026, 11, 24)),
        (datetime(2026, 11, 25, 3, 0), "", date(2026, 11, 25)),
        (datetime(2026, 11, 25, 3, 0), "Not/AZone", date(2026, 11, 25)),
    ],
)
def test_local_date(utc, tz, day):
    assert agenda.local_date(utc, tz) == day


def test_local_today_uses_the_given_clock():
    now = datetime(2026, 11, 24, 18, 0)  # 01:00 the next day in Hồ Chí Minh City
    assert agenda.local_today("Asia/Ho_Chi_Minh", now) == date(2026, 11, 25)
    assert agenda.local_today("UTC", now) == date(2026, 11, 24)


def test_shift_to_day_keeps_the_local_time():
    # a 14:00-15:30 meeting in Hồ Chí Minh City moved to another day
    start, stop = datetime(2026, 11, 25, 7, 0), datetime(2026, 11, 25, 8, 30)
    new_start, new_stop = agenda.shift_to_day(start, stop, date(2026, 12, 3), "Asia/Ho_Chi_Minh")
    assert new_start == datetime(2026, 12, 3, 7, 0)
    assert new_stop - new_start == timedelta(hours=1, minutes=30)


def test_shift_to_day_across_daylight_saving():
    # 09:00 in Paris: 08:00 UTC in winter, 07:00 UTC in summer
    start = datetime(2026, 3, 20, 8, 0)
    new_start, _stop = agenda.shift_to_day(
        start, start + timedelta(hours=1), date(2026, 4, 2), "Europe/Paris"
    )
    assert new_start == datetime(2026, 4, 2, 7, 0)


def test_bucket_sql_has_every_bucket():
    expression = agenda.bucket_sql(SQL.identifier("d"), SQL("%s::date", date(2026, 11, 25)))
    for bucket in agenda.BUCKETS:
        assert f"'{bucket}'" in expression.code
    # the day's parameter travels with the expression, never pasted into its text
    assert "2026" not in expression.code
    assert set(expression.params) == {date(2026, 11, 25)}


@pytest.mark.parametrize(
    ("days", "band"),
    [(None, "never"), (0, "week"), (7, "week"), (8, "month"), (30, "month"), (31, "quarter"),
     (90, "quarter"), (91, "older"), (4000, "older")],
)  # fmt: skip
def test_contact_recency(days, band):
    assert followup.contact_recency(days) == band


def test_recency_sql_has_every_band():
    expression = followup.recency_sql(SQL.identifier("x"))
    assert "'never'" in expression.code and "'older'" in expression.code
    assert [p for p in expression.params if isinstance(p, str)] == ["week", "month", "quarter"]


@pytest.mark.parametrize("offset", range(-12, 15))
@pytest.mark.parametrize("utc_day", [WEDNESDAY, date(2026, 11, 29), date(2026, 11, 30)])
def test_bucket_day_bounds_hold_in_every_time_zone(utc_day, offset):
    """Whatever the salesperson's time zone, an action's day is within its bucket's range."""
    local_today = (datetime.combine(utc_day, datetime.min.time()) + timedelta(hours=offset)).date()
    for shift in range(-40, 60):
        day = local_today + timedelta(days=shift)
        bucket = agenda.day_bucket(day, local_today)
        first, last = agenda.bucket_day_bounds([bucket], utc_day)
        assert first is None or first <= day, (bucket, day, first)
        assert last is None or day <= last, (bucket, day, last)


def test_bucket_day_bounds_are_narrow():
    first, last = agenda.bucket_day_bounds(["today"], WEDNESDAY)
    assert (first, last) == (WEDNESDAY - timedelta(days=1), WEDNESDAY + timedelta(days=1))
    assert agenda.bucket_day_bounds(["overdue"], WEDNESDAY) == (None, WEDNESDAY)
    assert agenda.bucket_day_bounds(["overdue", "later"], WEDNESDAY) == (None, None)
    first, last = agenda.bucket_day_bounds(["nonsense"], WEDNESDAY)
    assert first > last  # no day at all


# ----------------------------------------------------------------------
# The clock: the user's today (tools/clock.py), never the machine's
# ----------------------------------------------------------------------

clock = tools.clock


@pytest.mark.parametrize(
    ("utc", "hcmc_day", "utc_day"),
    [
        (datetime(2026, 3, 15, 16, 59), date(2026, 3, 15), date(2026, 3, 15)),  # 23:59 HCMC
        (datetime(2026, 3, 15, 17, 1), date(2026, 3, 16), date(2026, 3, 15)),  # 00:01 HCMC
        (datetime(2026, 3, 15, 23, 59), date(2026, 3, 16), date(2026, 3, 15)),
        (datetime(2026, 3, 16, 0, 1), date(2026, 3, 16), date(2026, 3, 16)),
        (datetime(2026, 12, 31, 17, 0), date(2027, 1, 1), date(2026, 12, 31)),  # new year
    ],
)
def test_local_today_at_the_edges_of_the_day(utc, hcmc_day, utc_day):
    assert clock.local_today("Asia/Ho_Chi_Minh", utc) == hcmc_day
    assert clock.local_today("UTC", utc) == utc_day
    # agenda re-exports the same clock
    assert agenda.local_today is clock.local_today


def test_tz_name_picks_the_first_known_zone_then_vietnam():
    assert clock.tz_name("Europe/Paris", "Asia/Tokyo") == "Europe/Paris"
    assert clock.tz_name(False, "", "Not/AZone", "Asia/Tokyo") == "Asia/Tokyo"
    assert clock.tz_name(None, False) == clock.HOME_TZ == "Asia/Ho_Chi_Minh"
    assert clock.tz_name(None, fallback="UTC") == "UTC"


def test_local_date_leaves_a_date_alone():
    assert clock.local_date(date(2026, 3, 15), "Asia/Ho_Chi_Minh") == date(2026, 3, 15)
    assert clock.local_date(datetime(2026, 3, 15, 17, 0), "Asia/Ho_Chi_Minh") == date(2026, 3, 16)
