"""The national board report end to end: ``talentboard report`` as PDF and as XLSX (and
HTML, the step both PDF and the browser share), timed as a user runs it.

Each run is a fresh ``talentboard report`` process on the national demo (generated into a
SQLite file, which ``--db`` keeps between runs). With ``--previous REV`` the same commands
also run, interleaved with the current ones so both meet the same machine load, against
the report code of an earlier commit: a copy of the working tree's ``src`` whose
``--previous-paths`` (by default ``reports`` and ``stability``) are taken from ``REV``.
For every run the wall time, the CPU time (user + system, less sensitive to what else
the machine is doing) and the peak resident memory of the process are recorded; the
table gives the median wall and CPU times, the fastest wall time and the largest peak.
Results go to this script's section of benchmarks/RESULTS.md.

Then, for the current code, one more process per format runs the command's steps one by
one (the same calls ``talentboard report`` makes) and times each: where the time goes,
from starting Python to the process having ended, CPU time beside wall time; for the
PDF, WeasyPrint's step is split again into its parts (parsing, styles, boxes, layout,
painting, fonts, writing, and the cycle collections among them).

    .venv/bin/python benchmarks/report_national.py [--db sqlite:////tmp/rep_nat.db]
        [--runs 3] [--previous REV] [--formats pdf,xlsx,html] [--no-phases]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from _results import cpu_model, write_section

NAME = "report_national"
GOALS = {"pdf": 4.0, "xlsx": 2.0}
ROOT = Path(__file__).resolve().parent.parent
# The command installed beside the Python running this script (the project's venv).
TALENTBOARD = Path(sys.executable).with_name("talentboard")

# The steps of ``talentboard report`` (cli/report.py), one at a time, each marked with
# the wall clock and the process's CPU time. The charts are steps of their own: drawn as
# Vega-Lite specs (Altair), then sent to the chart process (reports.chart_process, started
# once the imports are done), which renders them to SVG while WeasyPrint is imported; its
# CPU time is not in this process's column.
_STEPS = r"""
import json, sys, time
marks = [("Python started", time.time(), time.process_time())]
def mark(name):
    marks.append((name, time.time(), time.process_time()))
db, kind, out = sys.argv[1:4]

# Wall seconds inside WeasyPrint's step, by part: its functions wrapped in timers (a few
# hundred calls: no measurable overhead), collections timed by gc.callbacks.
def _time_weasyprint_parts():
    import gc
    import pydyf
    import weasyprint
    import weasyprint.document
    import weasyprint.layout.block
    import weasyprint.pdf
    import weasyprint.svg
    parts = {}
    def timed(owner, name, part):
        function = getattr(owner, name)
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                parts[part] = parts.get(part, 0.0) + time.perf_counter() - started
        setattr(owner, name, wrapper)
    timed(weasyprint.HTML, "__init__", "parse")
    timed(weasyprint.document.Document, "_render", "render")
    timed(weasyprint.document, "get_all_computed_styles", "cascade")
    timed(weasyprint.document, "build_formatting_structure", "boxes")
    timed(weasyprint.layout.block, "grid_layout", "grid")
    timed(weasyprint.layout.block, "table_wrapper_width", "table widths")
    timed(weasyprint.layout.block, "table_layout", "tables")
    timed(weasyprint.document.Page, "paint", "paint")
    timed(weasyprint.svg.SVG, "draw", "svg")
    timed(weasyprint.pdf, "build_fonts_dictionary", "fonts")
    timed(pydyf.PDF, "write", "write")
    collecting = []
    def collection(phase, info):
        if phase == "start":
            collecting.append(time.perf_counter())
        elif collecting:
            parts["gc"] = parts.get("gc", 0.0) + time.perf_counter() - collecting.pop()
    gc.callbacks.append(collection)
    return parts

