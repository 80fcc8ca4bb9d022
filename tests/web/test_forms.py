"""Form parsing: typed values, and error messages worded as the NHS service manual asks."""

from __future__ import annotations

import datetime as dt

from talentboard.web.forms.base import Field, parse_form, raw_from_values, render_fields

FIELDS = (
    Field("given_name", "Given name", required=True, max_length=5),
    Field("sex", "Sex", "radios", required=True, choices=(("female", "Female"), ("male", "Male"))),
    Field("started", "Start date", "date", required=True),
    Field("ended", "End date", "date"),
    Field("year", "Year of birth", "integer", minimum=1900, maximum=2100),
    Field("consent", "Consent", "boolean", required=True),
    Field("regions", "Regions", "checkboxes", choices=(("Y56", "London"), ("Y58", "South West"))),
)


def test_a_valid_form_gives_typed_values() -> None:
    result = parse_form(
        FIELDS,
        {
            "given_name": " Ada ",
            "sex": "female",
            "started[day]": "1",
            "started[month]": "4",
            "started[year]": "2024",
            "year": "1970",
            "consent": "yes",
            "regions": ["Y58"],
        },
    )
    assert result.errors == {}
    assert result.values == {
        "given_name": "Ada",
        "sex": "female",
        "started": dt.date(2024, 4, 1),
        "ended": None,
        "year": 1970,
        "consent": True,
        "regions": ["Y58"],
    }


def test_every_error_is_worded_the_nhs_way() -> None:
    result = parse_form(
        FIELDS,
        {
            "given_name": "Alexandra",
            "started[day]": "31",
            "started[month]": "2",
            "started[year]": "2024",
            "ended[day]": "1",
            "ended[year]": "2024",
            "year": "seventy",
            "regions": ["Y99"],
        },
    )
    assert result.errors == {
        "given_name": "Given name must be 5 characters or fewer",
        "sex": "Select sex",
        "started": "Start date must be a real date",
        "ended": "End date must include a month",
        "year": "Year of birth must be a whole number",
        "consent": "Select yes or no for consent",
        "regions": "Select regions from the list",
    }
    assert [e["href"] for e in result.error_list(FIELDS)] == [
        "#given_name",
        "#sex",
        "#started-day",
        "#ended-day",
        "#year",
        "#consent",
        "#regions",
    ]


def test_numbers_out_of_range() -> None:
    assert parse_form(FIELDS[4:5], {"year": "1899"}).errors == {
        "year": "Year of birth must be 1900 or more"
    }
    assert parse_form(FIELDS[4:5], {"year": "2101"}).errors == {
        "year": "Year of birth must be 2100 or less"
    }


def test_stored_values_fill_the_components() -> None:
    raw = raw_from_values(
        FIELDS, {"given_name": "Ada", "started": dt.date(2024, 4, 1), "consent": False}
    )
    rendered = {f["params"]["id"]: f for f in render_fields(FIELDS, raw, {"sex": "Select sex"})}
    assert rendered["given_name"]["params"]["value"] == "Ada"
    assert [i["value"] for i in rendered["started"]["params"]["items"]] == ["1", "4", "2024"]
    assert rendered["sex"]["params"]["errorMessage"] == {"text": "Select sex"}
    assert [i["checked"] for i in rendered["consent"]["params"]["items"]] == [False, True]
