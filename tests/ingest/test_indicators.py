"""The indicator imports: row-level refusals, all or nothing, and declared indicators."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentboard.db.models import IndicatorValue
from talentboard.ingest import TableCounts, import_file
from tests.ingest.helpers import found, load, snapshot, write

HEADER = "ods_code,indicator_code,period_start,period_end,value,denominator\n"


def test_unknown_organisations_and_codes_are_row_errors_and_nothing_is_written(
    session: Session, folder: Path
) -> None:
    load(session, "organisations")
    before = snapshot(session)
    text = HEADER + (
        "RJ1,staff_engagement,2025-09-01,2025-11-30,6.94,\n"
        "ZZZ99,staff_engagement,2025-09-01,2025-11-30,6.5,\n"
        "RJ1,staff_happiness,2025-09-01,2025-11-30,6.5,\n"
        "RJ1,morale,2025-12-01,2025-11-30,6.1,\n"
        "RJ1,sickness_absence_rate,2025-03-01,2025-03-31,104,\n"
        "TST01,sickness_absence_rate,2025-03-01,2025-03-31,4.5,-3\n"
        "TST01,staff_vacancy_rate,2025-10-01,2025-12-31,seven,\n"
    )
    result = import_file(session, "indicators", write(folder, "indicators.csv", text))
    assert not result.ok
    assert found(result.report) == [
        (
            3,
            "ods_code",
            "no organisation with this ods_code in the database (import organisations first)",
        ),
        (
            4,
            "indicator_code",
            "unknown indicator code: use a code of the indicator catalogue (docs/metrics.md) "
            "or declare it first with an indicator-definitions import",
        ),
        (5, "period_end", "is before period_start (2025-12-01)"),
        (6, "value", "must be between 0 and 100 for a percent indicator"),
        (7, "denominator", "must be at least 0"),
        (8, "value", "not a number"),
    ]
    assert snapshot(session) == before


def test_a_declared_indicator_can_then_be_imported(session: Session, folder: Path) -> None:
    load(session, "organisations")
    definitions = write(
        folder,
        "definitions.csv",
        "code,name,unit,higher_is_better,source,licence\n"
        "staff_happiness,Staff happiness,score_0_10,true,Local pulse survey,\n",
    )
    assert import_file(session, "indicator-definitions", definitions).ok
    values = write(
        folder, "values.csv", HEADER + "RJ1,staff_happiness,2025-01-01,2025-03-31,7.25,\n"
    )
    result = import_file(session, "indicators", values)
    assert result.counts == {"indicator_values": TableCounts(inserted=1)}
    stored = session.scalars(select(IndicatorValue.value).where(IndicatorValue.ods_code == "RJ1"))
    assert list(stored) == [7.25]
    again = import_file(session, "indicators", values)
    assert again.counts == {"indicator_values": TableCounts(unchanged=1)}


def test_a_catalogue_code_cannot_be_declared_again(session: Session, folder: Path) -> None:
    path = write(
        folder,
        "definitions.csv",
        "code,name,unit,higher_is_better,source,licence\n"
        "morale,Morale,score_0_10,true,,\n"
        "Bad Code,Something,percent,false,,\n",
    )
    result = import_file(session, "indicator-definitions", path)
    assert found(result.report) == [
        (
            2,
            "code",
            "is in the shipped indicator catalogue, whose definitions cannot be changed; "
            "choose another code",
        ),
        (3, "code", "use lower-case letters, digits and _ , starting with a letter"),
    ]
