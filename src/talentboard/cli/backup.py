"""``talentboard backup`` and ``restore``: the whole database to a portable archive and back.

The archive format, the consistency guarantee and how to schedule backups are described in
docs/backup-and-restore.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from talentboard.cli.app import CliError, app, describe
from talentboard.cli.options import DbOption


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / 1_048_576:,.1f} MB" if size >= 1_048_576 else f"{size / 1024:,.0f} kB"


@app.command("backup")
def backup_command(
    file: Annotated[
        Path, typer.Argument(help="The archive to write (e.g. talentboard-2026-12-04.zip).")
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Replace FILE if it exists already.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Write every table, users and audit log included, from one consistent snapshot."""
    if file.exists() and not force:
        raise CliError(f"{file} exists already; choose another name or add --force", 2)
    if not file.parent.is_dir():
        raise CliError(f"{file.parent} is not a folder", 2)
    from sqlalchemy.exc import OperationalError

    from talentboard.db import make_engine
    from talentboard.db.backup import ArchiveError, take_backup
    from talentboard.progress import reporter

    engine = make_engine(db)
    try:
        with reporter() as progress:
            manifest = take_backup(engine, file, progress=progress)
    except ArchiveError as exc:
        raise CliError(str(exc), 1) from exc
    except OperationalError as exc:
        raise CliError(describe(exc)) from exc
    finally:
        engine.dispose()
    typer.echo(
        f"Backed up {len(manifest.tables)} tables ({manifest.total_rows:,} rows, schema "
        f"revision {manifest.schema_revision}) to {file} ({_size(file)})."
    )


@app.command("restore")
def restore_command(
    file: Annotated[Path, typer.Argument(help="An archive written by 'talentboard backup'.")],
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Only check the archive (manifest, every checksum, schema revision); "
            "touch no database.",
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Load an archive into an empty database (SQLite or PostgreSQL), all or nothing.

    Every checksum is checked first; a damaged, truncated or newer archive, or a database
    that is not empty, is refused with exit code 2 and nothing written. The restored
    database is then migrated to the newest schema.
    """
    from sqlalchemy.exc import OperationalError

    from talentboard.db import make_engine
    from talentboard.db.backup import ArchiveError, RestoreRefusedError, check_archive, restore
    from talentboard.progress import reporter

    try:
        checked = check_archive(file)
    except ArchiveError as exc:
        raise CliError(f"{exc}" + ("" if check else "; nothing was restored"), 2) from exc
    if check:
        typer.echo(
            f"{file}: a complete talentboard backup taken {checked.created_at} from "
            f"{checked.source} at schema revision {checked.schema_revision}: "
            f"{len(checked.tables)} tables, {checked.total_rows:,} rows; every checksum matches."
        )
        return
    engine = make_engine(db)
    try:
        with reporter() as progress:
            result = restore(engine, file, progress=progress)
    except (ArchiveError, RestoreRefusedError) as exc:
        raise CliError(f"{exc}; nothing was restored", 2) from exc
    except OperationalError as exc:
        raise CliError(f"{describe(exc)}; nothing was restored") from exc
    finally:
        engine.dispose()
    manifest = result.manifest
    migrated = (
        f", then migrated to {result.migrated_to}"
        if result.migrated_to != manifest.schema_revision
        else ""
    )
    typer.echo(
        f"Restored {len(manifest.tables)} tables ({manifest.total_rows:,} rows) taken "
        f"{manifest.created_at} from {manifest.source} at schema revision "
        f"{manifest.schema_revision}{migrated} into "
        f"{engine.url.render_as_string(hide_password=True)}."
    )
