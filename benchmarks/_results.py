"""What every benchmark script shares: the machine's CPU model and its own RESULTS.md section.

benchmarks/RESULTS.md is shared: each script rewrites only the part between its
``<!-- NAME:start -->`` and ``<!-- NAME:end -->`` markers, adding the section (and the file)
when missing.
"""

from __future__ import annotations

import platform
import re
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def cpu_model() -> str:
    """The CPU model named in /proc/cpuinfo, or what the platform reports elsewhere."""
    try:
        found = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    except OSError:
        found = None
    if found:
        return found.group(1).strip()
    return platform.processor() or "unknown CPU"


def write_section(name: str, body: str) -> None:
    """Put ``body`` between the ``name`` markers of RESULTS.md, leaving the rest as it is."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{body.strip()}\n{end}"
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    RESULTS.write_text(text, encoding="utf-8")
