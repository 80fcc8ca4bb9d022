"""The header navigation, shown according to what the signed-in user may do."""

from __future__ import annotations

from typing import Any

from talentboard.web.permissions import Capability, Principal, can

# (href, text, capability): in the order the header shows them.
SECTIONS: tuple[tuple[str, str, Capability], ...] = (
    ("/", "Dashboard", Capability.VIEW_AGGREGATES),
    ("/organisations", "Organisations", Capability.VIEW_ORGANISATIONS),
    ("/talent", "Talent pool", Capability.VIEW_PERSONAL),
    ("/succession", "Succession", Capability.VIEW_PERSONAL),
    ("/opportunities", "Opportunities", Capability.VIEW_OPPORTUNITIES),
    ("/buddying", "Buddying", Capability.BUDDYING),
    ("/data", "Data", Capability.IMPORT_DATA),
    ("/outcomes", "Outcomes", Capability.VIEW_OUTCOMES),
    ("/forecast", "Forecast", Capability.VIEW_AGGREGATES),
    ("/reports", "Reports", Capability.VIEW_AGGREGATES),
    ("/admin", "Administration", Capability.ADMINISTER),
)


def navigation(principal: Principal | None, path: str) -> list[dict[str, Any]]:
    """Header navigation items for the nhsuk header component."""
    if principal is None:
        return []
    items: list[dict[str, Any]] = []
    if principal.role == "individual":
        items.append({"href": "/", "text": "Your record", "current": path == "/"})
    for href, text, capability in SECTIONS:
        if not can(principal, capability):
            continue
        current = path == href if href == "/" else path == href or path.startswith(href + "/")
        items.append({"href": href, "text": text, "current": current})
    return items
