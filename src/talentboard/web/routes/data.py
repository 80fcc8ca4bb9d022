"""Data: upload a CSV or Excel file, see every problem, confirm the import; templates and
exports. National users import and export everything; organisation and regional users
their own organisation's or region's rows (``permissions.data_scope``): a file with a row
outside is refused whole, and exports leave such rows out."""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from sqlalchemy import select
from starlette.background import BackgroundTask
from starlette.datastructures import UploadFile

from talentboard.db.models import Post
from talentboard.ingest import KINDS, UnknownKindError, import_file, write_template
from talentboard.ingest.mapping import ColumnMap
from talentboard.ingest.mapping.saved import as_mapping, saved_mapping, saved_mappings
from talentboard.ingest.service import export_kind
from talentboard.ingest.templates import OwnOrganisation, own_organisation
from talentboard.web import audit, uploads
from talentboard.web.deps import FormDep, SessionDep, SettingsDep, requires
from talentboard.web.permissions import (
    NATIONAL_IMPORTS,
    Capability,
    NotFoundError,
    Principal,
    data_scope,
    mapping_owner,
    may_import,
)
from talentboard.web.presenters.data import counts_rows, kind_items, kind_rows, validation_page
from talentboard.web.presenters.mapping import saved_rows
from talentboard.web.routes.data_mapping import mapping_or_check, needs_mapping, start_step
from talentboard.web.templating import render
from talentboard.web.uploads import Upload, check_and_show, discard, kept_mapping

router = APIRouter(prefix="/data", include_in_schema=False)

MAX_ID_DIGITS = 12
NO_SAVED_MAPPING = "None: the file has the template's columns, or I will match them next"
Importer = Annotated[Principal, Depends(requires(Capability.IMPORT_DATA))]
SUFFIXES = (".csv", ".xlsx")
MEDIA = {
    ".csv": "text/csv; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _data_page(
    request: Request,
    session: SessionDep,
    principal: Principal,
    errors: list[dict[str, str]] | None = None,
    kind: str | None = None,
    status: int = 200,
) -> Response:
    saved = saved_mappings(session, mapping_owner(principal))
    return render(
        request,
        "data/index.jinja",
        {
            "title": "Data",
            "kinds": kind_items(kind, [k for k in KINDS if may_import(principal, k)]),
            "scoped": principal.role != "national",
            "scope_name": "your organisation" if principal.role == "org_admin" else "your region",
            "kind_rows": kind_rows(),
            "errors": errors or [],
            "kind_error": next((e["text"] for e in errors or [] if e["href"] == "#kind"), None),
            "file_error": next((e["text"] for e in errors or [] if e["href"] == "#file"), None),
            "mapping_error": next(
                (e["text"] for e in errors or [] if e["href"] == "#saved_mapping"), None
            ),
            "saved_rows": saved_rows(saved),
            "saved_mappings": [
                {
                    "value": "",
                    "text": "None: the file has the template's columns, or match them next",
                }
            ]
            + [{"value": str(m.id), "text": f"{m.name} ({m.kind})"} for m in saved],
        },
        status_code=status,
    )


@router.get("", response_class=HTMLResponse)
def data_home(request: Request, session: SessionDep, principal: Importer) -> Response:
    return _data_page(request, session, principal)


@router.post("/upload", response_class=HTMLResponse)
def upload(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: Importer,
    form: FormDep,
) -> Response:
    kind = str(form.get("kind", "") or "")
    upload = form.get("file")
    errors = []
    data_scope(session, principal)  # refuses a caller without a data scope
    if kind not in KINDS or not may_import(principal, kind):
        errors.append({"text": "Select what the file holds", "href": "#kind"})
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors.append({"text": "Select a CSV or Excel file", "href": "#file"})
    elif Path(upload.filename).suffix.lower() not in SUFFIXES:
        errors.append(
            {"text": "The selected file must be a CSV or an Excel (.xlsx) file", "href": "#file"}
        )
    if errors or not isinstance(upload, UploadFile) or upload.filename is None:
        return _data_page(request, session, principal, errors, kind, status=400)
    content = upload.file.read(settings.max_upload_bytes + 1)
    if len(content) > settings.max_upload_bytes:
        limit = settings.max_upload_bytes // (1024 * 1024)
        errors.append(
            {"text": f"The selected file must be smaller than {limit} MB", "href": "#file"}
        )
        return _data_page(request, session, principal, errors, kind, status=400)
    saved = _chosen_mapping(session, principal, form, kind)
    if isinstance(saved, str):
        return _data_page(
            request,
            session,
            principal,
            [{"text": saved, "href": "#saved_mapping"}],
            kind,
            status=400,
        )
    name = Path(upload.filename).name
    upload_id = secrets.token_urlsafe(16)
    folder = settings.upload_dir / upload_id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    waiting = Upload(upload_id, kind, name, path)
    if saved is not None:
        return mapping_or_check(request, session, principal, waiting, saved)
    if needs_mapping(waiting):
        return start_step(request, session, principal, waiting)
    return check_and_show(request, session, principal, waiting)


