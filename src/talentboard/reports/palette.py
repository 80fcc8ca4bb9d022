"""NHS identity colours and the chart theme shared by every report chart.

Colours are the NHS identity palette. The SPC colours follow the NHS Making Data Count
convention (grey common cause, blue improvement, orange concern, purple neither) drawn
from that palette. Every series that colour distinguishes is also told apart by shape or
line dash, and by the chart's table, so colour is never the only cue.
"""

from __future__ import annotations

from typing import Any, Final

NHS_BLUE: Final = "#005EB8"
NHS_DARK_BLUE: Final = "#003087"
NHS_LIGHT_BLUE: Final = "#41B6E6"
NHS_AQUA_GREEN: Final = "#00A499"
NHS_DARK_GREEN: Final = "#006747"
NHS_PURPLE: Final = "#330072"
NHS_DARK_PINK: Final = "#7C2855"
NHS_ORANGE: Final = "#ED8B00"
NHS_WARM_YELLOW: Final = "#FFB81C"
NHS_RED: Final = "#DA291C"
NHS_DARK_GREY: Final = "#425563"
NHS_MID_GREY: Final = "#768692"
NHS_PALE_GREY: Final = "#E8EDEE"
NHS_TEXT: Final = "#212B32"

# Categorical series in order: adjacent colours differ in lightness as well as hue.
CATEGORICAL: Final = (
    NHS_BLUE,
    NHS_ORANGE,
    NHS_AQUA_GREEN,
    NHS_DARK_PINK,
    NHS_DARK_GREY,
    NHS_LIGHT_BLUE,
    NHS_PURPLE,
    NHS_WARM_YELLOW,
)

SPC_COMMON: Final = NHS_MID_GREY
SPC_IMPROVEMENT: Final = NHS_LIGHT_BLUE
SPC_CONCERN: Final = NHS_ORANGE
SPC_NEITHER: Final = NHS_PURPLE
SPC_TARGET: Final = NHS_RED

# Arimo, metric-compatible with Arial (the NHS fall-back typeface), under the name the
# PDF and the web app's stylesheets give the package's own copy of it, so charts look the
# same on every machine; Arial and Liberation Sans serve where that name is not declared.
FONT: Final = "talentboard-arimo, Arial, 'Liberation Sans', sans-serif"

WIDTH: Final = 520
HEIGHT: Final = 240


def theme() -> dict[str, Any]:
    """The Vega-Lite ``config`` every report chart carries."""
    return {
        "font": FONT,
        "background": "#FFFFFF",
        "view": {"stroke": None},
        "title": {
            "anchor": "start",
            "color": NHS_TEXT,
            "fontSize": 15,
            "fontWeight": "bold",
            "subtitleColor": NHS_DARK_GREY,
            "subtitleFontSize": 12,
            "offset": 12,
        },
        "axis": {
            "labelColor": NHS_TEXT,
            "titleColor": NHS_TEXT,
            "labelFontSize": 11,
            "titleFontSize": 12,
            "titleFontWeight": "normal",
            "gridColor": NHS_PALE_GREY,
            "domainColor": NHS_MID_GREY,
            "tickColor": NHS_MID_GREY,
        },
        "legend": {
            "labelColor": NHS_TEXT,
            "titleColor": NHS_TEXT,
            "labelFontSize": 11,
            "titleFontSize": 12,
            "orient": "bottom",
            "direction": "horizontal",
            "labelLimit": 320,
        },
    }
