"""The Outcomes page and ``GET /api/outcomes``: roles, scope, the figures and the wording.

The generated register of tests/outcomes/registers.py (24 London trusts and five that are
left out) is added to the web tests' world, with its staff engagement rows.
"""

from __future__ import annotations

import html
import re

import pytest
from fastapi import FastAPI
from sqlalchemy import insert
from sqlalchemy.orm import Session

from talentboard.db.models import IndicatorValue, Setting
from talentboard.frames.outcomes import IndicatorFrames, catalogue_frame
from talentboard.outcomes import OutcomeInputs, fit_outcome
from talentboard.web.accounts import create_token
from talentboard.web.presenters.outcomes import DEMO_WARNING, signed
from tests.outcomes.registers import T, generated_builder, generated_register, indicator_rows
from tests.web.conftest import make_app
from tests.web.world import World


@pytest.fixture
def outcomes_app(session: Session, world: World) -> FastAPI:
    generated_builder().save(session)
    session.execute(insert(IndicatorValue), indicator_rows().to_dicts())
    session.merge(Setting(key="as_at", value=T.isoformat()))
    session.flush()
    return make_app(session)


def _expected(exposure: str = "ceo_changes_3y") -> object:
    inputs = OutcomeInputs(
        generated_register(), IndicatorFrames(catalogue_frame(), indicator_rows())
    )
    return fit_outcome(inputs, "staff_engagement", exposure, T)


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _client(app: FastAPI, world: World, role: str) -> object:
    import secrets

    from starlette.testclient import TestClient

    from talentboard.web.app import SESSION_COOKIE
    from tests.web.conftest import session_cookie

    client = TestClient(app, base_url="http://testserver")
    csrf = secrets.token_urlsafe(16)
    client.cookies.set(SESSION_COOKIE, session_cookie(world, role, csrf))
    return client


def test_the_page_shows_the_fit_over_the_callers_scope(outcomes_app: FastAPI, world: World) -> None:
    """The world's own trusts have boards but no staff engagement value: nationally all
    three are left out with the generated five, in London (Y56) R1H and R1K only. The
    generated trusts are all in London, so the fit itself is the same."""
    fit = _expected()
    for role, left_out in (("national", 8), ("regional", 7), ("viewer", 8)):
        page = _client(outcomes_app, world, role).get("/outcomes")  # type: ignore[attr-defined]
        assert page.status_code == 200
        text = _text(page.text)
        assert "After adjusting for organisation kind and size, each additional chief" in text
        assert "This is an association, not evidence that one causes the other" in text
        assert f"Coefficient {signed(fit.coefficient)}" in text  # type: ignore[attr-defined]
        low, high = signed(fit.ci_low), signed(fit.ci_high)  # type: ignore[attr-defined]
        assert f"95% interval {low} to {high}" in text
        assert "Organisations fitted 24" in text
        assert f"Organisations left out (a value missing) {left_out}" in text, role
        assert 'data-vega-lite="' in page.text
        # A point is one organisation's exact figures: drawn only for roles that see them.
        assert ("&#34;circle&#34;" in page.text) is (role != "viewer")
        # Aggregates only: no organisation is named on the page.
        for code in ("G01", "G24", "R1H", "Barts"):
            assert code not in page.text
        assert DEMO_WARNING not in text
    for role in ("org_admin", "individual"):
        response = _client(outcomes_app, world, role).get("/outcomes")  # type: ignore[attr-defined]
        assert response.status_code == 404, role
    unknown = _client(outcomes_app, world, "national").get(  # type: ignore[attr-defined]
        "/outcomes", params={"indicator": "staff_happiness"}
    )
    assert unknown.status_code == 404


