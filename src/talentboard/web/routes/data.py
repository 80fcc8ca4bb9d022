"""Data: upload a CSV or Excel file, see every problem, confirm the import; templates and
exports. National users import and export everything; organisation and regional users
their own organisation's or region's rows (``permissions.data_scope``): a file with a row
outside is refused whole, and exports leave such rows out."""

from __future__ import annotations

import contextlib
import secrets
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.background import BackgroundTask
from starlette.datastructures import UploadFile

from talentboard.ingest import KINDS, UnknownKindError, import_file, validate_file, write_template
from talentboard.ingest.service import export_kind
from talentboard.web import audit
from talentboard.web.deps import FormDep, SessionDep, SettingsDep, requires
from talentboard.web.permissions import (
    Capability,
    NotFoundError,
    Principal,
    data_scope,
    may_import,
)
from talentboard.web.presenters.data import counts_rows, kind_items, kind_rows, validation_page
from talentboard.web.templating import render

router = APIRouter(prefix="/data", include_in_schema=False)

Importer = Annotated[Principal, Depends(requires(Capability.IMPORT_DATA))]
SUFFIXES = (".csv", ".xlsx")
MEDIA = {
    ".csv": "text/csv; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _data_page(
    request: Request,
    principal: Principal,
    errors: list[dict[str, str]] | None = None,
    kind: str | None = None,
    status: int = 200,
) -> Response:
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
        },
        status_code=status,
    )


@router.get("", response_class=HTMLResponse)
def data_home(request: Request, principal: Importer) -> Response:
    return _data_page(request, principal)


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
    scope = data_scope(session, principal)
    if kind not in KINDS or not may_import(principal, kind):
        errors.append({"text": "Select what the file holds", "href": "#kind"})
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors.append({"text": "Select a CSV or Excel file", "href": "#file"})
    elif Path(upload.filename).suffix.lower() not in SUFFIXES:
        errors.append(
            {"text": "The selected file must be a CSV or an Excel (.xlsx) file", "href": "#file"}
        )
    if errors or not isinstance(upload, UploadFile) or upload.filename is None:
        return _data_page(request, principal, errors, kind, status=400)
    content = upload.file.read(settings.max_upload_bytes + 1)
    if len(content) > settings.max_upload_bytes:
        limit = settings.max_upload_bytes // (1024 * 1024)
        errors.append(
            {"text": f"The selected file must be smaller than {limit} MB", "href": "#file"}
        )
        return _data_page(request, principal, errors, kind, status=400)
    name = Path(upload.filename).name
    upload_id = secrets.token_urlsafe(16)
    folder = settings.upload_dir / upload_id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    report = validate_file(session, kind, path, scope=scope)
    audit.by(
        request,
        session,
        principal,
        "import",
        kind,
        name,
        {"stage": "validated", "rows": report.rows, "problems": len(report.problems)},
    )
    session.commit()
    if not report.ok:
        _discard(path)
        return render(
            request,
            "data/problems.jinja",
            {
                "title": f"Problems with {name}",
                "file": name,
                "kind": kind,
                **validation_page(report),
            },
            status_code=400,
        )
    preview = import_file(session, kind, path, dry_run=True, scope=scope)
    pending = dict(request.session.get("uploads", {}))
    pending[upload_id] = {"kind": kind, "name": name}
    request.session["uploads"] = pending
    return render(
        request,
        "data/confirm.jinja",
        {
            "title": f"Check and confirm the import of {name}",
            "file": name,
            "kind": kind,
            "upload_id": upload_id,
            "rows_checked": "The one row" if report.rows == 1 else f"All {report.rows:,} rows",
            "counts": counts_rows(preview.counts),
            "warnings": validation_page(report)["warnings"],
        },
    )


def _discard(path: Path) -> None:
    path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        path.parent.rmdir()


@router.post("/confirm", response_class=HTMLResponse)
def confirm(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: Importer,
    form: FormDep,
) -> Response:
    upload_id = str(form.get("upload_id", "") or "")
    pending = dict(request.session.get("uploads", {}))
    entry = pending.pop(upload_id, None)
    request.session["uploads"] = pending
    path = settings.upload_dir / upload_id / entry["name"] if entry else None
    if entry is None or path is None or not path.exists():
        gone = "The file is no longer waiting to be imported: upload it again"
        return _data_page(request, principal, [{"text": gone, "href": "#file"}], status=400)
    result = import_file(session, entry["kind"], path, scope=data_scope(session, principal))
    _discard(path)
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


@router.get("/templates/{filename}")
def template(filename: str, principal: Importer) -> Response:
    kind, suffix = _kind_and_suffix(filename)
    folder = Path(tempfile.mkdtemp(prefix="talentboard-template-"))
    path = folder / f"{kind}-template{suffix}"
    try:
        write_template(kind, path)
    except UnknownKindError as exc:
        raise NotFoundError from exc
    return FileResponse(
        path,
        media_type=MEDIA[suffix],
        filename=path.name,
        background=BackgroundTask(_discard, path),
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
        background=BackgroundTask(_discard, path),
    )
