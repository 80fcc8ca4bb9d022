"""Reference catalogues shipped as data files, with small typed loaders.

Each loader reads one file under ``reference/data`` once and caches the result. A new
national framework or programme is a new data file, not a code change.
"""

from talentboard.reference.catalogue import (
    BME_CODES,
    ETHNIC_CODES,
    REGION_CODES,
    ROLE_CODES,
    EthnicCategory,
    Framework,
    FrameworkDomain,
    Programme,
    Region,
    Role,
    ethnic_categories,
    framework,
    frameworks,
    programmes,
    regions,
    roles,
)
from talentboard.reference.organisations import (
    ReferenceOrganisation,
    ReferencePerformance,
    reference_organisations,
    reference_performance,
)

__all__ = [
    "BME_CODES",
    "ETHNIC_CODES",
    "REGION_CODES",
    "ROLE_CODES",
    "EthnicCategory",
    "Framework",
    "FrameworkDomain",
    "Programme",
    "ReferenceOrganisation",
    "ReferencePerformance",
    "Region",
    "Role",
    "ethnic_categories",
    "framework",
    "frameworks",
    "programmes",
    "reference_organisations",
    "reference_performance",
    "regions",
    "roles",
]
