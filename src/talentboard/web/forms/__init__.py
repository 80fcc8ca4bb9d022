"""Form definitions and their validation, in the NHS error message pattern."""

from talentboard.web.forms.base import Field, FormResult, choices_of, parse_form, render_fields

__all__ = ["Field", "FormResult", "choices_of", "parse_form", "render_fields"]
