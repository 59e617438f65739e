"""Unit tests of effect_crm's plain-Python tools (no database)."""

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
