"""Text as users and integrators send it: Vietnamese in any Unicode form, stray NULs.

Vietnamese letters can be written precomposed (NFC: ``ễ`` is one character) or
decomposed (NFD: ``e`` + circumflex + tilde), and both look the same on screen. Keyboards
on Windows send NFC; text copied from macOS file names, some PDFs and some web pages is
NFD. PostgreSQL compares code points, so "Nguyễn" typed in one form does not find it
stored in the other. EFFECT CRM stores and searches text in NFC.

PostgreSQL cannot store the NUL character (``\\x00``) in text at all.
"""

import unicodedata
from collections.abc import Set

NUL = "\x00"


def _is_collection(value):
    """A list, tuple or set of values (an ``in`` condition's; Odoo's OrderedSet too)."""
    return isinstance(value, (list, tuple, Set))


def to_nfc(value):
    """``value`` in NFC when it is text (a string, or a list/tuple/set of them), else as is."""
    if isinstance(value, str):
        return (
            value
            if unicodedata.is_normalized("NFC", value)
            else unicodedata.normalize("NFC", value)
        )
    if _is_collection(value):
        return type(value)(to_nfc(item) for item in value)
    return value


def search_text(value):
    """A value searched for in text: NFC, without NUL (no stored text holds one)."""
    if isinstance(value, str):
        return to_nfc(value.replace(NUL, ""))
    if _is_collection(value):
        return type(value)(search_text(item) for item in value)
    return value


def has_nul(value):
    """Whether ``value`` (text, or a list or dict holding text) holds a NUL character."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):  # properties: their values
        return any(has_nul(item) for item in value.values())
    if _is_collection(value):
        return any(has_nul(item) for item in value)
    return False
