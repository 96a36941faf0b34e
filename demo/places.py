"""Real postcodes of the region, from the ONS directory, for sampling demo addresses."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from mobility.geography.postcodes import Location, locations_in

from .reference import LOCAL_AUTHORITIES, POSTCODE_LETTERS


@dataclass
class PostcodeIndex:
    """Every located postcode in the region's local authorities, in postcode order."""

    locations: list[Location]

    @classmethod
    def load(cls) -> PostcodeIndex:
        return cls(locations_in(LOCAL_AUTHORITIES, POSTCODE_LETTERS))

    @cached_property
    def by_local_authority(self) -> dict[str, list[Location]]:
        groups: dict[str, list[Location]] = {code: [] for code in LOCAL_AUTHORITIES}
        for location in self.locations:
            groups[location.local_authority_code].append(location)
        return groups

    @cached_property
    def by_district(self) -> dict[tuple[str, str], list[Location]]:
        """Keyed by (local authority code, outward code)."""
        groups: dict[tuple[str, str], list[Location]] = {}
        for location in self.locations:
            key = (location.local_authority_code, location.postcode.split(" ")[0])
            groups.setdefault(key, []).append(location)
        return groups

    @cached_property
    def _grid(self) -> np.ndarray:
        return np.array([(loc.easting, loc.northing) for loc in self.locations], dtype=np.float64)

    def in_district(self, rng: random.Random, la_code: str, district: str) -> Location:
        """A postcode in the district, or anywhere in the authority if the district has none there."""
        choices = self.by_district.get((la_code, district)) or self.by_local_authority[la_code]
        return rng.choice(choices)

    def near(self, centre: Location, radius_m: float, minimum: int = 200) -> list[Location]:
        """Postcodes within `radius_m` of `centre`, widening the circle until there are `minimum`."""
        distance = np.hypot(self._grid[:, 0] - centre.easting, self._grid[:, 1] - centre.northing)
        while True:
            (inside,) = np.nonzero(distance <= radius_m)
            if len(inside) >= minimum or len(inside) == len(self.locations):
                return [self.locations[i] for i in inside]
            radius_m *= 1.5