def test_every_exposure_against_every_indicator(
    session: Session, outcomes_app: FastAPI, world: World
) -> None:
    fit = _expected("exec_vacancy_share")
    page = _client(outcomes_app, world, "national").get(  # type: ignore[attr-defined]
        "/outcomes", params={"indicator": "staff_engagement", "exposure": "exec_vacancy_share"}
    )
    text = _text(page.text)
    cell = f"{signed(fit.coefficient)} ({signed(fit.ci_low)} to {signed(fit.ci_high)}); n = 24"  # type: ignore[attr-defined]
    assert cell in text, text[text.index("Every exposure against every indicator") :][:900]
    # Morale has no values here: every cell of its row says so.
    row = text.split("Morale (NHS Staff Survey theme)", 2)[2].split("Raising concerns")[0]
    assert row.count("too few organisations") == 5
    # With the demo loaded, the page says its people are synthetic.
    session.merge(Setting(key="demo_as_at", value=T.isoformat()))
    session.flush()
    demo = _text(_client(outcomes_app, world, "national").get("/outcomes").text)  # type: ignore[attr-defined]
    assert DEMO_WARNING in demo


def test_the_api_gives_the_command_json(
    session: Session, outcomes_app: FastAPI, world: World
) -> None:
    fit = _expected("exec_vacancy_share")
    client = _client(outcomes_app, world, "viewer")
    token = create_token(session, world.users["regional"].username)
    headers = {"Authorization": f"Bearer {token}"}
    params = {"indicator": "staff_engagement", "exposure": "exec_vacancy_share", "at": "2026-09-30"}
    answer = client.get("/api/outcomes", params=params, headers=headers).json()  # type: ignore[attr-defined]
    expected = fit.as_dict()  # type: ignore[attr-defined]
    assert answer == expected | {"n_excluded": 7}
    listed = client.get(  # type: ignore[attr-defined]
        "/api/outcomes", params=params | {"exposure": "all"}, headers=headers
    ).json()
    assert [item["exposure"] for item in listed][:2] == ["ceo_changes_3y", "exec_vacancy_share"]
    refused = client.get(  # type: ignore[attr-defined]
        "/api/outcomes", params=params | {"indicator": "morale"}, headers=headers
    )
    assert refused.status_code == 400
    assert refused.json()["detail"].startswith("too few organisations to fit: 0")
    admin = create_token(session, world.users["org_admin"].username)
    denied = client.get(  # type: ignore[attr-defined]
        "/api/outcomes", params=params, headers={"Authorization": f"Bearer {admin}"}
    )
    assert denied.status_code == 404


def test_the_organisation_page_compares_with_peers(outcomes_app: FastAPI, world: World) -> None:
    """G03 (acute) against the other acute trusts with a value at T: G06, G09, ..., G24
    (seven), GNOP and GSIZE (6.5 each; GLATE's only value ends after T, GNOV has none)."""
    from tests.outcomes.registers import COUNT, outcome, vacant_at_b

    def value(i: int) -> float:
        return outcome(i, vacant_at_b(i) / 4, 1)

    peers = [value(i) for i in range(6, COUNT + 1, 3)] + [6.5, 6.5]
    own = value(3)
    share = (sum(v < own for v in peers) + 0.5 * sum(v == own for v in peers)) / len(peers)
    median = sorted(peers)[len(peers) // 2]
    page = _client(outcomes_app, world, "viewer").get("/organisations/G03")  # type: ignore[attr-defined]
    assert page.status_code == 200
    text = _text(page.text)
    assert "Outcomes against peers" in text
    row = f"Staff engagement (NHS Staff Survey) {own:.2f} {round(100 * share)}"
    assert row in text
    assert f"{median:.2f} {len(peers)}" in text
    assert 'id="peer-strip"' in page.text
    # The viewer sees figures after disclosure control: G03's own stability is left to them.
    assert "Chief executive changes in 3 years see Figures" in text
    national = _text(_client(outcomes_app, world, "national").get("/organisations/G03").text)  # type: ignore[attr-defined]
    assert "Chief executive changes in 3 years see Figures" not in national
