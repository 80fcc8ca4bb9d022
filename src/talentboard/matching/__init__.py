"""Matching: development opportunities, vacancy shortlists and buddying, with reasons."""
