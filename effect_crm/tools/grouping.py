"""Grouping sets rolled up from the finest grouping, in plain Python.

A pivot table asks PostgreSQL for several groupings of the same rows at once
(``GROUPING SETS``): per salesperson, per salesperson and type, per month, ...
PostgreSQL answers by sorting every row once per ordering it needs. When each
grouping is a subset of the finest one and the aggregates combine (counts, sums,
minimums, maximums), the same answer comes from grouping the rows once by the
finest grouping (a hash aggregate) and adding the few thousand groups up here.
"""

# aggregate functions whose values per group combine into the value of a coarser group
ROLLUP_FUNCTIONS = ("count", "sum", "min", "max", "bool_and", "bool_or")


def _add(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return a + b


def _min(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def _max(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def _and(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return a and b


def _or(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return a or b


_COMBINE = {"count": _add, "sum": _add, "min": _min, "max": _max, "bool_and": _and, "bool_or": _or}


def aggregate_function(spec):
    """``'__count'`` -> ``'count'``, ``'amount:sum'`` -> ``'sum'``; None if it cannot roll up."""
    if spec == "__count":
        return "count"
    _field, _sep, function = spec.partition(":")
    return function if function in ROLLUP_FUNCTIONS else None


def can_roll_up(grouping_sets, aggregates):
    """Whether every grouping set is part of the finest one and every aggregate combines."""
    finest = finest_grouping(grouping_sets)
    return (
        len(grouping_sets) > 1
        and all(set(grouping) <= set(finest) for grouping in grouping_sets)
        and all(aggregate_function(spec) for spec in aggregates)
    )


def finest_grouping(grouping_sets):
    """Every groupby of the grouping sets, in the order they first appear."""
    finest = []
    for grouping in grouping_sets:
        for spec in grouping:
            if spec not in finest:
                finest.append(spec)
    return finest


def roll_up(rows, finest, grouping_sets, aggregates):
    """The groups of each grouping set from the ``rows`` of the finest grouping.

    ``rows`` are tuples of the ``finest`` groupby values then the ``aggregates``
    values; the result is one list per grouping set of tuples of that set's
    groupby values then the aggregates, in no particular order. Each set is added
    up from the smallest finer set already added up (months per salesperson from
    types and months per salesperson, the total from salespeople...).
    """
    functions = [aggregate_function(spec) for spec in aggregates]
    combine = [_COMBINE[function] for function in functions]
    if functions == ["count"]:  # counts alone (never NULL): the most common pivot
        combine = [int.__add__]
    done = [(list(finest), rows)]
    result = [None] * len(grouping_sets)
    for index in sorted(range(len(grouping_sets)), key=lambda i: -len(grouping_sets[i])):
        grouping = list(grouping_sets[index])
        source_fields, source_rows = min(
            (item for item in done if set(grouping) <= set(item[0])),
            key=lambda item: len(item[1]),
        )
        groups = _group(source_rows, [source_fields.index(spec) for spec in grouping], combine)
        done.append((grouping, groups))
        result[index] = groups
    return result


def _group(rows, positions, combine):
    width = len(rows[0]) - len(combine) if rows else 0
    indexes = range(len(combine))
    groups = {}
    for row in rows:
        key = tuple([row[p] for p in positions])
        current = groups.get(key)
        if current is None:
            groups[key] = list(row[width:])
        else:
            for i in indexes:
                current[i] = combine[i](current[i], row[width + i])
    return [(*key, *values) for key, values in groups.items()]
