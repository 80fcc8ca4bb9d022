"""Synthetic NHS leadership data, calibrated to published figures.

``generate_demo(session, scale, seed, region=None, replace=False, progress=...)`` loads a
reproducible synthetic workforce over the real NHS trusts; every figure it is calibrated
to holds at ``DEMO_AS_AT``. See ``docs/demo-data.md``.
"""

from talentboard.demo.calibration import DEMO_AS_AT, HISTORY_START
from talentboard.demo.generate import (
    DEFAULT_REGION,
    SCALES,
    DemoRefusedError,
    DemoSummary,
    generate_demo,
)

__all__ = [
    "DEFAULT_REGION",
    "DEMO_AS_AT",
    "HISTORY_START",
    "SCALES",
    "DemoRefusedError",
    "DemoSummary",
    "generate_demo",
]
