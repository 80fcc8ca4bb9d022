"""Framework assessments: aggregation, the gap against a target role, development needs.

Definitions (``docs/talent.md`` gives worked examples):

- **Round.** Ratings of one person on one framework are grouped in rounds. The *latest
  round* is every rating whose ``assessed_on`` falls within :data:`ROUND_WINDOW_DAYS` days
  on or before the latest ``assessed_on`` of that person and framework, so a
  self-assessment and the multi-source feedback gathered over the following weeks count
  as one round. When one rater (``rater_relation``, ``rater_id``) rated one domain more
  than once within the round, their latest rating is the one used.
- **No chance to demonstrate** is a rating with an empty score. It is excluded from
  every mean and count of scores; it is counted in ``no_chance`` so it stays visible.
- **Others' mean**: the mean of the scores given by raters other than ``self`` in the
  latest round. **Self score**: the mean of the person's own scores (normally one).
  **Self-versus-others gap**: self score minus others' mean (positive: the person rates
  themselves higher than others do).
- **Observed level** in the gap against a role is the others' mean. Self ratings alone
  are never taken as observed: a domain with self-only evidence has observed null,
  ``evidence = "self_only"``.
- **Gap** = ``max(expected - observed, 0)``. When observed is null (self-only evidence,
  or the domain was not scored by anyone in the latest round) the gap is the whole
  expected level, ``expected - 0``: without evidence from others there is nothing to set
  against the bar, and the development need is to show that domain at all. The
  ``evidence`` column (``others``, ``self_only``, ``none``) says which case applies.
- Gaps are reported only for frameworks a person has been assessed on (any rating, any
  round): a person never assessed on a framework has no rows for it, rather than a gap
  in every domain.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from talentboard.reference import framework, frameworks, roles
from talentboard.talent.schemas import require

ROUND_WINDOW_DAYS = 90
SELF = "self"

ASSESSMENT_COLUMNS = (
    "person_ref",
    "framework",
    "domain_code",
    "rater_relation",
    "rater_id",
    "score",
    "assessed_on",
)
GAP_SCHEMA = {
    "person_ref": pl.Int64,
    "target_role_code": pl.String,
    "framework": pl.String,
    "domain_code": pl.String,
    "expected": pl.Float64,
    "observed": pl.Float64,
    "gap": pl.Float64,
    "evidence": pl.String,
}


def _domain_order() -> pl.DataFrame:
    rows = [
        (fw.code, domain.code, index)
        for fw in frameworks().values()
        for index, domain in enumerate(fw.domains)
    ]
    return pl.DataFrame(
        rows,
        schema={"framework": pl.String, "domain_code": pl.String, "domain_order": pl.Int64},
        orient="row",
    )


def _sorted_by_domain(data: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Rows in key order, then in each framework's own domain order."""
    return (
        data.join(_domain_order(), on=["framework", "domain_code"], how="left")
        .sort([*keys, "framework", "domain_order", "domain_code"], nulls_last=True)
        .drop("domain_order")
    )


def latest_round(assessments: pl.DataFrame) -> pl.DataFrame:
    """The ratings of each person's latest round per framework, one per rater and domain.

    Adds ``round_ends_on``: the latest ``assessed_on`` of that person and framework.
    """
    require(assessments, ASSESSMENT_COLUMNS, "assessments")
    data = assessments.select(ASSESSMENT_COLUMNS).with_columns(
        pl.col("rater_id").fill_null(""),
        pl.col("score").cast(pl.Float64),
    )
    window = dt.timedelta(days=ROUND_WINDOW_DAYS)
    return (
        data.with_columns(
            pl.col("assessed_on").max().over("person_ref", "framework").alias("round_ends_on")
        )
        .filter(pl.col("assessed_on") >= pl.col("round_ends_on") - window)
        .sort("assessed_on")
        .group_by(
            ["person_ref", "framework", "domain_code", "rater_relation", "rater_id"],
            maintain_order=True,
        )
        .last()
    )


def assessment_summary(assessments: pl.DataFrame) -> pl.DataFrame:
    """Aggregate the latest round: one row per (person_ref, framework, domain_code).

    Columns: ``round_ends_on``; ``self_score`` (mean of self scores); ``others_mean``;
    ``others_count`` (other raters who gave a score); ``no_chance`` (ratings with no
    chance to demonstrate, any rater); ``self_minus_others``; ``evidence`` (``others``
    when ``others_mean`` is known, ``self_only`` when only a self score is, else
    ``none``). Rows follow the framework's domain order.
    """
    ratings = latest_round(assessments)
    is_self = pl.col("rater_relation") == SELF
    summary = (
        ratings.group_by(["person_ref", "framework", "domain_code"])
        .agg(
            pl.col("round_ends_on").first(),
            pl.col("score").filter(is_self).mean().alias("self_score"),
            pl.col("score").filter(~is_self).mean().alias("others_mean"),
            pl.col("score").filter(~is_self).count().cast(pl.Int64).alias("others_count"),
            pl.col("score").is_null().sum().cast(pl.Int64).alias("no_chance"),
        )
        .with_columns(
            (pl.col("self_score") - pl.col("others_mean")).alias("self_minus_others"),
            pl.when(pl.col("others_mean").is_not_null())
            .then(pl.lit("others"))
            .when(pl.col("self_score").is_not_null())
            .then(pl.lit("self_only"))
            .otherwise(pl.lit("none"))
            .alias("evidence"),
        )
    )
    return _sorted_by_domain(summary, ["person_ref"])


