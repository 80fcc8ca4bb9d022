"""Figure 6 at the level the counts allow, and the log-rank headline with its medians.

On the national demo (generated once, on SQLite): a regional report draws no empty chart,
figure 6 publishes numbers at a stated level (a coarser one only when every finer one
would withhold a figure), and no published figure rests on a count from 1 to 7.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from lifelines import KaplanMeierFitter
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from talentboard.demo import DEMO_AS_AT, generate_demo
from talentboard.frames import RegisterFrames, load_register
from talentboard.reference import REGION_CODES
from talentboard.reports import build_report
from talentboard.reports.build import ROLE_PUBLICATION_LEVELS, role_publication
from talentboard.reports.headlines import _logrank_sentence
from talentboard.reports.model import SUPPRESSED, Suppressed
from talentboard.reports.publish import publish_figures
from talentboard.reports.scope import restrict_to_organisation, restrict_to_region
from talentboard.stability.board import figures_frame, tenure_sample
from talentboard.stability.calendar import DAYS_PER_YEAR
from talentboard.stability.disclosure import DEFAULT_RULE
from talentboard.stability.groups import posts_at, prepare_board

pytestmark = pytest.mark.slow

LONDON = "Y56"


@pytest.fixture(scope="module")
def national(sqlite_engine: Engine) -> Iterator[RegisterFrames]:
    connection = sqlite_engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        generate_demo(session, "national", seed=1)
        yield load_register(session)
    finally:
        session.close()
        outer.rollback()
        connection.close()


def _published_numbers(values: tuple[object, ...]) -> list[float]:
    return [
        float(v) for v in values if isinstance(v, int | float) and not isinstance(v, Suppressed)
    ]


def test_a_regional_report_draws_no_empty_chart(national: RegisterFrames) -> None:
    report = build_report(national, DEMO_AS_AT, region_code=LONDON)
    for section in report.sections:
        for chart in section.charts:
            numbers = [
                n
                for column in chart.table.columns
                if column.kind != "text"
                for n in _published_numbers(chart.table.column(column.key))
            ]
            assert numbers, f"{section.heading}: {chart.title} has nothing published"


def test_figure_6_publishes_the_regions_figures_at_a_stated_level(
    national: RegisterFrames,
) -> None:
    report = build_report(national, DEMO_AS_AT, region_code=LONDON)
    roles = next(s for s in report.sections if s.name == "roles")
    assert len(roles.charts) == 1
    (paragraph,) = roles.paragraphs
    # London's single roles and groups of roles each have 1 to 7 vacant posts: the
    # figure is given for all executive posts together, and says so.
    assert "too small to publish (from 1 to 7), so this figure gives them for all " in paragraph
    assert "executive posts together" in paragraph
    (table,) = roles.tables
    exact = figures_frame(prepare_board(restrict_to_region(national, LONDON)), DEMO_AS_AT).row(
        0, named=True
    )
    assert table.column("label") == ("All executive posts",)
    assert table.column("exec_vacancy_rate") == (exact["exec_posts_vacant"] / exact["exec_posts"],)
    assert table.column("interim_cover_share") == (
        exact["exec_posts_interim"] / exact["exec_posts"],
    )
    assert exact["exec_posts_vacant"] > DEFAULT_RULE.suppress_to
    assert exact["exec_posts_interim"] > DEFAULT_RULE.suppress_to
    # The chart draws those two shares.
    chart_table = roles.charts[0].table
    assert _published_numbers(chart_table.column("exec_vacancy_rate")) == [
        exact["exec_posts_vacant"] / exact["exec_posts"]
    ]


@pytest.mark.parametrize("region", [None, *sorted(REGION_CODES)])
def test_no_published_rate_rests_on_a_small_count(
    national: RegisterFrames, region: str | None
) -> None:
    frames = national if region is None else restrict_to_region(national, region)
    board = prepare_board(frames)
    chosen = role_publication(board, DEMO_AS_AT)
    levels = [level for level, _, _ in ROLE_PUBLICATION_LEVELS]
    exact = figures_frame(board, DEMO_AS_AT, by=chosen.level)
    exact = exact.filter(exact["exec_posts"] > 0)
    assert chosen.chart is not None
    assert chosen.rows["label"].len() == exact.height
    for shown, counts in zip(
        chosen.rows.iter_rows(named=True), exact.iter_rows(named=True), strict=True
    ):
        assert shown["exec_vacancy_rate"] is not None
        for rate, numerator in (
            ("exec_vacancy_rate", "exec_posts_vacant"),
            ("interim_cover_share", "exec_posts_interim"),
        ):
            if shown[rate] is None:
                # Withheld, as the rule asks, and marked so.
                assert shown[f"{rate}_suppressed"]
                continue
            for count in (counts[numerator], counts["exec_posts"]):
                assert count == 0 or count > DEFAULT_RULE.suppress_to, (region, rate, count)
            assert shown[rate] == counts[numerator] / counts["exec_posts"]
    # Every finer level would have withheld a vacancy rate: the level is the finest allowed.
    for finer in levels[: levels.index(chosen.level)]:
        rows = figures_frame(board, DEMO_AS_AT, by=finer)
        published = publish_figures(rows, protect=finer is not None).filter(rows["exec_posts"] > 0)
        assert published["exec_vacancy_rate_suppressed"].any(), (region, finer)


def test_the_national_report_groups_roles_where_single_roles_are_too_few(
    national: RegisterFrames,
) -> None:
    chosen = role_publication(prepare_board(national), DEMO_AS_AT)
    assert chosen.level == "role_group"
    assert chosen.rows["label"].to_list() == [
        "Chief executive",
        "Director of finance",
        "Medical and nursing directors",
        "Other executive directors",
    ]
    assert "groups of roles (chief executive; director of finance;" in chosen.note


def test_the_regional_hotspots_leave_out_columns_withheld_for_every_organisation(
    national: RegisterFrames,
) -> None:
    report = build_report(national, DEMO_AS_AT, region_code=LONDON)
    (table,) = next(s for s in report.sections if s.name == "hotspots").tables
    for column in table.columns:
        values = table.column(column.key)
        assert not all(v is SUPPRESSED for v in values), column.label
    keys = [c.key for c in table.columns]
    assert "instability_index" in keys
    assert "exec_vacancy_rate" not in keys
    assert any("vacancy rate" in note and "left out" in note for note in table.notes)


def _km_median_years(days: list[int], ended: list[bool]) -> float:
    fitter = KaplanMeierFitter().fit(days, ended)
    return float(fitter.median_survival_time_) / DAYS_PER_YEAR


def test_each_arms_median_is_lifelines_kaplan_meier_median(national: RegisterFrames) -> None:
    board = prepare_board(national)
    posts = posts_at(board, DEMO_AS_AT)
    executive = board.executive_spells.join(
        posts.select("post_ref", "group", "challenged"), on="post_ref"
    )
    sample = tenure_sample(executive, DEMO_AS_AT, None)
    row = figures_frame(board, DEMO_AS_AT).row(0, named=True)
    for challenged, name in ((True, "challenged"), (False, "other")):
        arm = sample.filter(sample["challenged"] == challenged)
        assert row[f"tenure_spells_{name}"] == arm.height
        expected = _km_median_years(arm["days"].to_list(), arm["ended"].to_list())
        assert row[f"tenure_median_{name}_years"] == pytest.approx(expected, rel=1e-12)


def test_the_logrank_headline_says_who_stays_longer_and_by_how_much(
    national: RegisterFrames,
) -> None:
    report = build_report(national, DEMO_AS_AT)
    sentence = next(h for h in report.headlines() if h.metric == "tenure_logrank_challenged")
    exact = figures_frame(national, DEMO_AS_AT).row(0, named=True)
    challenged = f"{exact['tenure_median_challenged_years']:.1f}"
    other = f"{exact['tenure_median_other_years']:.1f}"
    assert (challenged, other) == ("3.5", "4.8")
    assert sentence.sentence == (
        "Half of executive spells end within 3.5 years in organisations in oversight "
        "segments 3 to 5, against 4.8 years in segments 1 and 2: executives in segments 1 "
        "and 2 stay 1.3 years longer than in segments 3 to 5 (log-rank test, p < 0.001)."
    )


def test_the_logrank_sentence_in_each_case() -> None:
    base = {"tenure_median_challenged_years": 2.04, "tenure_median_other_years": 3.16}
    assert _logrank_sentence(0.2, base) == (
        "Half of executive spells end within 2.0 years in organisations in oversight "
        "segments 3 to 5, against 3.2 years in segments 1 and 2: a difference of 1.2 years "
        "that could be chance (log-rank test, p = 0.200)."
    )
    longer_in_challenged = {
        "tenure_median_challenged_years": 5.0,
        "tenure_median_other_years": 4.0,
    }
    assert "executives in segments 3 to 5 stay 1.0 years longer than in segments 1 and 2" in (
        _logrank_sentence(0.01, longer_in_challenged)
    )
    not_reached = {"tenure_median_challenged_years": 3.0, "tenure_median_other_years": None}
    assert _logrank_sentence(0.01, not_reached) == (
        "Half of executive spells end within 3.0 years in segments 3 to 5; in segments 1 "
        "and 2 more than half are still going, so the median is not yet reached. Tenure "
        "differs between the two (log-rank test, p = 0.010)."
    )
    withheld = {"tenure_median_challenged_years": SUPPRESSED, "tenure_median_other_years": 4.0}
    assert _logrank_sentence(0.01, withheld) == (
        "Executive tenure in organisations in oversight segments 3 to 5 differs from "
        "segments 1 and 2 (log-rank test, p = 0.010; the median of each group rests on a "
        "count too small to publish)."
    )


def test_nothing_publishable_is_said_in_words_not_drawn(national: RegisterFrames) -> None:
    # One trust with a vacant executive post: 1 to 7 vacant posts even all together.
    board = prepare_board(national)
    by_org = figures_frame(board, DEMO_AS_AT, by="org")
    code = by_org.filter(by_org["exec_posts_vacant"] == 1)["group"][0]
    chosen = role_publication(prepare_board(restrict_to_organisation(national, code)), DEMO_AS_AT)
    assert chosen.chart is None
    assert chosen.level is None
    assert chosen.note.startswith(
        "Even for all executive posts together, the number of vacant posts is from 1 to 7, "
        "too small to publish, so no chart is drawn."
    )
