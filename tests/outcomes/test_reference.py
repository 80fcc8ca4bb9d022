"""The shipped indicator figures: what ``init`` loads, and that they are the published ones."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentboard.db.models import IndicatorValue, Organisation
from talentboard.db.seed import load_reference_indicators
from talentboard.reference import reference_organisations
from talentboard.reference.indicators import catalogue_codes, reference_indicator_values

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data" / "reference"
CATALOGUE = {
    "staff_engagement",
    "morale",
    "raising_concerns",
    *(f"people_promise_{n}" for n in range(1, 8)),
    "staff_vacancy_rate",
    "sickness_absence_rate",
}


def _organisations_with(session: Session, code: str) -> set[str]:
    query = select(IndicatorValue.ods_code).where(IndicatorValue.indicator_code == code)
    return set(session.scalars(query))


def test_the_catalogue_holds_the_issue_codes() -> None:
    assert catalogue_codes() == CATALOGUE


def test_init_loads_the_published_figures(session: Session) -> None:
    """150 trusts have a 2025 staff engagement score: the 148 open ones and North Bristol
    (RVJ) and Bridgewater (RY2), which closed in 2026 and are added as closed trusts. Every
    open trust in the NHS Digital sickness file of March 2025 has its rate: all 202 but The
    Online NHS Trust (K0N6A), which opened in 2026."""
    result = load_reference_indicators(session)
    assert result.organisations_added == 4
    engagement = _organisations_with(session, "staff_engagement")
    assert len(engagement) == 150
    assert {"RVJ", "RY2"} <= engagement
    open_trusts = {o.ods_code for o in reference_organisations()}
    sickness = _organisations_with(session, "sickness_absence_rate")
    assert open_trusts - sickness == {"K0N6A"}
    assert len(sickness & open_trusts) == 201
    closed = session.get(Organisation, "RVJ")
    assert closed is not None
    assert (closed.name, closed.closed_on.isoformat()) == ("North Bristol NHS Trust", "2026-06-30")  # type: ignore[union-attr]
    # Spot checks against the source rows: Manchester University (R0A) and Barts (R1H).
    value = select(IndicatorValue.value).where(IndicatorValue.ods_code == "R0A")
    assert session.scalar(value.where(IndicatorValue.indicator_code == "staff_engagement")) == 6.79
    assert session.scalar(value.where(IndicatorValue.indicator_code == "raising_concerns")) == 6.48
    rate = select(IndicatorValue.value, IndicatorValue.denominator).where(
        IndicatorValue.ods_code == "R1H", IndicatorValue.indicator_code == "sickness_absence_rate"
    )
    assert session.execute(rate).one() == pytest.approx((4.12, 618320.07231))
    again = load_reference_indicators(session)
    assert (again.organisations_added, again.values_added) == (0, 0)
    count = session.scalar(select(func.count()).select_from(IndicatorValue))
    assert count == len(reference_indicator_values())


def test_init_keeps_a_value_a_user_changed(session: Session) -> None:
    load_reference_indicators(session)
    row = session.scalars(
        select(IndicatorValue).where(
            IndicatorValue.ods_code == "R0A", IndicatorValue.indicator_code == "morale"
        )
    ).one()
    row.value = 5.0
    session.flush()
    load_reference_indicators(session)
    session.expire_all()
    assert session.get(IndicatorValue, row.id).value == 5.0  # type: ignore[union-attr]


@pytest.mark.skipif(
    not SHARED.exists(), reason="the shared source extracts are not beside the repo"
)
def test_shipped_figures_are_rebuilt_exactly_from_the_sources(tmp_path: Path) -> None:
    """The committed files are what scripts/build_indicators.py makes from the extracts."""
    spec = importlib.util.spec_from_file_location(
        "build_indicators", ROOT / "scripts/build_indicators.py"
    )
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    shipped = ROOT / "src/talentboard/reference/data"
    (tmp_path / "organisations.csv").write_bytes((shipped / "organisations.csv").read_bytes())
    module.OUT = tmp_path
    module.main(SHARED)
    for name in ("values.csv", "closed_organisations.csv"):
        built = (tmp_path / "indicators" / name).read_text(encoding="utf-8")
        committed = (shipped / "indicators" / name).read_text(encoding="utf-8")
        assert list(csv.reader(built.splitlines())) == list(csv.reader(committed.splitlines())), (
            name
        )
