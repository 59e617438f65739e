"""Unit tests of effect_crm's plain-Python tools (no database)."""

import unicodedata
from datetime import date, datetime

import pytest
from conftest import load_tools

tools = load_tools("effect_crm")


@pytest.mark.parametrize(
    "code",
    [
        "0100109106",
        "0100109106-001",
        "0100109106001",
        "VN 0100109106",
        " 0312345673 ",
        "079123456789",
    ],
)
def test_valid_vietnamese_tax_codes(code):
    assert tools.tax_code.is_valid_vn_tax_code(code)


@pytest.mark.parametrize(
    "code",
    [
        "0100109107",  # wrong check digit
        "0100109106-00",  # branch suffix too short
        "0100109106-0011",  # branch suffix too long
        "01001091",  # too short
        "999123456789",  # 12 digits, not a province code
        "ABCDEFGHIJ",
        "",
    ],
)
def test_invalid_vietnamese_tax_codes(code):
    assert not tools.tax_code.is_valid_vn_tax_code(code)


def test_tax_code_format():
    fmt = tools.tax_code.format_vn_tax_code
    assert fmt("VN 0100109106001") == "0100109106-001"
    assert fmt("0100.109.106") == "0100109106"
    assert fmt("0100109106-00") == "0100109106-00"  # left as typed, so it fails the check


@pytest.mark.parametrize(
    ("link", "kind", "clickable"),
    [
        ("\\\\fileserver\\share\\a.docx", "unc", False),
        ("//fileserver/share/a.docx", "unc", False),
        ("smb://fileserver/share/a.docx", "unc", False),
        ("C:\\Docs\\a.pdf", "path", False),
        ("D:/Docs/a.pdf", "path", False),
        ("/srv/share/a.pdf", "path", False),
        ("file:///etc/passwd", "path", False),
        ("https://drive.example.vn/a.pdf", "url", "https://drive.example.vn/a.pdf"),
        ("mailto:ke.toan@example.vn", "url", "mailto:ke.toan@example.vn"),
        ("javascript:alert(1)", "url", False),
        ("data:text/html,hi", "url", False),
        ("a.docx", False, False),
        ("https:", False, False),
        ("C:\\a\nb", False, False),
        ("", False, False),
    ],
)
def test_links(link, kind, clickable):
    assert tools.links.classify_link(link) == kind
    assert tools.links.clickable_url(link) == clickable


@pytest.mark.parametrize(
    ("day", "monday", "first", "last"),
    [
        ("2026-03-19", "2026-03-16", "2026-01-01", "2026-03-31"),
        ("2026-03-16", "2026-03-16", "2026-01-01", "2026-03-31"),
        ("2026-04-01", "2026-03-30", "2026-04-01", "2026-06-30"),
        ("2026-12-31", "2026-12-28", "2026-10-01", "2026-12-31"),
        ("2027-01-03", "2026-12-28", "2027-01-01", "2027-03-31"),
    ],
)
def test_week_and_quarter_of_a_day(day, monday, first, last):
    clock = tools.clock
    day = date.fromisoformat(day)
    assert clock.week_start(day) == date.fromisoformat(monday)
    assert clock.quarter_start(day) == date.fromisoformat(first)
    assert clock.quarter_end(day) == date.fromisoformat(last)


def test_utc_start_of_a_local_day():
    # Monday 16 March 2026 begins at 17:00 UTC on Sunday in Vietnam, at midnight in UTC
    assert tools.clock.utc_start(date(2026, 3, 16), "Asia/Ho_Chi_Minh") == datetime(
        2026, 3, 15, 17, 0
    )
    assert tools.clock.utc_start(date(2026, 3, 16), "UTC") == datetime(2026, 3, 16)


def test_text_in_nfc_and_searched_without_nul():
    """Vietnamese typed in any Unicode form is one text (USAGE.md, Bad input)."""
    text = tools.text
    nfc = "Nguyễn Thị Hồng"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc and len(nfd) > len(nfc)
    assert text.to_nfc(nfd) == nfc
    assert text.to_nfc(nfc) is nfc, "NFC text is returned as is"
    assert text.to_nfc([nfd, 3]) == [nfc, 3]
    assert text.to_nfc((nfd,)) == (nfc,)
    assert text.to_nfc(False) is False
    assert text.search_text(f"{nfd}\x00") == nfc
    assert text.search_text({nfd, "a\x00b"}) == {nfc, "ab"}
    assert text.has_nul("a\x00") and text.has_nul(["b", "a\x00"])
    assert text.has_nul({"effect_note": "x\x00"}), "a property's value"
    assert not text.has_nul("Hà Nội\t\x0b") and not text.has_nul(42)
