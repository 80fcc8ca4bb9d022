"""The national demo's register is consistent and shaped like an NHS board register."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from talentboard.reference import reference_performance
from tests.demo.queries import AS_AT, COVERS, EXISTS_AT, LoadedDemo, as_date, run, spells_sql

NON_EXECUTIVE = "p.role_code = 'non_executive_director'"
CORE = ("chief_executive", "finance_director", "medical_director", "nursing_director",
        "operations_director")  # fmt: skip


def test_no_person_holds_two_overlapping_substantive_appointments_to_one_post(
    national_demo: LoadedDemo,
) -> None:
    rows = run(
        national_demo.engine,
        """
        SELECT COUNT(*) FROM appointments a JOIN appointments b
          ON a.person_ref = b.person_ref AND a.post_ref = b.post_ref AND a.id < b.id
        WHERE a.appointment_type IN ('substantive', 'joint')
          AND b.appointment_type IN ('substantive', 'joint')
          AND a.start_date < COALESCE(b.end_date, :far)
          AND b.start_date < COALESCE(a.end_date, :far)
        """,
        far=dt.date(9999, 12, 31),
    )
    assert rows[0][0] == 0


def test_no_post_has_two_substantive_holders_at_once(national_demo: LoadedDemo) -> None:
    rows = run(
        national_demo.engine,
        """
        SELECT COUNT(*) FROM appointments a JOIN appointments b
          ON a.post_ref = b.post_ref AND a.id < b.id
        WHERE a.appointment_type IN ('substantive', 'joint')
          AND b.appointment_type IN ('substantive', 'joint')
          AND a.start_date < COALESCE(b.end_date, :far)
          AND b.start_date < COALESCE(a.end_date, :far)
        """,
        far=dt.date(9999, 12, 31),
    )
    assert rows[0][0] == 0


def test_every_appointment_lies_within_its_post_and_the_history(national_demo: LoadedDemo) -> None:
    rows = run(
        national_demo.engine,
        """
        SELECT
          SUM(CASE WHEN p.established_from IS NOT NULL AND a.start_date < p.established_from
                   THEN 1 ELSE 0 END),
          SUM(CASE WHEN p.established_to IS NOT NULL
                    AND (a.end_date IS NULL OR a.end_date > p.established_to) THEN 1 ELSE 0 END),
          SUM(CASE WHEN a.start_date > :t OR a.end_date > :t THEN 1 ELSE 0 END),
          SUM(CASE WHEN a.end_reason IS NOT NULL AND a.end_date IS NULL THEN 1 ELSE 0 END),
          SUM(CASE WHEN a.end_date IS NOT NULL AND a.end_reason IS NULL
                    AND a.appointment_type = 'substantive'
                    AND p.role_code NOT IN ('chair', 'non_executive_director',
                                            'associate_non_executive_director') THEN 1 ELSE 0 END),
          COUNT(*)
        FROM appointments a JOIN posts p ON p.id = a.post_ref
        """,
        t=AS_AT,
    )[0]
    before_post, after_post, after_as_at, reason_without_end, renewals, total = rows
    assert (before_post, after_post, after_as_at, reason_without_end) == (0, 0, 0, 0)
    # Renewed contracts end without a reason: the person stayed.
    assert 0 < renewals < total * 0.05


def test_every_trust_has_the_core_executive_posts_and_a_board(national_demo: LoadedDemo) -> None:
    rows = run(
        national_demo.engine,
        f"""
        SELECT p.ods_code, p.role_code, COUNT(*) FROM posts p
        WHERE {EXISTS_AT} AND p.level = 'board'
        GROUP BY p.ods_code, p.role_code
        """,
        t=AS_AT,
    )
    roles: dict[str, Counter[str]] = {}
    for ods_code, role_code, count in rows:
        roles.setdefault(ods_code, Counter())[role_code] = count
    assert len(roles) == 202
    for ods_code, counted in roles.items():
        for role_code in (*CORE, "chair", "company_secretary"):
            assert counted[role_code] == 1, (ods_code, role_code)
        assert 5 <= counted["non_executive_director"] <= 7, ods_code
    people_directors = sum(1 for c in roles.values() if c["people_director"])
    assert 0.75 * 202 <= people_directors < 202
    for optional in ("strategy_director", "digital_director", "estates_director",
                     "quality_director", "partnerships_director",
                     "associate_non_executive_director"):  # fmt: skip
        assert 0 < sum(1 for c in roles.values() if c[optional]) < 202 * 0.7, optional


def test_flags_follow_the_role_catalogue(national_demo: LoadedDemo) -> None:
    rows = run(
        national_demo.engine,
        "SELECT DISTINCT role_code, level, executive, voting FROM posts ORDER BY role_code",
    )
    flags = {r[0]: (r[1], bool(r[2]), bool(r[3])) for r in rows}
    assert flags["chief_executive"] == ("board", True, True)
    assert flags["strategy_director"] == ("board", True, False)
    assert flags["chair"] == ("board", False, True)
    assert flags["associate_non_executive_director"] == ("board", False, False)
    assert flags["company_secretary"] == ("board", False, False)


def test_history_runs_from_2008_with_posts_created_and_abolished(
    national_demo: LoadedDemo,
) -> None:
    first = run(
        national_demo.engine,
        """
        SELECT p.id, MIN(a.start_date) FROM posts p JOIN appointments a ON a.post_ref = p.id
        WHERE p.established_from = :start GROUP BY p.id
        """,
        start=dt.date(2008, 4, 1),
    )
    assert len(first) > 2500
    assert all(as_date(start) <= dt.date(2009, 1, 1) for _, start in first)  # type: ignore[operator]
    changed = run(
        national_demo.engine,
        """
        SELECT SUM(CASE WHEN established_to IS NOT NULL THEN 1 ELSE 0 END),
               SUM(CASE WHEN established_from > :start THEN 1 ELSE 0 END)
        FROM posts
        """,
        start=dt.date(2010, 1, 1),
    )[0]
    assert changed[0] >= 10
    assert changed[1] >= 50


def test_published_segments_are_kept_and_history_is_yearly(national_demo: LoadedDemo) -> None:
    stored = {
        (ods, as_date(effective)): segment
        for ods, effective, segment in run(
            national_demo.engine,
            "SELECT ods_code, effective_from, oversight_segment FROM performance_ratings",
        )
    }
    for rating in reference_performance():
        assert stored[(rating.ods_code, rating.effective_from)] == rating.oversight_segment
    per_trust = Counter(ods for ods, _ in stored)
    assert len(per_trust) == 202
    # From April 2008 each year to the March 2026 segment: 19 ratings for the older trusts.
    assert Counter(per_trust.values()).most_common(1)[0][0] == 19
    cqc = run(
        national_demo.engine,
        "SELECT COUNT(*) FROM performance_ratings WHERE effective_from = :d AND cqc_rating IS NULL",
        d=dt.date(2026, 3, 1),
    )
    assert cqc[0][0] == 0


def test_workforce_bme_shares_follow_the_regional_pattern(national_demo: LoadedDemo) -> None:
    rows = run(national_demo.engine, "SELECT region_code, bme_staff_share FROM organisations")
    london = [share for region, share in rows if region == "Y56"]
    elsewhere = [share for region, share in rows if region != "Y56"]
    assert all(0.45 <= share <= 0.55 for share in london)
    assert sum(0.10 <= share <= 0.30 for share in elsewhere) >= 0.8 * len(elsewhere)


def test_departures_have_every_reason_and_forced_exits_cluster_in_challenged_trusts(
    national_demo: LoadedDemo,
) -> None:
    reasons = Counter(
        dict(
            run(
                national_demo.engine,
                "SELECT end_reason, COUNT(*) FROM appointments "
                "WHERE end_reason IS NOT NULL GROUP BY end_reason",
            )
        )
    )
    assert set(reasons) == {
        "retired", "moved_nhs", "promoted_internal", "left_nhs", "dismissed_or_forced",
        "end_of_term", "death", "other",
    }  # fmt: skip
    assert reasons["death"] < reasons["dismissed_or_forced"] < reasons["moved_nhs"]
    by_segment = run(
        national_demo.engine,
        f"""
        WITH spells AS ({spells_sql(national_demo.engine)})
        SELECT r.oversight_segment >= 3 AS challenged,
               SUM(CASE WHEN a.end_reason = 'dismissed_or_forced' THEN 1 ELSE 0 END),
               COUNT(*)
        FROM spells s
        JOIN appointments a ON a.person_ref = s.person_ref AND a.post_ref = s.post_ref
                           AND a.end_date = s.end_date
        JOIN performance_ratings r ON r.ods_code = s.ods_code
             AND r.effective_from = (
                 SELECT MAX(effective_from) FROM performance_ratings x
                 WHERE x.ods_code = s.ods_code AND x.effective_from <= s.end_date)
        WHERE s.end_date IS NOT NULL
        GROUP BY r.oversight_segment >= 3
        """,
        yes=True,
    )
    share = {bool(c): forced / total for c, forced, total in by_segment}
    assert share[True] > 1.5 * share[False]


def test_cover_types_and_back_to_back_terms_appear(national_demo: LoadedDemo) -> None:
    kinds = dict(
        run(
            national_demo.engine,
            "SELECT appointment_type, COUNT(*) FROM appointments GROUP BY appointment_type",
        )
    )
    assert set(kinds) == {"substantive", "interim", "acting", "secondment", "joint"}
    assert kinds["secondment"] < kinds["acting"]
    assert kinds["joint"] < kinds["secondment"]
    terms = run(
        national_demo.engine,
        f"""
        WITH spells AS ({spells_sql(national_demo.engine, NON_EXECUTIVE)})
        SELECT COUNT(*), SUM(CASE WHEN contracts >= 2 THEN 1 ELSE 0 END) FROM spells
        """,
    )[0]
    assert terms[1] > 0.3 * terms[0]


def test_backgrounds_and_ages_fit_the_roles(national_demo: LoadedDemo) -> None:
    rows = run(
        national_demo.engine,
        """
        SELECT p.role_code, pe.professional_background, COUNT(*)
        FROM appointments a JOIN posts p ON p.id = a.post_ref JOIN people pe ON pe.id = a.person_ref
        WHERE p.role_code IN ('medical_director', 'nursing_director', 'finance_director')
        GROUP BY p.role_code, pe.professional_background
        """,
    )
    expected = {"medical_director": "medical", "nursing_director": "nursing",
                "finance_director": "finance"}  # fmt: skip
    assert all(expected[role] == background for role, background, _ in rows)
    ages = run(
        national_demo.engine,
        """
        SELECT MIN(age), MAX(age) FROM (
            SELECT CAST(SUBSTR(CAST(a.start_date AS VARCHAR(10)), 1, 4) AS INTEGER)
                   - pe.birth_year AS age
            FROM appointments a JOIN people pe ON pe.id = a.person_ref
        ) ages
        """,
    )[0]
    assert ages[0] >= 23
    assert ages[1] <= 80


def test_people_move_between_trusts_and_are_promoted(national_demo: LoadedDemo) -> None:
    movers = run(
        national_demo.engine,
        """
        SELECT COUNT(DISTINCT a.person_ref)
        FROM appointments a JOIN posts p ON p.id = a.post_ref
        JOIN appointments b ON b.person_ref = a.person_ref AND b.start_date >= a.end_date
        JOIN posts q ON q.id = b.post_ref
        WHERE a.end_reason = 'moved_nhs' AND q.ods_code <> p.ods_code
          AND a.appointment_type = 'substantive'
        """,
    )[0][0]
    promoted = run(
        national_demo.engine,
        """
        SELECT COUNT(*) FROM appointments a JOIN posts p ON p.id = a.post_ref
        JOIN appointments b ON b.person_ref = a.person_ref AND b.start_date = a.end_date
        JOIN posts q ON q.id = b.post_ref
        WHERE a.end_reason = 'promoted_internal' AND q.ods_code = p.ods_code
          AND q.role_code = 'chief_executive' AND a.appointment_type = 'substantive'
        """,
    )[0][0]
    nurse_to_chief = run(
        national_demo.engine,
        """
        SELECT COUNT(DISTINCT a.person_ref)
        FROM appointments a JOIN posts p ON p.id = a.post_ref
        JOIN appointments b ON b.person_ref = a.person_ref AND b.start_date >= a.end_date
        JOIN posts q ON q.id = b.post_ref
        WHERE p.role_code = 'nursing_director' AND q.role_code = 'chief_executive'
          AND q.ods_code <> p.ods_code
        """,
    )[0][0]
    assert movers > 500
    assert promoted > 20
    assert nurse_to_chief > 5


def test_the_as_at_state_has_serving_holders_for_most_posts(national_demo: LoadedDemo) -> None:
    rows = run(
        national_demo.engine,
        f"""
        SELECT COUNT(DISTINCT a.person_ref) FROM appointments a JOIN posts p ON p.id = a.post_ref
        WHERE {COVERS} AND p.level = 'board'
        """,
        t=AS_AT,
    )
    assert rows[0][0] > 3000
