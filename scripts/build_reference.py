"""Build the shipped organisation and performance reference files from the NHS source extracts.

Run from the repository root with the shared reference folder beside it::

    python scripts/build_reference.py ../shared/data/reference

The outputs under ``src/talentboard/reference/data/`` are committed, so the package never
needs the source extracts at run time. See ``docs/reference-data.md`` for provenance.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "talentboard" / "reference" / "data"
SMALL_WORDS = {"AND", "OF", "THE", "FOR", "IN", "ON", "AT"}
KEEP_UPPER = {"NHS", "ICB", "UK"}
# NHS Oversight Framework 2025/26 quarter 3 league tables; the compilation is dated March 2026.
OVERSIGHT_EFFECTIVE_FROM = "2026-03-01"


def nhs_title(name: str) -> str:
    """Title case as NHS names are written.

    "GUY'S AND ST THOMAS' NHS FOUNDATION TRUST" becomes "Guy's and St Thomas' NHS Foundation Trust".
    """
    words = []
    for i, word in enumerate(name.split()):
        if word in KEEP_UPPER:
            words.append(word)
        elif word in SMALL_WORDS and i > 0:
            words.append(word.lower())
        else:
            words.append("-".join(p[:1].upper() + p[1:].lower() for p in word.split("-")))
    return " ".join(words)


def kind_of(row: dict[str, str]) -> str:
    if row["eric_trust_subtype"] == "Acute - Specialist":
        return "specialist"
    return row["trust_type"] or "other"


def main(source: Path) -> None:
    with (source / "nhs_trusts_england.csv").open(newline="", encoding="utf-8") as fh:
        trusts = list(csv.DictReader(fh))
    with (OUT / "organisations.csv").open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(
            [
                "ods_code",
                "name",
                "kind",
                "region_code",
                "icb_code",
                "staff_headcount",
                "bme_staff_share",
                "opened_on",
            ]
        )
        for row in sorted(trusts, key=lambda r: r["ods_code"]):
            fte = row["est_fte_2025_03"]
            opened = row["open_date"]
            out.writerow(
                [
                    row["ods_code"],
                    nhs_title(row["name"]),
                    kind_of(row),
                    row["nhse_region_code"],
                    row["icb_code_2026"],
                    str(round(float(fte))) if fte else "",
                    "",
                    f"{opened[:4]}-{opened[4:6]}-{opened[6:]}" if opened else "",
                ]
            )
    codes = {row["ods_code"] for row in trusts}
    with (source / "trust_oversight_staff_survey_2026.csv").open(
        newline="", encoding="utf-8"
    ) as fh:
        oversight = [r for r in csv.DictReader(fh) if r["org_code"] in codes]
    with (OUT / "performance.csv").open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["ods_code", "effective_from", "oversight_segment", "cqc_rating"])
        for row in sorted(oversight, key=lambda r: r["org_code"]):
            segment = row["overall_adjusted_segment"]
            if segment:
                out.writerow([row["org_code"], OVERSIGHT_EFFECTIVE_FROM, int(float(segment)), ""])


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/reference"))
