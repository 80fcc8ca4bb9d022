"""Charts rendered to SVG in a process of their own, started before they are needed.

vl-convert holds Python's interpreter lock while it renders, and its JavaScript runtime
takes about half a second to start in every process that renders. ``talentboard report``
therefore starts a small Python process (``ChartProcess.start``) once its own libraries
are loaded (started before, the runtime's start slowed that loading more than it gained):
it loads vl-convert and starts the runtime while the command builds the report; the
charts are then rendered there (``submit``), on the machine's other core, while the
command imports WeasyPrint. The process loads nothing
but vl-convert, reads one chart per line on its standard input and answers one SVG per
line, and ends when its input closes.

Every chart is checked for data named by URL before it is sent (``reports.svg``), and the
process renders with no base URL allowed, as ``render_svg`` does. Where the process
cannot be started or stops answering, and for a chart it could not render, the chart is
rendered in this process instead: the SVG is the same either way, and an error is the
one ``render_svg`` raises.

The web app keeps one such process for as long as it runs (``KeptChartProcess``): a
report's charts then render outside the server process, whose other requests are not held
up while vl-convert holds the lock (about half a second for the first report a worker
draws, as the runtime starts, and a little for each chart after).
"""

from __future__ import annotations

import contextlib
import json
import select
import subprocess
import sys
import threading
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import IO, Any

__all__ = ["READY_SECONDS", "WORKER", "ChartProcess", "KeptChartProcess"]

# How long the process may take to get ready (it takes about half a second) before the
# charts are rendered here instead.
READY_SECONDS = 60.0

# The process's whole program. Run with -I (isolated: neither the working directory nor
# PYTHON* variables decide what is imported), so only the standard library and vl-convert
# load, and a chart's data or options never reach a shell or a file.
WORKER = """
import json, sys
import vl_convert as vlc
warm = {"data": {"values": [{"x": 1}]}, "mark": "point",
        "encoding": {"x": {"field": "x", "type": "quantitative"}}}
vlc.vegalite_to_svg(warm, allowed_base_urls=[])
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    asked = json.loads(line)
    try:
        svg = vlc.vegalite_to_svg(asked["spec"], vl_version=asked["vl_version"],
                                  allowed_base_urls=[])
        answer = {"svg": svg}
    except Exception as exc:
        answer = {"error": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(answer), flush=True)
"""


class ChartProcess:
    """The rendering process (see the module's docstring). Use as a context manager, or
    call ``close``; ``submit`` works whether or not the process started."""

    def __init__(self, process: subprocess.Popen[str] | None) -> None:
        self._process = process
        # Whether the process said it is ready: None until its first line is read.
        self._ready: bool | None = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="talentboard-charts")

    @classmethod
    def start(cls) -> ChartProcess:
        """Start the process; it gets ready in the background."""
        try:
            # The program and its arguments are this module's own; charts go on stdin.
            process: subprocess.Popen[str] | None = subprocess.Popen(  # noqa: S603
                [sys.executable, "-I", "-c", WORKER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                encoding="utf-8",
            )
        except OSError:
            process = None
        return cls(process)

    @property
    def running(self) -> bool:
        """Whether the process is there to render (it may still be getting ready)."""
        return self._process is not None and self._process.poll() is None

    def submit(self, specs: Mapping[str, dict[str, Any]]) -> Future[dict[str, str]]:
        """Each chart of ``specs`` (by name) as SVG, rendered on a thread that waits for
        the process: the caller goes on meanwhile and takes ``result()`` when it needs
        them."""
        from talentboard.reports.svg import check_no_urls

        for spec in specs.values():
            check_no_urls(spec)
        return self._pool.submit(self._render, dict(specs))

    def _render(self, specs: dict[str, dict[str, Any]]) -> dict[str, str]:
        from talentboard.reports.svg import VL_VERSION, render_svg

        drawn: dict[str, str] = {}
        ready = self._await_ready()
        for name, spec in specs.items():
            svg = self._ask(spec, VL_VERSION) if ready else None
            if svg is None:
                ready = self.running
                svg = render_svg(spec)
            drawn[name] = svg
        return drawn

    def _streams(self) -> tuple[IO[str], IO[str]] | None:
        process = self._process
        if process is None or process.stdin is None or process.stdout is None:
            return None
        return process.stdin, process.stdout

    def _await_ready(self) -> bool:
        if self._ready is None:
            self._ready = self._read_ready()
        return self._ready

    def _read_ready(self) -> bool:
        streams = self._streams()
        if streams is None:
            return False
        try:
            # Nothing comes before the ready line, so the pipe itself shows whether it came.
            if not select.select([streams[1]], [], [], READY_SECONDS)[0]:
                self._stop()
                return False
            line = streams[1].readline()
            return bool(line) and json.loads(line).get("ready") is True
        except (OSError, ValueError):
            return False

    def _ask(self, spec: dict[str, Any], vl_version: str) -> str | None:
        """The process's SVG of ``spec``, or None when it could not give one."""
        streams = self._streams()
        if streams is None:
            return None
        asking, answers = streams
        try:
            asking.write(json.dumps({"spec": spec, "vl_version": vl_version}) + "\n")
            asking.flush()
            line = answers.readline()
            answer = json.loads(line) if line else {}
        except (OSError, ValueError):
            return None
        svg = answer.get("svg")
        return svg if isinstance(svg, str) else None

    def close(self) -> None:
        """End the process (its input closed, then stopped if it lingers)."""
        self._pool.shutdown(wait=True)
        self._stop()

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            with contextlib.suppress(OSError):
                process.stdin.close()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()

    def __enter__(self) -> ChartProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class KeptChartProcess:
    """One ``ChartProcess`` kept for the life of a long-running program (the web app):
    started when first asked for, started again when it has stopped, ended by ``close``.
    Safe to use from several threads; their charts take turns in the one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: ChartProcess | None = None
        self._closed = False

    def get(self) -> ChartProcess | None:
        """The running process, started now if there is none (None once closed: the
        charts are then rendered by the caller)."""
        with self._lock:
            if self._closed:
                return None
            stopped = self._current
            if stopped is not None and stopped.running:
                return stopped
            self._current = current = ChartProcess.start()
        if stopped is not None:
            # Waits for any drawing still using it (which renders in its own process now).
            stopped.close()
        return current

    @property
    def current(self) -> ChartProcess | None:
        """The process started last, if any (it may have stopped since)."""
        return self._current

    def close(self) -> None:
        """End the process; later drawings render their charts themselves."""
        with self._lock:
            self._closed = True
            current, self._current = self._current, None
        if current is not None:
            current.close()
