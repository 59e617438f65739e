"""Amounts in words and dates written the Vietnamese way, for documents and letters."""

import datetime
import re

from num2words import num2words  # shipped with Odoo

from .amounts import parse_number

# how the currency is read after the amount in words
CURRENCY_WORDS = {
    "VND": ("đồng", None),
    "USD": ("đô la Mỹ", "xu"),
    "EUR": ("euro", "xu"),
    "JPY": ("yên Nhật", None),
    "CNY": ("nhân dân tệ", "xu"),
}


def _words(number):
    return num2words(number, lang="vi")


def amount_in_words(amount, currency="VND"):
    """``1250000, "VND"`` → ``"Một triệu hai trăm năm mươi nghìn đồng"``.

    Cents are read for currencies that have them (``"... đô la Mỹ và năm mươi xu"``);
    an unknown currency is named by its code.
    """
    if amount is None or amount is False:
        return ""
    amount = round(float(amount), 2)
    negative = amount < 0
    amount = abs(amount)
    unit, cents_unit = CURRENCY_WORDS.get((currency or "").upper(), (currency or "", None))
    whole = int(amount)
    cents = round((amount - whole) * 100)
    if cents and not cents_unit:
        whole, cents = round(amount), 0
    text = _words(whole)
    if unit:
        text = f"{text} {unit}"
    if cents:
        text = f"{text} và {_words(cents)} {cents_unit}"
    if negative:
        text = f"âm {text}"
    return text[:1].upper() + text[1:]


def date_in_words(value):
    """``2026-11-05`` → ``"ngày 05 tháng 11 năm 2026"`` (empty for no date)."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    return f"ngày {value.day:02d} tháng {value.month:02d} năm {value.year}"


def date_short(value):
    """``2026-11-05`` → ``"05/11/2026"`` (empty for no date)."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    return value.strftime("%d/%m/%Y")


def parse_amount(text):
    """An amount written in a document, the Vietnamese way: ``1.250.000 đ`` → 1250000.0.

    Raises ``ValueError`` when the text holds no amount.
    """
    digits = re.sub(r"[^\d.,]", "", text or "")
    if not digits:
        raise ValueError(text)
    return parse_number(digits.strip(".,"))


def format_amount(amount, digits=0):
    """``1250000`` → ``"1.250.000"``; the Vietnamese way: dots for thousands, comma for decimals."""
    if amount is None or amount is False:
        return ""
    text = f"{float(amount):,.{digits}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


_DATE_WORDS_RE = re.compile(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.I)
_DATE_SHORT_RE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_DATE_ISO_RE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


def parse_date(text):
    """A date written in a document: ``05/11/2026``, ``ngày 5 tháng 11 năm 2026`` or ISO.

    Raises ``ValueError`` when the text holds no such date.
    """
    text = text or ""
    match = _DATE_WORDS_RE.search(text) or _DATE_SHORT_RE.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return datetime.date(year, month, day)
    match = _DATE_ISO_RE.match(text)
    if match:
        return datetime.date(*(int(g) for g in match.groups()))
    raise ValueError(text)
