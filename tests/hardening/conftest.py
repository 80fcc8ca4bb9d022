"""The web fixtures (the demo world, the app on the test's session) for the API checks."""

from tests.web.conftest import app, world  # noqa: F401
