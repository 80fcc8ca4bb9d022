"""Schemathesis over the API's OpenAPI schema, with a token of every role.

Every operation under ``/api`` is called with generated parameters by each role's bearer
token on the small demo world of ``tests/web/world.py``, in-process through the ASGI app:
no response may be a server error or break the schema (status codes, content type,
headers and body as declared).
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import given
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlalchemy.orm import Session

from talentboard.web.accounts import create_token
from tests.hardening.hostile import steady
from tests.web.world import ROLES

pytestmark = pytest.mark.filterwarnings("ignore")


# Levers outside their documented ranges (docs/forecast.md) are refused with a 400 that
# names them; the schema does not bound them, so "a schema-valid request refused" is
# not counted. Every other check (server errors, status codes, content types, headers,
# response bodies) is.
ACCEPTANCE = positive_data_acceptance
EXAMPLES = 10
SETTINGS = steady(EXAMPLES)


def test_every_role_gets_no_server_error_and_no_schema_violation(
    app: FastAPI, session: Session
) -> None:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app).include(path_regex="^/api/")
    tokens = {role: create_token(session, f"{role}-user") for role in ROLES}
    operations = [result.ok() for result in schema.get_all_operations()]
    calls: list[int] = []
    for operation in operations:

        @SETTINGS
        @given(operation.as_strategy())
        def attempt(case: schemathesis.Case) -> None:
            for token in tokens.values():
                response = case.call_and_validate(
                    headers={"Authorization": f"Bearer {token}"}, excluded_checks=[ACCEPTANCE]
                )
                calls.append(response.status_code)

        attempt()
    assert len(operations) >= 5
    assert len(calls) >= len(operations) * len(ROLES)
    assert not [code for code in calls if code >= 500]
