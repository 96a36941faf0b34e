"""Word lists for invented demo people, schools and employers.

Places are real districts of the region with their postcode districts, so a school named
after Huyton sits at an L36 postcode. School and employer names are made up; any likeness
to a real organisation is chance.
"""

from __future__ import annotations

import textwrap

from .reference import HALTON, KNOWSLEY, LIVERPOOL, SEFTON, ST_HELENS, WIRRAL


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _per_sector(text: str) -> dict[str, tuple[str, ...]]:
    """One sector a line, ``slug: first; second; ...``, running on over indented lines."""
    rows: dict[str, str] = {}
    slug = ""
    for line in textwrap.dedent(text).strip().splitlines():
        if line.startswith(" "):
            rows[slug] += " " + line.strip()
        else:
            slug, _, items = line.partition(": ")
            rows[slug] = items
    return {slug: tuple(item.strip() for item in items.split(";")) for slug, items in rows.items()}


# Places in each local authority and their postcode district (outward code).
LOCALITIES: dict[str, tuple[tuple[str, str], ...]] = {
    LIVERPOOL: (
        ("Anfield", "L4"),
        ("Walton", "L9"),
        ("Everton", "L5"),
        ("Kensington", "L7"),
        ("Wavertree", "L15"),
        ("Allerton", "L18"),
        ("Garston", "L19"),
        ("Speke", "L24"),
        ("Childwall", "L16"),
        ("Croxteth", "L11"),
        ("Aigburth", "L17"),
        ("Toxteth", "L8"),
        ("Old Swan", "L13"),
        ("West Derby", "L12"),
        ("Fazakerley", "L10"),
        ("Woolton", "L25"),
        ("Tuebrook", "L6"),
        ("Dovecot", "L14"),
        ("Norris Green", "L11"),
        ("City Centre", "L1"),
        ("Vauxhall", "L3"),
        ("Belle Vale", "L25"),
    ),
    KNOWSLEY: (
        ("Huyton", "L36"),
        ("Kirkby", "L32"),
        ("Prescot", "L34"),
        ("Halewood", "L26"),
        ("Whiston", "L35"),
        ("Stockbridge Village", "L28"),
        ("Knowsley Park", "L33"),
    ),
    SEFTON: (
        ("Bootle", "L20"),
        ("Crosby", "L23"),
        ("Southport", "PR9"),
        ("Formby", "L37"),
        ("Maghull", "L31"),
        ("Litherland", "L21"),
        ("Netherton", "L30"),
        ("Waterloo", "L22"),
        ("Ainsdale", "PR8"),
        ("Birkdale", "PR8"),
    ),
    ST_HELENS: (
        ("St Helens", "WA10"),
        ("Haydock", "WA11"),
        ("Rainhill", "L35"),
        ("Newton-le-Willows", "WA12"),
        ("Eccleston", "WA10"),
        ("Thatto Heath", "WA9"),
        ("Parr", "WA9"),
        ("Sutton", "WA9"),
        ("Rainford", "WA11"),
    ),
    WIRRAL: (
        ("Birkenhead", "CH41"),
        ("Wallasey", "CH44"),
        ("Bebington", "CH63"),
        ("Heswall", "CH60"),
        ("West Kirby", "CH48"),
        ("Hoylake", "CH47"),
        ("Moreton", "CH46"),
        ("Bromborough", "CH62"),
        ("Upton", "CH49"),
        ("Prenton", "CH43"),
        ("New Brighton", "CH45"),
        ("Rock Ferry", "CH42"),
        ("Pensby", "CH61"),
    ),
    HALTON: (
        ("Widnes", "WA8"),
        ("Runcorn", "WA7"),
        ("Ditton", "WA8"),
        ("Castlefields", "WA7"),
        ("Hough Green", "WA8"),
        ("Daresbury", "WA4"),
    ),
}

SCHOOL_NAMES = {
    "secondary": (
        "{place} Academy",
        "{place} High School",
        "{place} Park Academy",
        "{place} Community High School",
        "St {saint}'s Catholic High School, {place}",
        "{place} Church of England Academy",
        "{place} School of Science",
        "{place} Valley Academy",
    ),
    "sixth_form": (
        "{place} Sixth Form College",
        "{place} Sixth Form Centre",
        "St {saint}'s Sixth Form, {place}",
    ),
    "fe_college": ("{place} College", "{place} Technical College", "{place} College of Further Education"),
}
SAINTS = ("Anne", "Bede", "Cuthbert", "Edmund", "Hilda", "Julie", "Margaret", "Michael", "Oswald", "Teresa")

