"""Small-number suppression for every aggregate shown to anyone but platform admins.

Counts from 1 to 4 are shown as "fewer than 5" (primary suppression). A table's row and
column totals are treated as public, so further cells are withheld (secondary suppression)
until no hidden cell can be worked out from the totals: no row or column keeps exactly one
hidden entry, and no hidden entry is fixed by the whole system of sum equations.

Subtotals over groups of rows (schools within a local authority, growth sectors) are more
public sums, so they join the same system. A republication passes the entries it hid before
(``keep_hidden``): a figure once withheld stays withheld, so two releases cannot be differenced.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

THRESHOLD = 5
FEWER_THAN = f"fewer than {THRESHOLD}"
WITHHELD = "withheld"


def is_small(value: int) -> bool:
    return 0 < value < THRESHOLD


@dataclass(frozen=True)
class Count:
    """One figure of a table: its value, or why it is not shown."""

    value: int
    hidden: bool = False

    @property
    def shown(self) -> int | None:
        return None if self.hidden else self.value

    @property
    def label(self) -> str:
        if not self.hidden:
            return str(self.value)
        return FEWER_THAN if is_small(self.value) else WITHHELD

    def __str__(self) -> str:
        return self.label

    def rate_of(self, total: Count) -> float | None:
        """self / total, or None when either figure is hidden or the total is zero."""
        if self.hidden or total.hidden or not total.value:
            return None
        return self.value / total.value


# Entries of the augmented table: ("cell", r, c), ("row", r), ("col", c), ("all",), and for
# row groups ("gcell", g, c) and ("grow", g).
Entry = tuple[Any, ...]


@dataclass(frozen=True)
class SuppressedTable:
    cells: list[list[Count]]
    row_totals: list[Count]
    column_totals: list[Count]
    grand_total: Count
    group_cells: list[list[Count]] = field(default_factory=list)
    group_totals: list[Count] = field(default_factory=list)
    hidden_entries: frozenset[Entry] = frozenset()

    @property
    def hidden_cells(self) -> list[tuple[int, int]]:
        return [(r, c) for r, row in enumerate(self.cells) for c, cell in enumerate(row) if cell.hidden]


def _relations(rows: int, cols: int, groups: Sequence[Sequence[int]] = ()) -> list[list[tuple[Entry, int]]]:
    """Each public sum as (entry, coefficient) terms adding up to zero."""
    relations: list[list[tuple[Entry, int]]] = []
    for g, members in enumerate(groups):
        for c in range(cols):
            relations.append([(("cell", r, c), 1) for r in members] + [(("gcell", g, c), -1)])
        relations.append([(("row", r), 1) for r in members] + [(("grow", g), -1)])
    for r in range(rows):
        relations.append([(("cell", r, c), 1) for c in range(cols)] + [(("row", r), -1)])
    for c in range(cols):
        relations.append([(("cell", r, c), 1) for r in range(rows)] + [(("col", c), -1)])
    relations.append([(("row", r), 1) for r in range(rows)] + [(("all",), -1)])
    relations.append([(("col", c), 1) for c in range(cols)] + [(("all",), -1)])
    return relations


def recoverable(relations: list[list[tuple[Entry, int]]], hidden: set[Entry]) -> list[Entry]:
    """Hidden entries the public sums fix exactly (exact linear algebra over the hidden unknowns)."""
    unknowns = sorted(hidden)
    if not unknowns:
        return []
    index = {entry: i for i, entry in enumerate(unknowns)}
    matrix = np.zeros((len(relations), len(unknowns)))
    for row, terms in enumerate(relations):
        for entry, coefficient in terms:
            if entry in index:
                matrix[row, index[entry]] += coefficient
    rank = np.linalg.matrix_rank(matrix)
    # An unknown is fixed exactly when its column is not in the span of the others.
    return [entry for entry, i in index.items() if np.linalg.matrix_rank(np.delete(matrix, i, axis=1)) < rank]


def suppress_table(
    counts: Sequence[Sequence[int]],
    *,
    reveal: bool = False,
    row_groups: Sequence[Sequence[int]] = (),
    keep_hidden: Collection[Entry] = (),
    columns: int | None = None,
) -> SuppressedTable:
    """Suppress a table of non-negative counts whose row, column and grand totals are published.

    ``row_groups`` lists rows whose subtotals are published too; ``keep_hidden`` names entries
    a previous release withheld, which stay withheld; ``columns`` shapes a table with no rows.
    With ``reveal`` (platform admins) every
    figure is shown.
    """
    rows = len(counts)
    cols = columns if columns is not None else len(counts[0]) if counts else 0
    values: dict[Entry, int] = {}
    for r in range(rows):
        for c in range(cols):
            values[("cell", r, c)] = int(counts[r][c])
        values[("row", r)] = sum(int(v) for v in counts[r])
    for c in range(cols):
        values[("col", c)] = sum(int(counts[r][c]) for r in range(rows))
    values[("all",)] = sum(values[("row", r)] for r in range(rows))
    for g, members in enumerate(row_groups):
        for c in range(cols):
            values[("gcell", g, c)] = sum(values[("cell", r, c)] for r in members)
        values[("grow", g)] = sum(values[("row", r)] for r in members)
    hidden: set[Entry] = set()
    if not reveal:
        hidden = {e for e, v in values.items() if is_small(v)} | {
            tuple(e) for e in keep_hidden if tuple(e) in values
        }
    relations = _relations(rows, cols, row_groups)
    while hidden:
        single = _single_hidden(relations, hidden)
        if single:
            added = _secondary([single], hidden, values, relations)
        else:
            exposed = recoverable(relations, hidden)
            if not exposed:
                break
            added = _secondary([t for t in relations if exposed[0] in dict(t)], hidden, values, relations)
        if added is None:  # cannot happen with a sound table; fail closed
            hidden.update(values)
            break
        hidden.add(added)

    def count(entry: Entry) -> Count:
        return Count(values[entry], entry in hidden)

    return SuppressedTable(
        cells=[[count(("cell", r, c)) for c in range(cols)] for r in range(rows)],
        row_totals=[count(("row", r)) for r in range(rows)],
        column_totals=[count(("col", c)) for c in range(cols)],
        grand_total=count(("all",)),
        group_cells=[[count(("gcell", g, c)) for c in range(cols)] for g in range(len(row_groups))],
        group_totals=[count(("grow", g)) for g in range(len(row_groups))],
        hidden_entries=frozenset(hidden),
    )


def _single_hidden(
    relations: list[list[tuple[Entry, int]]], hidden: set[Entry]
) -> list[tuple[Entry, int]] | None:
    """A sum with exactly one hidden entry: that entry is solved by subtraction."""
    for terms in relations:
        if sum(1 for entry, _ in terms if entry in hidden) == 1:
            return terms
    return None


def _secondary(
    relations: list[list[tuple[Entry, int]]],
    hidden: set[Entry],
    values: dict[Entry, int],
    every_relation: list[list[tuple[Entry, int]]],
) -> Entry | None:
    """The smallest non-zero visible entry of these sums; cells before totals, zeros last.

    An entry that also closes another sum left with one hidden entry goes first.
    """
    open_sums = [terms for terms in every_relation if sum(1 for e, _ in terms if e in hidden) == 1]

    def closes(entry: Entry) -> bool:
        return any(entry in dict(terms) for terms in open_sums if terms not in relations)

    candidates = [
        (values[entry] == 0, not closes(entry), entry[0] != "cell", values[entry], entry)
        for terms in relations
        for entry, _ in terms
        if entry not in hidden
    ]
    return min(candidates)[-1] if candidates else None


def suppress_counts(counts: Sequence[int], *, reveal: bool = False) -> list[Count]:
    """A single column of counts whose total is published."""
    table = suppress_table([[c] for c in counts], reveal=reveal)
    return [row[0] for row in table.cells]


def suppress_count(value: int, *, reveal: bool = False) -> Count:
    """A lone figure (a total, a difference): hidden when it is from 1 to 4."""
    return Count(int(value), not reveal and is_small(int(value)))
