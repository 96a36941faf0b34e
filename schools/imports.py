"""Reading a pupil export from a school's MIS (SIMS, Arbor, Bromcom...) into checked rows.

Nothing here writes: ``import_preview`` returns every row with its problems and flags the same
person met twice (in the file, or already at the school); ``schools.services.pupils_import``
saves a clean file with the school's choice for each flagged row, in one transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from mobility.accounts.models import User
from mobility.geography import postcodes
from schools.models import DISADVANTAGE_FLAGS, UPN_FORMAT, UPN_PATTERN, School, year_group_age_problem
from schools.selectors import Person, person_key, pupils_same_people

MAX_ROWS = 3000
REQUIRED = ("first_name", "last_name", "email", "date_of_birth", "year_group", "postcode")
FLAGS = (*DISADVANTAGE_FLAGS, "needs_step_free_access")

# Column names used by common MIS exports, lower-cased with punctuation removed.
ALIASES = {
    "first_name": (
        "first name",
        "firstname",
        "forename",
        "legal forename",
        "preferred forename",
        "given name",
    ),
    "last_name": ("last name", "lastname", "surname", "legal surname", "family name"),
    "email": ("email", "email address", "pupil email", "school email"),
    "date_of_birth": ("date of birth", "dob", "birth date"),
    "year_group": ("year group", "year", "nc year", "national curriculum year", "yeargroup"),
    "postcode": ("postcode", "post code", "home postcode", "address postcode"),
    "fsm_or_pupil_premium": (
        "fsm",
        "free school meals",
        "pupil premium",
        "fsm or pupil premium",
        "fsm pupil premium",
    ),
    "care_experienced": ("care experienced", "looked after", "cla", "lac", "care leaver"),
    "send": ("send", "sen", "sen status", "send status"),
    "young_carer": ("young carer",),
    "at_risk_of_neet": ("at risk of neet", "neet risk", "risk of neet"),
    "needs_step_free_access": ("step free", "needs step free access", "step free access"),
    "access_needs": ("access needs", "adjustments", "reasonable adjustments"),
    "upn": ("upn", "unique pupil number", "pupil number"),
}
OPTIONAL = tuple(name for name in ALIASES if name not in REQUIRED)
LABELS = {"upn": "UPN", "fsm_or_pupil_premium": "FSM or pupil premium", "send": "SEND"}
TRUE = {"y", "yes", "true", "1", "t"}
FALSE = {"", "n", "no", "false", "0", "f"}
YEAR_RE = re.compile(r"^(?:year\s*|y|yr\s*)?(\d{1,2})$", re.IGNORECASE)
UPN_RE = re.compile(UPN_PATTERN)


def label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " "))


def expected_headers() -> str:
    return (
        f"Needed: {', '.join(label(n) for n in REQUIRED)}. Optional: {', '.join(label(n) for n in OPTIONAL)}."
    )


@dataclass(frozen=True)
class Existing:
    """The school's own pupil that a row matches; never a pupil of another school."""

    pupil_id: int
    name: str
    email: str
    date_of_birth: dt.date
    year_group: int
    upn: str
    by: str  # what matched, in words


@dataclass
class Row:
    number: int  # line number in the file, counting the header as 1
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    given: set[str] = field(default_factory=set)  # optional columns with a value in this row
    same_as_row: int | None = None  # an earlier row of the file holds the same person
    existing: Existing | None = None  # the school already has this person

    @property
    def flagged(self) -> bool:
        return self.same_as_row is not None or self.existing is not None

    @property
    def needs_choice(self) -> bool:
        """Skip or update is the school's to choose; a repeat within the file is always skipped."""
        return self.existing is not None and self.same_as_row is None

    @property
    def name(self) -> str:
        return f"{self.values.get('first_name', '')} {self.values.get('last_name', '')}".strip()


@dataclass
class Preview:
    rows: list[Row]
    file_errors: list[str]
    header_errors: bool = False

    @property
    def clean(self) -> bool:
        return not self.file_errors and bool(self.rows) and not any(r.errors for r in self.rows)

    @property
    def error_rows(self) -> list[Row]:
        return [r for r in self.rows if r.errors]

    @property
    def flagged_rows(self) -> list[Row]:
        return [r for r in self.rows if r.flagged]

    @property
    def new_rows(self) -> list[Row]:
        return [r for r in self.rows if not r.flagged]


