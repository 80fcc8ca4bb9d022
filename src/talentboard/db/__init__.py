"""Database access: tables, engine and session, migrations."""

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
