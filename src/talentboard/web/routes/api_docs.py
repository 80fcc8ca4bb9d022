"""The API documentation page: every endpoint of the OpenAPI description, drawn on the
server as an NHS.UK page (plain HTML, no script), so it passes the site's accessibility
checks and its Content-Security-Policy as every other page does.

It reads ``app.openapi()``, the description served at ``/api/openapi.json``, so the two
cannot differ.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from talentboard.web.templating import render

router = APIRouter(include_in_schema=False)
METHODS = ("get", "post", "put", "patch", "delete")


def _type(schema: dict[str, Any]) -> str:
    """A parameter's type in words: ``date``, ``whole number``, ``text, optional``."""
    if "anyOf" in schema:
        kinds = [_type(s) for s in schema["anyOf"] if s.get("type") != "null"]
        return " or ".join(kinds) or "any"
    if "enum" in schema:
        return "one of " + ", ".join(str(v) for v in schema["enum"])
    kind = schema.get("format") or schema.get("type") or "any"
    return {"integer": "whole number", "string": "text", "boolean": "true or false"}.get(kind, kind)


def endpoints(description: dict[str, Any]) -> list[dict[str, Any]]:
    """The operations of an OpenAPI description, in path order, as the page lists them."""
    found = []
    for path, operations in sorted(description.get("paths", {}).items()):
        for method in METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            found.append(
                {
                    "id": operation.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": " ".join((operation.get("description") or "").split()),
                    "parameters": [
                        [
                            {"html": Markup("<code>{}</code>").format(p["name"])},
                            {"text": {"path": "Path", "query": "Query"}.get(p["in"], p["in"])},
                            {"text": "Required" if p.get("required") else "Optional"},
                            {"text": _type(p.get("schema", {}))},
                            {"text": p.get("description", "")},
                        ]
                        for p in operation.get("parameters", [])
                    ],
                    "responses": [
                        [{"text": status}, {"text": answer.get("description", "")}]
                        for status, answer in sorted(operation.get("responses", {}).items())
                    ],
                }
            )
    return found


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    description = request.app.openapi()
    return render(
        request,
        "api/docs.jinja",
        {
            "title": "API documentation",
            "version": description.get("info", {}).get("version", ""),
            "endpoints": endpoints(description),
        },
    )
