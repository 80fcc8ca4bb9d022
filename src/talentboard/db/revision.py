"""The schema revision of a database and the newest the package knows, without loading
Alembic (about a fifth of a second): what every command checks before it reads.

``head`` reads the ``revision`` and ``down_revision`` lines of the migration scripts; when
they do not name one head plainly (branches, labels, dependencies, a line it cannot read)
it asks Alembic, as ``db.migrate.head_revision`` does. ``current`` reads the
``alembic_version`` table Alembic keeps, None when there is none.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

__all__ = ["current", "head"]

_VERSIONS = Path(__file__).parent / "migrations" / "versions"
_LINE = re.compile(
    r"^(revision|down_revision|branch_labels|depends_on)\s*(?::[^=]*)?=\s*(.+?)\s*$",
    re.MULTILINE,
)
_QUOTED = re.compile(r"""^(["'])([\w.-]+)\1$""")


def _plain_head() -> str | None:
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in _VERSIONS.glob("*.py"):
        if script.name == "__init__.py":
            continue
        found = dict(_LINE.findall(script.read_text(encoding="utf-8")))
        if set(found) != {"revision", "down_revision", "branch_labels", "depends_on"}:
            return None
        if found["branch_labels"] != "None" or found["depends_on"] != "None":
            return None
        revision = _QUOTED.match(found["revision"])
        if revision is None:
            return None
        revisions.add(revision.group(2))
        if found["down_revision"] != "None":
            parent = _QUOTED.match(found["down_revision"])
            if parent is None:
                return None
            parents.add(parent.group(2))
    heads = revisions - parents
    if len(heads) != 1 or not parents <= revisions:
        return None
    return heads.pop()


@cache
def head() -> str:
    """The newest schema revision of this package's migrations."""
    plain = _plain_head()
    if plain is not None:
        return plain
    from talentboard.db.migrate import head_revision

    return head_revision()


def current(engine: Engine) -> str | None:
    """The schema revision of the database (None when it has no talentboard schema)."""
    from sqlalchemy import inspect, text

    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    if len(versions) > 1:
        # Branches Alembic would have to explain.
        from talentboard.db.migrate import current_revision

        return current_revision(engine)
    return str(versions[0][0]) if versions else None
