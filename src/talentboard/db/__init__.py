"""Database access: tables, engine and session, migrations.

The names below are loaded when first used, so that importing a light module of this
package (``talentboard.db.filemark``) does not load SQLAlchemy and Alembic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from talentboard._lazy import lazy_names

if TYPE_CHECKING:
    from talentboard.db.engine import make_engine, reading, session_factory, writing
    from talentboard.db.migrate import current_revision, head_revision, upgrade

__all__ = [
    "current_revision",
    "head_revision",
    "make_engine",
    "reading",
    "session_factory",
    "upgrade",
    "writing",
]

_HOMES = {
    "make_engine": "engine",
    "reading": "engine",
    "session_factory": "engine",
    "writing": "engine",
    "current_revision": "migrate",
    "head_revision": "migrate",
    "upgrade": "migrate",
}

__getattr__ = lazy_names(__name__, _HOMES)
