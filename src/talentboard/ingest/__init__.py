"""Importing and exporting register and talent data as CSV and Excel."""
