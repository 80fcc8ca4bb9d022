"""The web application: FastAPI on the NHS.UK design system, with roles, audit and an API.

The application is built by :func:`talentboard.web.app.create_app`; importing this package
loads nothing else, so the command line stays quick to start.
"""
