"""Template example rows in the downloader's own organisation.

A kind's example rows (``kinds/examples``) name the reference data's organisations and
posts (RJ1, RJ1-CEO). An organisation administrator who filled in a template and kept an
example row would be told "no post with this post_id", or "outside your organisation", of
rows they did not write. So a template downloaded for an organisation names it instead:

- ``ods_code`` and ``host_ods_code`` are the organisation's code;
- a post the examples refer to is one of the organisation's real posts (one with the
  example's role where it has one, else a board post), and the posts template's rows are
  those posts as they are stored, so importing it unchanged changes nothing; an
  organisation without posts gets new post IDs under its code (``R1H-CEO``), which its
  posts template adds;
- example people and opportunities get IDs under the organisation's code
  (``R1H-P0001``), so that one organisation's kept examples never clash with another's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentboard.db.models import Post
from talentboard.ingest.kinds import get_kind
from talentboard.ingest.schema import Kind

ORGANISATION_COLUMNS = ("ods_code", "host_ods_code")
PREFIXED_COLUMNS = ("person_id", "opportunity_id")
POST_COLUMN = "post_id"


@dataclass(frozen=True)
class OwnOrganisation:
    """The organisation a template is written for, and its posts as the posts template
    writes them (text by column), those the examples' roles name first."""

    ods_code: str
    posts: tuple[Mapping[str, str], ...] = ()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _as_row(post: Post, columns: Sequence[str]) -> dict[str, str]:
    return {name: _text(getattr(post, name, None)) for name in columns}


def own_organisation(session: Session, ods_code: str) -> OwnOrganisation:
    """``ods_code`` with up to one of its posts for each example post (by the example's
    role where the organisation has such a post, otherwise board posts first, in post ID
    order)."""
    posts_kind = get_kind("posts")
    wanted = [row["role_code"] for row in posts_kind.examples]
    # Board posts first, like the examples' posts.
    stored = sorted(
        session.scalars(select(Post).where(Post.ods_code == ods_code)),
        key=lambda p: (p.level != "board", p.post_id),
    )
    chosen: list[Post] = []
    for role in wanted:
        match = next((p for p in stored if p.role_code == role and p not in chosen), None)
        if match is not None:
            chosen.append(match)
    chosen += [p for p in stored if p not in chosen][: len(wanted) - len(chosen)]
    return OwnOrganisation(ods_code, tuple(_as_row(p, posts_kind.column_names) for p in chosen))


def _post_map(own: OwnOrganisation) -> dict[str, str]:
    """Each example post ID to the post the organisation's template names instead."""
    examples = [row[POST_COLUMN] for row in get_kind("posts").examples]
    if not own.posts:
        return {p: f"{own.ods_code}-{p.split('-', 1)[-1]}" for p in examples}
    return {p: own.posts[min(i, len(own.posts) - 1)][POST_COLUMN] for i, p in enumerate(examples)}


def own_examples(kind: Kind, own: OwnOrganisation) -> tuple[Mapping[str, str], ...]:
    """The example rows of ``kind`` in ``own``'s organisation (see the module docstring)."""
    if kind.name == "posts" and own.posts:
        return own.posts
    posts = _post_map(own)
    rows = []
    for example in kind.examples:
        row = dict(example)
        for column in ORGANISATION_COLUMNS:
            if row.get(column):
                row[column] = own.ods_code
        for column in PREFIXED_COLUMNS:
            if row.get(column):
                row[column] = f"{own.ods_code}-{row[column]}"
        if row.get(POST_COLUMN):
            row[POST_COLUMN] = posts.get(row[POST_COLUMN], row[POST_COLUMN])
        rows.append(row)
    return tuple(rows)
