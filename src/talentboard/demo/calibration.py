"""The published figures the demo reproduces, and the settings that get it there.

The figures are those of DESIGN section 1, measured with the definitions of section 5 at
``DEMO_AS_AT``. The generator sets the state at that date directly (which executive posts
are vacant, when each serving executive started) and then builds the history backwards,
so the figures hold by construction rather than by luck; ``docs/demo-data.md`` explains
each setting.
"""

from __future__ import annotations

import datetime as dt

DEMO_AS_AT = dt.date(2026, 9, 30)
"""The as-at date of the demo data: every figure is calibrated for this date."""

HISTORY_START = dt.date(2008, 4, 1)
"""Posts are established, and the appointment history begins, from this date."""

REFERENCE_SEGMENT_DATE = dt.date(2026, 3, 1)
"""The effective date of the published oversight segments shipped in ``reference/``."""

# Published figures (DESIGN section 1).
ORGS_WITH_EXEC_VACANCY_SHARE = 0.37
EXEC_VACANCY_RATE = 0.08
WORKFORCE_BME_SHARE = 0.25

# Weight of a trust, by its oversight segment at the as-at date, when choosing the trusts
# with executive vacancies and where any further vacancies go: the most challenged trusts
# have the most vacancies.
VACANCY_WEIGHT_BY_SEGMENT = {1: 0.45, 2: 0.6, 3: 1.0, 4: 1.9, 5: 2.3}
# At most this many vacant executive posts in one trust.
MAX_VACANCIES_PER_TRUST = 4
# Relative chance of each executive role being the vacant one (operations and strategy
# have the highest published vacancy rates).
VACANCY_WEIGHT_BY_ROLE = {
    "chief_executive": 0.8,
    "finance_director": 1.0,
    "medical_director": 0.8,
    "nursing_director": 0.9,
    "operations_director": 2.2,
    "strategy_director": 2.2,
    "people_director": 1.3,
    "digital_director": 1.4,
    "estates_director": 1.1,
    "quality_director": 1.1,
    "partnerships_director": 1.1,
}
# How a post vacant at the as-at date is covered (None: not covered).
VACANCY_COVER = {"interim": 0.55, "acting": 0.25, "secondment": 0.05, None: 0.15}

# Time in post of serving executives at the as-at date, as a piecewise-linear cumulative
# distribution (years, share started within that many years). 20.5% within a year and
# 54.5% within three years for executive directors; chief executives' median is 3 years.
EXEC_ELAPSED_CDF = (
    (0.0, 0.0),
    (1.0, 0.205),
    (3.0, 0.545),
    (5.0, 0.74),
    (8.0, 0.89),
    (12.0, 0.97),
    (18.5, 1.0),
)
CHIEF_EXEC_ELAPSED_CDF = (
    (0.0, 0.0),
    (1.0, 0.17),
    (3.0, 0.50),
    (5.0, 0.70),
    (8.0, 0.87),
    (12.0, 0.96),
    (18.5, 1.0),
)
# Shift, in standard deviations, of a serving executive's rank in that distribution by
# the trust's segment: challenged trusts' executives are the more recently appointed.
TENURE_SHIFT_BY_SEGMENT = {1: 0.55, 2: 0.4, 3: 0.0, 4: -0.45, 5: -0.6}
# Multiplier of completed tenure by the segment the trust was in when a spell ended.
TENURE_FACTOR_BY_SEGMENT = {1: 1.45, 2: 1.3, 3: 0.95, 4: 0.7, 5: 0.6}
# Share of serving executives of more than three years whose contract was renewed
# back-to-back within the last three years: one spell, two appointments.
CURRENT_CONTRACT_RENEWAL = 0.16

# The BME share of voting board members (distinct people serving at the as-at date, of
# those with a known ethnic category): published 7% of senior leaders; the demo aims for
# the middle of a 7-10% band. Board members are first drawn BME with a chance of
# ``BME_FACTOR_BY_LEVEL["board"]`` times their trust's workforce share, then just enough
# serving members are redrawn (by their trust's share) to hit the target exactly.
BOARD_BME_SHARE = 0.085
# Lower levels are drawn closer to the workforce.
BME_FACTOR_BY_LEVEL = {"board": 0.34, "senior": 0.5, "middle": 0.7, "frontline": 0.9}
