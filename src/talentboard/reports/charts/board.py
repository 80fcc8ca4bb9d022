"""Charts of the board at the date: vacancy and interim cover by role, diversity."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from talentboard.reports import palette
from talentboard.reports.charts.base import finish
from talentboard.reports.model import ChartSpec, Column, table_from_frame
from talentboard.reports.presenters import mid_sentence

if TYPE_CHECKING:
    import altair as alt

__all__ = ["bme_share_chart", "vacancy_by_role_chart"]


def _role_bars(by_role: pl.DataFrame, roles: list[str]) -> tuple[alt.Chart, alt.Chart]:
    """A bar per role and measure, and its share written at the end of the bar."""
    import altair as alt

    measures = {
        "exec_vacancy_rate": "No substantive holder (vacancy rate)",
        "interim_cover_share": "Covered by an interim, acting or seconded holder",
    }
    label_expr = (
        "datum.measure == 'exec_vacancy_rate' ? "
        f"'{measures['exec_vacancy_rate']}' : '{measures['interim_cover_share']}'"
    )
    base = (
        alt.Chart(by_role)
        .transform_fold(list(measures), as_=["measure", "value"])
        .transform_calculate(measure_label=label_expr)
        .transform_filter("isValid(datum.value)")
        .encode(
            y=alt.Y("role:N", title=None, sort=roles, axis=alt.Axis(labelLimit=220)),
            yOffset=alt.YOffset("measure_label:N", sort=list(measures.values())),
        )
    )
    bars = base.mark_bar().encode(
        x=alt.X("value:Q", title="Share of executive posts", axis=alt.Axis(format=".0%")),
        color=alt.Color(
            "measure_label:N",
            scale=alt.Scale(
                domain=list(measures.values()), range=[palette.NHS_BLUE, palette.NHS_ORANGE]
            ),
            legend=alt.Legend(title=None, direction="vertical"),
        ),
        tooltip=[
            alt.Tooltip("role:N", title="Role"),
            alt.Tooltip("measure_label:N", title="Measure"),
            alt.Tooltip("value:Q", title="Share", format=".0%"),
        ],
    )
    labels = base.mark_text(align="left", dx=3, fontSize=10, color=palette.NHS_TEXT).encode(
        x=alt.X("value:Q"), text=alt.Text("value:Q", format=".0%")
    )
    return bars, labels


def _withheld_roles(by_role: pl.DataFrame, roles: list[str]) -> alt.Chart:
    import altair as alt

    # A role whose rate is withheld keeps its row, marked, rather than vanishing.
    withheld: alt.Chart = (
        alt.Chart(by_role)
        .transform_filter("datum.exec_vacancy_rate_suppressed")
        .mark_text(align="left", dx=3, fontSize=10, color=palette.NHS_TEXT)
        .encode(
            y=alt.Y("role:N", sort=roles),
            x=alt.datum(0),
            text=alt.value("* withheld (small count)"),
        )
    )
    return withheld


def vacancy_by_role_chart(
    by_role: pl.DataFrame,
    *,
    name: str = "vacancy_by_role",
    title: str = "Executive vacancy and interim cover by role",
    description: str | None = None,
) -> ChartSpec:
    """Horizontal bars per executive role: vacancy rate and interim cover share.

    ``by_role`` columns: ``role`` (label), ``posts`` (count), ``exec_vacancy_rate`` and
    ``interim_cover_share`` (fractions, null where withheld); roles are drawn in row order.
    """
    roles = [str(r) for r in by_role["role"].to_list()]

    def draw() -> alt.LayerChart | alt.FacetChart:
        import altair as alt

        layers: list[alt.Chart] = [*_role_bars(by_role, roles)]
        if "exec_vacancy_rate_suppressed" in by_role.columns:
            layers.append(_withheld_roles(by_role, roles))
        height = max(palette.HEIGHT, 34 * len(roles))
        return alt.layer(*layers, width=palette.WIDTH - 140, height=height)

    table = table_from_frame(
        by_role,
        (
            Column("role", "Role", "text"),
            Column("posts", "Executive posts", "count"),
            Column("exec_vacancy_rate", "Vacancy rate", "share"),
            Column("interim_cover_share", "Interim cover", "share"),
        ),
        name=name,
        caption=f"{title}: share of executive posts",
    )
    text = description or (
        "Bar chart by executive role of the share of posts with no substantive holder, "
        "and the share covered by an interim, acting or seconded holder."
    )
    return finish(
        draw,
        name=name,
        title=title,
        subtitle=("Share of executive board posts in each role on the date of the report.",),
        description=text,
        table=table,
    )


def _gap_ranges(groups: pl.DataFrame, y: alt.Y, axis: alt.Axis) -> alt.Chart:
    """A grey line per group from the workforce share to the board share: the gap."""
    import altair as alt

    ranges: alt.Chart = (
        alt.Chart(groups)
        .mark_rule(color=palette.NHS_MID_GREY, strokeWidth=2)
        .encode(
            y=y,
            x=alt.X("bme_share_workforce:Q", title="BME share", axis=axis),
            x2=alt.X2("bme_share_board_voting:Q"),
        )
    )
    return ranges


def _share_dots(groups: pl.DataFrame, y: alt.Y, axis: alt.Axis, group_label: str) -> alt.Chart:
    """A dot per group for each share, the board's and the workforce's."""
    import altair as alt

    measures = {
        "bme_share_board_voting": "Voting board members",
        "bme_share_workforce": "Workforce",
    }
    label_expr = (
        "datum.measure == 'bme_share_board_voting' ? "
        f"'{measures['bme_share_board_voting']}' : '{measures['bme_share_workforce']}'"
    )
    dots: alt.Chart = (
        alt.Chart(groups)
        .transform_fold(list(measures), as_=["measure", "value"])
        .transform_calculate(measure_label=label_expr)
        .transform_filter("isValid(datum.value)")
        .mark_point(filled=True, size=90, opacity=1)
        .encode(
            y=y,
            x=alt.X("value:Q", axis=axis),
            color=alt.Color(
                "measure_label:N",
                scale=alt.Scale(
                    domain=list(measures.values()), range=[palette.NHS_BLUE, palette.NHS_ORANGE]
                ),
                legend=alt.Legend(title=None),
            ),
            shape=alt.Shape(
                "measure_label:N",
                scale=alt.Scale(domain=list(measures.values()), range=["circle", "diamond"]),
            ),
            tooltip=[
                alt.Tooltip("group:N", title=group_label),
                alt.Tooltip("measure_label:N", title="Share of"),
                alt.Tooltip("value:Q", title="BME share", format=".0%"),
            ],
        )
    )
    return dots


def bme_share_chart(
    groups: pl.DataFrame,
    *,
    group_label: str,
    name: str = "bme_share",
    title: str = "Black and minority ethnic share: voting board members against the workforce",
    description: str | None = None,
) -> ChartSpec:
    """A dot and range plot per group: BME share of voting board members and of staff.

    ``groups`` columns: ``group`` (label), ``bme_share_board_voting``,
    ``bme_share_workforce`` (fractions) and ``wres9_gap_pp`` (percentage points); a
    null share draws no dot. Groups are drawn in row order.
    """
    names = [str(g) for g in groups["group"].to_list()]

    def draw() -> alt.LayerChart | alt.FacetChart:
        import altair as alt

        y = alt.Y("group:N", title=None, sort=names, axis=alt.Axis(labelLimit=220))
        axis = alt.Axis(format=".0%", tickCount=6)
        ranges = _gap_ranges(groups, y, axis)
        dots = _share_dots(groups, y, axis, group_label)
        height = max(120, 26 * len(names))
        return alt.layer(ranges, dots, width=palette.WIDTH - 140, height=height)

    table = table_from_frame(
        groups,
        (
            Column("group", group_label, "text"),
            Column("bme_share_board_voting", "Voting board members", "share"),
            Column("bme_share_workforce", "Workforce", "share"),
            Column("wres9_gap_pp", "Gap (percentage points)", "pp"),
        ),
        name=name,
        caption=f"{title} (WRES indicator 9)",
    )
    text = description or (
        f"Dot plot by {mid_sentence(group_label)}: the share of voting board members from a Black "
        "or minority ethnic background, against the same share of the workforce. The line "
        "between the dots is the gap (WRES indicator 9)."
    )
    return finish(
        draw,
        name=name,
        title=title,
        subtitle=(
            "A board that reflects its workforce has its two dots together (WRES indicator 9).",
        ),
        description=text,
        table=table,
    )
