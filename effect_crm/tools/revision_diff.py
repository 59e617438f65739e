"""Line-by-line comparison of two revisions of a quotation.

A revision is described as plain data, so the comparison needs no database::

    {
        "lines": [{"key": ..., "label": ..., "quantity": ..., "price_unit": ..., ...}],
        "totals": {"amount_untaxed": ..., "amount_tax": ..., "amount_total": ...},
        "terms": {"payment_term": ..., "validity_date": ..., "note": ...},
    }

Lines are matched on their ``key`` (the product, or the text of a section or a
note); when a key appears several times the occurrences are paired in order.
"""

from collections import OrderedDict
from dataclasses import dataclass

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"

LINE_FIELDS = ("description", "quantity", "uom", "price_unit", "discount", "taxes", "subtotal")
FLOAT_FIELDS = {"quantity", "price_unit", "discount", "subtotal"}


@dataclass(frozen=True)
class Change:
    """One difference between revision A (old) and revision B (new)."""

    scope: str  # "line", "total" or "terms"
    kind: str  # ADDED, REMOVED or CHANGED
    label: str  # the product (line) or the name of the total or term
    field: str = ""  # which value of a line changed
    old: object = None
    new: object = None


def _same(field, old, new, precision):
    numbers = (int, float)
    if (field in FLOAT_FIELDS or isinstance(old, float) or isinstance(new, float)) and all(
        isinstance(value, numbers) or value in (None, False) for value in (old, new)
    ):
        return round(float(old or 0.0) - float(new or 0.0), precision) == 0
    return (old or None) == (new or None)


def _by_key(lines):
    grouped = OrderedDict()
    for line in lines:
        grouped.setdefault(line["key"], []).append(line)
    return grouped


def diff_lines(old_lines, new_lines, precision=6):
    """Changes between two lists of lines, in the order of the new revision."""
    old_by_key = _by_key(old_lines)
    new_by_key = _by_key(new_lines)
    changes = []
    for key, new_group in new_by_key.items():
        old_group = old_by_key.get(key, [])
        for index, new in enumerate(new_group):
            if index >= len(old_group):
                changes.append(Change("line", ADDED, new["label"], new=new.get("subtotal")))
                continue
            old = old_group[index]
            for field in LINE_FIELDS:
                if field not in old and field not in new:
                    continue
                if not _same(field, old.get(field), new.get(field), precision):
                    changes.append(
                        Change("line", CHANGED, new["label"], field, old.get(field), new.get(field))
                    )
    for key, old_group in old_by_key.items():
        for old in old_group[len(new_by_key.get(key, [])) :]:
            changes.append(Change("line", REMOVED, old["label"], old=old.get("subtotal")))
    return changes


def diff_values(scope, old_values, new_values, precision=6):
    """Changes between two dicts of named values (totals, terms)."""
    changes = []
    for name in list(old_values) + [n for n in new_values if n not in old_values]:
        old, new = old_values.get(name), new_values.get(name)
        if not _same(name, old, new, precision):
            kind = (
                ADDED
                if old in (None, False, "")
                else REMOVED
                if new in (None, False, "")
                else CHANGED
            )
            changes.append(Change(scope, kind, name, name, old, new))
    return changes


def diff_revisions(old, new, precision=6):
    """All changes from revision ``old`` to revision ``new``: lines, totals, terms."""
    return [
        *diff_lines(old.get("lines", []), new.get("lines", []), precision),
        *diff_values("total", old.get("totals", {}), new.get("totals", {}), precision),
        *diff_values("terms", old.get("terms", {}), new.get("terms", {}), precision),
    ]
