"""The shipped catalogues hold what DESIGN section 4 lists, and nothing contradicts it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from talentboard import vocab
from talentboard.reference import (
    BME_CODES,
    ETHNIC_CODES,
    REGION_CODES,
    ROLE_CODES,
    framework,
    frameworks,
    programmes,
    reference_organisations,
    reference_performance,
    roles,
)

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "reference"


def test_role_catalogue_matches_the_design() -> None:
    executive = {
        "chief_executive", "finance_director", "medical_director", "nursing_director",
        "operations_director", "strategy_director", "people_director", "digital_director",
        "estates_director", "quality_director", "partnerships_director",
    }  # fmt: skip
    by_code = {r.code: r for r in roles()}
    assert {c for c, r in by_code.items() if r.executive} == executive
    assert all(by_code[c].level == "board" for c in executive)
    assert {c for c, r in by_code.items() if r.group == "board_non_executive"} == {
        "chair", "non_executive_director", "associate_non_executive_director",
    }  # fmt: skip
    assert by_code["ward_manager"].level == "frontline"
    assert by_code["divisional_director"].level == "senior"
    assert len(ROLE_CODES) == len(set(ROLE_CODES)) == 24


def test_regions_are_the_seven_nhs_england_regions() -> None:
    assert REGION_CODES == ("Y56", "Y58", "Y59", "Y60", "Y61", "Y62", "Y63")


def test_bme_is_d_to_s_and_not_stated_or_known_is_neither() -> None:
    assert set(BME_CODES) == set("DEFGHJKLMNPRS")
    assert ETHNIC_CODES[:3] == ("A", "B", "C")
    assert "Z" in ETHNIC_CODES
    assert "99" in ETHNIC_CODES
    assert "Z" not in BME_CODES
    assert "99" not in BME_CODES


def test_frameworks_have_their_domains_and_scales() -> None:
    assert set(frameworks()) == {"lcf2024", "hlm"}
    lcf = framework("lcf2024")
    assert lcf.domain_codes == (
        "outcomes", "strategy", "equality", "governance", "culture", "partnerships",
    )  # fmt: skip
    assert lcf.scores == (1, 2, 3, 4)
    assert (None, "No chance to demonstrate") in lcf.scale
    hlm = framework("hlm")
    assert len(hlm.domain_codes) == 9
    assert dict(hlm.scale) == {1: "Essential", 2: "Proficient", 3: "Strong", 4: "Exemplary"}


def test_programmes_cover_the_ladder_and_positive_action() -> None:
    by_code = {p.code: p for p in programmes()}
    ladder = ["edward_jenner", "mary_seacole", "rosalind_franklin", "elizabeth_garrett_anderson",
              "nye_bevan"]  # fmt: skip
    assert [by_code[c].target_level for c in ladder] == [
        "frontline", "middle", "middle", "senior", "board",
    ]  # fmt: skip
    assert {c for c, p in by_code.items() if p.positive_action} == {
        "stepping_up", "ready_now", "next_director",
    }  # fmt: skip
    assert by_code["aspiring_chief_executive"].target_roles == ("chief_executive",)
    assert all(p.target_level in (*vocab.POST_LEVELS, "other") for p in programmes())


def test_organisations_are_the_open_english_trusts() -> None:
    orgs = reference_organisations()
    assert len(orgs) == 202
    assert len({o.ods_code for o in orgs}) == 202
    by_code = {o.ods_code: o for o in orgs}
    guys = by_code["RJ1"]
    assert guys.name == "Guy's and St Thomas' NHS Foundation Trust"
    assert (guys.kind, guys.region_code) == ("acute", "Y56")
    assert by_code["RBV"].kind == "specialist"  # The Christie: an acute specialist trust
    assert all(o.kind in vocab.ORG_KINDS for o in orgs)
    assert all(o.region_code in REGION_CODES for o in orgs)


def test_performance_segments_are_the_published_ones() -> None:
    ratings = {p.ods_code: p.oversight_segment for p in reference_performance()}
    assert len(ratings) == 148
    # Spot checks against the NHS Oversight Framework 2025/26 Q3 league table compilation.
    assert ratings["RBV"] == 1  # The Christie
    assert ratings["RCX"] == 4  # The Queen Elizabeth Hospital, King's Lynn
    assert set(ratings.values()) <= set(vocab.OVERSIGHT_SEGMENTS)


@pytest.mark.skipif(
    not SHARED.exists(), reason="the shared source extracts are not beside the repo"
)
def test_shipped_organisations_are_rebuilt_exactly_from_the_sources(tmp_path: Path) -> None:
    """The committed files are what scripts/build_reference.py makes from the extracts."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_reference", Path(__file__).resolve().parents[2] / "scripts/build_reference.py"
    )
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.OUT = tmp_path
    module.main(SHARED)
    shipped = Path(__file__).resolve().parents[2] / "src/talentboard/reference/data"
    for name in ("organisations.csv", "performance.csv"):
        with (tmp_path / name).open() as built, (shipped / name).open() as committed:
            assert list(csv.reader(built)) == list(csv.reader(committed)), name
