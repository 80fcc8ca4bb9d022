"""Build the shipped outcome indicator values from the published NHS extracts.

Run from the repository root with the shared reference folder beside it::

    python scripts/build_indicators.py ../shared/data/reference

It writes ``indicators/values.csv`` (one row per organisation, indicator and period, the
layout of the ``indicators`` import) and ``indicators/closed_organisations.csv`` (the
trusts the figures cover that have closed since, with their closing dates) under
``src/talentboard/reference/data/``. The outputs are committed, so the package never
needs the extracts at run time. See ``docs/reference-data.md`` for provenance.
"""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "talentboard" / "reference" / "data"
HERE = Path(__file__).resolve().parent

# NHS Staff Survey 2025 (fieldwork in the autumn of 2025) in the third-party compilation.
SURVEY_PERIOD = ("2025-09-01", "2025-11-30")
SURVEY_COLUMNS = {
    "staff_engagement": "staff_engagement_score",
    "morale": "theme_morale",
    "raising_concerns": "staff_raising_concerns_score",
    "people_promise_1": "pp1_compassionate_inclusive",
    "people_promise_2": "pp2_recognised_rewarded",
    "people_promise_3": "pp3_voice_counts",
    "people_promise_4": "pp4_safe_healthy",
    "people_promise_5": "pp5_always_learning",
    "people_promise_6": "pp6_work_flexibly",
    "people_promise_7": "pp7_team",
}
SICKNESS_PERIOD = ("2025-03-01", "2025-03-31")
SICKNESS_KINDS = {
    "Acute": "acute",
    "Mental Health": "mental_health",
    "Community Provider Trust": "community",
    "Ambulance": "ambulance",
}
VALUE_HEADER = ["ods_code", "indicator_code", "period_start", "period_end", "value", "denominator"]
CLOSED_HEADER = [
    "ods_code",
    "name",
    "kind",
    "region_code",
    "icb_code",
    "staff_headcount",
    "bme_staff_share",
    "opened_on",
    "closed_on",
]


def _reference_builder() -> object:
    spec = importlib.util.spec_from_file_location("build_reference", HERE / "build_reference.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _iso(yyyymmdd: str) -> str:
    return f"{yyyymmdd[:4]}-{yyyymmdd[4:6]}-{yyyymmdd[6:]}" if yyyymmdd else ""


def closed_trusts(
    source: Path, open_codes: set[str], sickness: list[dict[str, str]]
) -> list[list[str]]:
    """Trusts in the figures that ODS lists as closed, as rows of ``CLOSED_HEADER``."""
    builder = _reference_builder()
    survey = {r["org_code"]: r for r in _rows(source / "trust_oversight_staff_survey_2026.csv")}
    absence = {r["ORG_CODE"]: r for r in sickness}
    with (source / "ods_etr_2026-07.csv").open(newline="", encoding="utf-8") as fh:
        etr = {r[0]: r for r in csv.reader(fh)}
    wanted = set(survey) | {c for c, r in absence.items() if r["ORG_TYPE"] in SICKNESS_KINDS}
    rows = []
    for code in sorted(wanted - open_codes):
        ods = etr.get(code)
        if ods is None or not ods[11] or not ods[2]:
            continue
        kind = (
            SICKNESS_KINDS.get(absence[code]["ORG_TYPE"], "other") if code in absence else "other"
        )
        if survey.get(code, {}).get("Trust_subtype") == "Acute - Specialist":
            kind = "specialist"
        fte = absence[code]["FTE_DAYS_AVAILABLE"] if code in absence else ""
        rows.append(
            [
                code,
                builder.nhs_title(ods[1]),  # type: ignore[attr-defined]
                kind,
                ods[2],
                ods[3],
                str(round(float(fte) / 31)) if fte else "",
                "",
                _iso(ods[10]),
                _iso(ods[11]),
            ]
        )
    return rows


def indicator_values(
    source: Path, codes: set[str], sickness: list[dict[str, str]]
) -> list[list[str]]:
    """The published values of the shipped organisations, as rows of ``VALUE_HEADER``."""
    rows = []
    for row in _rows(source / "trust_oversight_staff_survey_2026.csv"):
        if row["org_code"] not in codes:
            continue
        for indicator, column in SURVEY_COLUMNS.items():
            if row[column]:
                rows.append([row["org_code"], indicator, *SURVEY_PERIOD, row[column], ""])
        # The compilation's vacancy rate (vac_benchmark_rate_all_pct) is not shipped: it is
        # the NHS England region's rate, the same for every trust of a region, not a trust's.
    for row in sickness:
        if row["ORG_CODE"] in codes and row["SICKNESS_ABSENCE_RATE_PERCENT"]:
            rows.append(
                [
                    row["ORG_CODE"],
                    "sickness_absence_rate",
                    *SICKNESS_PERIOD,
                    row["SICKNESS_ABSENCE_RATE_PERCENT"],
                    row["FTE_DAYS_AVAILABLE"],
                ]
            )
    return sorted(rows, key=lambda r: (r[1], r[0], r[3]))


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


def main(source: Path) -> None:
    open_codes = {r["ods_code"] for r in _rows(OUT / "organisations.csv")}
    sickness = _rows(source / "nhsd_sickness_absence_by_org_2025-03.csv")
    closed = closed_trusts(source, open_codes, sickness)
    _write(OUT / "indicators" / "closed_organisations.csv", CLOSED_HEADER, closed)
    codes = open_codes | {r[0] for r in closed}
    _write(
        OUT / "indicators" / "values.csv", VALUE_HEADER, indicator_values(source, codes, sickness)
    )


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/reference"))
