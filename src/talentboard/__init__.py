"""talentboard: leadership stability analytics and talent management for the NHS in England."""

__version__ = "0.1.0"
