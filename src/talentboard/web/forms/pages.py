"""Rendering a form page, first shown or sent back with its errors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi.responses import Response
from starlette.requests import Request

from talentboard.web.forms.base import Field, FormResult, render_fields
from talentboard.web.templating import render


def form_page(
    request: Request,
    *,
    title: str,
    action: str,
    fields: Sequence[Field],
    raw: Mapping[str, Any],
    result: FormResult | None = None,
    version: int | None = None,
    submit: str = "Save",
    back: dict[str, str] | None = None,
    caption: str | None = None,
    lede: str | None = None,
    chooser: Mapping[str, Any] | None = None,
    status: int = 200,
) -> Response:
    errors = result.errors if result is not None else {}
    return render(
        request,
        "form.jinja",
        {
            "title": title,
            "caption": caption,
            "lede": lede,
            "action": action,
            "fields": render_fields(fields, raw, errors),
            "errors": result.error_list(fields) if result is not None else [],
            "version": version,
            "submit": submit,
            "back": back,
            "chooser": chooser,
        },
        status_code=status,
    )
