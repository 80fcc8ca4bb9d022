"""Headline figures in plain English, from one published row of the board figures.

The row is a row of ``stability.board.figures_frame`` after disclosure control: counts
rounded or ``SUPPRESSED``, a share ``SUPPRESSED`` when its count is. Each headline has the
value, one sentence a board member can read aloud, and the figure's definition; a
withheld figure says so instead of guessing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final

from talentboard.reports.methods import definition
from talentboard.reports.model import Cell, ColumnKind, Headline, Suppressed
from talentboard.reports.presenters import format_cell, in_words
from talentboard.stability.disclosure import DEFAULT_RULE

__all__ = ["headlines"]

WITHHELD = "Withheld: the count behind this figure is too small to publish."
NOT_APPLICABLE = "Not applicable: there is nothing to count it against."


def _pct(value: float) -> str:
    return format_cell(value, "share")


def _p(p_value: float) -> str:
    """A p-value as a board paper gives it: ``p < 0.001`` below one in a thousand."""
    return "p < 0.001" if p_value < 0.001 else f"p = {p_value:.3f}"


def _years(value: Cell) -> str:
    return format_cell(value, "years")


def _make(
    row: Mapping[str, Cell],
    metric: str,
    label: str,
    kind: ColumnKind,
    say: Callable[[float], str],
    numerator: str | None = None,
    denominator: str | None = None,
    *,
    missing: str = NOT_APPLICABLE,
    key: str | None = None,
    value: Cell | None = None,
) -> Headline:
    """A headline whose sentence ``say`` words the figure's numeric value, read from
    ``row[key]`` (``key`` defaults to the metric's name); ``value`` overrides what is shown."""
    figure = row[key or metric]
    shown = figure if value is None else value
    if isinstance(figure, Suppressed):
        sentence = WITHHELD
    elif isinstance(figure, int | float):
        sentence = say(float(figure))
    else:
        sentence = missing
    return Headline(
        metric=metric,
        label=label,
        value=shown,
        kind=kind,
        sentence=sentence,
        definition=definition(metric).text,
        numerator=row[numerator] if numerator else None,
        denominator=row[denominator] if denominator else None,
    )


def _count(row: Mapping[str, Cell], name: str) -> str:
    return format_cell(row[name], "count")


ROUNDING: Final = (
    f"counts rounded to the nearest {DEFAULT_RULE.round_to}; the share is worked from the "
    "exact counts"
)
"""Said beside published counts, so that a share next to rounded counts reads right."""


def _of(
    row: Mapping[str, Cell], numerator: str, denominator: str, note: str, noun: str = ""
) -> str:
    """``125 of 1,535 posts, counts rounded ...``: a share's counts, in words, with the
    rounding ``note`` when they are rounded."""
    counts = f"{_count(row, numerator)} of {_count(row, denominator)}{' ' + noun if noun else ''}"
    return f"{counts}, {note}" if note else counts


def _spells(count: Cell) -> str:
    """``1 executive spell``, ``15 executive spells``."""
    return f"{format_cell(count, 'count')} executive spell{'' if count == 1 else 's'}"


def _tenure_sentence(row: Mapping[str, Cell], median: float) -> str:
    lower, upper = row["median_tenure_ci_lower"], row["median_tenure_ci_upper"]
    interval = (
        f" (95% interval {_years(lower)} to {_years(upper)} years)"
        if isinstance(lower, float) and isinstance(upper, float)
        else ""
    )
    return (
        f"Half of executive directors' spells in post end within {_years(median)} "
        f"years{interval}, counting those still in post for the time served so far."
    )


def _diversity_sentence(row: Mapping[str, Cell], where: str, board: float) -> str:
    workforce, gap = row["bme_share_workforce"], row["wres9_gap_pp"]
    text = (
        f"{_pct(board)} of voting board members {where} are from a Black or minority "
        "ethnic background"
    )
    if isinstance(workforce, float) and isinstance(gap, float):
        return f"{text}, against {_pct(workforce)} of their staff: a gap of " + (
            f"{format_cell(gap, 'pp')}."
        )
    return f"{text}."


def _gap_sentence(value: float) -> str:
    if value == 0:
        return "Voting board members are as diverse as the workforce."
    direction = "below" if value < 0 else "above"
    return (
        f"The BME share of voting board members is {abs(value):.1f} percentage points "
        f"{direction} that of the workforce."
    )


def _logrank_sentence(p_value: float, row: Mapping[str, Cell] | None = None) -> str:
    """The log-rank test with its direction and size: the Kaplan-Meier median tenure of
    each arm (``tenure_median_challenged_years``, ``tenure_median_other_years``, from the
    spells the test compares), which group stays longer and by how much."""
    test = f"log-rank test, {_p(p_value)}"
    challenged = None if row is None else row.get("tenure_median_challenged_years")
    other = None if row is None else row.get("tenure_median_other_years")
    if row is None or isinstance(challenged, Suppressed) or isinstance(other, Suppressed):
        verdict = "differs from" if p_value < 0.05 else "shows no clear difference from"
        withheld = (
            ""
            if row is None
            else "; the median of each group rests on a count too small to publish"
        )
        return (
            f"Executive tenure in organisations in oversight segments 3 to 5 {verdict} "
            f"segments 1 and 2 ({test}{withheld})."
        )
    low = "segments 3 to 5"
    high = "segments 1 and 2"
    if isinstance(challenged, float) and isinstance(other, float):
        longer, shorter = (high, low) if other >= challenged else (low, high)
        # The gap between the medians as shown, so the sentence adds up as read.
        gap = abs(float(_years(other)) - float(_years(challenged)))
        medians = (
            f"Half of executive spells end within {_years(challenged)} years in "
            f"organisations in oversight segments 3 to 5, against {_years(other)} years in "
            f"segments 1 and 2"
        )
        if p_value >= 0.05 or gap == 0:
            return f"{medians}: a difference of {_years(gap)} years that could be chance ({test})."
        return (
            f"{medians}: executives in {longer} stay {_years(gap)} years longer than in "
            f"{shorter} ({test})."
        )
    # One median or both not reached: more than half of those spells are still going.
    reached = [
        (name, value)
        for name, value in ((low, challenged), (high, other))
        if isinstance(value, float)
    ]
    missing = [name for name, value in ((low, challenged), (high, other)) if value is None]
    parts = [f"half of executive spells end within {_years(v)} years in {n}" for n, v in reached]
    parts += [
        f"in {n} more than half are still going, so the median is not yet reached" for n in missing
    ]
    text = "; ".join(parts)
    verdict = "differs" if p_value < 0.05 else "shows no clear difference"
    return f"{text[0].upper()}{text[1:]}. Tenure {verdict} between the two ({test})."


def _orgs_sentence(row: Mapping[str, Cell], share: float, where: str, note: str) -> str:
    """Organisations with a vacancy in words; for one organisation, of that organisation."""
    if row["orgs_with_exec_posts"] == 1:
        has = "has at least one" if share > 0 else "has no"
        return f"The organisation {has} executive director post without a substantive holder."
    return (
        f"{in_words(share).capitalize()} organisations {where} have at least one executive "
        "director post without a substantive holder "
        f"({_of(row, 'orgs_with_exec_vacancy', 'orgs_with_exec_posts', note)})."
    )


def _vacancy_headlines(row: Mapping[str, Cell], where: str, note: str) -> tuple[Headline, ...]:
    """Organisations with a vacancy, the vacancy rate and interim cover."""
    return (
        _make(
            row,
            "orgs_with_exec_vacancy_share",
            "Organisations with an executive vacancy",
            "share",
            lambda v: _orgs_sentence(row, v, where, note),
            "orgs_with_exec_vacancy",
            "orgs_with_exec_posts",
        ),
        _make(
            row,
            "exec_vacancy_rate",
            "Executive vacancy rate",
            "share",
            lambda v: (
                f"{_pct(v)} of executive director posts {where} have no substantive holder "
                f"({_of(row, 'exec_posts_vacant', 'exec_posts', note, 'posts')})."
            ),
            "exec_posts_vacant",
            "exec_posts",
        ),
        _make(
            row,
            "interim_cover_share",
            "Interim cover",
            "share",
            lambda v: (
                f"{_pct(v)} of executive director posts are held by an interim, acting or "
                "seconded director while there is no substantive holder."
            ),
            "exec_posts_interim",
            "exec_posts",
        ),
    )


def _tenure_headlines(row: Mapping[str, Cell], where: str) -> tuple[Headline, ...]:
    """How long executive directors stay, and how recently those in post arrived."""
    not_reached = (
        "More than half of executive directors' spells are still going, so the median "
        "has not been reached."
    )
    return (
        _make(
            row,
            "median_tenure_years",
            "Median tenure of executive directors",
            "years",
            lambda v: _tenure_sentence(row, v),
            "tenure_departures",
            "tenure_spells",
            missing=not_reached if isinstance(row["tenure_spells"], int) else NOT_APPLICABLE,
        ),
        _make(
            row,
            "current_holders_median_years",
            "Time in post of current holders (snapshot)",
            "years",
            lambda v: (
                f"Executive directors in post have served a median of {_years(v)} years so "
                "far. This snapshot leaves out everyone who has already left, so it does not "
                "measure how long directors stay: the Kaplan-Meier median does."
            ),
            None,
            "current_holders",
        ),
        _make(
            row,
            "appointed_within_3y_share",
            "Appointed in the last three years",
            "share",
            lambda v: (
                f"{in_words(v).capitalize()} executive directors in post {where} were "
                "appointed in the last three years."
            ),
            "appointed_within_3y",
            "current_holders",
        ),
    )


def _turnover_headlines(row: Mapping[str, Cell], note: str) -> tuple[Headline, ...]:
    """Spells ended in the last twelve months, and how many were forced."""
    return (
        _make(
            row,
            "turnover_rate_12m",
            "Executive turnover, last 12 months",
            "share",
            lambda v: (
                f"{_spells(row['ended_12m'])} ended in the last 12 months: a turnover of "
                f"{_pct(v)} of the average number in post{f' ({note})' if note else ''}."
            ),
            "ended_12m",
            None,
        ),
        _make(
            row,
            "forced_exit_share_12m",
            "Forced exits, last 12 months",
            "share",
            lambda v: (
                f"{in_words(v).capitalize()} of the executive spells that ended in the last "
                "12 months ended in dismissal or a forced exit."
            ),
            "forced_exits_12m",
            "ended_12m",
        ),
    )


def _diversity_headlines(row: Mapping[str, Cell], where: str) -> tuple[Headline, ...]:
    """The BME share of boards and of the workforce, and the gap between them."""
    return (
        _make(
            row,
            "bme_share_board_voting",
            "BME share of voting board members",
            "share",
            lambda v: _diversity_sentence(row, where, v),
            "board_voting_bme",
            "board_voting_known",
        ),
        _make(
            row,
            "bme_share_workforce",
            "BME share of the workforce",
            "share",
            lambda v: (
                f"{_pct(v)} of staff in the organisations counted are from a Black or "
                f"minority ethnic background ({_count(row, 'workforce_orgs')} "
                f"{'organisation' if row['workforce_orgs'] == 1 else 'organisations'} "
                "with workforce figures)."
            ),
            None,
            "workforce_orgs",
        ),
        _make(
            row,
            "wres9_gap_pp",
            "Board against workforce gap (WRES indicator 9)",
            "pp",
            _gap_sentence,
        ),
    )


def _logrank_headline(row: Mapping[str, Cell]) -> Headline:
    """Whether tenure differs where performance is most challenged, shown as its p-value."""
    p_value = row["tenure_logrank_p_value"]
    p_shown: Cell = _p(p_value) if isinstance(p_value, float) else p_value
    return _make(
        row,
        "tenure_logrank_challenged",
        "Tenure where performance is most challenged",
        "text",
        lambda p: _logrank_sentence(p, row),
        key="tenure_logrank_p_value",
        value=p_shown,
    )


def headlines(row: Mapping[str, Cell], *, where: str, rounded: bool = True) -> tuple[Headline, ...]:
    """The headline figures of one published row; ``where`` names the scope in sentences
    ("in England", "in the London region"); ``rounded``: the row's counts are rounded by
    disclosure control (exact figures for those who may see them are not)."""
    note = ROUNDING if rounded else ""
    return (
        *_vacancy_headlines(row, where, note),
        *_tenure_headlines(row, where),
        *_turnover_headlines(row, note),
        *_diversity_headlines(row, where),
        _logrank_headline(row),
    )
