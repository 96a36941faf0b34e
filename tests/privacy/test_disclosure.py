"""The one suppression function: primary, secondary, and an attacker who fails to undo it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mobility.disclosure import FEWER_THAN, WITHHELD, suppress_count, suppress_table

from .attacker import Entry, solve_by_elimination, solve_by_subtraction


def labels(table):
    return [[c.label for c in row] for row in table.cells]


def every_figure(table):
    cells = [c for row in table.cells for c in row]
    return cells + table.row_totals + table.column_totals + [table.grand_total]


def test_small_counts_read_fewer_than_5_and_partners_are_withheld() -> None:
    table = suppress_table([[3, 10, 7], [12, 8, 9], [20, 15, 11]])
    assert table.cells[0][0].label == FEWER_THAN
    assert sum(c.hidden for row in table.cells for c in row) >= 4
    assert WITHHELD in {c.label for row in table.cells for c in row}
    # No row or column keeps a single hidden cell.
    for row in table.cells:
        assert sum(c.hidden for c in row) != 1
    for col in zip(*table.cells, strict=True):
        assert sum(c.hidden for c in col) != 1


def test_admins_see_everything() -> None:
    table = suppress_table([[3, 10], [12, 1]], reveal=True)
    assert labels(table) == [["3", "10"], ["12", "1"]]
    assert not any(c.hidden for c in every_figure(table))


def test_large_and_zero_counts_are_shown() -> None:
    table = suppress_table([[0, 5], [12, 0]])
    assert labels(table) == [["0", "5"], ["12", "0"]]


def test_small_totals_are_hidden() -> None:
    table = suppress_table([[2, 0], [12, 8]])
    assert table.row_totals[0].hidden
    assert 2 not in solve_by_subtraction(table).values() or not any(
        e == ("cell", 0, 0) for e in solve_by_subtraction(table)
    )


def test_lone_figures() -> None:
    assert suppress_count(3).label == FEWER_THAN
    assert suppress_count(0).label == "0"
    assert suppress_count(5).label == "5"
    assert suppress_count(3, reveal=True).label == "3"


def test_rates_on_hidden_counts_are_hidden() -> None:
    table = suppress_table([[3, 10], [12, 8]])
    assert table.cells[0][0].rate_of(table.row_totals[0]) is None
    assert table.cells[1][1].rate_of(table.row_totals[1]) is None or not table.cells[1][1].hidden


def test_attacker_cannot_recover_a_worked_example() -> None:
    table = suppress_table([[3, 10, 7], [12, 8, 9], [20, 15, 11]])
    hidden = {("cell", r, c) for r, c in table.hidden_cells}
    assert hidden
    assert not hidden & set(solve_by_subtraction(table))
    assert not hidden & set(solve_by_elimination(table))


def test_attacker_would_succeed_without_secondary_suppression() -> None:
    """The attacker works: with only the small cell hidden, subtraction gives it back."""
    from mobility.disclosure import Count, SuppressedTable

    true = [[3, 10], [12, 8]]
    naive = SuppressedTable(
        cells=[[Count(v, v < 5) for v in row] for row in true],
        row_totals=[Count(sum(row)) for row in true],
        column_totals=[Count(sum(col)) for col in zip(*true, strict=True)],
        grand_total=Count(33),
    )
    assert solve_by_subtraction(naive)[("cell", 0, 0)] == 3
    assert solve_by_elimination(naive)[("cell", 0, 0)] == 3


tables = st.integers(min_value=1, max_value=5).flatmap(
    lambda cols: st.lists(
        st.lists(st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 9, 14, 30]), min_size=cols, max_size=cols),
        min_size=1,
        max_size=6,
    )
)


@settings(max_examples=300, deadline=None)
@given(tables)
def test_no_small_figure_shown_and_no_hidden_figure_recovered(counts: list[list[int]]) -> None:
    table = suppress_table(counts)
    for figure in every_figure(table):
        assert figure.hidden or not 0 < figure.value < 5
    hidden_entries: set[Entry] = set()
    for r, c in table.hidden_cells:
        hidden_entries.add(("cell", r, c))
    for r, total in enumerate(table.row_totals):
        if total.hidden:
            hidden_entries.add(("row", r))
    for c, total in enumerate(table.column_totals):
        if total.hidden:
            hidden_entries.add(("col", c))
    if table.grand_total.hidden:
        hidden_entries.add(("all",))
    assert not hidden_entries & set(solve_by_subtraction(table))
    assert not hidden_entries & set(solve_by_elimination(table))
