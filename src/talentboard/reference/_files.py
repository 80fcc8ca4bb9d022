"""Reading the packaged reference files."""

from __future__ import annotations

import csv
import io
import json
from importlib import resources
from typing import Any

_DATA = resources.files("talentboard.reference") / "data"


def read_csv(name: str) -> list[dict[str, str]]:
    """Rows of a packaged CSV file as dictionaries of strings."""
    text = (_DATA / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def read_json(name: str) -> Any:
    return json.loads((_DATA / name).read_text(encoding="utf-8"))


def list_json(folder: str) -> list[str]:
    """Names of the JSON files in a packaged folder, sorted."""
    return sorted(
        f"{folder}/{entry.name}"
        for entry in (_DATA / folder).iterdir()
        if entry.name.endswith(".json")
    )


def as_bool(value: str) -> bool:
    return value.strip().lower() == "true"
