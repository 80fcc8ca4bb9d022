"""The one place that turns database rows into Polars frames for analysis."""

from talentboard.frames.register import (
    RegisterFrames,
    covers,
    load_register,
    positions_at,
    segment_at,
    spells,
)

__all__ = ["RegisterFrames", "covers", "load_register", "positions_at", "segment_at", "spells"]
