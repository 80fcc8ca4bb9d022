"""The mapping step of an upload whose header is not the template's: which of the file's
columns holds each column, a value for each value that does not map, and a name to save
the mapping under for the caller's organisation (docs/data-formats.md)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from talentboard.db.models import SavedMapping
from talentboard.ingest import get_kind
from talentboard.ingest.mapping import ColumnMap, MappingError, check_mapping, suggest
from talentboard.ingest.mapping.apply import unmapped_values
from talentboard.ingest.mapping.model import header_positions
from talentboard.ingest.mapping.saved import as_mapping, save_mapping, saved_mapping
from talentboard.ingest.read import RawTable, ReadError, read_table
from talentboard.web import audit
from talentboard.web.deps import FormDep, SessionDep, SettingsDep, requires
from talentboard.web.permissions import Capability, NotFoundError, Principal, mapping_owner
from talentboard.web.presenters.mapping import (
    column_selects,
    mapping_from_form,
    presented,
    value_selects,
)
from talentboard.web.templating import flash, render
from talentboard.web.uploads import Upload, check_and_show, remember, waiting

router = APIRouter(prefix="/data", include_in_schema=False)

Importer = Annotated[Principal, Depends(requires(Capability.IMPORT_DATA))]
STEP = "the mapping step"
MORE_VALUES = (
    "Some values of the columns you chose do not map by themselves: choose a value for "
    "each, then check the file again."
)


def _table(upload: Upload) -> RawTable | None:
    try:
        return read_table(upload.path, sheet=upload.kind)
    except ReadError:
        return None


def needs_mapping(upload: Upload) -> bool:
    """Whether the file's header lacks a column of the template (a file that cannot be
    read goes to the check, which says why)."""
    table = _table(upload)
    if table is None:
        return False
    present = {h.strip().lower() for h in table.header}
    return any(c not in present for c in get_kind(upload.kind).canonical)


def _owner_name(principal: Principal) -> str:
    if principal.role == "org_admin":
        return "your organisation"
    return "your region" if principal.role == "regional" else "the national team"


def _href(key: str) -> str:
    parts = key.split(".")
    return f"#column-{parts[1]}" if len(parts) > 1 else "#column-" + parts[0]


def _step(
    request: Request,
    principal: Principal,
    upload: Upload,
    table: RawTable,
    mapping: ColumnMap,
    *,
    errors: list[dict[str, str]] | None = None,
    note: str | None = None,
    name: str = "",
    status: int = 200,
) -> Response:
    kind = get_kind(upload.kind)
    columns = column_selects(kind, table.header, mapping)
    for error in errors or []:
        for select in columns:
            if f"#{select['id']}" == error["href"]:
                select["errorMessage"] = {"text": error["text"]}
    values = value_selects(kind, mapping.columns, unmapped_values(mapping, kind, table), mapping)
    remember(request, upload)
    return render(
        request,
        "data/mapping.jinja",
        {
            "title": f"Match the columns of {upload.name}",
            "file": upload.name,
            "kind": upload.kind,
            "upload_id": upload.upload_id,
            "columns": columns,
            "values": values,
            "note": note,
            "mapping_name": name,
            "owner_name": _owner_name(principal),
            "errors": errors or [],
        },
        status_code=status,
    )


def start_step(
    request: Request, session: SessionDep, principal: Principal, upload: Upload
) -> Response:
    """The mapping step for a new upload, filled in from the suggestion."""
    table = _table(upload)
    if table is None:
        return check_and_show(request, session, principal, upload)
    suggestion = suggest(get_kind(upload.kind), table, upload.name)
    return _step(request, principal, upload, table, suggestion.mapping)


def mapping_or_check(
    request: Request, session: SessionDep, principal: Principal, upload: Upload, mapping: ColumnMap
) -> Response:
    """Check the upload through a saved mapping; the mapping step when it does not fit."""
    try:
        return check_and_show(request, session, principal, upload, mapping)
    except MappingError as exc:
        table = _table(upload)
        if table is None:
            raise
        error = {"text": str(exc), "href": _href(exc.key)}
        return _step(request, principal, upload, table, mapping, errors=[error], status=400)


@router.post("/mapping", response_class=HTMLResponse)
def mapping_step(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: Importer,
    form: FormDep,
) -> Response:
    upload = waiting(request, settings.upload_dir, str(form.get("upload_id", "") or ""), take=False)
    table = _table(upload) if upload is not None else None
    if upload is None or table is None:
        gone = "The file is no longer waiting to be imported: upload it again"
        return render(
            request,
            "errors/400.jinja",
            {"title": "Upload the file again", "message": gone},
            status_code=400,
        )
    kind = get_kind(upload.kind)
    mapping = mapping_from_form(kind, form, STEP)
    name = " ".join(str(form.get("mapping_name", "") or "").split())
    try:
        check_mapping(mapping, kind)
        header_positions(mapping, table.header, upload.name)
    except MappingError as exc:
        error = {"text": _field_message(exc), "href": _href(exc.key)}
        return _step(
            request, principal, upload, table, mapping, errors=[error], name=name, status=400
        )
    unmapped = unmapped_values(mapping, kind, table)
    offered = presented(form)
    if any((c, v.lower()) not in offered for c, found in unmapped.items() for v, _ in found):
        return _step(request, principal, upload, table, mapping, note=MORE_VALUES, name=name)
    if name:
        mapping = _save(request, session, principal, name, mapping)
    return check_and_show(request, session, principal, upload, mapping)


def _field_message(exc: MappingError) -> str:
    """A mapping error as the step's fields name it."""
    column = exc.key.split(".")[1] if "." in exc.key else exc.key
    if exc.reason.startswith("'' is not allowed: a value is required"):
        return f"Choose the column of the file that holds {column}"
    return f"{column}: {exc.reason}"


def _save(
    request: Request, session: SessionDep, principal: Principal, name: str, mapping: ColumnMap
) -> ColumnMap:
    owner = mapping_owner(principal)
    saved, created = save_mapping(session, owner, name, mapping, principal.username)
    detail: dict[str, Any] = {"kind": saved.kind, "owner": owner}
    audit.by(
        request,
        session,
        principal,
        "create" if created else "update",
        "mapping",
        saved.name,
        detail,
    )
    session.commit()
    return ColumnMap(
        mapping.kind,
        mapping.columns,
        mapping.constants,
        mapping.values,
        mapping.sheet,
        mapping.date_format,
        source=f"saved mapping {saved.name!r}",
    )


def _owned(session: SessionDep, principal: Principal, ident: int) -> SavedMapping:
    found = saved_mapping(session, mapping_owner(principal), ident)
    if found is None:
        raise NotFoundError
    return found


@router.get("/mappings/{ident}.toml")
def download(ident: int, session: SessionDep, principal: Importer) -> Response:
    """A saved mapping as a mapping file, for ``talentboard import --mapping``."""
    found = _owned(session, principal, ident)
    slug = re.sub(r"[^A-Za-z0-9]+", "-", found.name).strip("-").lower() or "mapping"
    return Response(
        as_mapping(found).to_toml(),
        media_type="application/toml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{slug}.toml"'},
    )


@router.post("/mappings/{ident}/delete")
def delete(
    request: Request, ident: int, session: SessionDep, principal: Importer, form: FormDep
) -> Response:
    found = _owned(session, principal, ident)
    detail: dict[str, Any] = {"kind": found.kind, "owner": found.owner}
    audit.by(request, session, principal, "delete", "mapping", found.name, detail)
    session.delete(found)
    session.commit()
    flash(request, f"The saved column choices {found.name!r} were deleted")
    return RedirectResponse("/data", status_code=303)
