"""Vietnamese tax code (mã số thuế, MST) validation.

A business MST has 10 digits, the tenth a check digit; a branch or dependent
unit adds a three-digit suffix (13 digits, often written ``0100109106-001``).
Since 1 July 2025 individuals may use their 12-digit citizen ID (CCCD) as tax
code: it carries no check digit, so only its form is checked.
"""

import re

from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.vn import mst

_CCCD_RE = re.compile(r"^\d{12}$")


def compact_vn_tax_code(value):
    """Return the tax code without blanks, dots, dashes and a ``VN`` prefix."""
    return re.sub(r"[.\-]", "", _strip_blanks_and_prefix(value))


def _strip_blanks_and_prefix(value):
    value = re.sub(r"\s", "", (value or "").upper())
    return value[2:] if value.startswith("VN") else value


def _is_citizen_id(value):
    """A 12-digit CCCD, written without separators, starting with a province code (001-096)."""
    value = _strip_blanks_and_prefix(value)
    return bool(_CCCD_RE.match(value)) and 1 <= int(value[:3]) <= 96


def is_valid_vn_tax_code(value):
    """True for a valid 10- or 13-digit MST (check digit verified) or a 12-digit CCCD."""
    if _is_citizen_id(value):
        return True
    code = compact_vn_tax_code(value)
    if len(code) not in (10, 13):
        return False
    try:
        mst.validate(code)
    except StdnumValidationError:
        return False
    return True


def format_vn_tax_code(value):
    """Format an MST the way Vietnamese documents write it (``0100109106-001``)."""
    code = compact_vn_tax_code(value)
    if len(code) == 13 and code.isdigit():
        return f"{code[:10]}-{code[10:]}"
    if len(code) == 10 and code.isdigit():
        return code
    # anything else is left as typed (blanks removed), so the check sees it as it is
    return _strip_blanks_and_prefix(value)
