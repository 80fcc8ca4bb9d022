"""The application's route table, as the scope and page tests walk it."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from talentboard.web.permissions import Capability, capability_of

# Routes anyone may use, signed in or not (/metrics checks the scraper's address or token).
PUBLIC = frozenset(
    {
        ("GET", "/sign-in"),
        ("POST", "/sign-in"),
        ("GET", "/access"),
        ("GET", "/health/live"),
        ("GET", "/health/ready"),
        ("GET", "/metrics"),
        ("GET", "/api/docs"),
        ("GET", "/sign-in/oidc"),
        ("GET", "/sign-in/oidc/callback"),
    }
)


def api_routes(app: FastAPI) -> list[APIRoute]:
    """Every FastAPI route the application serves, however its routers were included."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # FastAPI versions that copy included routes onto the app
        originals = list(app.routes)
    else:
        originals = [context.original_route for context in iter_route_contexts(app.routes)]
    return [route for route in originals if isinstance(route, APIRoute)]


def endpoints(app: FastAPI) -> list[tuple[str, str, APIRoute]]:
    """(method, path, route) for every method of every route, sorted."""
    found = [
        (method, route.path, route)
        for route in api_routes(app)
        for method in sorted(route.methods)
        if method != "HEAD"
    ]
    return sorted(found, key=lambda item: (item[1], item[0]))


def _walk(dependant: Dependant) -> Iterator[Capability]:
    if dependant.call is not None:
        capability = capability_of(dependant.call)
        if capability is not None:
            yield capability
    for sub in dependant.dependencies:
        yield from _walk(sub)


def guards(route: APIRoute) -> set[Capability]:
    """The capabilities a route's guards check."""
    return set(_walk(route.dependant))
