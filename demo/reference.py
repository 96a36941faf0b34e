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


# slug | name | UK SIC 2007 section letters | "growth" where named in the region's industrial strategy
_SECTOR_TABLE = """
    advanced-manufacturing | Advanced manufacturing               | C     | growth
    digital-creative       | Digital and creative                 | J,M,R | growth
    clean-growth           | Clean growth and low-carbon energy   | D,E   | growth
    life-sciences-health   | Life sciences and health innovation  | C,M   | growth
    financial-professional | Financial and professional services  | K,M   | growth
    maritime-logistics     | Maritime and logistics               | H     | growth
    visitor-economy        | Visitor economy                      | I,R   | growth
    health-social-care     | Health and social care               | Q     |
    retail                 | Retail                               | G     |
    education              | Education                            | P     |
    construction           | Construction                         | F     |
    public-services        | Public services                      | O     |
"""
SECTORS: tuple[SectorSpec, ...] = tuple(
    SectorSpec(slug, name, sic_sections, growth == "growth")
    for slug, name, sic_sections, growth in (
        [cell.strip() for cell in row.split("|")] for row in _SECTOR_TABLE.strip().splitlines()
    )
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