def _chosen_mapping(
    session: SessionDep, principal: Principal, form: FormDep, kind: str
) -> ColumnMap | str | None:
    """The saved mapping chosen for the upload; None for none; a message when it cannot be
    used for ``kind``."""
    chosen = str(form.get("saved_mapping", "") or "")
    if not chosen:
        return None
    found = (
        saved_mapping(session, mapping_owner(principal), int(chosen)) if chosen.isdigit() else None
    )
    if found is None:
        return "Select one of your saved column choices"
    if found.kind != kind:
        return (
            f"The saved choices {found.name!r} read {found.kind} files: select "
            f"{found.kind.capitalize()} above, or other saved choices"
        )
    return as_mapping(found)


@router.post("/confirm", response_class=HTMLResponse)
def confirm(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: Importer,
    form: FormDep,
) -> Response:
    upload_id = str(form.get("upload_id", "") or "")
    waiting = uploads.waiting(request, settings.upload_dir, upload_id, take=True)
    if waiting is None:
        gone = "The file is no longer waiting to be imported: upload it again"
        return _data_page(
            request, session, principal, [{"text": gone, "href": "#file"}], status=400
        )
    entry = {"kind": waiting.kind, "name": waiting.name}
    mapping = kept_mapping(waiting)
    result = import_file(
        session, waiting.kind, waiting.path, scope=data_scope(session, principal), mapping=mapping
    )
    discard(waiting.path)
    audit.by(
        request,
        session,
        principal,
        "import",
        entry["kind"],
        entry["name"],
        {
            "stage": "loaded" if result.ok else "refused",
            "counts": {t: [c.inserted, c.updated, c.unchanged] for t, c in result.counts.items()},
            "failure": result.failure,
        },
    )
    session.commit()
    if not result.ok:
        return render(
            request,
            "data/problems.jinja",
            {
                "title": f"Problems with {entry['name']}",
                "file": entry["name"],
                "kind": entry["kind"],
                **validation_page(result.report),
                "failure": result.failure,
                "errors": [{"text": result.failure or "The import failed", "href": "#problems"}],
            },
            status_code=400,
        )
    return render(
        request,
        "data/done.jinja",
        {
            "title": f"{entry['name']} imported",
            "file": entry["name"],
            "counts": counts_rows(result.counts),
        },
    )


def _kind_and_suffix(filename: str) -> tuple[str, str]:
    stem, dot, suffix = filename.rpartition(".")
    if not dot or stem not in KINDS or f".{suffix}" not in SUFFIXES:
        raise NotFoundError
    return stem, f".{suffix}"


def _template_organisation(
    session: SessionDep, principal: Principal, kind: str
) -> OwnOrganisation | None:
    """The organisation a template's examples are written in: the administrator's own, or
    for a regional lead the first of their region's organisations with posts (None: the
    reference examples, for the national team and the kinds only it imports)."""
    scope = data_scope(session, principal)
    if scope is None or kind in NATIONAL_IMPORTS or not scope.ods_codes:
        return None
    with_posts = session.scalars(
        select(Post.ods_code)
        .where(Post.ods_code.in_(sorted(scope.ods_codes)))
        .order_by(Post.ods_code)
    ).first()
    return own_organisation(session, with_posts or min(scope.ods_codes))


@router.get("/templates/{filename}")
def template(filename: str, session: SessionDep, principal: Importer) -> Response:
    kind, suffix = _kind_and_suffix(filename)
    own = _template_organisation(session, principal, kind)
    folder = Path(tempfile.mkdtemp(prefix="talentboard-template-"))
    path = folder / f"{kind}-template{suffix}"
    try:
        write_template(kind, path, own)
    except UnknownKindError as exc:
        raise NotFoundError from exc
    return FileResponse(
        path,
        media_type=MEDIA[suffix],
        filename=path.name,
        background=BackgroundTask(discard, path),
    )


@router.get("/exports/{filename}")
def export(request: Request, filename: str, session: SessionDep, principal: Importer) -> Response:
    kind, suffix = _kind_and_suffix(filename)
    folder = Path(tempfile.mkdtemp(prefix="talentboard-export-"))
    path = folder / f"{kind}{suffix}"
    scope = data_scope(session, principal)
    rows = export_kind(session, kind, path, scope=scope)
    audit.by(
        request,
        session,
        principal,
        "export",
        kind,
        path.name,
        {"rows": rows, "scope": sorted(scope.ods_codes) if scope else "national"},
    )
    session.commit()
    return FileResponse(
        path,
        media_type=MEDIA[suffix],
        filename=path.name,
        background=BackgroundTask(discard, path),
    )
