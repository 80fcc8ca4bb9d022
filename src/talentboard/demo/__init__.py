"""Synthetic NHS leadership data, calibrated to published figures."""
