"""Running ``talentboard`` in the test's own process, as the console command would."""

from __future__ import annotations

from collections.abc import Sequence

import pytest


def exit_code(*argv: str) -> int:
    """Run ``talentboard ARGV...`` and give its exit code."""
    from talentboard.cli import main

    try:
        main(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def run_captured(argv: Sequence[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run ``talentboard ARGV...``: its exit code, standard output and standard error."""
    code = exit_code(*argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err
