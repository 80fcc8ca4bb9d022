"""Files in the user's own layout: mapping their columns and values onto a kind's.

``model`` reads and checks a mapping file (TOML); ``values`` recognises values that map by
themselves; ``apply`` reads a file through a mapping; ``suggest`` writes a starting
mapping for a file; ``saved`` keeps mappings in the database for an organisation.
"""

from talentboard.ingest.mapping.model import (
    ColumnMap,
    MappingError,
    check_mapping,
    from_data,
    parse_mapping,
    read_mapping,
)
from talentboard.ingest.mapping.suggest import Suggestion, suggest

__all__ = [
    "ColumnMap",
    "MappingError",
    "Suggestion",
    "check_mapping",
    "from_data",
    "parse_mapping",
    "read_mapping",
    "suggest",
]
