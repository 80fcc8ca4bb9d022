"""The CLI starts without loading the libraries only some commands need (issue 12).

``--help`` builds the whole Typer application, so every command module is imported: none
may import Polars, SQLAlchemy, openpyxl, WeasyPrint, SciPy or Pydantic at its top. Each check runs
in a new interpreter, so modules other tests imported do not count.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("polars", "sqlalchemy", "openpyxl", "weasyprint", "scipy", "pydantic")

BUILD_APP = """
import json, sys
import typer.main
import talentboard.cli
typer.main.get_command(talentboard.cli.app)
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] in {heavy})))
"""

RUN_HELP = """
import json, sys
from talentboard.cli import main
try:
    main({argv})
except SystemExit:
    pass
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] in {heavy})))
"""


def _loaded(code: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


def test_building_the_app_imports_no_heavy_library() -> None:
    assert _loaded(BUILD_APP.format(heavy=set(HEAVY))) == []


@pytest.mark.parametrize(
    "argv", [["--help"], ["stats", "--help"], ["import", "--help"], ["talent", "--help"]]
)
def test_help_imports_no_heavy_library(argv: list[str]) -> None:
    assert _loaded(RUN_HELP.format(argv=argv, heavy=set(HEAVY))) == []


def test_names_written_out_for_help_match_their_sources() -> None:
    from talentboard import demo
    from talentboard.cli import data, options, talent
    from talentboard.cli import demo as demo_command
    from talentboard.ingest import KINDS
    from talentboard.talent.succession import MAX_PLANS

    assert tuple(KINDS) == data.KIND_NAMES
    assert demo.SCALES == demo_command.SCALES
    assert demo.DEFAULT_REGION == demo_command.DEFAULT_REGION
    assert MAX_PLANS == talent.MAX_PLANS
    assert demo.DEMO_AS_AT == options.DEMO_AS_AT


def test_schema_revisions_read_without_alembic_are_alembic_s(tmp_path: Path) -> None:
    """``db.revision`` (what every command checks) gives what Alembic gives: the head of
    the migration scripts, None for an empty database, the head once it is upgraded."""
    from talentboard.db import current_revision, head_revision, make_engine, revision, upgrade

    assert revision.head() == head_revision()
    engine = make_engine(f"sqlite:///{tmp_path / 'revision.db'}")
    assert revision.current(engine) is None
    assert current_revision(engine) is None
    upgrade(engine)
    assert revision.current(engine) == current_revision(engine) == head_revision()
    engine.dispose()


def test_light_modules_load_no_heavy_library() -> None:
    code = (
        "import json, sys\n"
        "import talentboard.frames.kept, talentboard.db.filemark, talentboard.db.revision\n"
        "import talentboard.cli.stats\n"
        f"print(json.dumps(sorted(n for n in sys.modules if n.split('.')[0] in {set(HEAVY)})))\n"
    )
    assert _loaded(code) == []
