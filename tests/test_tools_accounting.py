"""Unit tests of effect_crm_accounting's plain-Python tools (no database)."""

from datetime import date, timedelta

import pytest
from conftest import load_tools

from odoo.tools import SQL

tools = load_tools("effect_crm_accounting")

TODAY = date(2026, 3, 31)


@pytest.mark.parametrize(
    ("days_ago", "bucket"),
    [
        (-400, "not_due"),
        (-1, "not_due"),
        (0, "not_due"),  # due today is not overdue
        (1, "1_30"),
        (30, "1_30"),
        (31, "31_60"),
        (60, "31_60"),
        (61, "61_90"),
        (90, "61_90"),
        (91, "over_90"),
        (3650, "over_90"),
    ],
)
def test_bucket_boundaries(days_ago, bucket):
    due = TODAY - timedelta(days=days_ago)
    assert tools.aging.bucket_of(tools.aging.days_overdue(due, TODAY)) == bucket


def test_days_overdue_across_months_and_leap_day():
    assert tools.aging.days_overdue(date(2028, 2, 28), date(2028, 3, 1)) == 2
    assert tools.aging.days_overdue(date(2026, 4, 1), TODAY) == 0


def test_age_sums_partial_amounts_and_credits():
    items = [
        (TODAY + timedelta(days=10), 1000.0),
        (TODAY - timedelta(days=10), 1500.0),  # 2,000 invoice with 500 paid
        (TODAY - timedelta(days=45), 3000.0),
        (TODAY - timedelta(days=45), 250.5),  # two lines due the same day add up
        (TODAY - timedelta(days=75), 4000.0),
        (TODAY - timedelta(days=100), 6000.0),
        (TODAY, -300.0),  # an open credit note
    ]
    result = tools.aging.age(items, TODAY)
    assert result == {
        "total": 15450.5,
        "overdue": 14750.5,
        "not_due": 700.0,
        "1_30": 1500.0,
        "31_60": 3250.5,
        "61_90": 4000.0,
        "over_90": 6000.0,
    }


def test_age_of_nothing():
    assert tools.aging.age([], TODAY) == dict.fromkeys(
        ("total", "overdue", "not_due", "1_30", "31_60", "61_90", "over_90"), 0.0
    )


def test_bucket_sql_follows_the_python_bands():
    sql = tools.aging.bucket_sql(SQL.identifier("d"))
    assert sql.code == (
        'CASE WHEN ("d") <= %s THEN %s WHEN ("d") <= %s THEN %s '
        'WHEN ("d") <= %s THEN %s WHEN ("d") <= %s THEN %s ELSE %s END'
    )
    # the bands travel as parameters, never pasted into the text
    assert sql.params == [0, "not_due", 30, "1_30", 60, "31_60", 90, "61_90", "over_90"]


COMPLETE = {
    "is_company": True,
    "vat": "0100109106",
    "vat_valid": True,
    "street": "Số 1 Tràng Tiền",
    "city": "Hà Nội",
    "state": 1,
    "country": 1,
    "payment_term": 1,
    "receivable_account": True,
    "uses_credit_limit": False,
    "credit_limit": 0.0,
}


def test_checklist_complete():
    assert tools.handoff.checklist(COMPLETE) == [
        ("tax_code", True),
        ("invoice_address", True),
        ("payment_term", True),
        ("receivable_account", True),
    ]
    assert tools.handoff.missing(COMPLETE) == []


@pytest.mark.parametrize(
    ("change", "missing"),
    [
        ({"vat": ""}, ["tax_code"]),
        ({"vat": "/"}, ["tax_code"]),
        ({"vat_valid": False}, ["tax_code"]),
        ({"is_company": False, "vat": ""}, []),  # individuals need no tax code
        ({"is_company": False, "vat_valid": False}, ["tax_code"]),  # …but a given one is checked
        ({"street": "  "}, ["invoice_address"]),
        ({"city": "", "state": False}, ["invoice_address"]),
        ({"city": ""}, []),  # a province is enough
        ({"country": False}, ["invoice_address"]),
        ({"payment_term": False}, ["payment_term"]),
        ({"receivable_account": False}, ["receivable_account"]),
        ({"uses_credit_limit": True}, ["credit_limit"]),
        ({"uses_credit_limit": True, "credit_limit": 5e8}, []),
        ({"credit_limit": 0.0, "uses_credit_limit": False}, []),
        (
            {"vat": "", "street": "", "payment_term": False, "uses_credit_limit": True},
            ["tax_code", "invoice_address", "payment_term", "credit_limit"],
        ),
    ],
)
def test_checklist_missing_items(change, missing):
    assert tools.handoff.missing({**COMPLETE, **change}) == missing