from talentboard.cli.app import engine_for
from talentboard.cli.options import parse_as_at
from talentboard.db import session_factory
from talentboard.db.models import Setting
from talentboard.frames import snapshot
from talentboard.frames.outcomes import load_indicators
from talentboard.reports import build_report, render
from talentboard.reports.chart_process import ChartProcess
mark("Imports of the command")
process = ChartProcess.start() if kind != "xlsx" else None
if process is not None:
    mark("Chart process started (it gets ready meanwhile)")
with session_factory(engine_for(db))() as session:
    frames = snapshot.register(session)
    indicators = load_indicators(session)
    demo = session.get(Setting, "demo_as_at") is not None
mark("Reading the register")
report = build_report(frames, parse_as_at("demo"), indicators=indicators, demo=demo)
mark("Building the report (figures, fits)")
if kind == "xlsx":
    content = render(report, "xlsx")
    mark("Writing the workbook (openpyxl)")
else:
    charts = [c for s in report.sections for c in s.charts]
    from talentboard.reports import html
    mark("Importing Altair")
    specs = {c.name: c.spec for c in charts}
    mark(f"Drawing {len(charts)} chart specs (Altair)")
    asked = process.submit(specs)
    if kind == "html":
        drawn = asked.result()
        mark(f"Waiting for {len(charts)} charts in SVG (the chart process)")
        content = html.render_html(report, drawn=drawn).encode("utf-8")
        mark("The HTML page (Jinja)")
    else:
        from talentboard.reports import pdf
        mark("Importing WeasyPrint (the charts render meanwhile)")
        drawn = asked.result()
        mark(f"Waiting for the rest of {len(charts)} charts (the chart process)")
        page = html.render_html(report, charts="image", printed=True, drawn=drawn)
        mark("The HTML page (Jinja)")
        parts = _time_weasyprint_parts()
        content = pdf.html_to_pdf(page)
        mark("WeasyPrint: style, lay out, paint, write")
    process.close()
