"""Fixtures for the import tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder for the files a test writes."""
    return tmp_path
