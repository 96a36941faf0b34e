"""Demo employers with sites, members, compliance records and opportunities."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import slugify

from employers.models import Employer, EmployerMember, Opportunity, Site
from mobility.accounts.models import Role, User
from mobility.geography.models import Sector
from mobility.geography.postcodes import Location

from . import names
from .accounts import DEMO_DOMAIN, DEMO_LOGINS, demo_email, new_user
from .compliance import build_compliance
from .opportunities import build_opportunities
from .places import PostcodeIndex
from .plan import DemoSize, split_total, weighted
from .reference import HALTON, KNOWSLEY, LIVERPOOL, LOCAL_AUTHORITIES, SEFTON, ST_HELENS, WIRRAL

# Share of the region's jobs, which sets where employers are.
VERIFIED_NOTE = "Demo organisation, set up and verified by the placement organisers."
EMPLOYER_SHARE = ((LIVERPOOL, 40), (WIRRAL, 17), (SEFTON, 14), (KNOWSLEY, 11), (ST_HELENS, 10), (HALTON, 8))
# Growth sectors make up a little over half of the employers offering placements.
SECTOR_SHARE = (
    ("advanced-manufacturing", 9),
    ("digital-creative", 10),
    ("clean-growth", 5),
    ("life-sciences-health", 5),
    ("financial-professional", 10),
    ("maritime-logistics", 7),
    ("visitor-economy", 9),
    ("health-social-care", 12),
    ("retail", 11),
    ("education", 8),
    ("construction", 8),
    ("public-services", 6),
)
# Where a sector clusters: the commercial district, the docks, the science and industrial parks.
HOTSPOTS: dict[str, tuple[tuple[str, str], ...]] = {
    "financial-professional": ((LIVERPOOL, "L2"), (LIVERPOOL, "L3"), (LIVERPOOL, "L1")),
    "digital-creative": ((LIVERPOOL, "L1"), (LIVERPOOL, "L3"), (WIRRAL, "CH41")),
    "maritime-logistics": (
        (SEFTON, "L20"),
        (SEFTON, "L21"),
        (WIRRAL, "CH41"),
        (HALTON, "WA8"),
        (LIVERPOOL, "L24"),
    ),
    "advanced-manufacturing": (
        (KNOWSLEY, "L33"),
        (LIVERPOOL, "L24"),
        (HALTON, "WA7"),
        (WIRRAL, "CH62"),
        (ST_HELENS, "WA11"),
    ),
    "life-sciences-health": (
        (LIVERPOOL, "L7"),
        (LIVERPOOL, "L3"),
        (HALTON, "WA4"),
        (LIVERPOOL, "L24"),
        (KNOWSLEY, "L34"),
    ),
    "clean-growth": ((LIVERPOOL, "L24"), (WIRRAL, "CH41"), (SEFTON, "L20"), (HALTON, "WA8")),
    "visitor-economy": (
        (LIVERPOOL, "L1"),
        (LIVERPOOL, "L3"),
        (SEFTON, "PR8"),
        (SEFTON, "PR9"),
        (WIRRAL, "CH45"),
    ),
}
DEMO_FIRM = "Halewood Precision Engineering Ltd"


@dataclass
class EmployerPlan:
    employer: Employer
    sites: list[Site] = field(default_factory=list)
    is_demo_firm: bool = False


def build_employers(
    rng: random.Random, index: PostcodeIndex, size: DemoSize, sectors: dict[str, Sector], password_hash: str
) -> list[Opportunity]:
    """Create employers (the first is the demo firm), their sites, members, checks and placements."""
    plans = [_demo_firm(rng, index, sectors)]
    used = {DEMO_FIRM}
    for _ in range(size.employers - 1):
        slug = weighted(rng, SECTOR_SHARE)
        plans.append(_employer(rng, index, sectors[slug], used))
    for plan in plans:  # the placement organisers set these up, so pupils may see them
        plan.employer.verification_status = Employer.Verification.VERIFIED
        plan.employer.verification_decided_at = timezone.now()
        plan.employer.verification_note = VERIFIED_NOTE
    Employer.objects.bulk_create([p.employer for p in plans])
    for plan in plans:
        for site in plan.sites:
            site.employer = plan.employer  # now that it has a primary key
    Site.objects.bulk_create([site for plan in plans for site in plan.sites])

    _members(rng, plans, password_hash)
    build_compliance(rng, plans)
    # Every employer offers at least one placement; some offer several.
    extra = split_total(size.opportunities - len(plans), [0] + [rng.uniform(0.2, 2.0) for _ in plans[1:]])
    return build_opportunities(rng, plans, [1 + n for n in extra])


def _demo_firm(rng: random.Random, index: PostcodeIndex, sectors: dict[str, Sector]) -> EmployerPlan:
    employer = Employer(
        name=DEMO_FIRM,
        sector=sectors["advanced-manufacturing"],
        website=f"https://{slugify(DEMO_FIRM)}.{DEMO_DOMAIN}",
    )
    location = index.in_district(rng, KNOWSLEY, "L26")
    site = _site(rng, location, "Main workshop", "Halewood", step_free=True)
    return EmployerPlan(employer, [site], is_demo_firm=True)


def _employer(rng: random.Random, index: PostcodeIndex, sector: Sector, used: set[str]) -> EmployerPlan:
    sites, places, authorities = [], [], []
    for number in range(weighted(rng, ((1, 75), (2, 20), (3, 5)))):
        if number == 0 and sector.slug in HOTSPOTS and rng.random() < 0.5:
            la_code, district = rng.choice(HOTSPOTS[sector.slug])
            place = LOCAL_AUTHORITIES[la_code]
        else:
            la_code = weighted(rng, EMPLOYER_SHARE)
            place, district = rng.choice(names.LOCALITIES[la_code])
        location = index.in_district(rng, la_code, district)
        name = rng.choice(("Head office", "Main site")) if number == 0 else f"{place} site"
        sites.append(_site(rng, location, name, place, step_free=rng.random() < 0.65))
        places.append(place)
        authorities.append(la_code)

    # Named after where its first site is, or somewhere else nearby if that name is taken.
    place = places[0]
    for attempt in range(50):
        name = _employer_name(rng, sector.slug, place)
        if name not in used:
            break
        if attempt >= 5:
            place = rng.choice(names.LOCALITIES[authorities[0]])[0]
    else:
        name = f"{name} {len(used) + 1}"
    used.add(name)
    employer = Employer(name=name, sector=sector, website=f"https://{slugify(name)}.{DEMO_DOMAIN}")
    return EmployerPlan(employer, sites)


def _employer_name(rng: random.Random, slug: str, place: str) -> str:
    surname, surname2 = rng.sample(names.SURNAMES, 2)
    word = rng.choice(names.EMPLOYER_WORDS.get(slug, (place,)))
    template = rng.choice(names.EMPLOYER_NAMES[slug])
    return template.format(place=place, surname=surname, surname2=surname2, word=word)


def _site(rng: random.Random, location: Location, name: str, place: str, *, step_free: bool) -> Site:
    return Site(
        name=name,
        address=f"{rng.randint(1, 240)} {rng.choice(names.STREETS)}, {place}",
        postcode=location.postcode,
        easting=location.easting,
        northing=location.northing,
        local_authority_code=location.local_authority_code,
        step_free_access=step_free,
    )


def _members(rng: random.Random, plans: list[EmployerPlan], password_hash: str) -> None:
    """One contact per employer; the demo firm's is the named employer login."""
    users, members = [], []
    for number, plan in enumerate(plans):
        if plan.is_demo_firm:
            user = new_user(DEMO_LOGINS[Role.EMPLOYER], "Chris", "Walker", Role.EMPLOYER, password_hash)
            title = "Operations manager"
        else:
            first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.SURNAMES)
            email = demo_email(f"{first}.{last}.{number}", "employers")
            user = new_user(email, first, last, Role.EMPLOYER, password_hash)
            title = rng.choice(names.SUPERVISOR_ROLES)
        users.append(user)
        members.append(EmployerMember(user=user, employer=plan.employer, job_title=title))
    User.objects.bulk_create(users)
    EmployerMember.objects.bulk_create(members)