def _key(header: str) -> str:
    """Case, spacing and punctuation do not matter: "E-mail", "e mail" and "EMAIL" are one."""
    return re.sub(r"[^a-z0-9]+", "", header.lower())


LOOKUP = {_key(alias): name for name, aliases in ALIASES.items() for alias in (*aliases, name)}


def _columns(headers: list[str]) -> tuple[dict[str, int], list[str]]:
    """Each known column's position, and the header's problems in words."""
    columns: dict[str, int] = {}
    unknown: list[str] = []
    problems: list[str] = []
    for i, header in enumerate(headers):
        if not header.strip():
            continue  # a spreadsheet's trailing empty column
        name = LOOKUP.get(_key(header))
        if name is None:
            unknown.append(f"“{header.strip()}”")
        elif name in columns:
            problems.append(
                f"Two columns mean {label(name)}: “{headers[columns[name]].strip()}” and “{header.strip()}”."
            )
        else:
            columns[name] = i
    missing = [label(name) for name in REQUIRED if name not in columns]
    if missing:
        problems.insert(0, f"The file has no column for: {', '.join(missing)}.")
    if unknown:
        problems.append(f"Unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}.")
    return columns, problems


def _date(raw: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("utf-8", data, 0, 1, "not text")


def import_preview(text: str, *, school: School | None = None) -> Preview:
    """Every row checked; with ``school``, rows that are already the school's pupils are flagged."""
    reader = csv.reader(io.StringIO(text))
    try:
        headers = next(reader)
    except StopIteration:
        return Preview([], ["The file is empty."])
    except csv.Error as error:
        return Preview([], [f"The first row cannot be read: {error}"])
    columns, header_problems = _columns(headers)
    if header_problems:
        return Preview([], [*header_problems, "The first row must name the columns."], header_errors=True)
    today = timezone.localdate()
    rows: list[Row] = []
    for number in itertools.count(2):
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            # A cell past the csv module's size limit (or a broken quote): this row only.
            rows.append(_unreadable(number, f"The row cannot be read: {error}"))
            continue
        if any("\x00" in c for c in cells):
            rows.append(_unreadable(number, "The row contains a NUL character"))
            continue
        if not any(c.strip() for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            return Preview(rows, [f"The file has more than {MAX_ROWS} pupils. Split it into smaller files."])
        rows.append(
            _row(
                number,
                {name: (cells[i].strip() if i < len(cells) else "") for name, i in columns.items()},
                today,
            )
        )
    if not rows:
        return Preview([], ["The file has a header row but no pupils."])
    _mark_repeats(rows)
    if school is not None:
        _mark_existing(rows, school)
    _mark_taken_emails(rows)
    return Preview(rows, [])


def _unreadable(number: int, error: str) -> Row:
    return Row(number, {"first_name": "", "last_name": ""}, [error])


def _row(number: int, raw: dict[str, str], today: dt.date) -> Row:
    row = Row(number, given={name for name in OPTIONAL if raw.get(name)})
    for name in ("first_name", "last_name"):
        row.values[name] = raw[name]
        if not raw[name]:
            row.errors.append(f"Enter a {name.replace('_', ' ')}")
        elif len(raw[name]) > 150:
            row.errors.append(f"The {name.replace('_', ' ')} is longer than 150 characters")
    email = raw["email"].lower()
    row.values["email"] = email
    try:
        validate_email(email)
    except ValidationError:
        row.errors.append(
            f"“{raw['email']}” is not a valid email address" if email else "Enter an email address"
        )
    try:
        row.values["date_of_birth"] = _date(raw["date_of_birth"])
    except ValueError:
        row.errors.append(f"“{raw['date_of_birth']}” is not a date of birth: use DD/MM/YYYY")
    _year_and_upn(row, raw, today)
    try:
        location = postcodes.locate(raw["postcode"])
        row.values["postcode"] = location.postcode
    except postcodes.PostcodeError as error:
        row.values["postcode"] = raw["postcode"]
        row.errors.append(f"Bad postcode: {error}")
    for flag in FLAGS:
        value = raw.get(flag, "").lower()
        if value in TRUE:
            row.values[flag] = True
        elif value in FALSE:
            row.values[flag] = False
        else:
            row.values[flag] = False
            row.errors.append(f"“{raw[flag]}” in {flag.replace('_', ' ')}: use Y or N")
    row.values["access_needs"] = raw.get("access_needs", "")
    return row


def _year_and_upn(row: Row, raw: dict[str, str], today: dt.date) -> None:
    match = YEAR_RE.match(raw["year_group"].strip())
    year = int(match.group(1)) if match else None
    if year is None or not 7 <= year <= 14:
        row.errors.append(f"Unknown year group “{raw['year_group']}”: use 7 to 14, for example 10 or Year 10")
    row.values["year_group"] = year
    born = row.values.get("date_of_birth")
    if born and year is not None and 7 <= year <= 14:
        problem = year_group_age_problem(date_of_birth=born, year_group=year, today=today)
        if problem:
            row.errors.append(problem)
    upn = re.sub(r"\s+", "", raw.get("upn", "")).upper()
    row.values["upn"] = upn
    if upn and not UPN_RE.match(upn):
        row.errors.append(f"“{raw['upn']}” is not a UPN: {UPN_FORMAT}")


def _person_of(row: Row) -> Person | None:
    v = row.values
    return person_key(v.get("first_name", ""), v.get("last_name", ""), v.get("date_of_birth"))


def _mark_repeats(rows: list[Row]) -> None:
    """The same person again later in the file (same name and birthday, or same UPN)."""
    seen_person: dict[Person, int] = {}
    seen_upn: dict[str, int] = {}
    seen_email: dict[str, int] = {}
    for row in rows:
        person, upn, email = _person_of(row), row.values.get("upn"), row.values.get("email", "")
        earlier = seen_upn.get(upn) if upn else None
        if earlier is None and person is not None:
            earlier = seen_person.get(person)
        if earlier is not None:
            row.same_as_row = earlier
        elif email and email in seen_email:
            row.errors.append(f"Duplicate: the email address is also on row {seen_email[email]}")
        if person is not None:
            seen_person.setdefault(person, row.number)
        if upn:
            seen_upn.setdefault(upn, row.number)
        if email:
            seen_email.setdefault(email, row.number)


def _mark_existing(rows: list[Row], school: School) -> None:
    """Rows that are already pupils of ``school``, looked up among that school's pupils only."""
    same = pupils_same_people(
        school=school,
        births={r.values["date_of_birth"] for r in rows if r.values.get("date_of_birth")},
        upns={r.values["upn"] for r in rows if r.values.get("upn")},
    )
    for row in rows:
        person, upn = _person_of(row), row.values.get("upn")
        by_number = same.by_upn.get(upn) if upn else None
        by_name = same.by_person.get(person) if person else None
        if by_number and by_name and by_number.pk != by_name.pk:
            row.errors.append(
                f"Matches two of your pupils: {by_number.user.get_full_name()} by UPN and "
                f"{by_name.user.get_full_name()} by name and date of birth. Fix the file"
            )
            continue
        found = by_number or by_name
        if found is None:
            continue
        by = " and ".join(
            what for what, hit in (("UPN", by_number), ("name and date of birth", by_name)) if hit
        )
        row.existing = Existing(
            pupil_id=found.pk,
            name=found.user.get_full_name(),
            email=found.user.email,
            date_of_birth=found.date_of_birth,
            year_group=found.year_group,
            upn=found.upn,
            by=by,
        )


def _mark_taken_emails(rows: list[Row]) -> None:
    """A new pupil needs an address nobody signs in with. A row that is already one of the
    school's pupils keeps that pupil's address, so its own cell does not matter."""
    fresh = [r for r in rows if not r.flagged and r.values.get("email")]
    taken = set(
        User.objects.filter(email__in=[r.values["email"] for r in fresh]).values_list("email", flat=True)
    )
    for row in fresh:
        if row.values["email"] in taken:
            row.errors.append("Duplicate: an account with this email address already exists")
