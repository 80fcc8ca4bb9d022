"""Board stability figures for every organisation: talentboard against a pandas + lifelines
reference, on a national register with board-to-ward history (about a million appointments).

The register is the national all-levels demo (``talentboard.demo``, generated into a
SQLite file, which ``--demo-db`` keeps between runs), or with ``--source generated`` an
equivalent register this script generates itself (the 202 shipped NHS trusts, posts at
every level since 2000, spells, contract renewals, interim cover and departures). Then, in
one run:

(a) talentboard: ``figures_frame(frames, at, by="org")`` from the loaded Polars frames (the
    path of ``talentboard stats --by org``), spell merging included;
(b) a reference written the obvious way with pandas: spells merged with groupby, each
    figure computed per organisation, and a lifelines ``KaplanMeierFitter`` fitted per
    organisation for the median tenure and its interval.

Both start from the same in-memory register (Polars frames for (a), pandas frames for (b),
converted untimed), and the benchmark asserts that every figure for every organisation is
the same (counts and Kaplan-Meier times exactly, other figures to 1e-12). It also times
``load_register`` reading the register from the SQLite file. Results go to this
script's section of benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/stats_by_org.py [--source demo|generated] [--seed 1]
        [--demo-db PATH] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sqlite3
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
from sqlalchemy.orm import Session

from _results import cpu_model, write_section
from talentboard.db import make_engine, upgrade
from talentboard.frames.register import RegisterFrames, load_register
from talentboard.reference import reference_organisations, roles
from talentboard.stability.board import FIGURE_NAMES, BoardFigures, figures_frame

NAME = "stats_by_org"
GOAL_SECONDS = 2.0
GOAL_SPEEDUP = 20.0
AS_AT = dt.date(2026, 9, 30)
FIRST_DAY = dt.date(2000, 4, 1)
HORIZON = dt.date(2027, 3, 31)
EPOCH = dt.date(1970, 1, 1)

# Posts per organisation at each level below the board, before scaling by headcount.
POSTS_PER_1000_STAFF = {"senior": 8.0, "middle": 28.0, "frontline": 72.0}
MEAN_TENURE_DAYS = {"board": 4.0 * 365, "senior": 5 * 365, "middle": 6 * 365, "frontline": 6 * 365}
END_REASONS = (
    ("retired", 0.22),
    ("moved_nhs", 0.30),
    ("promoted_internal", 0.12),
    ("left_nhs", 0.14),
    ("dismissed_or_forced", 0.08),
    ("end_of_term", 0.08),
    ("death", 0.01),
    ("other", 0.05),
)
BOARD_ETHNICITY = (("A", 0.80), ("C", 0.05), ("H", 0.03), ("N", 0.02), ("M", 0.01), ("Z", 0.05))
STAFF_ETHNICITY = (
    ("A", 0.62),
    ("C", 0.07),
    ("H", 0.08),
    ("N", 0.08),
    ("L", 0.05),
    ("R", 0.02),
    ("M", 0.02),
    ("99", 0.06),
)
BACKGROUNDS = (
    "medical",
    "nursing",
    "ahp",
    "other_clinical",
    "finance",
    "general_management",
    "other",
)


def _day(value: dt.date) -> int:
    return (value - EPOCH).days


def _dates(days: np.ndarray[Any, Any]) -> pl.Series:
    return pl.Series(days.astype("int32")).cast(pl.Date)


def generate(seed: int, scale: float = 1.0) -> RegisterFrames:
    """A national register with board-to-ward history since 2000 (deterministic in seed)."""
    rng = np.random.default_rng(seed)
    trusts = reference_organisations()
    organisations = pl.DataFrame(
        {
            "ods_code": [o.ods_code for o in trusts],
            "name": [o.name for o in trusts],
            "kind": [o.kind for o in trusts],
            "region_code": [o.region_code for o in trusts],
            "icb_code": [o.icb_code for o in trusts],
            "staff_headcount": [o.staff_headcount for o in trusts],
            # The shipped trusts carry no workforce ethnicity; the generated one varies by
            # trust around the national 24%, with a few trusts not reporting it.
            "bme_staff_share": [
                None if rng.random() < 0.05 else float(np.clip(rng.normal(0.24, 0.1), 0.02, 0.7))
                for _ in trusts
            ],
        },
        schema_overrides={"staff_headcount": pl.Int64, "bme_staff_share": pl.Float64},
    )
    ods = organisations["ods_code"].to_list()
    ratings = pl.DataFrame(
        {
            "ods_code": [code for code in ods for _ in range(3)],
            "effective_from": [
                d
                for _ in ods
                for d in (dt.date(2021, 4, 1), dt.date(2023, 4, 1), dt.date(2026, 3, 1))
            ],
            "oversight_segment": rng.choice(
                [1, 2, 3, 4], size=3 * len(ods), p=[0.18, 0.25, 0.37, 0.20]
            ).tolist(),
            "cqc_rating": [None] * (3 * len(ods)),
        },
        schema_overrides={"oversight_segment": pl.Int64, "cqc_rating": pl.String},
    )

    catalogue = {r.code: r for r in roles()}
    board_roles = [r.code for r in roles() if r.level == "board"]
    lower_roles = {
        "senior": ["divisional_director", "clinical_director", "associate_director"],
        "middle": ["general_manager", "service_manager", "matron"],
        "frontline": ["ward_manager", "team_leader"],
    }
    post_org, post_role, post_level = [], [], []
    for code, org in zip(ods, trusts, strict=True):
        headcount = org.staff_headcount or 3000
        for role in board_roles:
            copies = 6 if role == "non_executive_director" else 1
            if role in (
                "digital_director",
                "estates_director",
                "quality_director",
                "partnerships_director",
                "associate_non_executive_director",
            ):
                copies = int(rng.random() < 0.6)
            post_org += [code] * copies
            post_role += [role] * copies
            post_level += ["board"] * copies
        for level, per_1000 in POSTS_PER_1000_STAFF.items():
            count = max(1, round(per_1000 * headcount / 1000 * scale))
            post_org += [code] * count
            post_role += list(rng.choice(lower_roles[level], size=count))
            post_level += [level] * count
    n_posts = len(post_org)
    established = np.where(
        rng.random(n_posts) < 0.85,
        _day(FIRST_DAY),
        rng.integers(_day(FIRST_DAY), _day(AS_AT), n_posts),
    )
    abolished = np.where(
        rng.random(n_posts) < 0.05,
        established + rng.integers(365, 20 * 365, n_posts),
        -1,
    )
    abolished = np.where(abolished > _day(HORIZON), -1, abolished)
    posts = pl.DataFrame(
        {
            "post_ref": np.arange(1, n_posts + 1),
            "post_id": [f"{o}-{k:05d}" for k, o in enumerate(post_org)],
            "ods_code": post_org,
            "role_code": post_role,
            "title": [catalogue[r].label for r in post_role],
            "level": post_level,
            "executive": [catalogue[r].executive for r in post_role],
            "voting": [catalogue[r].voting for r in post_role],
            "established_from": _dates(established),
            "established_to": _dates(abolished).replace(_dates(np.array([-1]))[0], None),
        }
    )

    # Each post's history: spells drawn until the horizon, separated by vacancies.
    draws = 14
    mean = np.array([MEAN_TENURE_DAYS[level] for level in post_level], dtype=float)
    tenure = np.ceil(rng.gamma(1.6, mean[:, None] / 1.6, (n_posts, draws))).astype(np.int64)
    vacant = rng.random((n_posts, draws)) < 0.45
    gap = np.where(vacant, np.ceil(rng.exponential(110, (n_posts, draws))), 0).astype(np.int64)
    gap[:, 0] = 0
    start_offset = np.cumsum(
        gap + np.concatenate([np.zeros((n_posts, 1), np.int64), tenure[:, :-1]], axis=1), axis=1
    )
    starts = established[:, None] + start_offset
    ends = starts + tenure
    stop = np.where(abolished > 0, abolished, _day(HORIZON))
    alive = starts < stop[:, None]
    ends = np.minimum(ends, stop[:, None])
    post_index = np.broadcast_to(np.arange(n_posts)[:, None], starts.shape)[alive]
    spell_start, spell_end = starts[alive], ends[alive]
    open_spell = (spell_end >= _day(HORIZON)) & (abolished[post_index] < 0)
    n_spells = spell_start.shape[0]

    # A fifth of spells are two contracts, renewed back to back (no gap, or one day).
    renewed = (rng.random(n_spells) < 0.2) & (spell_end - spell_start > 400)
    split = spell_start + ((spell_end - spell_start) * rng.uniform(0.3, 0.7, n_spells)).astype(
        np.int64
    )
    renewal_gap = rng.integers(0, 2, n_spells)
    first_end = np.where(renewed, split, spell_end)
    reasons, weights = zip(*END_REASONS, strict=True)
    reason = rng.choice(reasons, size=n_spells, p=np.array(weights) / sum(weights))
    joint = rng.random(n_spells) < 0.02
    kind = np.where(joint, "joint", "substantive")

    person_of_spell = np.arange(n_spells)
    rows_post = [post_index, post_index[renewed]]
    rows_person = [person_of_spell, person_of_spell[renewed]]
    rows_start = [spell_start, split[renewed] + renewal_gap[renewed]]
    rows_end = [first_end, spell_end[renewed]]
    rows_open = [open_spell & ~renewed, open_spell[renewed]]
    rows_kind = [kind, kind[renewed]]
    rows_reason = [np.where(renewed, "end_of_term", reason), reason[renewed]]

    # Interim cover in two thirds of the vacancies longer than 30 days, by someone already
    # employed (a holder of another spell).
    gap_before = np.zeros(n_spells, dtype=np.int64)
    same_post = np.concatenate([[False], post_index[1:] == post_index[:-1]])
    gap_before[same_post] = (spell_start[1:] - spell_end[:-1])[same_post[1:]]
    covered = same_post & (gap_before > 30) & (rng.random(n_spells) < 0.66)
    cover_index = np.flatnonzero(covered)
    rows_post.append(post_index[cover_index])
    rows_person.append(rng.integers(0, n_spells, cover_index.shape[0]))
    rows_start.append(spell_start[cover_index] - gap_before[cover_index] + 5)
    rows_end.append(spell_start[cover_index])
    rows_open.append(np.zeros(cover_index.shape[0], dtype=bool))
    rows_kind.append(rng.choice(["interim", "acting", "secondment"], size=cover_index.shape[0]))
    rows_reason.append(np.full(cover_index.shape[0], "other"))

    start = np.concatenate(rows_start)
    end = np.concatenate(rows_end)
    is_open = np.concatenate(rows_open)
    person = np.concatenate(rows_person)
    post_of_row = np.concatenate(rows_post)
    # Appointments of one person to one post may not repeat a start date.
    appointments = pl.DataFrame(
        {
            "person_ref": person + 1,
            "post_ref": post_of_row + 1,
            "start_date": _dates(start),
            "end_date": _dates(end),
            "appointment_type": np.concatenate(rows_kind),
            "end_reason": np.concatenate(rows_reason),
            "_open": is_open,
        }
    ).unique(["person_ref", "post_ref", "start_date"], keep="first", maintain_order=True)
    appointments = appointments.with_columns(
        end_date=pl.when(pl.col("_open")).then(None).otherwise(pl.col("end_date")),
        end_reason=pl.when(pl.col("_open")).then(None).otherwise(pl.col("end_reason")),
    ).drop("_open")
    appointments = appointments.with_row_index("appointment_ref", offset=1).with_columns(
        pl.col("appointment_ref").cast(pl.Int64)
    )

    board_person = np.zeros(n_spells, dtype=bool)
    board_person[person_of_spell[np.array(post_level)[post_index] == "board"]] = True
    codes_b, weights_b = zip(*BOARD_ETHNICITY, strict=True)
    codes_s, weights_s = zip(*STAFF_ETHNICITY, strict=True)
    ethnicity = np.where(
        board_person,
        rng.choice(codes_b, size=n_spells, p=np.array(weights_b) / sum(weights_b)),
        rng.choice(codes_s, size=n_spells, p=np.array(weights_s) / sum(weights_s)),
    )
    people = pl.DataFrame(
        {
            "person_ref": np.arange(1, n_spells + 1),
            "person_id": [f"P{k:07d}" for k in range(1, n_spells + 1)],
            "given_name": ["Alex"] * n_spells,
            "family_name": [f"Person{k}" for k in range(n_spells)],
            "ethnic_category": ethnicity,
            "sex": rng.choice(["female", "male"], size=n_spells),
            "disability": rng.choice(
                ["no", "yes", "not_stated"], size=n_spells, p=[0.85, 0.05, 0.1]
            ),
            "professional_background": rng.choice(BACKGROUNDS, size=n_spells),
            "birth_year": rng.integers(1950, 2000, n_spells),
        }
    )
    return RegisterFrames(
        organisations=organisations,
        ratings=ratings,
        posts=posts,
        people=people,
        appointments=appointments.select(
            "appointment_ref",
            "person_ref",
            "post_ref",
            "start_date",
            "end_date",
            "appointment_type",
            "end_reason",
        ),
    )


def write_sqlite(frames: RegisterFrames, path: Path) -> None:
    """The register into a new SQLite database with the real schema (bulk inserts)."""
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    tables = (
        ("organisations", frames.organisations, {}),
        ("performance_ratings", frames.ratings, {}),
        ("posts", frames.posts, {"post_ref": "id"}),
        ("people", frames.people, {"person_ref": "id"}),
        ("appointments", frames.appointments, {"appointment_ref": "id"}),
    )
    connection = sqlite3.connect(path)
    try:
        for table, frame, renames in tables:
            text = frame.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d"))
            columns = [renames.get(c, c) for c in text.columns]
            marks = ", ".join("?" for _ in columns)
            connection.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", text.rows()
            )
        connection.commit()
    finally:
        connection.close()


def to_pandas(frames: RegisterFrames) -> dict[str, pd.DataFrame]:
    """The register as pandas frames, dates as datetime64 (pyarrow is not needed)."""
    tables = {}
    for name in ("organisations", "ratings", "posts", "people", "appointments"):
        frame = getattr(frames, name)
        table = pd.DataFrame(frame.to_dict(as_series=False))
        for column, dtype in frame.schema.items():
            if dtype == pl.Date:
                table[column] = pd.to_datetime(table[column])
        tables[name] = table
    return tables


def reference_by_org(tables: dict[str, pd.DataFrame], at: dt.date) -> dict[str, dict[str, Any]]:
    """Every figure for every organisation, written the obvious way: pandas for the tables,
    a lifelines Kaplan-Meier fit per organisation for the median tenure and its interval."""
    from lifelines import KaplanMeierFitter
    from lifelines.utils import median_survival_times

    t = pd.Timestamp(at)
    year_ago = t - pd.DateOffset(months=12)
    three_years_ago = t - pd.DateOffset(months=36)
    posts = tables["posts"]
    posts = posts[(posts["level"] == "board") & (posts["executive"] | posts["voting"])].copy()
    posts["exists"] = (posts["established_from"].isna() | (posts["established_from"] <= t)) & (
        posts["established_to"].isna() | (posts["established_to"] > t)
    )
    organisations = tables["organisations"].set_index("ods_code")
    appointments = tables["appointments"]
    board_appointments = appointments[appointments["post_ref"].isin(posts["post_ref"])]

    def covers(frame: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
        return (frame["start_date"] <= day) & (frame["end_date"].isna() | (frame["end_date"] > day))

    executive_refs = posts.loc[posts["executive"], "post_ref"]
    substantive = board_appointments[
        board_appointments["post_ref"].isin(executive_refs)
        & board_appointments["appointment_type"].isin(["substantive", "joint"])
    ].sort_values(["person_ref", "post_ref", "start_date", "end_date"], na_position="last")
    far = pd.Timestamp("2200-01-01")  # stands for "open" (within pandas' date range)
    substantive = substantive.assign(_end=substantive["end_date"].fillna(far))
    keys = ["person_ref", "post_ref"]
    running = substantive.groupby(keys)["_end"].cummax()
    previous = running.groupby([substantive["person_ref"], substantive["post_ref"]]).shift(1)
    gap = (substantive["start_date"] - previous).dt.days
    substantive["_spell"] = (previous.isna() | (gap > 1)).cumsum()
    last = substantive.sort_values(["_spell", "_end", "start_date"]).groupby("_spell").last()
    spells = substantive.groupby("_spell").agg(
        person_ref=("person_ref", "first"),
        post_ref=("post_ref", "first"),
        start_date=("start_date", "min"),
        end_date=("_end", "max"),
    )
    spells["end_reason"] = last["end_reason"]
    open_spell = spells["end_date"] == far
    spells.loc[open_spell, "end_date"] = pd.NaT
    spells.loc[open_spell, "end_reason"] = None
    spells = spells.merge(posts[["post_ref", "ods_code"]], on="post_ref")
    cover = board_appointments[
        board_appointments["appointment_type"].isin(["interim", "acting", "secondment"])
    ]
    people = tables["people"].set_index("person_ref")["ethnic_category"]
    bme = {"D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S"}

    def share(numerator: float, denominator: float) -> float | None:
        return numerator / denominator if denominator > 0 else None

    result: dict[str, dict[str, Any]] = {}
    for ods, org_posts in posts.groupby("ods_code"):
        row: dict[str, Any] = {}
        executive_now = org_posts[org_posts["executive"] & org_posts["exists"]]
        org_spells = spells[spells["ods_code"] == ods]
        covered = set(org_spells.loc[covers(org_spells, t), "post_ref"])
        org_cover = cover[cover["post_ref"].isin(org_posts["post_ref"])]
        interim = set(org_cover.loc[covers(org_cover, t), "post_ref"])
        vacant = [p for p in executive_now["post_ref"] if p not in covered]
        row["orgs_with_exec_vacancy_share"] = (
            (1.0 if vacant else 0.0) if len(executive_now) else None
        )
        row["exec_vacancy_rate"] = share(len(vacant), len(executive_now))
        row["interim_cover_share"] = share(sum(p in interim for p in vacant), len(executive_now))
        sample = org_spells[org_spells["start_date"] <= t]
        ended = sample["end_date"].notna() & (sample["end_date"] <= t)
        stop = sample["end_date"].where(ended, t)
        days = (stop - sample["start_date"]).dt.days.to_numpy()
        if len(sample):
            kmf = KaplanMeierFitter().fit(days / 365.25, ended.to_numpy())
            interval = median_survival_times(kmf.confidence_interval_)
            finite = [
                float(v) if np.isfinite(v) else None
                for v in (kmf.median_survival_time_, interval.iloc[0, 0], interval.iloc[0, 1])
            ]
            row["median_tenure_years"] = finite[0]
            row["median_tenure_ci"] = [finite[1], finite[2]]
        else:
            row["median_tenure_years"] = None
            row["median_tenure_ci"] = [None, None]
        holders = org_spells[covers(org_spells, t)]
        years = ((t - holders["start_date"]).dt.days / 365.25).tolist()
        row["current_holders_median_years"] = float(np.median(years)) if years else None
        row["appointed_within_3y_share"] = share(
            int((holders["start_date"] > three_years_ago).sum()), len(holders)
        )
        leavers = org_spells[(org_spells["end_date"] > year_ago) & (org_spells["end_date"] <= t)]
        before = int(covers(org_spells, year_ago).sum())
        row["turnover_rate_12m"] = share(len(leavers), (before + len(holders)) / 2)
        row["forced_exit_share_12m"] = share(
            int((leavers["end_reason"] == "dismissed_or_forced").sum()), len(leavers)
        )
        org_voting = org_posts.loc[org_posts["voting"], "post_ref"]
        sitting = board_appointments[
            board_appointments["post_ref"].isin(org_voting) & covers(board_appointments, t)
        ]
        categories = people.loc[sitting["person_ref"].unique()]
        known = categories[categories.notna() & ~categories.isin(["Z", "99"])]
        board_share = share(int(known.isin(bme).sum()), len(known))
        row["bme_share_board_voting"] = board_share
        organisation = organisations.loc[ods]
        has_voting_post = bool((org_posts["voting"] & org_posts["exists"]).any())
        headcount, staff_share = organisation["staff_headcount"], organisation["bme_staff_share"]
        workforce = (
            float(staff_share)
            if has_voting_post and pd.notna(headcount) and pd.notna(staff_share) and headcount > 0
            else None
        )
        row["bme_share_workforce"] = workforce
        row["wres9_gap_pp"] = (
            100 * (board_share - workforce)
            if board_share is not None and workforce is not None
            else None
        )
        # One organisation has one segment: its spells are all on one side, so there is no
        # log-rank test of challenged against other organisations within it.
        row["tenure_logrank_challenged"] = None
        result[str(ods)] = row
    return result


def compare(ours: dict[str, dict[str, Any]], theirs: dict[str, dict[str, Any]]) -> int:
    """Assert the two sets of figures agree; return how many figures were compared."""
    assert list(ours) == sorted(theirs), "different organisations"
    compared = 0
    for ods, figures in ours.items():
        for name in FIGURE_NAMES:
            a, b = figures[name], theirs[ods][name]
            if name in ("median_tenure_years", "median_tenure_ci"):
                assert a == b, (ods, name, a, b)  # Kaplan-Meier times: identical
            elif a is None or b is None:
                assert a is b, (ods, name, a, b)
            else:
                assert abs(a - b) <= 1e-12 * max(1.0, abs(b)), (ods, name, a, b)
            compared += 1
    return compared


def machine() -> str:
    return f"{os.cpu_count()} CPUs ({cpu_model()}), Python {platform.python_version()}"


def best_of(repeat: int, action: Any) -> tuple[float, Any]:
    best, value = float("inf"), None
    for _ in range(repeat):
        began = time.perf_counter()
        value = action()
        best = min(best, time.perf_counter() - began)
    return best, value


TABLES = (
    ("organisations", "organisations", {}),
    ("performance_ratings", "ratings", {}),
    ("posts", "posts", {"post_ref": "id"}),
    ("people", "people", {"person_ref": "id"}),
    ("appointments", "appointments", {"appointment_ref": "id"}),
)


def postgres_load(url: str, frames: RegisterFrames, repeat: int) -> float:
    """Copy the register into a new PostgreSQL database, time ``load_register`` on it,
    and drop the database."""
    from sqlalchemy import make_url, text

    admin = make_engine(url, isolation_level="AUTOCOMMIT")
    name = f"talentboard_bench_{os.getpid()}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        database = make_url(admin.url).set(database=name).render_as_string(hide_password=False)
        engine = make_engine(database)
        upgrade(engine)
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            for table, attribute, renames in TABLES:
                frame = getattr(frames, attribute)
                columns = ", ".join(renames.get(c, c) for c in frame.columns)
                data = frame.write_csv(include_header=False).encode()
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT csv)") as copy:
                    copy.write(data)
            raw.commit()
        finally:
            raw.close()
        engine.dispose()
        seconds, loaded = timed_load(database, repeat)
        assert loaded.appointments.equals(frames.appointments)
        return seconds
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def demo_database(path: Path, seed: int) -> None:
    """The national all-levels demo written to a SQLite file (kept for later runs)."""
    from talentboard.demo import generate_demo

    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with Session(engine) as session:
        generate_demo(session, "all-levels", seed=seed)
        session.commit()
    engine.dispose()


def timed_load(url: str, repeat: int) -> tuple[float, RegisterFrames]:
    engine = make_engine(url)

    def load() -> RegisterFrames:
        with Session(engine) as session:
            return load_register(session)

    try:
        return best_of(repeat, load)
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source",
        choices=("demo", "generated"),
        default="demo",
        help="the national all-levels demo (default) or this script's own generator",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--demo-db",
        type=Path,
        help="keep the demo database at this path (generated there when missing)",
    )
    parser.add_argument(
        "--postgres", help="also time load_register on PostgreSQL (a server URL to use)"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args()
    command = "python benchmarks/stats_by_org.py" + "".join(
        f" --{name} {value}"
        for name, value, default in (
            ("source", args.source, "demo"),
            ("seed", args.seed, 1),
            ("demo-db", args.demo_db, None),
            ("postgres", args.postgres, None),
            ("repeat", args.repeat, 3),
        )
        if value != default
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "register.db"
        if args.source == "demo":
            if args.demo_db is not None:
                path = args.demo_db
            if not path.exists():
                print(f"generating the all-levels demo (seed {args.seed})...", flush=True)
                demo_database(path, args.seed)
            described = (
                "the national all-levels demo "
                f"(`talentboard demo --scale all-levels --seed {args.seed}`)"
            )
        else:
            print(f"generating the register (seed {args.seed})...", flush=True)
            write_sqlite(generate(args.seed), path)
            described = f"this script's generator (seed {args.seed})"
        load_seconds, frames = timed_load(f"sqlite:///{path}", args.repeat)
    print(f"load_register (SQLite): {load_seconds:.3f} s", flush=True)
    postgres_seconds = postgres_load(args.postgres, frames, args.repeat) if args.postgres else None
    if postgres_seconds is not None:
        print(f"load_register (PostgreSQL): {postgres_seconds:.3f} s", flush=True)
    sizes = {name: getattr(frames, name).height for name in ("posts", "people", "appointments")}
    print(sizes, flush=True)

    ours_seconds, table = best_of(args.repeat, lambda: figures_frame(frames, AS_AT, by="org"))
    ours = {
        row["group"]: BoardFigures.from_row(AS_AT, row).figures()
        for row in table.iter_rows(named=True)
    }
    print(f"talentboard: {ours_seconds:.3f} s for {len(ours)} organisations", flush=True)
    tables = to_pandas(frames)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference_seconds, theirs = best_of(args.repeat, lambda: reference_by_org(tables, AS_AT))
    print(f"pandas + lifelines: {reference_seconds:.3f} s", flush=True)
    compared = compare(ours, theirs)
    speedup = reference_seconds / ours_seconds
    print(f"identical: {compared} figures; {speedup:.0f}x faster", flush=True)

    met = ours_seconds <= GOAL_SECONDS and speedup >= GOAL_SPEEDUP
    postgres_row = (
        ""
        if postgres_seconds is None
        else f"| `load_register` from PostgreSQL (Arrow reader) | {postgres_seconds:.3f} s |\n"
    )
    load_average = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    section = f"""