open(out, "wb").write(content)
mark("File written")
import resource
children = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({
    "marks": marks,
    "children_cpu": children.ru_utime + children.ru_stime,
    "weasyprint": parts if kind == "pdf" else {},
}))
import os
os._exit(0)  # as the command ends (cli/app.py, end_process)
"""


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    peak_mb: float


def _sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def _ensure_demo(db: str) -> None:
    if db.startswith("sqlite:///") and _sqlite_path(db).exists():
        return
    for args in (["init", "--db", db], ["demo", "--db", db, "--scale", "national", "--seed", "1"]):
        subprocess.run([str(TALENTBOARD), *args], check=True, capture_output=True)


def _previous_tree(rev: str, paths: list[str], into: Path) -> Path:
    """The working tree's ``src`` with ``paths`` (under ``src/talentboard``) as at ``rev``."""
    src = into / "src"
    shutil.copytree(ROOT / "src", src, ignore=shutil.ignore_patterns("__pycache__"))
    members = [f"src/talentboard/{p}" for p in paths]
    for member in members:
        shutil.rmtree(into / member, ignore_errors=True)
    archive = subprocess.run(
        ["git", "archive", "--format=tar", rev, "--", *members],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return src


def _short_commit(rev: str) -> str:
    return subprocess.run(
        ["git", "rev-parse", "--short", rev], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()


def _current_label(paths: list[str]) -> str:
    """The working tree's code, named by its commit, and marked when the compared paths
    have changes not yet committed (the table then says what it measured)."""
    members = [f"src/talentboard/{p}" for p in paths]
    changed = subprocess.run(
        ["git", "status", "--porcelain", "--", *members],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return f"current ({_short_commit('HEAD')}{' + uncommitted changes' if changed else ''})"


def _run(db: str, out: Path, pythonpath: Path | None) -> Run:
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    command = [str(TALENTBOARD), "report", "--db", db, "--at", "demo", "--out", str(out)]
    # A file, not a pipe, takes the progress output: nobody reads a pipe while we wait.
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        # wait4 gives this child's own peak memory, not the largest of all children so far.
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            raise SystemExit(f"{' '.join(command)} failed: {errors.read().decode()}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def _phases(
    db: str, kind: str, out: Path
) -> tuple[list[tuple[str, float, float]], dict[str, float]]:
    """Each step of one report run: (step, wall seconds, CPU seconds), the last step the
    process's ending (interpreter and module teardown), from the process's own usage;
    and for a PDF, the wall seconds of the parts of WeasyPrint's step."""
    started = time.time()
    process = subprocess.Popen(
        [sys.executable, "-c", _STEPS, db, kind, str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    ended = time.time()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the {kind} steps failed")
    printed = json.loads(output)
    marks, children = printed["marks"], printed["children_cpu"]
    steps = [(marks[0][0], marks[0][1] - started, marks[0][2])]
    steps += [(b[0], b[1] - a[1], b[2] - a[2]) for a, b in itertools.pairwise(marks)]
    cpu = usage.ru_utime + usage.ru_stime
    if children:
        # Its wall time is spent beside the steps above, on the other core.
        steps.append(("The chart process (its own CPU time, beside the steps)", 0.0, children))
    steps.append(("Process ending (teardown)", ended - marks[-1][1], cpu - marks[-1][2] - children))
    return steps, printed["weasyprint"]


def _weasyprint_table(steps: list[tuple[str, float, float]], parts: dict[str, float]) -> list[str]:
    """WeasyPrint's step in parts (the step's wall time from the step table)."""
    if not parts:
        return []
    total = sum(w for name, w, _ in steps if name.startswith("WeasyPrint:"))
    get = parts.get
    layout = get("render", 0.0) - get("cascade", 0.0) - get("boxes", 0.0)
    rows = [
        ("Parsing the HTML", get("parse", 0.0)),
        ("Styles (cascade, computed values)", get("cascade", 0.0)),
        ("Boxes", get("boxes", 0.0)),
        ("Layout and pagination", layout),
        ("  of which the headline grid", get("grid", 0.0)),
        ("  of which table column widths", get("table widths", 0.0)),
        ("  of which tables laid out", get("tables", 0.0)),
        ("Painting", get("paint", 0.0)),
        ("  of which the SVG charts", get("svg", 0.0)),
        ("Fonts subset and embedded", get("fonts", 0.0)),
        ("PDF serialised and compressed", get("write", 0.0)),
        ("Cycle collections (Python's gc), within the above", get("gc", 0.0)),
    ]
    counted = sum(w for name, w in rows if not name.startswith((" ", "Cycle")))
    rows.append(("Everything else (fonts loaded, metadata, links)", total - counted))
    return [
        "WeasyPrint's step in parts (same run, wall time):",
        "",
        "| Part | Wall (s) |",
        "|---|---:|",
        *(f"| {name} | {w:.2f} |" for name, w in rows),
        f"| **WeasyPrint's step** | **{total:.2f}** |",
        "",
    ]


def _phase_table(kind: str, steps: list[tuple[str, float, float]]) -> list[str]:
    wall, cpu = sum(s[1] for s in steps), sum(s[2] for s in steps)
    return [
        f"Where the time goes, {kind.upper()} (current code, one run):",
        "",
        "| Step | Wall (s) | CPU (s) |",
        "|---|---:|---:|",
        *(f"| {name} | {w:.2f} | {c:.2f} |" for name, w, c in steps),
        f"| **Total** | **{wall:.2f}** | **{cpu:.2f}** |",
        "",
    ]


def _pdf_floor(steps: list[tuple[str, float, float]] | None) -> list[str]:
    """What the PDF goal meets in WeasyPrint alone, from the step table."""
    if not steps:
        return []
    weasyprint = sum(w for name, w, _ in steps if name.startswith("WeasyPrint:"))
    rest = sum(w for name, w, _ in steps) - weasyprint
    total = weasyprint + rest
    verdict = (
        f"within the {GOALS['pdf']:.0f} s goal by {GOALS['pdf'] - total:.2f} s in this run."
        if total <= GOALS["pdf"]
        else f"The {GOALS['pdf']:.0f} s goal needs that step faster, or less in the document "
        "for it to lay out, whatever the rest of the command does."
    )
    return [
        f"For the PDF, WeasyPrint's own step (style, layout, paint, write) is "
        f"{weasyprint:.2f} s of the {total:.2f} s; every other step together is "
        f"{rest:.2f} s: {verdict}",
        "",
    ]


def _row(label: str, kind: str, runs: list[Run]) -> str:
    goal = GOALS.get(kind)
    median = statistics.median(r.wall for r in runs)
    met = "" if goal is None else (" yes" if median <= goal else " no")
    return (
        f"| {kind.upper()} | {label} | {median:.2f} | {min(r.wall for r in runs):.2f} | "
        f"{statistics.median(r.cpu for r in runs):.2f} | "
        f"{max(r.peak_mb for r in runs):.0f} | {'' if goal is None else f'{goal:.0f} s'}{met} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sqlite:////tmp/rep_nat.db")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--formats", default="pdf,xlsx,html")
    parser.add_argument("--previous", metavar="REV")
    parser.add_argument("--previous-paths", default="reports,stability")
    parser.add_argument("--no-write", action="store_true", help="print, leave RESULTS.md")
    parser.add_argument("--no-phases", action="store_true", help="leave out the step tables")
    args = parser.parse_args()
    kinds = [k.strip() for k in args.formats.split(",") if k.strip()]
    _ensure_demo(args.db)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        paths = [p for p in args.previous_paths.split(",") if p]
        trees: dict[str, Path | None] = {_current_label(paths): None}
        if args.previous:
            # A commit id, not the name given: HEAD~1 moves as others commit.
            commit = _short_commit(args.previous)
            trees[f"previous ({commit})"] = _previous_tree(commit, paths, work)
        load_before = os.getloadavg()
        results: dict[tuple[str, str], list[Run]] = {}
        for kind in kinds:
            for _ in range(args.runs):
                for label, tree in trees.items():
                    run = _run(args.db, work / f"board.{kind}", tree)
                    results.setdefault((kind, label), []).append(run)
                    print(f"{kind} {label}: {run.wall:.2f} s wall, {run.cpu:.2f} s CPU", flush=True)
        measured = (
            {}
            if args.no_phases
            else {kind: _phases(args.db, kind, work / f"steps.{kind}") for kind in kinds}
        )
        phases = {kind: steps for kind, (steps, _) in measured.items()}
        parts = {kind: found for kind, (_, found) in measured.items()}
        load_after = os.getloadavg()
    command = " ".join(["python", "benchmarks/report_national.py", *sys.argv[1:]])
    rows = [_row(label, kind, results[kind, label]) for kind in kinds for label in trees]
    body = "\n".join(
        [
            "## Board report, national demo, end to end (`talentboard report`)",
            "",
            f"`{command}`, {dt.datetime.now().isoformat(timespec='minutes')}; "
            f"{cpu_model()}, {os.cpu_count()} CPUs; load average (1, 5, 15 min) "
            f"{', '.join(f'{v:.1f}' for v in load_before)} before, "
            f"{', '.join(f'{v:.1f}' for v in load_after)} after. "
            f"{args.runs} runs each, each a fresh process on `{args.db}` (`--at demo`), "
            "the code paths interleaved.",
            "",
            "| Format | Code | Median wall (s) | Fastest wall (s) | Median CPU (s) "
            "| Peak RSS (MB) | Goal |",
            "|---|---|---:|---:|---:|---:|---|",
            *rows,
            "",
            "CPU time is user plus system time of the process: on a loaded machine it moves "
            "less than the wall time. HTML is the step PDF and the browser share.",
            "",
            *(line for kind, steps in phases.items() for line in _phase_table(kind, steps)),
            *_weasyprint_table(phases.get("pdf", []), parts.get("pdf", {})),
            *_pdf_floor(phases.get("pdf")),
        ]
    )
    print(body)
    if not args.no_write:
        write_section(NAME, body)


if __name__ == "__main__":
    main()