def development_gaps(
    assessments: pl.DataFrame, targets: pl.DataFrame, expected: pl.DataFrame
) -> pl.DataFrame:
    """The gap between each person's observed level and each target role's expected level.

    Inputs: ``assessments`` [person_ref, framework, domain_code, rater_relation, rater_id,
    score, assessed_on] (score null = no chance to demonstrate); ``targets`` [person_ref,
    target_role_code, readiness] (the current readiness per target role; readiness is not
    used here); ``expected`` [framework, role_code, domain_code, expected] (see
    :func:`talentboard.reference.expected.expected_frame`).

    Returns one row per (person_ref, target_role_code, framework, domain_code), for every
    domain the target role has an expected level in and every framework the person has
    been assessed on, with columns person_ref, target_role_code, framework, domain_code,
    expected, observed (the others' mean in the latest round; null when there is no
    evidence from others), gap (``max(expected - observed, 0)``, or ``expected`` when
    observed is null) and evidence (``others``, ``self_only``, ``none``). The module
    docstring states each definition.
    """
    require(targets, ("person_ref", "target_role_code"), "targets")
    require(expected, ("framework", "role_code", "domain_code", "expected"), "expected")
    summary = assessment_summary(assessments)
    assessed = assessments.select("person_ref", "framework").unique()
    wanted = (
        targets.select("person_ref", "target_role_code")
        .unique()
        .join(
            expected.select(
                "framework",
                pl.col("role_code").alias("target_role_code"),
                "domain_code",
                pl.col("expected").cast(pl.Float64),
            ),
            on="target_role_code",
        )
        .join(assessed, on=["person_ref", "framework"], how="semi")
    )
    gaps = (
        wanted.join(
            summary.select("person_ref", "framework", "domain_code", "others_mean", "evidence"),
            on=["person_ref", "framework", "domain_code"],
            how="left",
        )
        .with_columns(
            pl.col("others_mean").alias("observed"),
            pl.col("evidence").fill_null("none"),
        )
        .with_columns(
            pl.max_horizontal(
                pl.col("expected") - pl.col("observed").fill_null(0.0), pl.lit(0.0)
            ).alias("gap")
        )
        .select(list(GAP_SCHEMA))
        .cast(GAP_SCHEMA)  # type: ignore[arg-type]
    )
    return _sorted_by_domain(gaps, ["person_ref", "target_role_code"])


def scale_label(framework_code: str, score: float | None) -> str:
    """The label of the scale point nearest ``score`` ("no chance to demonstrate" for null);
    half-way between two points takes the lower, since the higher is not yet reached."""
    fw = framework(framework_code)
    labels = dict(fw.scale)
    if score is None:
        return labels.get(None, "no evidence").lower()
    nearest = min(fw.scores, key=lambda s: (abs(s - score), s))
    return labels[nearest].lower()


def development_needs(gaps: pl.DataFrame) -> pl.DataFrame:
    """The development needs that follow from gaps: rows with a gap, largest first, in words.

    Columns: person_ref, target_role_code, framework, domain_code, domain_name, gap,
    evidence, need. Ties keep the framework's domain order.
    """
    names = {(fw.code, d.code): d.name for fw in frameworks().values() for d in fw.domains}
    needs = gaps.filter(pl.col("gap") > 0)
    rows = []
    for r in needs.iter_rows(named=True):
        name = names.get((r["framework"], r["domain_code"]), r["domain_code"])
        expected_words = scale_label(r["framework"], r["expected"])
        if r["evidence"] == "others":
            seen = (
                f"others' mean {r['observed']:.2f} ({scale_label(r['framework'], r['observed'])})"
            )
        elif r["evidence"] == "self_only":
            seen = "only a self-assessment, no rating from others"
        else:
            seen = "no rating in the latest round"
        rows.append(
            {
                **{k: r[k] for k in ("person_ref", "target_role_code", "framework")},
                "domain_code": r["domain_code"],
                "domain_name": name,
                "gap": r["gap"],
                "evidence": r["evidence"],
                "need": (
                    f"{name}: {_role_name(r['target_role_code'])} expects {r['expected']:g} "
                    f"({expected_words}); {seen}; gap {r['gap']:.2f}"
                ),
            }
        )
    schema = {
        "person_ref": pl.Int64,
        "target_role_code": pl.String,
        "framework": pl.String,
        "domain_code": pl.String,
        "domain_name": pl.String,
        "gap": pl.Float64,
        "evidence": pl.String,
        "need": pl.String,
    }
    result = pl.DataFrame(rows, schema=schema)
    return (
        result.with_row_index("_order")
        .sort(
            ["person_ref", "target_role_code", "gap", "_order"],
            descending=[False, False, True, False],
        )
        .drop("_order")
    )


def _role_name(code: str) -> str:
    """A target role as people say it: "a chief executive"."""
    found = {r.code: r.label for r in roles()}.get(code)
    if found is None:
        return code.replace("_", " ")
    name = found if found[:2].isupper() else found[0].lower() + found[1:]
    return f"{'an' if name[0].lower() in 'aeiou' else 'a'} {name}"
