"""The parts of docs/data-formats.md written from the kind declarations.

Two blocks of the document, each between a pair of markers, are written from the
declarations: the list of kinds and the column reference; the rest is written by hand.
A test checks that the document holds what ``BLOCKS`` give, so a new or changed kind is
documented by rewriting the document with::

    python -m talentboard.ingest.docs docs/data-formats.md
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable
from pathlib import Path

from talentboard.ingest.kinds import KINDS
from talentboard.ingest.schema import Column, Kind
from talentboard.reference import ethnic_categories, frameworks, regions, roles


def _value(column: Column) -> str:
    if column.required:
        return "required"
    text = "optional extra column" if column.extra else "optional"
    if column.empty_means:
        text += f"; empty means {column.empty_means}"
    return text


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _example(kind: Kind) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(kind.column_names)
    for row in kind.examples:
        writer.writerow([row.get(name, "") for name in kind.column_names])
    return out.getvalue()


def _rules(kind: Kind) -> list[str]:
    rules = [
        "No two rows may have the same "
        + ", ".join(f"`{c}`" for c in kind.key)
        + " (the key: a row whose key is already stored updates it)."
    ]
    for reference in kind.references:
        article = "an" if reference.noun[0] in "aeiou" else "a"
        rules.append(
            f"`{reference.column}` must be the `{reference.attribute}` of {article} "
            f"{reference.noun} already in the database (import `{reference.kind}` first)."
        )
    for order in kind.orders:
        relation = "after" if order.strict else "on or after"
        rules.append(f"`{order.second}`, when given, must be {relation} `{order.first}`.")
    for rule in kind.requires:
        rules.append(f"`{rule.column}` may only be given with `{rule.needs}`.")
    rules.extend(kind.rule_docs)
    return rules


def kind_section(kind: Kind) -> str:
    """The documentation of one kind, in Markdown."""
    lines = [
        f"### `{kind.name}`",
        "",
        kind.summary,
        "",
        "Key for re-import: "
        + ", ".join(f"`{c}`" for c in kind.key)
        + ". Tables written: "
        + ", ".join(f"`{t}`" for t in kind.mapping.tables)
        + ".",
        "",
        "| column | value | accepted | meaning |",
        "|---|---|---|---|",
    ]
    for column in kind.columns:
        lines.append(
            f"| `{column.name}` | {_cell(_value(column))} | {_cell(column.type.describe())} "
            f"| {_cell(column.doc)} |"
        )
    lines += ["", "Rules:", ""]
    lines += [f"- {rule}" for rule in _rules(kind)]
    lines += ["", "Example (`talentboard template " + kind.name + " FILE` writes it):", ""]
    lines += ["```csv", _example(kind).rstrip("\n"), "```", ""]
    return "\n".join(lines)


def code_lists() -> str:
    """The reference catalogues that columns draw their codes from, in Markdown."""
    lines = ["### Code lists", "", "NHS England regions (`region_code`, `willing_regions`):", ""]
    lines += ["| code | region |", "|---|---|"]
    lines += [f"| `{r.code}` | {r.name} |" for r in regions()]
    lines += ["", "Ethnic categories (`ethnic_category`: the code or the label):", ""]
    lines += ["| code | NHS Data Dictionary label | BME |", "|---|---|---|"]
    for c in ethnic_categories():
        bme = "" if c.bme is None else ("yes" if c.bme else "no")
        lines.append(f"| `{c.code}` | {c.label} | {bme} |")
    lines += ["", "Roles (`role_code`, `target_role_code`), with the catalogue's defaults:", ""]
    lines += ["| code | role | level | executive | voting |", "|---|---|---|---|---|"]
    for r in roles():
        flags = ("true" if r.executive else "false", "true" if r.voting else "false")
        lines.append(f"| `{r.code}` | {r.label} | {r.level} | {flags[0]} | {flags[1]} |")
    for scheme in frameworks().values():
        lines += ["", f"{scheme.name} (`{scheme.code}`), its {scheme.units}:", ""]
        lines += ["| code | name |", "|---|---|"]
        lines += [f"| `{d.code}` | {d.name} |" for d in scheme.domains]
        scale = "; ".join(f"{s} {label.lower()}" for s, label in scheme.scale if s is not None)
        blank = [label for s, label in scheme.scale if s is None]
        if blank:
            scale += f"; empty: {blank[0].lower()}"
        lines += ["", f"Scale: {scale}."]
    return "\n".join(lines) + "\n"


def kinds_reference() -> str:
    """The documentation of every kind, in load order, and the code lists they use."""
    return "\n".join([*(kind_section(kind) for kind in KINDS.values()), code_lists()])


def kinds_summary() -> str:
    """A table of the kinds, in load order, with what a row is and the key."""
    lines = ["| kind | holds | key for re-import |", "|---|---|---|"]
    for kind in KINDS.values():
        key = ", ".join(f"`{c}`" for c in kind.key)
        lines.append(f"| `{kind.name}` | {_cell(kind.summary)} | {key} |")
    return "\n".join(lines) + "\n"


BLOCKS: dict[str, Callable[[], str]] = {
    "kinds-summary": kinds_summary,
    "kinds": kinds_reference,
}


def markers(name: str) -> tuple[str, str]:
    return (
        f"<!-- {name}:start (written by python -m talentboard.ingest.docs) -->",
        f"<!-- {name}:end -->",
    )


def rewrite(document: str) -> str:
    """``document`` with the text of each block replaced by what its function gives."""
    for name, write in BLOCKS.items():
        start, end = markers(name)
        before, rest = document.split(start, 1)
        after = rest.split(end, 1)[1]
        document = f"{before}{start}\n\n{write()}\n{end}{after}"
    return document


def main(argv: list[str]) -> None:
    for name in argv:
        path = Path(name)
        path.write_text(rewrite(path.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
