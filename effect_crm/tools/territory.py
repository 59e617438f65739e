"""Match customers to sales territories by the territories' assignment criteria.

Plain data in, plain data out, so the rule is tested without a database and the
ORM side only gathers values and writes the result in batches.

A territory is a mapping with ``id``, ``depth`` (0 for a root), ``sequence`` and
the criteria sets ``partner_ids``, ``country_ids``, ``state_ids``, ``industry_ids``,
``category_ids`` and ``cities`` (lower-case names). A customer is a mapping with
``id``, ``country_id``, ``state_id``, ``industry_id``, ``category_ids`` (a set) and
``city``.

A territory matches a customer that it lists explicitly, or when every criterion
it sets is met (a criterion left empty matches anything); a territory that sets no
criterion matches nobody. Among matching territories the most specific wins: an
explicit listing first, then the deepest in the tree (a province before its
region), then the one setting more criteria, then the lowest sequence and id.
"""

CRITERIA = ("country_ids", "state_ids", "industry_ids", "category_ids", "cities")


def parse_cities(text):
    """``"Hải Châu, Sơn Trà\\nThanh Khê"`` -> ``{"hải châu", "sơn trà", "thanh khê"}``."""
    parts = (text or "").replace("\n", ",").replace(";", ",").split(",")
    return {part.strip().casefold() for part in parts if part.strip()}


def _criterion_met(name, wanted, customer):
    if name == "country_ids":
        return customer.get("country_id") in wanted
    if name == "state_ids":
        return customer.get("state_id") in wanted
    if name == "industry_ids":
        return customer.get("industry_id") in wanted
    if name == "category_ids":
        return bool(wanted & set(customer.get("category_ids") or ()))
    if name == "cities":
        return (customer.get("city") or "").strip().casefold() in wanted
    raise ValueError(name)


def match_key(territory, customer):
    """The sort key of ``territory`` for ``customer`` (higher wins), or None if no match."""
    if customer["id"] in territory.get("partner_ids", ()):
        return (1, territory["depth"], len(CRITERIA), -territory["sequence"], -territory["id"])
    used = [name for name in CRITERIA if territory.get(name)]
    if not used:
        return None
    if not all(_criterion_met(name, territory[name], customer) for name in used):
        return None
    return (0, territory["depth"], len(used), -territory["sequence"], -territory["id"])


def best_territory(territories, customer):
    """The id of the territory that ``customer`` belongs to, or None."""
    best, best_key = None, None
    for territory in territories:
        key = match_key(territory, customer)
        if key is not None and (best_key is None or key > best_key):
            best, best_key = territory["id"], key
    return best


def assign(territories, customers):
    """``{customer id: territory id or None}`` for every customer."""
    territories = list(territories)
    return {customer["id"]: best_territory(territories, customer) for customer in customers}
