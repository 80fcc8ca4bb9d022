"""A file uploaded on the data page, waiting to be imported: where it is kept, the
mapping it is read with, and the check whose outcome decides the next page.

The file is kept in a folder of its own under the upload folder, named by a random id
that the user's signed session lists; the mapping chosen for it, if any, is kept beside
it (``mapping.json``), not in the session cookie.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from talentboard.ingest import import_file, validate_file
from talentboard.ingest.mapping import ColumnMap, from_data
from talentboard.web import audit
from talentboard.web.permissions import Principal, data_scope
from talentboard.web.presenters.data import counts_rows, validation_page
from talentboard.web.templating import render

MAPPING_FILE = "mapping.json"


@dataclass(frozen=True, slots=True)
class Upload:
    upload_id: str
    kind: str
    name: str
    path: Path

    @property
    def mapping_path(self) -> Path:
        return self.path.parent / MAPPING_FILE


def remember(request: Request, upload: Upload) -> None:
    """List the upload in the user's session, as waiting."""
    pending = dict(request.session.get("uploads", {}))
    pending[upload.upload_id] = {"kind": upload.kind, "name": upload.name}
    request.session["uploads"] = pending


def waiting(request: Request, upload_dir: Path, upload_id: str, *, take: bool) -> Upload | None:
    """The user's waiting upload with this id (taken off the list with ``take``); None
    when there is none or its file is gone."""
    pending = dict(request.session.get("uploads", {}))
    entry = pending.pop(upload_id, None) if take else pending.get(upload_id)
    if take:
        request.session["uploads"] = pending
    if not isinstance(entry, dict) or not upload_id or "/" in upload_id:
        return None
    upload = Upload(upload_id, entry["kind"], entry["name"], upload_dir / upload_id / entry["name"])
    return upload if upload.path.exists() else None


def keep_mapping(upload: Upload, mapping: ColumnMap | None) -> None:
    """Keep the mapping the upload is read with beside it (none: remove any)."""
    if mapping is None:
        upload.mapping_path.unlink(missing_ok=True)
    else:
        kept = {"source": mapping.source, "mapping": mapping.as_dict()}
        upload.mapping_path.write_text(json.dumps(kept), encoding="utf-8")


def kept_mapping(upload: Upload) -> ColumnMap | None:
    """The mapping kept beside the upload, if any."""
    if not upload.mapping_path.exists():
        return None
    kept = json.loads(upload.mapping_path.read_text(encoding="utf-8"))
    return from_data(kept["mapping"], kept["source"])


def discard(path: Path) -> None:
    """Remove an uploaded file, its mapping and its folder."""
    path.unlink(missing_ok=True)
    (path.parent / MAPPING_FILE).unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        path.parent.rmdir()


def _read_with(mapping: ColumnMap | None) -> str | None:
    """How the confirmation page says the file was read."""
    if mapping is None:
        return None
    if mapping.source.startswith("saved mapping "):
        name = mapping.source.removeprefix("saved mapping ")
        return f"The file was read with your saved column choices {name}."
    return "The file was read with the column choices you made."


def check_and_show(
    request: Request,
    session: Session,
    principal: Principal,
    upload: Upload,
    mapping: ColumnMap | None = None,
) -> Response:
    """Check the upload (through ``mapping``); the problems page, or the page to confirm.

    Raises ``MappingError`` for a mapping that does not fit the file.
    """
    scope = data_scope(session, principal)
    report = validate_file(session, upload.kind, upload.path, scope=scope, mapping=mapping)
    detail: dict[str, object] = {
        "stage": "validated",
        "rows": report.rows,
        "problems": len(report.problems),
    }
    if mapping is not None:
        detail["mapping"] = mapping.source
    audit.by(request, session, principal, "import", upload.kind, upload.name, detail)
    session.commit()
    if not report.ok:
        discard(upload.path)
        return render(
            request,
            "data/problems.jinja",
            {
                "title": f"Problems with {upload.name}",
                "file": upload.name,
                "kind": upload.kind,
                **validation_page(report),
            },
            status_code=400,
        )
    preview = import_file(
        session, upload.kind, upload.path, dry_run=True, scope=scope, mapping=mapping
    )
    keep_mapping(upload, mapping)
    remember(request, upload)
    return render(
        request,
        "data/confirm.jinja",
        {
            "title": f"Check and confirm the import of {upload.name}",
            "file": upload.name,
            "kind": upload.kind,
            "upload_id": upload.upload_id,
            "rows_checked": "The one row" if report.rows == 1 else f"All {report.rows:,} rows",
            "counts": counts_rows(preview.counts),
            "warnings": validation_page(report)["warnings"],
            "mapping": _read_with(mapping),
        },
    )
