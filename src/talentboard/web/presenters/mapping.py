"""The mapping step of an upload: a choice of the file's columns for each canonical column
and a choice of allowed values for each value that does not map, and the mapping the
submitted form describes.

Each column's select offers the file's headers (``file:<header>``), for a code column
with few values the same value in every row (``every:<value>``), and, unless the column
is required, nothing (an empty column). Each value's select is named ``value-<column>-<n>``
beside a hidden ``from-<column>-<n>`` holding the file's value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from talentboard.db.models import SavedMapping
from talentboard.ingest.mapping import ColumnMap
from talentboard.ingest.mapping.suggest import allowed_values
from talentboard.ingest.schema import Column, Kind
from talentboard.reference import ethnic_categories, roles

FILE = "file:"
EVERY = "every:"
FEW_VALUES = 8


def _value_labels(column: Column) -> dict[str, str]:
    if column.name == "ethnic_category":
        return {c.code: f"{c.code}: {c.label}" for c in ethnic_categories()}
    if column.name in ("role_code", "target_role_code"):
        return {r.code: f"{r.label} ({r.code})" for r in roles()}
    return {}


def _value_items(column: Column, chosen: str, empty: str) -> list[dict[str, Any]]:
    labels = _value_labels(column)
    items = [{"value": "", "text": empty, "selected": not chosen}]
    items += [
        {"value": v, "text": labels.get(v, v), "selected": v == chosen}
        for v in allowed_values(column)
    ]
    return items


def column_selects(kind: Kind, header: Sequence[str], mapping: ColumnMap) -> list[dict[str, Any]]:
    """A select for each column of ``kind``, with what ``mapping`` chose selected."""
    selects = []
    headers = [h.strip() for h in header if h.strip()]
    for column in kind.columns:
        chosen_header = mapping.columns.get(column.name)
        if chosen_header is not None and chosen_header.lower() not in {h.lower() for h in headers}:
            chosen_header = None
        constant = mapping.constants.get(column.name)
        items: list[dict[str, Any]] = []
        if not column.required:
            items.append(
                {"value": "", "text": "Not in the file: leave it empty", "selected": False}
            )
        elif chosen_header is None and not constant:
            items.append({"value": "", "text": "Choose a column", "selected": True})
        items += [
            {
                "value": FILE + h,
                "text": h,
                "selected": chosen_header is not None and h.lower() == chosen_header.lower(),
            }
            for h in headers
        ]
        values = allowed_values(column)
        if 0 < len(values) <= FEW_VALUES:
            items += [
                {"value": EVERY + v, "text": f"Every row: {v}", "selected": constant == v}
                for v in values
            ]
        required = "Required. " if column.required else ""
        extra = "Optional: if left out, stored values are kept. " if column.extra else ""
        selects.append(
            {
                "id": f"column-{column.name}",
                "name": f"column-{column.name}",
                "label": {"text": column.name},
                "hint": {"text": f"{required}{extra}{column.doc}"},
                "items": items,
            }
        )
    return selects


def value_selects(
    kind: Kind,
    labels: Mapping[str, str],
    unmapped: Mapping[str, list[tuple[str, int]]],
    mapping: ColumnMap,
) -> list[dict[str, Any]]:
    """A select of allowed values for each value that does not map, as ``{"select": params,
    "from_name": hidden field name, "from_value": the file's value}``."""
    fields = []
    for name, found in unmapped.items():
        column = kind.column(name)
        header = labels.get(name, name)
        listed = {k.lower(): v for k, v in mapping.values.get(name, {}).items()}
        for index, (value, count) in enumerate(found):
            rows = f"{count:,} row" + ("" if count == 1 else "s")
            fields.append(
                {
                    "select": {
                        "id": f"value-{name}-{index}",
                        "name": f"value-{name}-{index}",
                        "label": {"text": f"{header}: {value!r} ({rows})"},
                        "items": _value_items(
                            column,
                            listed.get(value.lower(), ""),
                            "Not chosen: these rows will be refused",
                        ),
                    },
                    "from_name": f"from-{name}-{index}",
                    "from_value": value,
                }
            )
    return fields


def mapping_from_form(kind: Kind, form: Mapping[str, Any], source: str) -> ColumnMap:
    """The mapping the step's form describes (not yet checked)."""
    columns: dict[str, str] = {}
    constants: dict[str, str] = {}
    for column in kind.columns:
        choice = str(form.get(f"column-{column.name}", "") or "")
        if choice.startswith(FILE):
            columns[column.name] = choice.removeprefix(FILE)
        elif choice.startswith(EVERY):
            constants[column.name] = choice.removeprefix(EVERY)
        elif not column.extra:
            constants[column.name] = ""
    values: dict[str, dict[str, str]] = {}
    for key in form:
        if not key.startswith("from-"):
            continue
        name, _, index = key.removeprefix("from-").rpartition("-")
        chosen = str(form.get(f"value-{name}-{index}", "") or "")
        if chosen and name in columns:
            values.setdefault(name, {})[str(form.get(key, ""))] = chosen
    return ColumnMap(kind.name, columns, constants, values, source=source)


def presented(form: Mapping[str, Any]) -> set[tuple[str, str]]:
    """The (column, file value) pairs the submitted form offered a choice for."""
    found = set()
    for key in form:
        if key.startswith("from-"):
            name = key.removeprefix("from-").rpartition("-")[0]
            found.add((name, str(form.get(key, "")).lower()))
    return found


def saved_rows(saved: Sequence[SavedMapping]) -> list[dict[str, Any]]:
    """The caller's saved mappings as the data page lists them."""
    return [
        {
            "id": m.id,
            "name": m.name,
            "kind": m.kind.capitalize(),
            "saved": f"{m.saved_at:%d %B %Y} by {m.saved_by or 'unknown'}",
        }
        for m in saved
    ]
