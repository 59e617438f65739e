"""Unit tests of the tools behind quotes, contracts and promotions (no database)."""

import datetime
import io
import zipfile

import pytest
from conftest import load_tools

tools = load_tools("effect_crm")
diff = tools.revision_diff


def _line(key, label, quantity=1.0, price_unit=100.0, discount=0.0, **extra):
    subtotal = quantity * price_unit * (1 - discount / 100)
    return {
        "key": key,
        "label": label,
        "description": label,
        "quantity": quantity,
        "price_unit": price_unit,
        "discount": discount,
        "subtotal": subtotal,
        **extra,
    }


def test_identical_revisions_have_no_difference():
    revision = {
        "lines": [_line(1, "Thép tấm"), _line(2, "Ống thép", 3)],
        "totals": {"Total": 400.0},
        "terms": {"Payment terms": "30 days"},
    }
    assert diff.diff_revisions(revision, revision) == []


def test_revision_diff_lists_products_quantities_prices_discounts_totals_terms():
    old = {
        "lines": [_line(1, "Thép tấm", 10, 100), _line(2, "Ống thép", 5, 50), _line(3, "Bu lông")],
        "totals": {"Untaxed": 1350.0, "Total": 1485.0},
        "terms": {"Payment terms": "30 days", "Expiration": "2026-12-31", "Promotion": ""},
    }
    new = {
        "lines": [
            _line(1, "Thép tấm", 12, 100),
            _line(2, "Ống thép", 5, 45, discount=10),
            _line(4, "Đai ốc", 2, 5),
        ],
        "totals": {"Untaxed": 1412.5, "Total": 1485.0},
        "terms": {"Payment terms": "45 days", "Expiration": "2026-12-31", "Promotion": "Tết"},
    }
    changes = diff.diff_revisions(old, new)
    found = {(c.scope, c.kind, c.label, c.field): (c.old, c.new) for c in changes}
    assert found[("line", "changed", "Thép tấm", "quantity")] == (10, 12)
    assert found[("line", "changed", "Thép tấm", "subtotal")] == (1000, 1200)
    assert found[("line", "changed", "Ống thép", "price_unit")] == (50, 45)
    assert found[("line", "changed", "Ống thép", "discount")] == (0.0, 10)
    assert found[("line", "added", "Đai ốc", "")] == (None, 10.0)
    assert found[("line", "removed", "Bu lông", "")] == (100.0, None)
    assert found[("total", "changed", "Untaxed", "Untaxed")] == (1350.0, 1412.5)
    assert ("total", "changed", "Total", "Total") not in found
    assert found[("terms", "changed", "Payment terms", "Payment terms")] == ("30 days", "45 days")
    assert found[("terms", "added", "Promotion", "Promotion")] == ("", "Tết")
    assert found[("line", "changed", "Ống thép", "subtotal")] == (250.0, 202.5)
    assert len(changes) == 10


def test_repeated_products_are_paired_in_order():
    old = {"lines": [_line(1, "A", 1), _line(1, "A", 2)]}
    new = {"lines": [_line(1, "A", 1), _line(1, "A", 2), _line(1, "A", 3)]}
    changes = diff.diff_revisions(old, new)
    assert [(c.kind, c.label) for c in changes] == [("added", "A")]
    back = diff.diff_revisions(new, old)
    assert [(c.kind, c.label) for c in back] == [("removed", "A")]


def test_float_noise_is_not_a_change():
    old = {"lines": [_line(1, "A", 3, 0.1)]}
    new = {"lines": [_line(1, "A", 3, 0.1 + 1e-12)]}
    assert diff.diff_revisions(old, new) == []


def _office_package(folder="word/"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(f"{folder}document.xml", "<document/>")
    return buffer.getvalue()


def test_checksum_is_sha256():
    files = tools.contract_files
    assert files.sha256_hex(b"") == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )
    assert files.sha256_hex(b"abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("hop-dong.docx", _office_package(), None),
        ("HOP-DONG.DOCX", _office_package(), None),
        ("bang-gia.xlsx", _office_package("xl/"), None),
        ("hop-dong.docx", b"", "empty"),
        ("hop-dong.docx", b"this is not a word file", "damaged"),
        ("hop-dong.docx", _office_package("xl/"), "damaged"),
        ("hop-dong.pdf", b"%PDF-1.7 whatever", None),
        ("ghi-chu", b"text", None),
        ("big.pdf", b"x" * 1001, "too_large"),
    ],
    ids=["docx", "upper", "xlsx", "empty", "text-as-docx", "xlsx-as-docx", "pdf", "no-ext", "big"],
)
def test_upload_checks(name, data, problem):
    assert tools.contract_files.check_upload(name, data, max_size=1000) == problem


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("5000 USD", (5000.0, "USD")),
        ("5,000 usd", (5000.0, "USD")),
        ("USD 5000", (5000.0, "USD")),
        ("$5,000", (5000.0, "USD")),
        ("> 5000$", (5000.0, "USD")),
        ("5.000.000 VND", (5000000.0, "VND")),
        ("5 000 000 ₫", (5000000.0, "VND")),
        ("120 triệu", (120000000.0, None)),
        ("1.5 tỷ đ", (1500000000.0, "VND")),
        ("500k", (500000.0, None)),
        ("1.5", (1.5, None)),
        ("1.234,5 eur", (1234.5, "EUR")),
        ("2500", (2500.0, None)),
    ],
)
def test_amount_queries(query, expected):
    assert tools.amounts.parse_amount(query) == expected


@pytest.mark.parametrize("query", ["", "USD", "năm nghìn", "5,00,0 usd", "5000 dollars please"])
def test_amount_queries_that_are_not_amounts(query):
    with pytest.raises(ValueError):
        tools.amounts.parse_amount(query)


def test_promotion_line_discount():
    promo = tools.promotions
    assert promo.line_discount("percentage", 15, 200.0) == 15
    assert promo.line_discount("percentage", 150, 200.0) == 100
    assert promo.line_discount("fixed", 50, 200.0) == 25
    assert promo.line_discount("fixed", 500, 200.0) == 100
    assert promo.line_discount("fixed", 50, 0.0) == 0
    assert promo.line_discount("fixed", 1, 3.0) == 33.33
    with pytest.raises(ValueError):
        promo.line_discount("bogus", 1, 1)


def test_promotion_validity_bounds_are_inclusive():
    validity = tools.promotions.validity
    start, end = datetime.date(2026, 1, 1), datetime.date(2026, 1, 31)
    assert validity(datetime.date(2025, 12, 31), start, end) == "upcoming"
    assert validity(start, start, end) == "running"
    assert validity(end, start, end) == "running"
    assert validity(datetime.date(2026, 2, 1), start, end) == "expired"
    assert validity(datetime.date(2030, 1, 1)) == "running"
