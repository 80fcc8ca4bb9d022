"""The national demo (seed 1) gives the published figures at its as-at date.

Each figure is measured here by SQL written out in the test from the DESIGN section 5
definitions, on SQLite and PostgreSQL, and compared with DESIGN section 1: within five
percentage points for shares, or the stated range.
"""

from __future__ import annotations

import statistics
from typing import Any

from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test

from talentboard.demo import DEMO_AS_AT
from tests.demo.queries import (
    AS_AT,
    BME,
    COVERS,
    EXECUTIVE_POSTS_AT,
    SEGMENTS_AT,
    THREE_YEARS_BEFORE,
    TWELVE_MONTHS_BEFORE,
    LoadedDemo,
    as_date,
    run,
    spells_sql,
)

TOLERANCE = 0.05


def _vacancy_figures(demo: LoadedDemo, segment_filter: str = "") -> Any:
    return run(
        demo.engine,
        f"""
        WITH posts_at AS ({EXECUTIVE_POSTS_AT}), segments AS ({SEGMENTS_AT})
        SELECT COUNT(*) AS posts,
               SUM(vacant) AS vacant,
               SUM(CASE WHEN vacant = 1 AND covered = 1 THEN 1 ELSE 0 END) AS covered,
               COUNT(DISTINCT x.ods_code) AS organisations,
               COUNT(DISTINCT CASE WHEN vacant = 1 THEN x.ods_code END) AS with_vacancy
        FROM posts_at x JOIN segments s ON s.ods_code = x.ods_code
        WHERE 1 = 1 {segment_filter}
        """,
        t=AS_AT,
        yes=True,
    )[0]


def _serving_spells(demo: LoadedDemo) -> list[tuple[str, str, float, int]]:
    """(role, ods code, years in post, segment) of executive spells covering the as-at date."""
    rows = run(
        demo.engine,
        f"""
        WITH spells AS ({spells_sql(demo.engine)}), segments AS ({SEGMENTS_AT})
        SELECT s.role_code, s.ods_code, s.start_date, g.oversight_segment
        FROM spells s JOIN segments g ON g.ods_code = s.ods_code
        WHERE s.start_date <= :t AND (s.end_date IS NULL OR :t < s.end_date)
        """,
        t=AS_AT,
        yes=True,
    )
    result = []
    for role, ods_code, start, segment in rows:
        start_date = as_date(start)
        assert start_date is not None
        result.append((role, ods_code, (AS_AT - start_date).days / 365.25, segment))
    return result


def _tenure_sample(demo: LoadedDemo) -> list[tuple[float, bool, int]]:
    """(duration in years, ended, segment at the as-at date) of executive spells started by then."""
    rows = run(
        demo.engine,
        f"""
        WITH spells AS ({spells_sql(demo.engine)}), segments AS ({SEGMENTS_AT})
        SELECT s.start_date, s.end_date, g.oversight_segment
        FROM spells s JOIN segments g ON g.ods_code = s.ods_code
        WHERE s.start_date <= :t
        """,
        t=AS_AT,
        yes=True,
    )
    sample = []
    for start, end, segment in rows:
        start_date, end_date = as_date(start), as_date(end)
        assert start_date is not None
        ended = end_date is not None and end_date <= AS_AT
        stop = end_date if ended and end_date is not None else AS_AT
        sample.append(((stop - start_date).days / 365.25, ended, segment))
    return sample


def test_the_as_at_date_is_stored(national_demo: LoadedDemo) -> None:
    rows = run(national_demo.engine, "SELECT value FROM settings WHERE key = 'demo_as_at'")
    assert rows == [("2026-09-30",)]
    assert DEMO_AS_AT == AS_AT
    assert national_demo.summary.as_at == "2026-09-30"


def test_37_percent_of_trusts_have_an_executive_vacancy(national_demo: LoadedDemo) -> None:
    figures = _vacancy_figures(national_demo)
    assert figures.organisations == 202
    share = figures.with_vacancy / figures.organisations
    assert abs(share - 0.37) <= TOLERANCE, share


def test_8_percent_of_executive_posts_are_vacant_or_interim(national_demo: LoadedDemo) -> None:
    figures = _vacancy_figures(national_demo)
    rate = figures.vacant / figures.posts
    assert abs(rate - 0.08) <= TOLERANCE, rate
    # Vacancies cluster: with 8% of posts spread at random over about 7.5 posts a trust,
    # nearly half the trusts would have one; here fewer trusts hold more vacancies each.
    assert figures.vacant / figures.with_vacancy > 1.3
    # Most vacancies are covered by an interim, acting or seconded holder; some are not.
    assert 0 < figures.covered < figures.vacant


