"""Database access: tables, engine and session, migrations."""

from talentboard.db.engine import make_engine, session_factory
from talentboard.db.migrate import current_revision, head_revision, upgrade

__all__ = ["current_revision", "head_revision", "make_engine", "session_factory", "upgrade"]
