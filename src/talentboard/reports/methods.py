"""The methods appendix: every figure's definition, in the words of DESIGN section 5.

The report prints these beside the figures and in full in its appendix; docs/metrics.md
gives the reasoning and sources behind each.
"""

from __future__ import annotations

from typing import Final

from talentboard.reports.model import Definition

__all__ = ["CONVENTIONS", "DEFINITIONS", "definition"]

CONVENTIONS: Final = (
    Definition(
        "as_at",
        "As at a date",
        "All figures are taken as at a date t. An appointment covers t when its start is on "
        "or before t and its end (empty while serving) is after t. A post exists at t when it "
        "was established on or before t and not abolished on or before t.",
    ),
    Definition(
        "executive_board_post",
        "Executive board post",
        "A post at board level that is executive (chief executive and executive directors).",
    ),
    Definition(
        "substantive",
        "Substantive",
        "An appointment of type substantive or joint. Interim, acting and secondment "
        "appointments cover a post but do not fill it substantively.",
    ),
    Definition(
        "spell",
        "Spell",
        "A substantive appointment, after merging consecutive substantive appointments of one "
        "person to one post whose gap is at most one day (back-to-back contracts are one spell).",
    ),
    Definition(
        "calendar_shifts",
        "Twelve months and three years earlier",
        "t - 12 months and t - 3 years are calendar shifts (same day and month). Years of "
        "duration are days / 365.25.",
    ),
    Definition(
        "segment",
        "Oversight segment",
        "An organisation's NHS Oversight Framework segment at t is that of its latest "
        "performance rating effective on or before t (1 best, 4 or 5 most challenged).",
    ),
)

DEFINITIONS: Final = (
    Definition(
        "orgs_with_exec_vacancy_share",
        "Organisations with an executive vacancy",
        "Among organisations with at least one executive board post at t: the share with at "
        "least one executive board post that no substantive appointment covers.",
    ),
    Definition(
        "exec_vacancy_rate",
        "Executive vacancy rate",
        "Executive board posts at t with no substantive appointment covering t, divided by "
        "executive board posts at t.",
    ),
    Definition(
        "interim_cover_share",
        "Interim cover",
        "Executive board posts at t with no substantive appointment but an interim, acting or "
        "secondment appointment covering t, divided by executive board posts at t.",
    ),
    Definition(
        "median_tenure_years",
        "Median tenure (Kaplan-Meier)",
        "Kaplan-Meier median of executive spells that started on or before t: duration = "
        "min(end, t) - start; event = the spell ended on or before t, otherwise censored; at "
        "tied times events come before censorings; the median is the first time the survival "
        "estimate is at or below 0.5 (none if never). Its 95% interval comes from the "
        "exponential Greenwood interval of the curve (as the lifelines library gives it). "
        "Spells still running count for the time served so far, so the figure does not "
        "depend on who happens to be in post at t.",
    ),
    Definition(
        "current_holders_median_years",
        "Median time in post of current holders (snapshot)",
        "The ordinary median of t - start over executive spells covering t. This is the "
        "snapshot measure some published figures use; it is biased (it ignores everyone who "
        "has already left) and is shown only beside the Kaplan-Meier figure.",
    ),
    Definition(
        "appointed_within_3y_share",
        "Appointed in the last three years",
        "Executive spells covering t that started after t - 3 years, divided by executive "
        "spells covering t.",
    ),
    Definition(
        "turnover_rate_12m",
        "Twelve-month turnover",
        "Executive spells that ended in the twelve months to t (after t - 12 months, up to "
        "and including t), divided by the mean of the counts of executive spells covering "
        "t - 12 months and covering t.",
    ),
    Definition(
        "forced_exit_share_12m",
        "Forced exits",
        "Of the executive spells that ended in the twelve months to t, the share whose last "
        "appointment ended with the reason dismissed or forced.",
    ),
    Definition(
        "bme_share_board_voting",
        "BME share of voting board members",
        "Distinct people with an appointment of any type covering t in a voting board post "
        "whose ethnic category is Black or minority ethnic (NHS Data Dictionary codes D to S), "
        "divided by those whose category is known (not Z 'not stated', not 99 'not known', "
        "not empty).",
    ),
    Definition(
        "bme_share_workforce",
        "BME share of the workforce",
        "The staff-headcount-weighted mean of each organisation's BME staff share, over the "
        "organisations counted that have both figures.",
    ),
    Definition(
        "wres9_gap_pp",
        "Board against workforce gap (WRES indicator 9)",
        "100 × (BME share of voting board members - BME share of the workforce), in "
        "percentage points; negative when boards are less diverse than their staff.",
    ),
    Definition(
        "tenure_logrank_challenged",
        "Tenure in challenged organisations (log-rank test)",
        "A log-rank test of the same spells, organisations in oversight segment 3 or worse "
        "at t against segments 1 and 2: the test statistic and its p-value.",
    ),
    Definition(
        "time_to_fill",
        "Time to fill",
        "A vacancy opens when a substantive spell in an executive board post ends. It is "
        "filled by the next substantive spell in that post: time to fill is the days from "
        "the end to that start (0 when the successor had already started). A vacancy still "
        "open at t is censored at t, or at the post's abolition if earlier. The median is "
        "the Kaplan-Meier median, as for tenure.",
    ),
    Definition(
        "spc",
        "Statistical process control (XmR) charts",
        "Monthly values are plotted with their mean and process limits at the mean plus or "
        "minus 2.66 times the mean moving range (the NHS Making Data Count method). A point "
        "is special cause when it is outside the limits, when 7 points in a row are on one "
        "side of the mean, when 7 points in a row rise or fall (6 consecutive rises or falls), "
        "or when 2 of 3 points are beyond two sigma on the same side. Special cause is "
        "improvement or concern according to the direction that is better for the measure; "
        "otherwise the variation is common cause. The variation sentence reads the latest "
        "month, as the Making Data Count icon does, and says when any of the 6 months before "
        "it is special cause.",
    ),
    Definition(
        "instability_index",
        "Instability index (hotspots)",
        "For each organisation with an executive board post at t, four figures: executive "
        "vacancy rate, interim cover share, twelve-month turnover and Kaplan-Meier median "
        "tenure (shorter is less stable; a median not reached counts as the longest). Each "
        "becomes a percentile score among the organisations that have it, 100 × (rank - 1) / "
        "(n - 1), ties sharing their average rank (50 when only one organisation has it). "
        "The index is the mean of the scores an organisation has, from 0 (most stable) to "
        "100 (least stable); hotspots are the organisations with the highest index.",
    ),
    Definition(
        "breakdowns",
        "Breakdowns",
        "Every figure is also given by role, region, organisation kind, oversight segment and "
        "organisation: the same definition restricted to the posts (and their organisations) "
        "in each group. A share whose denominator is zero is not applicable (shown as a dash).",
    ),
)


def definition(name: str) -> Definition:
    """The definition named ``name`` (a DESIGN section 5 figure or a convention)."""
    for entry in (*CONVENTIONS, *DEFINITIONS):
        if entry.name == name:
            return entry
    raise KeyError(name)
