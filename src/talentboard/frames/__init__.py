"""The one place that turns database rows into Polars frames for analysis."""
