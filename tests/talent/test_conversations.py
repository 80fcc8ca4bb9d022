"""Scope for Growth placement, plans and conversations due, on written-out frames."""

from __future__ import annotations

import datetime as dt

from talentboard.talent.conversations import (
    conversations_due,
    development_plans,
    grid_box,
    grid_counts,
    placements,
)
from talentboard.talent.schemas import ACTIONS, CONVERSATIONS, PROFILES, frame

D = dt.date
AT = D(2026, 9, 30)


def test_grid_boxes() -> None:
    assert grid_box("low", "low") == 1
    assert grid_box("high", "low") == 3
    assert grid_box("low", "high") == 7
    assert grid_box("high", "high") == 9
    assert grid_box("high", None) is None


def test_placement_takes_the_latest_source() -> None:
    """Person 1: conversation 2026-03-01 (medium, high) then a talent review 2026-06-01
    (high, high): the review is later, box 9. Person 2: review 2025-01-01 (low, low) and a
    conversation 2026-02-01 (high, medium): box 6. Person 3: a conversation after AT only
    and a review with no placement: no row."""
    profiles = frame(
        PROFILES,
        [
            {"person_ref": 1, "impact": "high", "growth": "high", "reviewed_on": D(2026, 6, 1)},
            {"person_ref": 2, "impact": "low", "growth": "low", "reviewed_on": D(2025, 1, 1)},
            {"person_ref": 3, "reviewed_on": D(2026, 1, 1)},
        ],
    )
    chats = frame(
        CONVERSATIONS,
        [
            {"person_ref": 1, "held_on": D(2026, 3, 1), "impact": "medium", "growth": "high"},
            {"person_ref": 2, "held_on": D(2026, 2, 1), "impact": "high", "growth": "medium"},
            {"person_ref": 3, "held_on": D(2026, 10, 1), "impact": "high", "growth": "high"},
        ],
    )
    placed = placements(profiles, chats, AT)
    assert placed.select("person_ref", "source", "box").rows() == [
        (1, "talent review", 9),
        (2, "conversation", 6),
    ]
    counts = {r["box"]: r["people"] for r in grid_counts(placed).iter_rows(named=True)}
    assert counts == {9: 1, 8: 0, 7: 0, 6: 1, 5: 0, 4: 0, 3: 0, 2: 0, 1: 0}


def test_plans_and_conversations_due() -> None:
    """Person 1's latest conversation (ref 11, 2026-05-01) has three actions: one overdue
    (in progress, due 2026-09-01), one planned for 2026-12-01, one cancelled and overdue
    (cancelled never counts as overdue). Person 2's last conversation was 2025-09-30,
    exactly 12 months before AT: due again. Person 3 never had one."""
    chats = frame(
        CONVERSATIONS,
        [
            {"conversation_ref": 10, "person_ref": 1, "held_on": D(2025, 5, 1)},
            {
                "conversation_ref": 11,
                "person_ref": 1,
                "held_on": D(2026, 5, 1),
                "growth_wanted": "breadth",
            },
            {"conversation_ref": 20, "person_ref": 2, "held_on": D(2025, 9, 30)},
        ],
    )
    actions = frame(
        ACTIONS,
        [
            {"conversation_ref": 10, "action": "old", "due_on": D(2025, 6, 1), "status": "planned"},
            {
                "conversation_ref": 11,
                "action": "a",
                "due_on": D(2026, 9, 1),
                "status": "in_progress",
            },
            {"conversation_ref": 11, "action": "b", "due_on": D(2026, 12, 1), "status": "planned"},
            {"conversation_ref": 11, "action": "c", "due_on": D(2026, 1, 1), "status": "cancelled"},
        ],
    )
    plans = development_plans(chats, actions, AT)
    first = plans.row(0, named=True)
    assert (
        first["conversation_ref"],
        first["actions"],
        first["overdue"],
        first["cancelled"],
        first["next_due_on"],
        first["growth_wanted"],
    ) == (11, 3, 1, 1, D(2026, 12, 1), "breadth")
    assert plans.row(1, named=True)["actions"] == 0
    profiles = frame(PROFILES, [{"person_ref": p} for p in (1, 2, 3)])
    due = conversations_due(profiles, chats, AT)
    assert due.rows() == [(2, D(2025, 9, 30)), (3, None)]
