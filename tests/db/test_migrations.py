"""The migrations build exactly the schema the models describe, on both backends."""

from __future__ import annotations

import re
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from talentboard.db import current_revision, head_revision
from talentboard.db.migrate import alembic_config
from talentboard.db.models import Base

VERSIONS = Path(__file__).resolve().parents[2] / "src/talentboard/db/migrations/versions"


def test_models_and_migrations_agree(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_check_constraints_are_in_the_database(engine: Engine) -> None:
    """Autogenerate does not compare check constraints, so compare their names directly."""
    inspector = inspect(engine)
    for table in Base.metadata.sorted_tables:
        expected = {c.name for c in table.constraints if c.__class__.__name__ == "CheckConstraint"}
        found = {c["name"] for c in inspector.get_check_constraints(table.name)}
        assert expected <= found, table.name


def test_database_is_at_the_newest_migration(engine: Engine) -> None:
    assert current_revision(engine) == head_revision()


def test_migration_history_is_one_line_ending_at_the_newest_file() -> None:
    """Two branches that each add a migration must clash in git, not in production."""
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1
    files = sorted(p.name for p in VERSIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))
    numbers = [int(re.match(r"(\d{4})_", name).group(1)) for name in files]  # type: ignore[union-attr]
    assert numbers == list(range(1, len(files) + 1))
    assert script.get_current_head() == f"{numbers[-1]:04d}"
