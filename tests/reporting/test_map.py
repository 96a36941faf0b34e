"""The server-drawn map: valid SVG with a title and description, a circle per postcode district,
and no circle whose size comes from a count that suppression hides."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string

from placements.reporting.map import HIDDEN_RADIUS, Map
from placements.reporting.people import pupils_of
from placements.reporting.selectors import region_report

from .world import YEAR, Spec, add, build

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"

# Pupils without a placement: seven in L6, six in L7, two in L36 (so L7 is withheld to protect
# L36 from the total). Placed pupils live elsewhere.
SPECS = [
    *[Spec("A", False, "unplaced", home="L6 1AL") for _ in range(7)],
    *[Spec("A", False, "unplaced", home="L7 8XP") for _ in range(6)],
    *[Spec("C", False, "unplaced", home="L36 9YU") for _ in range(2)],
    *[Spec("A", False, "first", home="L8 0RX") for _ in range(5)],
]


def svg_of(drawn: Map) -> ET.Element:
    html = render_to_string("includes/map.html", {"map": drawn})
    svg = html[html.index("<svg") : html.index("</svg>") + len("</svg>")]
    return ET.fromstring(svg)  # raises on anything that is not well-formed XML


def circles(root: ET.Element, kind: str) -> dict[str, ET.Element]:
    return {c.get("data-district", ""): c for c in root.iter(f"{SVG}circle") if c.get("data-kind") == kind}


def test_the_map_is_accessible_svg_with_a_circle_per_district() -> None:
    world = build(SPECS)
    drawn = region_report(region=world.region, year=YEAR, reveal=False).map
    root = svg_of(drawn)
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and "without a placement" in (title.text or "")
    assert desc is not None and "postcode" in (desc.text or "")
    assert set(root.get("aria-labelledby", "").split()) == {title.get("id"), desc.get("id")}
    # The base: the region's own postcodes, binned into squares.
    assert len(list(root.find(f"{SVG}g").iter(f"{SVG}rect"))) > 100  # type: ignore[union-attr]
    pupils = circles(root, "pupils")
    assert set(pupils) == {"L6", "L7", "L36"}
    assert pupils["L6"].get("data-suppressed") == "false" and float(pupils["L6"].get("r", 0)) > HIDDEN_RADIUS
    assert "7 pupils" in (pupils["L6"].find(f"{SVG}title").text or "")  # type: ignore[union-attr]
    # The free seats are rings where the workplaces are, not where the pupils live.
    assert circles(root, "seats")
    assert {m.get("data-kind") for m in root.iter() if m.get("data-kind") in ("school", "site")} == {
        "school",
        "site",
    }
    # The table beside it says the same, suppressed.
    table = {row.label: row.values for row in drawn.table.rows}
    assert [table[d][0] for d in ("L6", "L7", "L36")] == ["7", "withheld", "fewer than 5"]
    assert pupils["L7"].get("data-suppressed") == "true" and float(pupils["L7"].get("r", 0)) == HIDDEN_RADIUS


def test_a_suppressed_district_is_drawn_the_same_whatever_its_count() -> None:
    world = build(SPECS)
    before = svg_of(region_report(region=world.region, year=YEAR, reveal=False).map)
    hidden = circles(before, "pupils")["L36"]
    assert hidden.get("data-suppressed") == "true" and float(hidden.get("r", 0)) == HIDDEN_RADIUS
    assert "fewer than 5" in (hidden.find(f"{SVG}title").text or "")  # type: ignore[union-attr]
    assert "2" not in (hidden.find(f"{SVG}title").text or "").replace("L36", "")  # type: ignore[union-attr]
    add(world, Spec("C", False, "unplaced", home="L36 9YU"))  # three now, still hidden
    after = svg_of(region_report(region=world.region, year=YEAR, reveal=False).map)
    assert ET.tostring(circles(after, "pupils")["L36"]) == ET.tostring(hidden)
    assert pupils_of(region=world.region, year=YEAR)  # the world really changed underneath
