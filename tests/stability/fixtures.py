"""The hand-worked register of the board figure tests (expected values in test_board.py).

As at T = 2026-09-30 (T - 12 months = 2025-09-30, T - 3 years = 2023-09-30).

Organisations:
    TSA  acute, London (Y56), 2,000 staff, 30% BME, segment 4 (challenged)
    TSB  mental health, North West (Y62), 6,000 staff, 10% BME, segment 2
    TSC  community, North West (Y62), headcount unknown, 50% BME, not rated

Posts (executive unless said):
    A-CEO   TSA chief executive (voting)
    A-FD    TSA finance director (voting)
    A-SD    TSA strategy director (not voting)
    A-OLD   TSA operations director (voting), abolished: established to 2026-06-30
    A-CH    TSA chair (non-executive, voting)
    B-CEO   TSB chief executive
    B-MD    TSB medical director
    B-NEW   TSB digital director, established from 2026-12-01 (after T)
    B-NED1  TSB non-executive director (voting)
    B-NED2  TSB non-executive director (voting)
    C-CEO   TSC chief executive
    C-CH    TSC chair (never filled)

People (ethnic category) and appointments:
    ann (A)  A-CEO substantive 2018-04-01..2022-03-31, then 2022-04-01..open: one spell
    bob (H)  A-FD substantive 2021-01-01..2026-03-31, dismissed_or_forced
    cy  (M)  A-FD interim 2026-04-01..open; B-NED2 2025-01-01..open
    dee (Z)  A-SD substantive 2024-06-01..open
    eve (C)  A-OLD substantive 2015-01-01..2026-06-30, retired
    fay (99) A-CH 2020-01-01..open
    gus (A)  B-CEO substantive 2023-11-01..open
    hal (N)  B-MD substantive 2019-05-01..2025-12-31, moved_nhs
    ivy (A)  B-MD substantive 2026-01-01..open
    jon (-)  C-CEO substantive 2022-09-30..2025-09-30, retired
    kim (J)  C-CEO acting 2025-10-01..2026-09-30 (ends on T, so does not cover T)
    lee (-)  B-NED1 2020-01-01..open
"""

from __future__ import annotations

import datetime as dt

from tests.frames.registers import RegisterBuilder

T = dt.date(2026, 9, 30)


def board_register() -> RegisterBuilder:
    return (
        RegisterBuilder()
        .org("TSA", kind="acute", region="Y56", headcount=2000, bme=0.30, segment=4)
        .org("TSB", kind="mental_health", region="Y62", headcount=6000, bme=0.10, segment=2)
        .org("TSC", kind="community", region="Y62", headcount=None, bme=0.50)
        .post("A-CEO", "TSA", "chief_executive")
        .post("A-FD", "TSA", "finance_director")
        .post("A-SD", "TSA", "strategy_director")
        .post("A-OLD", "TSA", "operations_director", established_to="2026-06-30")
        .post("A-CH", "TSA", "chair")
        .post("B-CEO", "TSB", "chief_executive")
        .post("B-MD", "TSB", "medical_director")
        .post("B-NEW", "TSB", "digital_director", established_from="2026-12-01")
        .post("B-NED1", "TSB", "non_executive_director")
        .post("B-NED2", "TSB", "non_executive_director")
        .post("C-CEO", "TSC", "chief_executive")
        .post("C-CH", "TSC", "chair")
        .person("ann", "A", background="nursing")
        .person("bob", "H", background="finance")
        .person("cy", "M", background="finance")
        .person("dee", "Z", background="general_management")
        .person("eve", "C", background="general_management")
        .person("fay", "99")
        .person("gus", "A", background="medical")
        .person("hal", "N", background="medical")
        .person("ivy", "A", background="medical")
        .person("jon", None, background="nursing")
        .person("kim", "J", background="nursing")
        .person("lee", None)
        .appoint("ann", "A-CEO", "2018-04-01", "2022-03-31", reason="end_of_term")
        .appoint("ann", "A-CEO", "2022-04-01")
        .appoint("bob", "A-FD", "2021-01-01", "2026-03-31", reason="dismissed_or_forced")
        .appoint("cy", "A-FD", "2026-04-01", kind="interim")
        .appoint("cy", "B-NED2", "2025-01-01")
        .appoint("dee", "A-SD", "2024-06-01")
        .appoint("eve", "A-OLD", "2015-01-01", "2026-06-30", reason="retired")
        .appoint("fay", "A-CH", "2020-01-01")
        .appoint("gus", "B-CEO", "2023-11-01")
        .appoint("hal", "B-MD", "2019-05-01", "2025-12-31", reason="moved_nhs")
        .appoint("ivy", "B-MD", "2026-01-01")
        .appoint("jon", "C-CEO", "2022-09-30", "2025-09-30", reason="retired")
        .appoint("kim", "C-CEO", "2025-10-01", "2026-09-30", kind="acting", reason="other")
        .appoint("lee", "B-NED1", "2020-01-01")
    )


# Executive spells at T: (days from start to min(end, T), ended by T, organisation).
TENURE_SPELLS = {
    "ann": (3104, False, "TSA"),  # 2018-04-01 .. T
    "bob": (1915, True, "TSA"),  # 2021-01-01 .. 2026-03-31
    "dee": (851, False, "TSA"),  # 2024-06-01 .. T
    "eve": (4198, True, "TSA"),  # 2015-01-01 .. 2026-06-30
    "gus": (1064, False, "TSB"),  # 2023-11-01 .. T
    "hal": (2436, True, "TSB"),  # 2019-05-01 .. 2025-12-31
    "ivy": (272, False, "TSB"),  # 2026-01-01 .. T
    "jon": (1096, True, "TSC"),  # 2022-09-30 .. 2025-09-30
}
