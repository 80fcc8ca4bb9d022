"""Talent management: pools, readiness, assessments, succession, board skills, FPPT."""