## Board stability figures for every organisation (`stats --by org`)

- Command: `{command}`
- Date: {dt.date.today().isoformat()}; machine: {machine()}
- Best of {args.repeat} runs each; load average at the end of the run {load_average} (the
  machine is shared with other work, so times vary between runs).

Register: {described}: {len(ours)} organisations, {sizes["posts"]:,} posts at every level,
{sizes["people"]:,} people, {sizes["appointments"]:,} appointments. Every section 5 figure
for every organisation as at {AS_AT.isoformat()}, each implementation starting from the
register in memory (Polars frames for talentboard, the same tables as pandas frames for the
reference).

| implementation | time |
|---|---:|
| talentboard `figures_frame(frames, at, by="org")` (Polars, NumPy) | {ours_seconds:.3f} s |
| pandas, lifelines `KaplanMeierFitter` per organisation | {reference_seconds:.3f} s |
| `load_register` from SQLite (Arrow reader, ADBC; all five tables) | {load_seconds:.3f} s |
{postgres_row}
talentboard is {speedup:.0f} times faster than the reference, and the two agree on all
{compared:,} figures (Kaplan-Meier medians and intervals identical, counts and shares to
1e-12). Goal: at most {GOAL_SECONDS:.0f} s and at least {GOAL_SPEEDUP:.0f} times faster
than the reference: **{"met" if met else "not met"}**.

Reading the register is timed separately and is not part of the goal: committed data is
read as Arrow through ADBC into Polars (benchmarks/stats_end_to_end.py compares it with the
session reader and with plain DB-API fetches, and times the whole `stats` command).
"""
    if not args.no_write:
        write_section(NAME, section)
    print(section)


if __name__ == "__main__":
    main()
