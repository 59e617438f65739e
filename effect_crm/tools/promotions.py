"""The discount a promotion gives on a quotation line, and its validity."""

PERCENTAGE = "percentage"
FIXED = "fixed"


def line_discount(discount_type, value, price_unit, digits=2):
    """The discount percentage to set on a line of unit price ``price_unit``.

    ``percentage``: ``value`` is the percentage itself. ``fixed``: ``value`` is an
    amount off each unit (in the line's currency), expressed as the percentage of
    the unit price it represents; never more than 100 %.
    """
    if discount_type == PERCENTAGE:
        percent = value or 0.0
    elif discount_type == FIXED:
        if not price_unit or price_unit <= 0:
            return 0.0
        percent = (value or 0.0) * 100.0 / price_unit
    else:
        raise ValueError(discount_type)
    return round(max(0.0, min(100.0, percent)), digits)


def validity(day, date_start=None, date_end=None):
    """``"upcoming"``, ``"running"`` or ``"expired"`` for a promotion on ``day``.

    Both bounds are inclusive; an empty bound is open.
    """
    if date_start and day < date_start:
        return "upcoming"
    if date_end and day > date_end:
        return "expired"
    return "running"
