"""What accounting needs to take over a customer: the hand-off checklist.

The model gathers the facts about a customer; this decides which items apply and
which are missing, so the rules are in one place and tested without a database.
"""

ITEMS = (
    "tax_code",
    "invoice_address",
    "payment_term",
    "receivable_account",
    "credit_limit",
)


def checklist(facts):
    """The applicable checklist items, in order, as ``(item, passed)`` pairs.

    ``facts`` (a mapping):

    - ``is_company``: a company must have a valid tax code; an individual only when
      one was given (Vietnamese individuals are often invoiced without one);
    - ``vat``: the tax code as typed, ``vat_valid``: whether it passes its check;
    - ``street``, ``city``, ``state``, ``country``: the invoicing address (a street,
      a city or province, and a country);
    - ``payment_term``, ``receivable_account``: set or not;
    - ``uses_credit_limit`` (the company checks credit limits), ``credit_limit``.
    """
    items = []
    vat = (facts.get("vat") or "").strip()
    if facts.get("is_company") or vat:
        items.append(("tax_code", bool(vat) and vat != "/" and bool(facts.get("vat_valid"))))
    address = (
        bool((facts.get("street") or "").strip())
        and bool((facts.get("city") or "").strip() or facts.get("state"))
        and bool(facts.get("country"))
    )
    items.append(("invoice_address", address))
    items.append(("payment_term", bool(facts.get("payment_term"))))
    items.append(("receivable_account", bool(facts.get("receivable_account"))))
    if facts.get("uses_credit_limit"):
        items.append(("credit_limit", (facts.get("credit_limit") or 0.0) > 0))
    return items


def missing(facts):
    """The items of :func:`checklist` that are missing, in order."""
    return [item for item, passed in checklist(facts) if not passed]
