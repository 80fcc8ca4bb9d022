"""Presenters: domain values turned into display values, so templates hold no logic."""
