"""Declarative form fields, parsed and validated with NHS-pattern error messages.

A form is a tuple of :class:`Field`. :func:`parse_form` turns the submitted values into
typed values and an error per field, worded as the NHS service manual asks ("Enter ...",
"Select ...", "... must be a real date"). :func:`render_fields` turns the fields, the
submitted (or stored) values and the errors into the parameters of the NHS.UK components,
so one template renders every form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from starlette.datastructures import FormData

Kind = Literal[
    "text",
    "password",
    "textarea",
    "select",
    "radios",
    "date",
    "integer",
    "fraction",
    "checkboxes",
    "boolean",
]


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    label: str
    kind: Kind = "text"
    required: bool = False
    choices: Sequence[tuple[str, str]] = ()
    hint: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    width: str | None = None

    @property
    def anchor(self) -> str:
        """The id the error summary links to (the first input of a date)."""
        return f"{self.name}-day" if self.kind == "date" else self.name


@dataclass(slots=True)
class FormResult:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_list(self, fields: Sequence[Field]) -> list[dict[str, str]]:
        """The error summary's list, in the order of the fields on the page."""
        by_name = {f.name: f for f in fields}
        listed = [
            {"text": self.errors[f.name], "href": f"#{f.anchor}"}
            for f in fields
            if f.name in self.errors
        ]
        listed += [
            {"text": message, "href": "#main-form"}
            for name, message in self.errors.items()
            if name not in by_name
        ]
        return listed


def choices_of(codes: Iterable[str], labeller: Any) -> tuple[tuple[str, str], ...]:
    return tuple((code, str(labeller(code))) for code in codes)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _date(form: Mapping[str, Any], f: Field, result: FormResult) -> None:
    # The NHS.UK date input names its parts "prefix[day]", "prefix[month]", "prefix[year]".
    parts = {p: str(form.get(f"{f.name}[{p}]", "") or "").strip() for p in ("day", "month", "year")}
    result.raw[f.name] = parts
    if not any(parts.values()):
        if f.required:
            result.errors[f.name] = f"Enter {_lower_first(f.label)}"
        result.values[f.name] = None
        return
    missing = [p for p, v in parts.items() if not v]
    if missing:
        result.errors[f.name] = f"{f.label} must include a {' and '.join(missing)}"
        return
    try:
        value = dt.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        result.errors[f.name] = f"{f.label} must be a real date"
        return
    if not 1900 <= value.year <= 2100:
        result.errors[f.name] = f"{f.label} must be a real date"
        return
    result.values[f.name] = value


def _picked(form: FormData | Mapping[str, Any], name: str) -> list[str]:
    if isinstance(form, FormData):
        return [str(v) for v in form.getlist(name)]
    value: Any = form.get(name)
    return [str(v) for v in value or []]


def parse_form(fields: Sequence[Field], form: FormData | Mapping[str, Any]) -> FormResult:
    """Typed values and NHS-pattern error messages for a submitted form."""
    result = FormResult()
    for f in fields:
        if f.kind == "date":
            _date(form, f, result)
            continue
        if f.kind == "checkboxes":
            picked = _picked(form, f.name)
            result.raw[f.name] = picked
            allowed = {code for code, _ in f.choices}
            if any(p not in allowed for p in picked):
                result.errors[f.name] = f"Select {_lower_first(f.label)} from the list"
            elif f.required and not picked:
                result.errors[f.name] = f"Select {_lower_first(f.label)}"
            result.values[f.name] = picked
            continue
        text = str(form.get(f.name, "") or "").strip()
        result.raw[f.name] = text
        if f.kind == "boolean":
            if text not in ("", "yes", "no") or (f.required and not text):
                result.errors[f.name] = f"Select yes or no for {_lower_first(f.label)}"
            result.values[f.name] = None if text == "" else text == "yes"
            continue
        if not text:
            if f.required:
                verb = "Select" if f.kind in ("select", "radios") else "Enter"
                result.errors[f.name] = f"{verb} {_lower_first(f.label)}"
            result.values[f.name] = None
            continue
        if f.kind in ("select", "radios"):
            if text not in {code for code, _ in f.choices}:
                result.errors[f.name] = f"Select {_lower_first(f.label)} from the list"
            else:
                result.values[f.name] = text
        elif f.kind == "integer":
            _integer(f, text, result)
        elif f.kind == "fraction":
            _fraction(f, text, result)
        else:
            if f.max_length is not None and len(text) > f.max_length:
                result.errors[f.name] = f"{f.label} must be {f.max_length} characters or fewer"
            else:
                result.values[f.name] = text
    return result


def _integer(f: Field, text: str, result: FormResult) -> None:
    try:
        value = int(text)
    except ValueError:
        result.errors[f.name] = f"{f.label} must be a whole number"
        return
    if f.minimum is not None and value < f.minimum:
        result.errors[f.name] = f"{f.label} must be {f.minimum} or more"
    elif f.maximum is not None and value > f.maximum:
        result.errors[f.name] = f"{f.label} must be {f.maximum} or less"
    else:
        result.values[f.name] = value


