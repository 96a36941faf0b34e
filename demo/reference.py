"""Reference data for Liverpool City Region: the region, its councils and the sectors.

Upserted by code, so loading it twice (or alongside real data) changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from mobility.geography.models import LocalAuthority, Region, Sector

REGION_CODE = "lcr"
REGION_NAME = "Liverpool City Region"

# ONS codes of the six local authorities.
LIVERPOOL = "E08000012"
KNOWSLEY = "E08000011"
SEFTON = "E08000014"
ST_HELENS = "E08000013"
WIRRAL = "E08000015"
HALTON = "E06000006"

LOCAL_AUTHORITIES: dict[str, str] = {
    LIVERPOOL: "Liverpool",
    KNOWSLEY: "Knowsley",
    SEFTON: "Sefton",
    ST_HELENS: "St Helens",
    WIRRAL: "Wirral",
    HALTON: "Halton",
}

# First letters of the postcode areas covering the region: L, CH, WA and PR (Southport).
POSTCODE_LETTERS = "LCWP"


@dataclass(frozen=True)
class SectorSpec:
    slug: str
    name: str
    sic_sections: str  # UK SIC 2007 section letters
    growth: bool  # named in the region's industrial strategy


SECTORS: tuple[SectorSpec, ...] = (
    SectorSpec("advanced-manufacturing", "Advanced manufacturing", "C", True),
    SectorSpec("digital-creative", "Digital and creative", "J,M,R", True),
    SectorSpec("clean-growth", "Clean growth and low-carbon energy", "D,E", True),
    SectorSpec("life-sciences-health", "Life sciences and health innovation", "C,M", True),
    SectorSpec("financial-professional", "Financial and professional services", "K,M", True),
    SectorSpec("maritime-logistics", "Maritime and logistics", "H", True),
    SectorSpec("visitor-economy", "Visitor economy", "I,R", True),
    SectorSpec("health-social-care", "Health and social care", "Q", False),
    SectorSpec("retail", "Retail", "G", False),
    SectorSpec("education", "Education", "P", False),
    SectorSpec("construction", "Construction", "F", False),
    SectorSpec("public-services", "Public services", "O", False),
)


@transaction.atomic
def ensure_reference_data() -> Region:
    """Create or update the region, its local authorities and the sectors; return the region."""
    region, _ = Region.objects.update_or_create(code=REGION_CODE, defaults={"name": REGION_NAME})
    for code, name in LOCAL_AUTHORITIES.items():
        LocalAuthority.objects.update_or_create(code=code, defaults={"name": name, "region": region})
    growth = []
    for spec in SECTORS:
        sector, _ = Sector.objects.update_or_create(
            slug=spec.slug, defaults={"name": spec.name, "sic_sections": spec.sic_sections}
        )
        if spec.growth:
            growth.append(sector)
    region.growth_sectors.add(*growth)
    return region
