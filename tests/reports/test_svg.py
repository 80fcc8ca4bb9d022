"""Offline SVG rendering: well-formed SVG, nothing fetched, remote data refused."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import polars as pl
import pytest

from talentboard.reports import palette
from talentboard.reports.charts import spc_chart
from talentboard.reports.model import ChartSpec
from talentboard.reports.svg import RemoteDataError, render_svg
from tests.reports.samples import sample_charts

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - the SVG is our own renderer's output


@pytest.mark.parametrize("chart", sample_charts(), ids=lambda c: c.name)
def test_every_chart_renders_to_svg_with_its_title(chart: ChartSpec) -> None:
    svg = render_svg(chart)
    root = _parse(svg)
    assert root.tag == f"{SVG}svg"
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert chart.title in texts
    # Nothing in the drawing points outside it.
    assert "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "").replace(
        'xmlns:xlink="http://www.w3.org/1999/xlink"', ""
    )
    assert "https://" not in svg


def test_labels_are_escaped_in_the_svg() -> None:
    km = next(c for c in sample_charts() if c.name == "km")
    root = _parse(render_svg(km))
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "Segment <3>" in texts
    assert "Segment 1 & 2" in texts


def _reference_lines(root: ET.Element) -> list[ET.Element]:
    """The lines of the rule marks the chart draws itself (axes and grids left out)."""
    return [
        line
        for group in root.iter(f"{SVG}g")
        if "mark-rule role-mark" in group.get("class", "")
        for line in group.iter(f"{SVG}line")
    ]


def test_a_reference_line_is_drawn_once_whatever_the_rows() -> None:
    """The survival chart's 50% line and the SPC chart's target line are one line each,
    not one per row of the chart's data (a thousand for a national survival curve)."""
    charts = {c.name: c for c in sample_charts()}
    (half,) = _reference_lines(_parse(render_svg(charts["km"])))
    # Share 0.5 on a 0-1 axis: halfway down the plot, across its whole width.
    assert half.get("transform") == f"translate({palette.WIDTH},{palette.HEIGHT // 2})"
    assert half.get("x2") == f"-{palette.WIDTH}"
    assert half.get("stroke-dasharray") == "3,3"
    series = pl.DataFrame(
        {
            "month": [dt.date(2025, m, 1) for m in range(1, 13)],
            "value": [0.10] * 12,
            "mean": [0.10] * 12,
            "lower_limit": [0.0] * 12,
            "upper_limit": [0.20] * 12,
            "point_type": ["common_cause"] * 12,
        }
    )
    chart = spc_chart(
        series,
        name="spc_target",
        title="Executive vacancy rate",
        measure="Vacancy rate",
        variation="Common cause variation only.",
        assurance="Target 5%.",
        target=0.05,
    )
    (target,) = _reference_lines(_parse(render_svg(chart)))
    assert target.get("stroke-dasharray") == "2,2"


def test_a_spec_with_a_data_url_is_refused() -> None:
    spec = {
        "data": {"url": "https://example.org/data.csv"},
        "mark": "point",
        "encoding": {"x": {"field": "a", "type": "quantitative"}},
    }
    with pytest.raises(RemoteDataError, match="inline"):
        render_svg(spec)


def _offline_available() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "--net", "true"], capture_output=True, check=False)
    return probe.returncode == 0


@pytest.mark.skipif(
    not _offline_available(), reason="needs 'unshare --net' (root) to cut the network"
)
def test_rendering_works_with_the_network_unreachable() -> None:
    """Render every sample chart to SVG and PDF in a process with no network at all."""
    script = textwrap.dedent(
        """
        import socket
        try:
            socket.create_connection(("192.0.2.1", 80), timeout=1)
        except OSError:
            pass
        else:
            raise SystemExit("the network is reachable: the test proves nothing")
        from talentboard.reports.pdf import html_to_pdf
        from talentboard.reports.svg import render_svg
        from tests.reports.samples import sample_charts
        svgs = [render_svg(chart) for chart in sample_charts()]
        pdf = html_to_pdf("<html><body>" + "".join(svgs) + "</body></html>")
        assert pdf.startswith(b"%PDF")
        # The report's PDF, its charts as images of data: URLs.
        from talentboard.reports import render
        from tests.reports.documents import sample_report
        assert render(sample_report(), "pdf").startswith(b"%PDF")
        print(len(svgs), "charts")
        """
    )
    result = subprocess.run(
        ["unshare", "--net", sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "5 charts"