FIRST_NAMES = _words(
    """
    Aaliyah Abdul Ada Adam Aisha Alfie Amelia Amir Ava Ben Bethany Caitlin Callum Chloe Ciara Connor
    Daniel Dylan Eden Ella Ellie Emily Ethan Evie Faith Finn Freya George Grace Hannah Harry Hassan
    Isaac Isla Jack Jacob Jade Jake Jamal Jessica Joe Joshua Kacper Kai Kayla Kian Layla Leo Liam Lily
    Logan Lucy Maisie Mason Maya Megan Mia Mohammed Molly Nathan Niamh Noah Olivia Oscar Poppy Reece
    Riley Rosie Ruby Ryan Sami Scarlett Sophie Tayo Theo Thomas Tyler Wiktoria Yusuf Zara Zain
    """
)
SURNAMES = _words(
    """
    Adeyemi Ahmed Ali Begum Brown Byrne Campbell Carroll Chen Clarke Connolly Davies Doyle Evans
    Fitzgerald Gallagher Green Hall Harris Hughes Hussain Jackson Johnson Jones Kelly Khan Kowalski Lee
    Lewis Lynch Martin McCarthy McDonald Mensah Moore Morris Murphy Nguyen Nowak O'Brien O'Neill Okafor
    Owen Parry Patel Quinn Roberts Robinson Ryan Scott Shaw Smith Taylor Thomas Thompson Walker Walsh
    Ward White Williams Wilson Wright Yusuf
    """
)
STREETS = (
    "Church Road",
    "Dock Road",
    "Station Road",
    "Mill Lane",
    "Park Road",
    "Victoria Street",
    "Bridge Street",
    "Market Street",
    "Chapel Lane",
    "Queens Drive",
    "Liverpool Road",
    "Derby Road",
    "Business Park",
    "Enterprise Way",
    "Trade Park",
    "Innovation Drive",
    "Riverside Way",
)

# Employer names and placement titles by sector slug. {place}, {surname} and {word} are filled in.
EMPLOYER_NAMES = _per_sector(
    """
    advanced-manufacturing: {place} Precision Engineering Ltd; {surname} Fabrications Ltd;
        Mersey {word} Systems Ltd; {place} Advanced Components; {surname} & {surname2} Engineering
    digital-creative: {word} Studio; {place} Digital Ltd; {surname} Creative; {word} Games Ltd
    clean-growth: {place} Renewables Ltd; Mersey {word} Energy; {surname} Retrofit Ltd
    life-sciences-health: {word} Biosciences Ltd; {place} Diagnostics; {surname} Laboratories
    financial-professional: {surname} & {surname2} LLP; {surname} Accountants;
        {place} Financial Services; {surname} Legal
    maritime-logistics: {place} Freight Ltd; Mersey {word} Logistics; {surname} Shipping Services
    visitor-economy: The {place} Hotel; {word} Events Ltd; {place} Heritage Trust; {surname}'s Kitchen
    health-social-care: {place} Care Home; {place} Dental Practice; {surname} Pharmacy;
        {place} Health Centre
    retail: {place} Home Store; {surname}'s Food Hall; {word} Outdoor Ltd; {place} Garden Centre
    education: {place} Primary School; {word} Day Nursery; {place} Sports Coaching
    construction: {surname} Construction Ltd; {place} Building Services; {surname} Architects
    public-services: {place} Library; {place} Fire Station; {place} Leisure Centre; {place} Town Hall
    """
)
EMPLOYER_WORDS: dict[str, tuple[str, ...]] = {
    "advanced-manufacturing": ("Motion", "Composite", "Fluid", "Robotics", "Precision"),
    "digital-creative": ("Pixel", "Northern Light", "Ferry Cross", "Liver Bird", "Brightside"),
    "clean-growth": ("Tidal", "Wind", "Hydrogen", "Solar"),
    "life-sciences-health": ("Helix", "Genome", "Mersey", "Cellular"),
    "maritime-logistics": ("Quay", "Harbour", "Channel", "Anchor"),
    "visitor-economy": ("Waterfront", "Docklands", "Riverside", "Promenade"),
    "retail": ("Peak", "Trail", "Northern", "Coastal"),
    "education": ("Little Steps", "Acorn", "Sunflower", "Rainbow"),
}
OPPORTUNITY_TITLES = _per_sector(
    """
    advanced-manufacturing: Engineering workshop placement; Manufacturing operations week;
        CAD and design taster; Quality and testing placement; Maintenance engineering week
    digital-creative: Software development week; Games studio placement; Digital marketing taster;
        Video production placement; IT support placement; User experience design taster
    clean-growth: Offshore wind operations taster; Energy efficiency surveying;
        Solar installation placement; Environmental consultancy week
    life-sciences-health: Laboratory science placement; Medicines manufacturing week;
        Clinical research taster
    financial-professional: Accountancy placement; Law firm work experience; Banking operations week;
        Insurance taster
    maritime-logistics: Port operations placement; Warehouse and logistics week;
        Freight forwarding taster; Marine engineering placement
    visitor-economy: Hotel operations placement; Events and hospitality week;
        Museum and gallery placement; Professional kitchen placement
    health-social-care: Care home placement; Hospital support services week; Pharmacy placement;
        Dental practice taster
    retail: Store operations placement; Visual merchandising taster; Customer service week
    education: Classroom assistant placement; Nursery placement; Sports coaching placement
    construction: Site management taster; Architecture practice week; Quantity surveying placement;
        Electrical trades taster
    public-services: Council services placement; Library placement; Fire and rescue taster
    """
)
INSURERS = ("Northern Mutual", "Albion Commercial", "Mersey Risk Partners", "Castle Indemnity")
SUPERVISOR_ROLES = ("Operations manager", "Office manager", "Team leader", "Training coordinator")
