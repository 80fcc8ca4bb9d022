"""The one place that turns database rows into Polars frames for analysis.

The names below are loaded when first used, so that importing a light module of this
package (``talentboard.frames.kept``) does not load Polars.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from talentboard.frames.register import (
        RegisterFrames,
        covers,
        load_register,
        positions_at,
        segment_at,
        spells,
    )

__all__ = ["RegisterFrames", "covers", "load_register", "positions_at", "segment_at", "spells"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.register"), name)
    globals()[name] = value
    return value