def _fraction(f: Field, text: str, result: FormResult) -> None:
    try:
        value = float(text)
    except ValueError:
        result.errors[f.name] = f"{f.label} must be a number between 0 and 1"
        return
    if not 0 <= value <= 1:
        result.errors[f.name] = f"{f.label} must be a number between 0 and 1"
    else:
        result.values[f.name] = value


def raw_from_values(fields: Sequence[Field], values: Mapping[str, Any]) -> dict[str, Any]:
    """Stored values as a form shows them, for an edit page before anything is submitted."""
    raw: dict[str, Any] = {}
    for f in fields:
        value = values.get(f.name)
        if f.kind == "date":
            raw[f.name] = (
                {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
                if isinstance(value, dt.date)
                else {"day": "", "month": "", "year": ""}
            )
        elif f.kind == "checkboxes":
            raw[f.name] = list(value or [])
        elif f.kind == "boolean":
            raw[f.name] = "" if value is None else ("yes" if value else "no")
        else:
            raw[f.name] = "" if value is None else str(value)
    return raw


def render_fields(
    fields: Sequence[Field], raw: Mapping[str, Any], errors: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Each field as ``{"component": name, "params": {...}}`` for the NHS.UK macros."""
    rendered = []
    for f in fields:
        error = {"text": errors[f.name]} if f.name in errors else None
        params: dict[str, Any] = {
            "id": f.name,
            "name": f.name,
            "hint": {"text": f.hint} if f.hint else None,
        }
        if error is not None:
            params["errorMessage"] = error
        component = _COMPONENTS[f.kind](f, raw.get(f.name), error, params)
        rendered.append({"component": component, "params": params})
    return rendered


# Each renderer adds its component's parameters and answers the component's name.
Renderer = Callable[[Field, Any, dict[str, str] | None, dict[str, Any]], str]


def _input(f: Field, value: Any, error: dict[str, str] | None, params: dict[str, Any]) -> str:
    numeric = f.kind in ("integer", "fraction")
    params.update(
        label={"text": f.label},
        value="" if f.kind == "password" else value or "",
        type="password" if f.kind == "password" else "text",
        classes=f.width or ("nhsuk-input--width-10" if numeric else ""),
        inputmode="numeric" if f.kind == "integer" else None,
        spellcheck=False if f.kind != "text" else None,
        autocomplete="new-password" if f.kind == "password" else None,
    )
    return "input"


def _textarea(f: Field, value: Any, error: dict[str, str] | None, params: dict[str, Any]) -> str:
    params.update(label={"text": f.label}, value=value or "")
    return "textarea"


def _select(f: Field, value: Any, error: dict[str, str] | None, params: dict[str, Any]) -> str:
    items = [{"value": "", "text": "Choose…"}] + [
        {"value": code, "text": text, "selected": code == value} for code, text in f.choices
    ]
    params.update(label={"text": f.label}, items=items)
    return "select"


def _legend(f: Field) -> dict[str, Any]:
    return {"legend": {"text": f.label, "size": "s"}}


def _radios(f: Field, value: Any, error: dict[str, str] | None, params: dict[str, Any]) -> str:
    options = f.choices if f.kind == "radios" else (("yes", "Yes"), ("no", "No"))
    params.update(
        fieldset=_legend(f),
        items=[{"value": code, "text": text, "checked": code == value} for code, text in options],
        inline=f.kind == "boolean",
    )
    return "radios"


def _checkboxes(f: Field, value: Any, error: dict[str, str] | None, params: dict[str, Any]) -> str:
    picked = set(value or [])
    params.update(
        fieldset=_legend(f),
        items=[
            {"value": code, "text": text, "checked": code in picked} for code, text in f.choices
        ],
    )
    return "checkboxes"


_DATE_PARTS = (("day", "nhsuk-input--width-2"), ("month", "nhsuk-input--width-2"))


def _date_input(f: Field, value: Any, error: dict[str, str] | None, params: dict[str, Any]) -> str:
    parts = value or {"day": "", "month": "", "year": ""}
    widths = (*_DATE_PARTS, ("year", "nhsuk-input--width-4"))
    params.update(
        fieldset=_legend(f),
        namePrefix=f.name,
        items=[
            {"name": part, "classes": classes, "value": parts[part], "error": error is not None}
            for part, classes in widths
        ],
    )
    params.pop("name")
    return "date"


_COMPONENTS: dict[str, Renderer] = {
    "text": _input,
    "password": _input,
    "integer": _input,
    "fraction": _input,
    "textarea": _textarea,
    "select": _select,
    "radios": _radios,
    "boolean": _radios,
    "checkboxes": _checkboxes,
    "date": _date_input,
}
