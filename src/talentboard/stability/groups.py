"""The board register prepared for the figures, and the groups figures are broken down by.

``prepare_board`` does the date-independent work once (selecting the executive and voting
board posts, merging spells), so that figures at many dates (monthly series) or for many
groups share it. ``posts_at`` then adds what depends on the date: whether each post exists,
its organisation's oversight segment, and its group.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from talentboard import vocab
from talentboard.frames.register import RegisterFrames, covers, segment_at, spells
from talentboard.reference import regions, roles

__all__ = [
    "BOARD_COLUMNS",
    "CHALLENGED_FROM_SEGMENT",
    "DIMENSIONS",
    "ORG_KIND_LABELS",
    "OVERALL",
    "ROLE_LEVELS",
    "UNRATED",
    "BoardRegister",
    "group_expr",
    "group_labels",
    "posts_at",
    "prepare_board",
]

DIMENSIONS = ("role", "region", "org_kind", "segment", "org")
OVERALL = "all"
UNRATED = "unrated"
CHALLENGED_FROM_SEGMENT = 3
# Coarser groupings of executive roles, for publishing where each role's counts are too
# small (docs/metrics.md, "Disclosure control"): each maps a role code to a group code, with
# the group's label; a role not listed falls in the last group. Non-executive board roles
# keep their own codes (they hold no executive post, so no executive figure is theirs).
ROLE_LEVELS: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "role_group": (
        {
            "chief_executive": "chief_executive",
            "finance_director": "finance_director",
            "medical_director": "medical_nursing",
            "nursing_director": "medical_nursing",
        },
        {
            "chief_executive": "Chief executive",
            "finance_director": "Director of finance",
            "medical_nursing": "Medical and nursing directors",
            "other_executive": "Other executive directors",
        },
    ),
    "role_tier": (
        {
            "chief_executive": "statutory",
            "finance_director": "statutory",
            "medical_director": "statutory",
            "nursing_director": "statutory",
        },
        {
            "statutory": "Chief executive, finance, medical and nursing directors",
            "other_executive": "Other executive directors",
        },
    ),
}
ORG_KIND_LABELS = {
    "acute": "Acute",
    "mental_health": "Mental health",
    "community": "Community",
    "ambulance": "Ambulance",
    "specialist": "Specialist",
    "icb": "Integrated care board",
    "other": "Other",
}

# The register columns the board figures read (``prepare_board``, the figures by group and
# their labels, the monthly series); the organisations and ratings are read whole. The
# hazard model also reads ``people.professional_background``.
BOARD_COLUMNS: dict[str, tuple[str, ...]] = {
    "posts": (
        "post_ref",
        "ods_code",
        "role_code",
        "level",
        "executive",
        "voting",
        "established_from",
        "established_to",
    ),
    "people": ("person_ref", "ethnic_category"),
    "appointments": (
        "person_ref",
        "post_ref",
        "start_date",
        "end_date",
        "appointment_type",
        "end_reason",
    ),
}


@dataclass(frozen=True)
class BoardRegister:
    """The parts of the register the board figures use.

    ``posts``: executive and voting board posts with their organisation's ``kind``,
    ``region_code``, ``staff_headcount``, ``bme_staff_share``; ``executive_spells``: spells
    in executive board posts; ``cover``: interim, acting and secondment appointments in
    executive board posts; ``voting_appointments``: appointments of any type in voting
    board posts, with the person's ``ethnic_category``.
    """

    frames: RegisterFrames
    posts: pl.DataFrame
    executive_spells: pl.DataFrame
    cover: pl.DataFrame
    voting_appointments: pl.DataFrame


def prepare_board(frames: RegisterFrames) -> BoardRegister:
    """Select the board posts and merge their spells (docs/metrics.md, "Spells")."""
    board = pl.col("level") == "board"
    posts = (
        frames.posts.filter(board & (pl.col("executive") | pl.col("voting")))
        .join(
            frames.organisations.select(
                "ods_code", "kind", "region_code", "staff_headcount", "bme_staff_share"
            ),
            on="ods_code",
            how="left",
        )
        .rename({"executive": "executive_board", "voting": "voting_board"})
    )
    executive = posts.filter(pl.col("executive_board")).select("post_ref")
    voting = posts.filter(pl.col("voting_board")).select("post_ref")
    appointments = frames.appointments.join(posts.select("post_ref"), on="post_ref", how="semi")
    executive_appointments = appointments.join(executive, on="post_ref", how="semi")
    return BoardRegister(
        frames=frames,
        posts=posts,
        executive_spells=spells(executive_appointments),
        cover=executive_appointments.filter(
            pl.col("appointment_type").is_in(vocab.COVER_TYPES)
        ).select("post_ref", "start_date", "end_date"),
        voting_appointments=appointments.join(voting, on="post_ref", how="semi")
        .select("person_ref", "post_ref", "start_date", "end_date")
        .join(frames.people.select("person_ref", "ethnic_category"), on="person_ref", how="left"),
    )


def group_expr(dimension: str | None) -> pl.Expr:
    """The group code of a post, from its role, organisation and segment columns."""
    if dimension is None:
        return pl.lit(OVERALL)
    if dimension == "role":
        return pl.col("role_code")
    if dimension in ROLE_LEVELS:
        mapping, labels = ROLE_LEVELS[dimension]
        other = list(labels)[-1]
        return (
            pl.when(pl.col("executive_board"))
            .then(pl.col("role_code").replace_strict(mapping, default=pl.lit(other)))
            .otherwise(pl.col("role_code"))
        )
    if dimension == "region":
        return pl.col("region_code")
    if dimension == "org_kind":
        return pl.col("kind")
    if dimension == "segment":
        return pl.col("oversight_segment").cast(pl.String).fill_null(UNRATED)
    if dimension == "org":
        return pl.col("ods_code")
    raise ValueError(f"unknown dimension {dimension!r}: use one of {', '.join(DIMENSIONS)}")


def posts_at(board: BoardRegister, at: dt.date, by: str | None = None) -> pl.DataFrame:
    """The board posts with, at ``at``: ``oversight_segment``, ``exists``, ``challenged``
    (segment 3 or worse; null when not rated) and ``group`` (the code for ``by``)."""
    return (
        board.posts.join(segment_at(board.frames.ratings, at), on="ods_code", how="left")
        .with_columns(
            exists=covers(at, "established_from", "established_to"),
            challenged=pl.col("oversight_segment") >= CHALLENGED_FROM_SEGMENT,
        )
        .with_columns(group=group_expr(by))
    )


def group_labels(dimension: str | None, codes: list[str], frames: RegisterFrames) -> list[str]:
    """Plain-English names of group codes (role labels, region and organisation names)."""
    if dimension is None:
        return ["All organisations" for _ in codes]
    if dimension == "role":
        names = {r.code: r.label for r in roles()}
    elif dimension in ROLE_LEVELS:
        names = {r.code: r.label for r in roles()} | ROLE_LEVELS[dimension][1]
    elif dimension == "region":
        names = {r.code: r.name for r in regions()}
    elif dimension == "org_kind":
        names = dict(ORG_KIND_LABELS)
    elif dimension == "segment":
        names = {code: "Not rated" if code == UNRATED else f"Segment {code}" for code in codes}
    else:
        names = dict(
            zip(
                frames.organisations["ods_code"].to_list(),
                frames.organisations["name"].to_list(),
                strict=True,
            )
        )
    return [names.get(code, code) for code in codes]
