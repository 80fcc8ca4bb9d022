"""A starting mapping for a file: its headers matched to the canonical columns.

A header matches a column when they are the same ignoring case, spaces and punctuation
("Person ID" is ``person_id``), or when it is one of the column's common synonyms
(:data:`SYNONYMS`, the Electronic Staff Record's headers among them). Every distinct value
of a matched code column that does not map by itself is listed, so the user fills in only
what is left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from talentboard.ingest.cells import Boolean, Code, CodeList
from talentboard.ingest.mapping.apply import does_not_map, map_cells
from talentboard.ingest.mapping.model import ColumnMap, toml_key, toml_string
from talentboard.ingest.read import RawTable
from talentboard.ingest.schema import Column, Kind

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")

# Headers other systems use for each canonical column, ESR's first. A header may stand
# for two columns (ESR's "Employee Number" is both the person's key and their ESR number).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "person_id": ("Employee Number", "Employee No", "Staff Number", "Person Number"),
    "employee_number": ("Employee Number", "Employee No", "ESR Number", "ESR Employee Number"),
    "given_name": ("First Name", "Forename", "Forenames", "First Names", "Given Names"),
    "family_name": ("Last Name", "Surname", "Family Name", "Last Names"),
    "ethnic_category": ("Ethnic Origin", "Ethnicity", "Ethnic Group", "Ethnic Category Code"),
    "sex": ("Gender", "Sex", "Legal Sex", "Person Stated Gender Code"),
    "disability": ("Disability", "Disabled", "Disability Flag", "Disability Status"),
    "professional_background": ("Staff Group", "Professional Group", "Profession"),
    "birth_year": ("Date of Birth", "DOB", "Year of Birth", "Birth Date"),
    "post_id": ("Position Number", "Position ID", "Post Number", "Position Code"),
    "title": ("Position Title", "Position Name", "Job Title", "Post Title", "Opportunity Title"),
    "role_code": ("Job Role", "Role", "Board Role"),
    "ods_code": ("Organisation Code", "Org Code", "ODS Code", "Trust Code", "VPD Code"),
    "host_ods_code": ("Host Organisation Code", "Host Org Code", "Host ODS Code"),
    "name": ("Organisation Name", "Organisation", "Trust Name"),
    "region_code": ("Region Code", "NHS England Region Code", "Region"),
    "icb_code": ("ICB Code", "Integrated Care Board Code", "ICB"),
    "staff_headcount": ("Headcount", "Staff Headcount", "Staff in Post"),
    "bme_staff_share": ("BME Staff Share", "BME Share", "BME Staff %"),
    "start_date": ("Assignment Start Date", "Start Date", "Date Started", "Appointed On"),
    "end_date": ("Assignment End Date", "End Date", "Termination Date", "Leaving Date"),
    "appointment_type": ("Assignment Category", "Appointment Type", "Contract Type"),
    "end_reason": ("Leaving Reason", "Reason for Leaving", "Termination Reason"),
    "exit_notes": ("Exit Interview Notes", "Exit Notes", "Leaving Notes"),
    "established_from": ("Position Start Date", "Effective Start Date", "Date Established"),
    "established_to": ("Position End Date", "Effective End Date", "Date Disestablished"),
    "level": ("Post Level", "Level", "Grade Level"),
    "executive": ("Executive", "Executive Director", "Is Executive"),
    "voting": ("Voting", "Voting Member", "Is Voting"),
    "effective_from": ("Effective From", "Rating Date", "Date Rated"),
    "oversight_segment": ("Oversight Segment", "NOF Segment", "SOF Segment", "Segment"),
    "cqc_rating": ("CQC Rating", "CQC Overall Rating", "Overall Rating"),
    "readiness": ("Readiness", "Ready", "Readiness Rating"),
    "reviewed_on": ("Review Date", "Date Reviewed", "Reviewed"),
    "target_role_code": ("Target Role", "Aspiration Role", "Aspired Role"),
    "assessed_on": ("Assessment Date", "Date Assessed"),
}


def header_key(text: str) -> str:
    """A header as compared: lower case, no spaces or punctuation."""
    return _NOT_ALNUM.sub("", text.lower())


@dataclass(frozen=True)
class Suggestion:
    """A starting mapping and what is left for the user.

    ``missing``: the canonical columns no header matched; ``unused``: the file's headers
    that match no column; ``unmapped``: column -> the values that do not map, with their
    row counts.
    """

    mapping: ColumnMap
    kind: Kind
    file: str
    missing: tuple[str, ...] = ()
    unused: tuple[str, ...] = ()
    unmapped: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    def to_toml(self) -> str:
        """The mapping as TOML, what is left written in comments to fill in."""
        lines = [
            f"# A mapping for {self.file}, as talentboard suggested it: check it, fill in",
            "# what the comments list, then: talentboard import "
            f"{self.kind.name} {self.file} --mapping THIS-FILE",
            f"kind = {toml_string(self.kind.name)}",
            "",
            "[columns]  # canonical column = the file's header",
        ]
        lines += [f"{toml_key(c)} = {toml_string(h)}" for c, h in self.mapping.columns.items()]
        required = [c for c in self.missing if self.kind.column(c).required]
        for name in required:
            lines.append(f'# {toml_key(name)} = ""  # required: no column of the file matched')
        for header in self.unused:
            lines.append(f"# {toml_string(header)} matches no column and is not read")
        lines += ["", "[constants]  # canonical column = a value for every row"]
        lines += [f"{toml_key(c)} = {toml_string(v)}" for c, v in self.mapping.constants.items()]
        for column, values in self.unmapped.items():
            table = toml_key("values", column)
            lines += ["", f"[{table}]  # the file's value = the canonical value"]
            lines.append(f"# {column} takes {allowed_text(self.kind.column(column))}")
            lines += [
                f'# {toml_key(value)} = ""  # {count:,} row{"s" if count != 1 else ""}'
                for value, count in values
            ]
        return "\n".join(lines) + "\n"


def allowed_values(column: Column) -> tuple[str, ...]:
    """The values a code column allows; () for other columns."""
    if isinstance(column.type, Code | CodeList):
        return tuple(column.type.values)
    if isinstance(column.type, Boolean):
        return ("true", "false")
    return ()


def allowed_text(column: Column) -> str:
    values = allowed_values(column)
    return "one of: " + ", ".join(values) if values else column.type.describe()


def match_headers(kind: Kind, header: list[str]) -> dict[str, str]:
    """Canonical column -> the first header that matches it, by name then by synonym."""
    by_key: dict[str, str] = {}
    for cell in header:
        if cell.strip():
            by_key.setdefault(header_key(cell), cell.strip())
    found: dict[str, str] = {}
    for column in kind.columns:
        for candidate in (column.name, *SYNONYMS.get(column.name, ())):
            match = by_key.get(header_key(candidate))
            if match is not None:
                found[column.name] = match
                break
    return found


def suggest(kind: Kind, table: RawTable, file: str) -> Suggestion:
    """The starting mapping of ``table``, a file of ``kind`` called ``file``."""
    columns = match_headers(kind, table.header)
    matched = {header_key(h) for h in columns.values()}
    unused = tuple(h.strip() for h in table.header if h.strip() and header_key(h) not in matched)
    missing = tuple(c.name for c in kind.columns if not c.extra and c.name not in columns)
    constants = {name: "" for name in missing if not kind.column(name).required}
    mapping = ColumnMap(kind.name, columns, constants, {}, source=f"{kind.name}-mapping.toml")
    index = {h.strip().lower(): i for i, h in enumerate(table.header)}
    unmapped: dict[str, list[tuple[str, int]]] = {}
    for name, wanted in columns.items():
        column = kind.column(name)
        position = index[wanted.lower()]
        raw = [row[position] if position < len(row) else "" for row in table.rows]
        found = does_not_map(column, map_cells(mapping, column, raw))
        if found:
            unmapped[name] = found
    return Suggestion(mapping, kind, file, missing, unused, unmapped)
