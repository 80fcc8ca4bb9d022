"""Each eligibility rule of DESIGN section 7 alone, and the sparse join against the cross join."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import polars as pl
import pytest

from talentboard.matching import eligibility as el
from talentboard.matching.inputs import candidate_frame
from tests.matching.frames import AT, Round


def pair(**changes: Any) -> dict[str, Any]:
    """A pair that meets every rule: senior person at AAA (London), project at BBB (London)."""
    base: dict[str, Any] = {
        "person_ref": 1,
        "person_id": "P001",
        "ods_code": "AAA",
        "region_code": "Y56",
        "level": "senior",
        "willing_regions": ["Y56"],
        "cross_org_consent": True,
        "opportunity_ref": 1,
        "opportunity_id": "OPP001",
        "kind": "project",
        "host_ods_code": "BBB",
        "host_region_code": "Y56",
        "levels": ["senior", "middle"],
        "ends_on": None,
    }
    return base | changes


def holds(expr: pl.Expr, row: dict[str, Any]) -> bool:
    schema = {
        "levels": pl.List(pl.String()),
        "willing_regions": pl.List(pl.String()),
        "ends_on": pl.Date(),
        "level": pl.String(),
        "ods_code": pl.String(),
        "host_region_code": pl.String(),
    }
    frame = pl.DataFrame([row], schema_overrides=schema)
    return bool(frame.select(expr).item())


def test_the_base_pair_is_eligible() -> None:
    assert el.ineligibility(pair(), AT) is None


def test_rule_ended() -> None:
    """Open while ends_on is empty or after the date; ended on the date itself."""
    assert holds(el.not_ended(AT), pair(ends_on=None))
    assert holds(el.not_ended(AT), pair(ends_on=AT + dt.timedelta(days=1)))
    assert not holds(el.not_ended(AT), pair(ends_on=AT))
    assert el.ineligibility(pair(ends_on=dt.date(2026, 6, 30)), AT) == (
        "OPP001 ended on 2026-06-30"
    )


def test_rule_level() -> None:
    assert not holds(el.level_included(), pair(level="board"))
    assert not holds(el.level_included(), pair(level=None))
    assert el.ineligibility(pair(level="board"), AT) == (
        "OPP001 is open to senior or middle level; the person is at board level"
    )
    assert el.ineligibility(pair(level=None), AT) == (
        "OPP001 is open to senior or middle level; the person holds no post on 2026-09-30"
    )


def test_rule_region() -> None:
    assert holds(el.region_willing(), pair(willing_regions=["Y61", "Y56"]))
    assert not holds(el.region_willing(), pair(willing_regions=["Y61"]))
    assert not holds(el.region_willing(), pair(willing_regions=[]))
    assert el.ineligibility(pair(willing_regions=["Y61"]), AT) == (
        "OPP001 is hosted in London (Y56), not a region the person will work in "
        "(East of England (Y61))"
    )


def test_rule_consent() -> None:
    """Another host needs consent; the person's own organisation does not."""
    assert not holds(el.consent_for_other_host(), pair(cross_org_consent=False))
    assert holds(el.consent_for_other_host(), pair(cross_org_consent=False, host_ods_code="AAA"))
    assert el.ineligibility(pair(cross_org_consent=False), AT) == (
        "OPP001 is hosted by another organisation (BBB) and the person has not consented "
        "to be considered across organisations"
    )


@pytest.mark.parametrize("kind", ["secondment", "stretch_assignment"])
def test_rule_own_organisation_for_placements(kind: str) -> None:
    own = pair(kind=kind, host_ods_code="AAA")
    assert not holds(el.placement_away_from_own(), own)
    assert el.ineligibility(own, AT) == (
        f"OPP001 is {el.kind_words(kind)} hosted by the person's own organisation (AAA); "
        "it must be taken elsewhere"
    )
    assert holds(el.placement_away_from_own(), pair(kind=kind))


@pytest.mark.parametrize("kind", ["project", "board_shadowing", "mentoring", "coaching"])
def test_other_kinds_may_be_hosted_by_the_own_organisation(kind: str) -> None:
    assert el.ineligibility(pair(kind=kind, host_ods_code="AAA"), AT) is None


def test_the_first_failed_rule_is_the_reason() -> None:
    """Ended and at the wrong level: "ended" comes first."""
    both = pair(ends_on=AT, level="board")
    assert el.ineligibility(both, AT) == "OPP001 ended on 2026-09-30"


