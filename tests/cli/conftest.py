"""Every CLI test here keeps its register snapshots in a folder of its own."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def snapshot_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "snapshots"
    monkeypatch.setenv("TALENTBOARD_SNAPSHOT_DIR", str(folder))
    monkeypatch.delenv("TALENTBOARD_SNAPSHOT", raising=False)
    return folder
