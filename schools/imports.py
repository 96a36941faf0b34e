"""Reading a pupil export from a school's MIS (SIMS, Arbor, Bromcom...) into checked rows.

Nothing here writes: ``import_preview`` returns every row with its problems, and
``schools.services.pupils_import`` saves only a clean file, in one transaction.
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

from mobility.accounts.models import User
from mobility.geography import postcodes
from schools.models import DISADVANTAGE_FLAGS

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
}
TRUE = {"y", "yes", "true", "1", "t"}
FALSE = {"", "n", "no", "false", "0", "f"}
YEAR_RE = re.compile(r"^(?:year\s*|y|yr\s*)?(\d{1,2})$", re.IGNORECASE)


@dataclass
class Row:
    number: int  # line number in the file, counting the header as 1
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.values.get('first_name', '')} {self.values.get('last_name', '')}".strip()


@dataclass
class Preview:
    rows: list[Row]
    file_errors: list[str]

    @property
    def clean(self) -> bool:
        return not self.file_errors and bool(self.rows) and not any(r.errors for r in self.rows)

    @property
    def error_rows(self) -> list[Row]:
        return [r for r in self.rows if r.errors]


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", header.lower()).strip()


def _columns(headers: list[str]) -> dict[str, int]:
    lookup = {
        alias: name for name, aliases in ALIASES.items() for alias in (*aliases, name.replace("_", " "))
    }
    return {lookup[_key(h)]: i for i, h in reversed(list(enumerate(headers))) if _key(h) in lookup}


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


def import_preview(text: str) -> Preview:
    reader = csv.reader(io.StringIO(text))
    try:
        headers = next(reader)
    except StopIteration:
        return Preview([], ["The file is empty."])
    except csv.Error as error:
        return Preview([], [f"The first row cannot be read: {error}"])
    columns = _columns(headers)
    missing = [name.replace("_", " ") for name in REQUIRED if name not in columns]
    if missing:
        return Preview(
            [], [f"The file has no column for: {', '.join(missing)}. The first row must name the columns."]
        )
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
            _row(number, {name: (cells[i].strip() if i < len(cells) else "") for name, i in columns.items()})
        )
    if not rows:
        return Preview([], ["The file has a header row but no pupils."])
    _mark_duplicates(rows)
    return Preview(rows, [])


def _unreadable(number: int, error: str) -> Row:
    return Row(number, {"first_name": "", "last_name": ""}, [error])


def _row(number: int, raw: dict[str, str]) -> Row:
    row = Row(number)
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
    match = YEAR_RE.match(raw["year_group"].strip())
    year = int(match.group(1)) if match else None
    if year is None or not 7 <= year <= 14:
        row.errors.append(f"Unknown year group “{raw['year_group']}”: use 7 to 14, for example 10 or Year 10")
    row.values["year_group"] = year
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


def _mark_duplicates(rows: list[Row]) -> None:
    seen_email: dict[str, int] = {}
    seen_person: dict[tuple[str, str, Any], int] = {}
    for row in rows:
        email = row.values.get("email", "")
        person = (
            row.values["first_name"].lower(),
            row.values["last_name"].lower(),
            row.values.get("date_of_birth"),
        )
        if email and email in seen_email:
            row.errors.append(f"Duplicate: the email address is also on row {seen_email[email]}")
        elif person in seen_person and person[2]:
            row.errors.append(f"Duplicate: the same pupil is also on row {seen_person[person]}")
        seen_email.setdefault(email, row.number)
        seen_person.setdefault(person, row.number)
    existing = set(
        User.objects.filter(email__in=[r.values["email"] for r in rows if r.values.get("email")]).values_list(
            "email", flat=True
        )
    )
    for row in rows:
        if row.values.get("email") in existing:
            row.errors.append("Duplicate: an account with this email address already exists")
