"""Routes, one module per area of the service."""

from fastapi import APIRouter

from talentboard.web.routes import (
    admin,
    api,
    api_docs,
    auth,
    buddying,
    data,
    data_mapping,
    forecast,
    home,
    operations,
    opportunities,
    organisations,
    outcomes,
    people,
    person_talent,
    reports,
    subject_rights,
    succession,
    talent,
    vacancies,
)

ROUTERS: tuple[APIRouter, ...] = (
    auth.router,
    home.router,
    organisations.router,
    people.router,
    person_talent.router,
    subject_rights.router,
    talent.router,
    succession.router,
    opportunities.router,
    vacancies.router,
    buddying.router,
    outcomes.router,
    reports.router,
    forecast.router,
    data.router,
    data_mapping.router,
    admin.router,
    api.router,
    api_docs.router,
    operations.router,
)

__all__ = ["ROUTERS"]
