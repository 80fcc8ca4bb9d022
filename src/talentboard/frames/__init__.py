"""The one place that turns database rows into Polars frames for analysis.

The names below are loaded when first used, so that importing a light module of this
package (``talentboard.frames.kept``) does not load Polars.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from talentboard._lazy import lazy_names

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

__getattr__ = lazy_names(__name__, dict.fromkeys(__all__, "register"))
