"""Board stability analytics: the figures of docs/metrics.md, pure functions over frames."""
