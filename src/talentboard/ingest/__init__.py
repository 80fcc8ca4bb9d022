"""Importing and exporting register and talent data as CSV and Excel.

Every row of a file is checked before anything is written; a valid file is loaded in one
transaction, upserting on each kind's key. The kinds and their columns are declared in
``ingest/kinds``; ``docs/data-formats.md`` describes them for users.
"""

from talentboard.ingest.kinds import KINDS, UnknownKindError, get_kind
from talentboard.ingest.report import (
    ImportResult,
    Problem,
    TableCounts,
    ValidationReport,
    errors_csv,
    write_errors,
)
from talentboard.ingest.schema import Column, Kind
from talentboard.ingest.service import (
    export_frame,
    export_kind,
    import_file,
    template_frame,
    validate_file,
    write_template,
)
from talentboard.ingest.write import WriteError

__all__ = [
    "KINDS",
    "Column",
    "ImportResult",
    "Kind",
    "Problem",
    "TableCounts",
    "UnknownKindError",
    "ValidationReport",
    "WriteError",
    "errors_csv",
    "export_frame",
    "export_kind",
    "get_kind",
    "import_file",
    "template_frame",
    "validate_file",
    "write_errors",
    "write_template",
]
