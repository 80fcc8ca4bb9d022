"""A checksum of every table of a database, to tell "unchanged" byte for byte."""

from __future__ import annotations

import hashlib

from sqlalchemy import inspect, select, text

from talentboard.db import make_engine, models
from talentboard.db.base import Base


def table_checksums(url: str) -> dict[str, str]:
    """SHA-256 of each table's rows, in primary key order, as the database returns them."""
    engine = make_engine(url)
    assert models.Person.__table__ in Base.metadata.sorted_tables  # every table registered
    sums = {}
    try:
        with engine.connect() as connection:
            names = set(inspect(connection).get_table_names())
            for table in Base.metadata.sorted_tables:
                if table.name not in names:
                    continue
                digest = hashlib.sha256()
                order = list(table.primary_key.columns) or list(table.columns)
                for row in connection.execute(select(table).order_by(*order)):
                    digest.update(repr(tuple(row)).encode())
                sums[table.name] = digest.hexdigest()
            if engine.dialect.name == "sqlite":
                sums["integrity_check"] = connection.execute(
                    text("PRAGMA integrity_check")
                ).scalar_one()
    finally:
        engine.dispose()
    return sums
