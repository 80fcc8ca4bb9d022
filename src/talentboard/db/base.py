"""Declarative base, naming convention and small helpers shared by the table modules."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import CheckConstraint, MetaData
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so migrations can refer to them on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def one_of(column: str, values: Iterable[str | int], *, nullable: bool = False) -> CheckConstraint:
    """A check constraint that ``column`` takes one of ``values`` (or is null when allowed)."""
    listed = ", ".join(
        str(v) if isinstance(v, int) else "'" + v.replace("'", "''") + "'" for v in values
    )
    condition = f"{column} IN ({listed})"
    if nullable:
        condition = f"{column} IS NULL OR {condition}"
    return CheckConstraint(condition, name=f"{column}_allowed")


def ordered(first: str, second: str, *, strict: bool = False) -> CheckConstraint:
    """A check constraint that ``first`` comes before ``second`` when both are present."""
    op = "<" if strict else "<="
    return CheckConstraint(
        f"{first} IS NULL OR {second} IS NULL OR {first} {op} {second}",
        name=f"{first}_before_{second}",
    )
