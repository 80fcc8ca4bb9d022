"""Running ``talentboard`` in the test's own process, as the console command would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Collection, Mapping, Sequence

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


def run_in_new_process(
    argv: Sequence[str], watched: Collection[str], env: Mapping[str, str]
) -> tuple[str, list[str]]:
    """Run ``talentboard ARGV...`` in a new Python process with ``env`` added to the
    environment: its standard output, and which of the ``watched`` top-level modules it
    loaded (sorted)."""
    code = (
        "import json, sys\n"
        "from talentboard.cli import main\n"
        "try:\n"
        f"    main({list(argv)!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted({n.split('.')[0] for n in sys.modules} & "
        f"{set(watched)!r})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env={**os.environ, **env},
    )
    printed, _, loaded = done.stdout.rstrip("\n").rpartition("\n")
    modules: list[str] = json.loads(loaded)
    return printed + "\n", modules
