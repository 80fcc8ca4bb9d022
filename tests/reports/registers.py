"""The hand-built register of the report tests, as at T = 2026-09-30.

Ten London trusts TST01..TST10 (acute, 3,000 staff, 40% BME staff; segment 2 for
TST01-05, segment 4 for TST06-10) and two North West trusts TST11, TST12 (mental
health, 2,000 staff, 10% BME, segment 1). Each has a chief executive (CEO), a director
of finance (FD), a medical director (MD) and a chief operating officer (COO), all
executive and voting, and a chair (CH, voting).

London:
    CEO  ceo-k substantive 2020-01-01..open; ethnic category H (BME) for k <= 3, else A
    FD   fd-k substantive 2022-06-01..open (A)
    MD   k <= 5: md-k 2016-01-01..open (A). k >= 6: mdold-k 2019-01-01..2025-12-31
         (dismissed_or_forced for k = 6, 7; retired otherwise), then mdnew-k
         2026-02-01..open (M, BME)
    COO  k = 1: coo-1 2021-03-01..open (A). k >= 2: cooold-k 2018-04-01..2026-03-31
         (moved_nhs), then vacant; k = 2, 3, 4 have an interim int-k 2026-04-01..open (A)
    CH   chair-k 2019-01-01..open; Z (not stated) for k = 1, else A
North West (k = 11, 12): every post held substantively since 2021-01-01 (A).

Worked out at T for England (48 executive posts in 12 organisations):
    vacant 9 (the COO posts of TST02-10): published as 10 (rounded to 5)
    organisations with a vacancy 9 of 12 = 75%: "8 in 10 organisations"
    vacancy rate 9 / 48 = 18.75%
    interim cover 3 / 48: the count 3 is withheld (*), so is the share
    spells ended in the 12 months: 5 MD + 9 COO = 14, published as 15; forced exits 2
    (TST06, TST07): withheld, and the forced-exit share with it
For the London region: 40 posts in 10 organisations, 9 with a vacancy: "9 in 10".
"""

from __future__ import annotations

import datetime as dt

from tests.frames.registers import RegisterBuilder

T = dt.date(2026, 9, 30)
ROLES = {
    "CEO": "chief_executive",
    "FD": "finance_director",
    "MD": "medical_director",
    "COO": "operations_director",
    "CH": "chair",
}


def report_register() -> RegisterBuilder:
    builder = RegisterBuilder()
    for k in range(1, 13):
        london = k <= 10
        ods = f"TST{k:02d}"
        builder.org(
            ods,
            kind="acute" if london else "mental_health",
            region="Y56" if london else "Y62",
            headcount=3000 if london else 2000,
            bme=0.40 if london else 0.10,
            segment=(2 if k <= 5 else 4) if london else 1,
        )
        for short, role in ROLES.items():
            builder.post(f"{ods}-{short}", ods, role)
        if not london:
            for short in ROLES:
                builder.person(f"{short.lower()}-{k}", "A")
                builder.appoint(f"{short.lower()}-{k}", f"{ods}-{short}", "2021-01-01")
            continue
        builder.person(f"ceo-{k}", "H" if k <= 3 else "A")
        builder.appoint(f"ceo-{k}", f"{ods}-CEO", "2020-01-01")
        builder.person(f"fd-{k}", "A")
        builder.appoint(f"fd-{k}", f"{ods}-FD", "2022-06-01")
        if k <= 5:
            builder.person(f"md-{k}", "A")
            builder.appoint(f"md-{k}", f"{ods}-MD", "2016-01-01")
        else:
            reason = "dismissed_or_forced" if k in (6, 7) else "retired"
            builder.person(f"mdold-{k}", "A")
            builder.appoint(f"mdold-{k}", f"{ods}-MD", "2019-01-01", "2025-12-31", reason=reason)
            builder.person(f"mdnew-{k}", "M")
            builder.appoint(f"mdnew-{k}", f"{ods}-MD", "2026-02-01")
        if k == 1:
            builder.person("coo-1", "A")
            builder.appoint("coo-1", f"{ods}-COO", "2021-03-01")
        else:
            builder.person(f"cooold-{k}", "A")
            builder.appoint(
                f"cooold-{k}", f"{ods}-COO", "2018-04-01", "2026-03-31", reason="moved_nhs"
            )
            if k <= 4:
                builder.person(f"int-{k}", "A")
                builder.appoint(f"int-{k}", f"{ods}-COO", "2026-04-01", kind="interim")
        builder.person(f"chair-{k}", "Z" if k == 1 else "A")
        builder.appoint(f"chair-{k}", f"{ods}-CH", "2019-01-01")
    return builder