def test_willing_regions_default_to_the_own_region() -> None:
    profiles = pl.DataFrame(
        {"person_ref": [1, 2], "willing_regions": [[], ["Y61"]], "cross_org_consent": [True, True]},
        schema={
            "person_ref": pl.Int64,
            "willing_regions": pl.List(pl.String),
            "cross_org_consent": pl.Boolean,
        },
    )
    targets = pl.DataFrame({"person_ref": [1, 2], "target_role_code": ["chair", "chair"]})
    positions = pl.DataFrame(
        {
            "person_ref": [1, 2],
            "ods_code": ["AAA", "BBB"],
            "region_code": ["Y56", "Y58"],
            "level": ["board", "board"],
        }
    )
    people = pl.DataFrame({"person_ref": [1, 2], "person_id": ["P1", "P2"]})
    frame = candidate_frame(profiles, targets, positions, people)
    assert frame.get_column("willing_regions").to_list() == [["Y56"], ["Y61"]]


def random_round(seed: int) -> Round:
    rng = np.random.default_rng(seed)
    r = Round()
    orgs = ["AAA", "BBB", "CCC"]
    regions = ["Y56", "Y58"]
    levels = ["board", "senior", "middle"]
    region_of = {"AAA": "Y56", "BBB": "Y56", "CCC": "Y58"}
    for ref in range(1, 16):
        ods = str(rng.choice(orgs))
        has_post = rng.random() < 0.9
        r.person(
            ref,
            ods=ods if has_post else None,
            region=region_of[ods] if has_post else None,
            level=str(rng.choice(levels)) if has_post else None,
            willing=[str(x) for x in rng.choice(regions, size=rng.integers(0, 3), replace=False)],
            consent=bool(rng.random() < 0.6),
        )
    kinds = ["secondment", "stretch_assignment", "project", "mentoring"]
    for ref in range(1, 11):
        host = str(rng.choice(orgs))
        r.offer(
            ref,
            kind=str(rng.choice(kinds)),
            host=host,
            region=region_of[host],
            levels=[str(x) for x in rng.choice(levels, size=rng.integers(1, 3), replace=False)],
            ends_on=AT if rng.random() < 0.2 else None,
        )
    return r


@pytest.mark.parametrize("seed", range(25))
def test_sparse_pairs_equal_the_filtered_cross_product(seed: int) -> None:
    inputs = random_round(seed).inputs()
    cross = el.pair_frame(inputs.candidates, inputs.offers).filter(el.eligible(AT))
    sparse = el.eligible_pairs(inputs.candidates, inputs.offers, AT)
    assert sparse.columns == cross.columns
    keys = ["person_ref", "opportunity_ref"]
    assert sparse.select(keys).rows() == sorted(cross.select(keys).rows())
    assert sparse.sort(keys).equals(cross.sort(keys))


@pytest.mark.parametrize("seed", range(25))
def test_no_eligible_counts_equal_the_cross_product(seed: int) -> None:
    """For people with no eligible pair, the count per rule is that of the cross product."""
    inputs = random_round(seed).inputs()
    cross = el.pair_frame(inputs.candidates, inputs.offers).with_columns(
        el.first_failed_rule(AT).alias("rule")
    )
    with_pair = set(cross.filter(pl.col("rule").is_null()).get_column("person_ref"))
    expected = {
        ref: dict.fromkeys(el.RULE_CODES, 0)
        for ref in inputs.candidates.get_column("person_ref")
        if ref not in with_pair
    }
    for ref, rule in cross.select("person_ref", "rule").iter_rows():
        if ref in expected:
            expected[ref][rule] += 1
    reasons = el.no_eligible_reasons(inputs.candidates, inputs.offers, AT)
    found = {
        row["person_ref"]: {c: row[c] for c in el.RULE_CODES}
        for row in reasons.iter_rows(named=True)
    }
    assert found == expected
    for row in reasons.iter_rows(named=True):
        assert row["reason"].startswith("no eligible opportunity among the 10 on offer: ")


def test_no_eligible_words() -> None:
    """P001 (senior, London, no consent) against four offers, one failing each way."""
    r = Round().person(1, consent=False)
    r.offer(1, ends_on=AT)
    r.offer(2, levels=["board"])
    r.offer(3, region="Y58")
    r.offer(4)
    inputs = r.inputs()
    reasons = el.no_eligible_reasons(inputs.candidates, inputs.offers, AT)
    assert reasons.get_column("reason").to_list() == [
        "no eligible opportunity among the 4 on offer: 1 had ended; 1 is for other levels "
        "(the person is at senior level); 1 is hosted outside the regions the person will "
        "work in (London (Y56)); 1 is hosted by another organisation and the person has not "
        "consented to be considered across organisations"
    ]
