"""Reading a report table as its reader would: which of its figures are bare counts from 1 to 4."""

from __future__ import annotations

from collections.abc import Sequence

# Columns that hold rates, minutes or words rather than counts.
NOT_COUNTS = {
    "Share",
    "Share of placements",
    "Placement rate",
    "First-choice rate",
    "Median journey (minutes)",
    "Growth sector",
    "On the map",
}


def small_counts(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[tuple[str, str, str]]:
    """(row label, column, value) for every count from 1 to 4 in a table whose first column labels rows."""
    return [
        (row[0], header, value)
        for row in rows
        for header, value in zip(headers[1:], row[1:], strict=True)
        if header not in NOT_COUNTS and value.isdigit() and 1 <= int(value) <= 4
    ]
