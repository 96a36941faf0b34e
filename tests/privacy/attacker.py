"""An attacker who knows a suppressed table's public figures and solves the sums for hidden ones."""

from __future__ import annotations

from fractions import Fraction

from mobility.disclosure import SuppressedTable

Entry = tuple[object, ...]


def _adds_up(parts: list[Entry], total: Entry) -> list[tuple[Entry, int]]:
    """The parts minus their total: one sum that is zero."""
    return [(part, 1) for part in parts] + [(total, -1)]


def _equations(table: SuppressedTable) -> tuple[list[dict[Entry, int]], list[int], dict[Entry, int]]:
    """Every published sum as {unknown: coefficient} = constant, from the shown figures only."""
    rows, cols = len(table.cells), len(table.cells[0]) if table.cells else 0
    shown: dict[Entry, int | None] = {}
    for r in range(rows):
        for c in range(cols):
            shown[("cell", r, c)] = table.cells[r][c].shown
        shown[("row", r)] = table.row_totals[r].shown
    for c in range(cols):
        shown[("col", c)] = table.column_totals[c].shown
    shown[("all",)] = table.grand_total.shown
    sums = [
        *(_adds_up([("cell", r, c) for c in range(cols)], ("row", r)) for r in range(rows)),
        *(_adds_up([("cell", r, c) for r in range(rows)], ("col", c)) for c in range(cols)),
        _adds_up([("row", r) for r in range(rows)], ("all",)),
        _adds_up([("col", c) for c in range(cols)], ("all",)),
    ]
    equations, constants = [], []
    for terms in sums:
        unknown: dict[Entry, int] = {}
        constant = 0
        for entry, coefficient in terms:
            value = shown[entry]
            if value is None:
                unknown[entry] = unknown.get(entry, 0) + coefficient
            else:
                constant -= coefficient * value
        equations.append(unknown)
        constants.append(constant)
    known = {e: v for e, v in shown.items() if v is not None}
    return equations, constants, known


def solve_by_subtraction(table: SuppressedTable) -> dict[Entry, int]:
    """Repeatedly solve any sum with exactly one unknown left; what it found."""
    equations, constants, _ = _equations(table)
    found: dict[Entry, int] = {}
    progress = True
    while progress:
        progress = False
        for unknown, constant in zip(equations, constants, strict=True):
            left = {e: k for e, k in unknown.items() if e not in found}
            if len(left) == 1:
                ((entry, coefficient),) = left.items()
                rest = sum(k * found[e] for e, k in unknown.items() if e in found)
                found[entry] = (constant - rest) // coefficient
                progress = True
    return found


def solve_by_elimination(table: SuppressedTable) -> dict[Entry, Fraction]:
    """Gauss-Jordan elimination in exact fractions: every unknown the whole system fixes."""
    equations, constants, _ = _equations(table)
    return fixed_unknowns(equations, constants)


def fixed_unknowns(equations: list[dict[Entry, int]], constants: list[int]) -> dict[Entry, Fraction]:
    """Every unknown that a system of ``{unknown: coefficient} = constant`` equations fixes."""
    unknowns = sorted({e for eq in equations for e in eq}, key=repr)
    matrix = [
        [Fraction(eq.get(u, 0)) for u in unknowns] + [Fraction(k)]
        for eq, k in zip(equations, constants, strict=True)
    ]
    pivot_row = 0
    pivots: list[tuple[int, int]] = []
    for col in range(len(unknowns)):
        row = next((r for r in range(pivot_row, len(matrix)) if matrix[r][col] != 0), None)
        if row is None:
            continue
        matrix[pivot_row], matrix[row] = matrix[row], matrix[pivot_row]
        lead = matrix[pivot_row][col]
        matrix[pivot_row] = [v / lead for v in matrix[pivot_row]]
        for r in range(len(matrix)):
            if r != pivot_row and matrix[r][col] != 0:
                factor = matrix[r][col]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[pivot_row], strict=True)]
        pivots.append((pivot_row, col))
        pivot_row += 1
    found = {}
    for r, col in pivots:
        if all(matrix[r][c] == 0 for c in range(len(unknowns)) if c != col):
            found[unknowns[col]] = matrix[r][-1]
    return found
