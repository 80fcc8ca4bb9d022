"""Charts rendered in a process of their own (reports.chart_process): the same SVG as
rendering them here, in another process, and the same SVG or error when that process is
missing, stops or cannot render a chart."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest

from talentboard.reports import build_report, render
from talentboard.reports.chart_process import ChartProcess
from talentboard.reports.svg import RemoteDataError, render_svg
from tests.reports.documents import sample_report
from tests.reports.samples import sample_charts


def _specs() -> dict[str, dict[str, Any]]:
    return {chart.name: chart.spec for chart in sample_charts()}


def _numbered(svg: str) -> str:
    """``svg`` with its clip path ids numbered from 1 in order of appearance: vl-convert
    numbers them on from the charts it rendered before in the same process."""
    ids: dict[str, str] = {}
    return re.sub(r"\bclip\d+\b", lambda m: ids.setdefault(m[0], f"clip{len(ids) + 1}"), svg)


def _rendered_here(specs: dict[str, dict[str, Any]]) -> dict[str, str]:
    return {name: _numbered(render_svg(spec)) for name, spec in specs.items()}


def _as_numbered(drawn: dict[str, str]) -> dict[str, str]:
    return {name: _numbered(svg) for name, svg in drawn.items()}


def test_the_process_renders_each_chart_as_rendering_it_here_does() -> None:
    specs = _specs()
    with ChartProcess.start() as charts:
        assert charts.running
        drawn = charts.submit(specs).result(timeout=120)
        # The process rendered them: it is another process, still there for more.
        assert charts.running
        assert charts._process is not None
        assert charts._process.pid != os.getpid()
    assert _as_numbered(drawn) == _rendered_here(specs)
    assert len(drawn) == 5
    assert not charts.running


def test_without_a_process_the_charts_are_rendered_here() -> None:
    specs = _specs()
    with ChartProcess(None) as charts:
        assert not charts.running
        drawn = charts.submit(specs).result(timeout=120)
    assert _as_numbered(drawn) == _rendered_here(specs)


def test_a_process_that_stops_leaves_the_charts_to_be_rendered_here() -> None:
    specs = _specs()
    with ChartProcess.start() as charts:
        assert charts._process is not None
        charts._process.kill()
        charts._process.wait()
        drawn = charts.submit(specs).result(timeout=120)
    assert _as_numbered(drawn) == _rendered_here(specs)


def test_a_chart_the_process_cannot_render_raises_the_error_rendering_it_here_raises() -> None:
    broken = {"mark": "nonsense", "data": {"values": [{"x": 1}]}}
    with pytest.raises(ValueError, match="conversion failed") as here:
        render_svg(broken)
    specs = {"first": next(iter(_specs().values())), "broken": broken}
    with ChartProcess.start() as charts:
        asked = charts.submit(specs)
        with pytest.raises(ValueError, match="conversion failed") as there:
            asked.result(timeout=120)
        # The process is still there: one chart's error does not end it.
        assert charts.running
        again = charts.submit({"again": specs["first"]}).result(timeout=120)
    assert type(there.value) is type(here.value)
    assert _as_numbered(again) == _rendered_here({"again": specs["first"]})


def test_a_chart_with_data_by_url_is_refused_before_it_is_sent() -> None:
    remote = {"mark": "point", "data": {"url": "https://example.org/data.csv"}}
    with ChartProcess.start() as charts, pytest.raises(RemoteDataError, match=r"spec\.data\.url"):
        charts.submit({"remote": remote})


@pytest.mark.parametrize("kind", ["html", "pdf"])
def test_a_report_is_the_same_with_its_charts_rendered_in_the_process(kind: str) -> None:
    report = sample_report()
    here = render(report, kind)
    with ChartProcess.start() as charts:
        there = render(report, kind, charts)
    if kind == "pdf":
        # A PDF carries the moment it was made; everything else is the same.
        def stamped(pdf: bytes) -> bytes:
            return re.sub(rb"/(CreationDate|ModDate) \(D:[^)]*\)", b"", pdf)

        assert stamped(there) == stamped(here)
    else:
        assert _numbered(there.decode()) == _numbered(here.decode())
        assert there.count(b"<svg ") == sum(len(s.charts) for s in report.sections) > 0


def test_build_report_is_there_to_import_from_the_package() -> None:
    # The package loads its heavy parts on first use; both names still resolve.
    from talentboard import reports
    from talentboard.reports.build import build_report as built

    assert reports.build_report is build_report is built
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = reports.nothing  # type: ignore[attr-defined]


def test_a_process_that_never_gets_ready_is_stopped_and_the_charts_rendered_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from talentboard.reports import chart_process

    monkeypatch.setattr(chart_process, "WORKER", "import time; time.sleep(60)")
    monkeypatch.setattr(chart_process, "READY_SECONDS", 0.5)
    specs = _specs()
    with ChartProcess.start() as charts:
        process = charts._process
        assert process is not None
        drawn = charts.submit(specs).result(timeout=120)
        assert not charts.running
        # Stopped, not left behind: its input closed, then killed after five seconds.
        assert process.poll() is not None
    assert _as_numbered(drawn) == _rendered_here(specs)
