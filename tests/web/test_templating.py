"""Rendering helpers: NHS.UK components kept by their parameters, and page fragments."""

from __future__ import annotations

from markupsafe import Markup

from talentboard.web.templating import ComponentMemo, environment, fragment

HEADER = {
    "service": {"text": "Talentboard", "href": "/"},
    "navigation": {"items": [{"href": "/", "text": "Dashboard", "current": True}]},
}


def test_a_kept_component_is_what_its_macro_renders() -> None:
    env = environment()
    memo = ComponentMemo(env, max_entries=2)
    direct = env.get_template("nhsuk/components/header/macro.jinja").module.header(HEADER)
    kept = memo("header", HEADER)
    assert kept == direct
    assert "Dashboard" in kept
    assert memo("header", HEADER) is kept, "the second call is the kept rendering"
    # Other parameters are another rendering; the oldest is dropped past max_entries.
    other = memo("header", {"service": {"text": "Other", "href": "/"}})
    assert "Other" in other
    assert other != kept
    memo("footer", {"meta": {"items": []}})
    assert memo("header", HEADER) is not kept


def test_a_macro_with_a_hyphenated_name_is_found() -> None:
    link = ComponentMemo(environment())("back-link", {"href": "/x", "text": "Back"})
    assert 'href="/x"' in link
    assert "Back" in link


def test_a_fragment_is_markup() -> None:
    html = fragment(
        "components/table.jinja",
        "table",
        {"caption": "Posts", "head": [{"text": "Post"}], "rows": [[{"text": "Chief <exec>"}]]},
    )
    assert isinstance(html, Markup)
    assert "Chief &lt;exec&gt;" in html, "cell text is escaped"
