"""Unit tests of the grouping-set rollup behind the interaction pivot (no database)."""

from itertools import combinations

import pytest
from conftest import load_tools

grouping = load_tools("effect_crm").grouping

# finest rows: (salesperson, type, month, count, duration sum, duration max)
ROWS = [
    ("an", "call", 1, 3, 1.5, 0.75),
    ("an", "call", 2, 1, None, None),
    ("an", "visit", 1, 2, 4.0, 3.0),
    ("binh", "call", 1, 5, 2.5, 0.5),
    ("binh", "visit", 2, 1, 2.0, 2.0),
]
FINEST = ["user_id", "type_id", "date:month"]
AGGREGATES = ["__count", "duration:sum", "duration:max"]


def group_by(rows, fields):
    """What SQL's GROUP BY gives for ``fields`` over the raw rows (the reference)."""
    groups = {}
    for row in rows:
        key = tuple(row[FINEST.index(f)] for f in fields)
        count, total, biggest = groups.get(key, (0, None, None))
        total = row[4] if total is None else (total if row[4] is None else total + row[4])
        biggest = (
            row[5] if biggest is None else (biggest if row[5] is None else max(biggest, row[5]))
        )
        groups[key] = (count + row[3], total, biggest)
    return sorted((*key, *values) for key, values in groups.items())


@pytest.mark.parametrize(
    "grouping_set",
    [list(c) for n in range(4) for c in combinations(FINEST, n)],
)
def test_each_grouping_set_adds_up_as_sql_would(grouping_set):
    (result,) = grouping.roll_up(ROWS, FINEST, [grouping_set], AGGREGATES)
    assert sorted(result) == group_by(ROWS, grouping_set)


def test_grouping_sets_roll_up_only_when_every_set_is_part_of_the_finest():
    sets = [[], ["user_id"], ["user_id", "date:month"]]
    assert grouping.can_roll_up(sets, ["__count", "duration:sum"])
    assert grouping.finest_grouping(sets) == ["user_id", "date:month"]
    assert not grouping.can_roll_up([["user_id"]], ["__count"])  # one set: nothing to gain
    assert not grouping.can_roll_up(sets, ["duration:avg"])  # averages do not add up
    assert not grouping.can_roll_up(sets, ["partner_id:count_distinct"])
