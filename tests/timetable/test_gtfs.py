"""Reading and validating feeds; the stored compact form."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest

from placements.engine.timetable import FeedError, Timetable, TimetableFormatError, read_feed

from .handmade import handmade_feed


def _broken(tmp_path: Path, file: str, row: int, field: str, value: str) -> Path:
    """The hand-made feed with one value replaced (row numbers count the header as 1)."""
    folder = handmade_feed().write(tmp_path / "feed")
    path = folder / file
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    cells = lines[row - 1].split(",")
    cells[header.index(field)] = value
    lines[row - 1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    return folder


@pytest.mark.parametrize(
    ("file", "row", "field", "value", "problem"),
    [
        ("stop_times.txt", 7, "departure_time", "08:6x:00", "is not a time"),
        ("stop_times.txt", 3, "arrival_time", "07:30:00", "is before the previous stop"),
        ("stop_times.txt", 4, "stop_id", "NOWHERE", "is not a stop"),
        ("stop_times.txt", 5, "trip_id", "ghost", "is not in trips.txt"),
        ("stop_times.txt", 3, "stop_sequence", "1", "repeats within the trip"),
        ("trips.txt", 3, "route_id", "99", "is not in routes.txt"),
        ("trips.txt", 2, "service_id", "NEVER", "is not in calendar.txt"),
        ("trips.txt", 2, "wheelchair_accessible", "7", "is not one of 0..2"),
        ("stops.txt", 4, "stop_lat", "north", "is not a number"),
        ("stops.txt", 2, "stop_lon", "200", "is outside"),
        ("stops.txt", 3, "stop_id", "A", "appears twice"),
        ("calendar.txt", 2, "start_date", "20261301", "is not a date"),
        ("calendar.txt", 3, "monday", "yes", "is not a whole number"),
        ("calendar_dates.txt", 2, "exception_type", "3", "is not one of 1..2"),
        ("routes.txt", 2, "route_type", "bus", "is not a whole number"),
    ],
)
def test_a_malformed_feed_names_file_row_and_field(
    tmp_path: Path, file: str, row: int, field: str, value: str, problem: str
) -> None:
    with pytest.raises(FeedError) as caught:
        read_feed(_broken(tmp_path, file, row, field, value))
    error = caught.value
    assert (error.file, error.row, error.field) == (file, row, field)
    assert problem in str(error)
    assert str(error).startswith(f"{file}, row {row}, field {field}: ")


def test_a_missing_column_or_file_is_named(tmp_path: Path) -> None:
    folder = handmade_feed().write(tmp_path / "feed")
    (folder / "routes.txt").write_text("route_short_name,route_type\n1,3\n")
    with pytest.raises(FeedError, match=r"routes.txt, row 1, field route_id: required column is missing"):
        read_feed(folder)
    (folder / "routes.txt").unlink()
    with pytest.raises(FeedError, match=r"routes.txt: is missing"):
        read_feed(folder)


def test_a_row_with_too_many_values_is_named(tmp_path: Path) -> None:
    folder = handmade_feed().write(tmp_path / "feed")
    with (folder / "trips.txt").open("a") as out:
        out.write("1,WK,extra_trip,1,surplus\n")
    with pytest.raises(FeedError, match=r"trips.txt, row \d+: has 5 values, the header has 4"):
        read_feed(folder)


def test_zip_and_folder_read_the_same(tmp_path: Path) -> None:
    folder = handmade_feed().write(tmp_path / "feed")
    archive = tmp_path / "feed.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in folder.iterdir():
            out.write(path, f"inner/{path.name}")  # some publishers nest the files
    assert read_feed(archive).fingerprint == read_feed(folder).fingerprint


def test_untimed_stops_are_spread_between_timed_ones(tmp_path: Path) -> None:
    feed = handmade_feed()
    feed.trip("slow", "1", "WK", [("A", "06:00"), ("X", "06:10"), ("Y", "06:20"), ("W", "06:30")])
    for row in feed.stop_times[-3:-1]:
        row["arrival_time"] = row["departure_time"] = ""
    tt = read_feed(feed.write(tmp_path / "feed"))
    trip = int(np.flatnonzero(tt.trip_id == "slow")[0])
    mine = tt.conn_trip == trip
    assert sorted(tt.conn_dep[mine].tolist()) == [6 * 3600, 6 * 3600 + 600, 6 * 3600 + 1200]


def test_stored_form_round_trips_and_refuses_other_versions(handmade: Timetable, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    handmade.save(buffer)
    buffer.seek(0)
    again = Timetable.load(buffer)
    assert again.fingerprint == handmade.fingerprint
    assert again.label == "Handmade Test Buses"
    assert not again.is_demo
    with np.load(io.BytesIO(buffer.getvalue())) as data:
        arrays = {k: data[k] for k in data.files}
    arrays["meta"] = np.array(["0", "old", "0"])
    old = tmp_path / "old.npz"
    np.savez(old, **arrays)
    with pytest.raises(TimetableFormatError, match="import the feed again"):
        Timetable.load(old)
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(TimetableFormatError, match="damaged"):
        Timetable.load(tmp_path / "junk.npz")


def test_a_demo_feed_says_so(tmp_path: Path) -> None:
    feed = handmade_feed()
    feed.agency_name = "DEMO timetables - not real"
    assert read_feed(feed.write(tmp_path / "feed")).is_demo