def test_recent_appointments_54_percent_in_three_years_20_in_twelve_months(
    national_demo: LoadedDemo,
) -> None:
    rows = run(
        national_demo.engine,
        f"""
        WITH spells AS ({spells_sql(national_demo.engine)})
        SELECT COUNT(*) AS serving,
               SUM(CASE WHEN start_date > :three THEN 1 ELSE 0 END) AS within_three_years,
               SUM(CASE WHEN start_date > :twelve THEN 1 ELSE 0 END) AS within_twelve_months
        FROM spells
        WHERE start_date <= :t AND (end_date IS NULL OR :t < end_date)
        """,
        t=AS_AT,
        three=THREE_YEARS_BEFORE,
        twelve=TWELVE_MONTHS_BEFORE,
        yes=True,
    )[0]
    assert abs(rows.within_three_years / rows.serving - 0.54) <= TOLERANCE
    assert abs(rows.within_twelve_months / rows.serving - 0.20) <= TOLERANCE


def test_spell_merging_changes_the_three_year_figure(national_demo: LoadedDemo) -> None:
    """Serving executives whose contract was renewed back-to-back in the last three years:
    counted by appointment they look recently appointed; as spells they are not."""
    rows = run(
        national_demo.engine,
        f"""
        WITH spells AS ({spells_sql(national_demo.engine)})
        SELECT COUNT(*) FROM spells
        WHERE end_date IS NULL AND contracts >= 2
          AND last_start > :three AND start_date <= :three
        """,
        three=THREE_YEARS_BEFORE,
        yes=True,
    )
    serving = len(_serving_spells(national_demo))
    assert rows[0][0] / serving >= 0.04


def test_median_time_in_post_of_chief_executives_is_about_three_years(
    national_demo: LoadedDemo,
) -> None:
    years = [y for role, _, y, _ in _serving_spells(national_demo) if role == "chief_executive"]
    assert len(years) > 180
    assert 2.5 <= statistics.median(years) <= 3.5


def test_kaplan_meier_median_executive_tenure_is_a_few_years(national_demo: LoadedDemo) -> None:
    sample = _tenure_sample(national_demo)
    fitted = KaplanMeierFitter().fit([d for d, _, _ in sample], [e for _, e, _ in sample])
    assert 2.0 <= fitted.median_survival_time_ <= 6.0


def test_board_bme_share_is_7_to_10_percent_against_a_quarter_of_staff(
    national_demo: LoadedDemo,
) -> None:
    board = run(
        national_demo.engine,
        f"""
        SELECT COUNT(*) AS known,
               SUM(CASE WHEN ethnic_category IN :bme THEN 1 ELSE 0 END) AS bme
        FROM (
            SELECT DISTINCT pe.id, pe.ethnic_category
            FROM people pe
            JOIN appointments a ON a.person_ref = pe.id
            JOIN posts p ON p.id = a.post_ref
            WHERE p.level = 'board' AND p.voting = :yes AND {COVERS}
        ) serving
        WHERE ethnic_category IS NOT NULL AND ethnic_category NOT IN ('Z', '99')
        """,
        t=AS_AT,
        yes=True,
        bme=BME,
    )[0]
    assert board.known > 2000
    assert 0.07 <= board.bme / board.known <= 0.10
    workforce = run(
        national_demo.engine,
        """
        SELECT SUM(o.bme_staff_share * o.staff_headcount) / SUM(o.staff_headcount)
        FROM organisations o
        WHERE o.bme_staff_share IS NOT NULL AND o.staff_headcount IS NOT NULL
          AND EXISTS (SELECT 1 FROM posts p WHERE p.ods_code = o.ods_code)
        """,
    )[0][0]
    assert 0.24 <= workforce <= 0.26


def test_challenged_trusts_have_more_vacancies_and_shorter_tenure(
    national_demo: LoadedDemo,
) -> None:
    strong = _vacancy_figures(national_demo, "AND s.oversight_segment <= 2")
    challenged = _vacancy_figures(national_demo, "AND s.oversight_segment >= 3")
    strong_rate = strong.vacant / strong.posts
    challenged_rate = challenged.vacant / challenged.posts
    assert challenged_rate >= 1.5 * strong_rate

    serving = _serving_spells(national_demo)
    strong_years = statistics.median(y for _, _, y, s in serving if s <= 2)
    challenged_years = statistics.median(y for _, _, y, s in serving if s >= 3)
    assert challenged_years + 0.75 <= strong_years

    sample = _tenure_sample(national_demo)
    groups = {
        name: ([d for d, _, s in sample if test(s)], [e for _, e, s in sample if test(s)])
        for name, test in (("strong", lambda s: s <= 2), ("challenged", lambda s: s >= 3))
    }
    medians = {
        name: KaplanMeierFitter().fit(*data).median_survival_time_ for name, data in groups.items()
    }
    assert medians["challenged"] < medians["strong"]
    result = logrank_test(
        groups["strong"][0], groups["challenged"][0], groups["strong"][1], groups["challenged"][1]
    )
    assert result.p_value < 0.001
