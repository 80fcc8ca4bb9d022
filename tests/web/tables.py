"""The tables of a page as text: caption (or, without one, aria-label) to rows of cells.

Responsive NHS.UK tables repeat each column's heading inside its cells for small screens;
those repeated headings are left out, so a cell reads as it does on a wide screen.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._label = ""
        self._rows: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self._in_caption = False
        self._caption: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if self._skip:
            self._skip += tag == "span"
        elif tag == "span" and "nhsuk-table__heading" in (found.get("class") or ""):
            self._skip = 1
        elif tag == "div" and found.get("aria-label"):
            self._label = found["aria-label"] or ""
        elif tag == "table":
            self._rows, self._caption = [], []
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            self._skip -= tag == "span"
        elif tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None and self._rows:
            self._rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table" and self._rows is not None:
            name = " ".join("".join(self._caption).split()) or self._label
            self.tables[name] = [row for row in self._rows if row]
            self._rows = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_caption:
            self._caption.append(data)
        elif self._cell is not None:
            self._cell.append(data)


def tables(html: str) -> dict[str, list[list[str]]]:
    """Every table of ``html`` by its caption: the heading row first, then the body rows."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables
