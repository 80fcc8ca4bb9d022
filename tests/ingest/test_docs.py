"""docs/data-formats.md describes every kind as it is declared."""

from __future__ import annotations

from pathlib import Path

from talentboard.ingest import KINDS
from talentboard.ingest.docs import rewrite

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "data-formats.md"


def test_the_document_matches_the_declarations() -> None:
    """If this fails, run: python -m talentboard.ingest.docs docs/data-formats.md"""
    text = DOCUMENT.read_text(encoding="utf-8")
    assert rewrite(text) == text


def test_every_kind_and_column_is_documented() -> None:
    text = DOCUMENT.read_text(encoding="utf-8")
    for kind in KINDS.values():
        section = text.split(f"### `{kind.name}`", 1)[1].split("\n### ", 1)[0]
        for column in kind.columns:
            assert f"| `{column.name}` |" in section, (kind.name, column.name)
