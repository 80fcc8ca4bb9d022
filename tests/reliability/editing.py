"""Many people saving the same records through the web form at once, and what must hold.

Each editor opens a person's details form, and all press Save together. An editor whose
save is refused because someone saved first (the conflict page, 409) may make their change
again on the form that page shows (the record as it now stands), as a person would, until
it is saved. Each editor writes a given name naming themselves and the version they were
shown, so the final state can be checked against every acknowledged save:

- each save acknowledged (303) took the record from the version shown to the next one, so
  the versions shown in the acknowledged saves of a record are exactly its versions from
  the first to the one before the last: none lost, none twice;
- the record's name is that of the save acknowledged last (the one shown the version
  before the final one);
- every answer was a save or the conflict page: no server error of any kind.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

from tests.reliability.live import Answer, Browser, form_values, is_stale_page


@dataclass
class Race:
    """What the editors were told."""

    saved: list[tuple[str, int, str]] = field(default_factory=list)  # person, version, name
    conflicts: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    unexpected: list[tuple[str, int, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, answer: Answer) -> None:
        with self.lock:
            self.statuses[answer.status] += 1


def _edit(
    browser: Browser,
    person_id: str,
    label: str,
    start: threading.Barrier,
    race: Race,
    tries: int,
) -> None:
    path = f"/people/{person_id}/edit"
    shown = browser.get(path)
    start.wait()
    if shown.status != 200:
        with race.lock:
            race.unexpected.append((person_id, shown.status, shown.text[:500]))
        return
    values = form_values(shown.text)
    # Opening the person's page is a read the audit trail records: a write too.
    race.note(browser.get(f"/people/{person_id}"))
    for _ in range(tries):
        shown = int(values["version"])
        values["given_name"] = f"{label} v{shown}"
        answer = browser.send(path, values)
        race.note(answer)
        if answer.status == 303:
            with race.lock:
                race.saved.append((person_id, shown, values["given_name"]))
            return
        if not is_stale_page(answer):
            with race.lock:
                race.unexpected.append((person_id, answer.status, answer.text[:500]))
            return
        with race.lock:
            race.conflicts += 1
        values = {**form_values(answer.text), "given_name": values["given_name"]}
    if tries > 1:
        with race.lock:
            race.unexpected.append((person_id, 0, "never saved"))


def run_race(browsers: list[Browser], people: list[str], *, until_saved: bool = True) -> Race:
    """Every browser edits one of ``people`` (in turn), all starting at once; with
    ``until_saved``, each tries again after a refusal until saved, else tries once."""
    race = Race()
    start = threading.Barrier(len(browsers))
    # An editor loses only to another editor's save, and each saves once: so at most one
    # try per editor of the record.
    tries = -(-len(browsers) // len(people)) if until_saved else 1
    threads = [
        threading.Thread(
            target=_edit,
            args=(b, people[i % len(people)], f"Editor{i:02d}", start, race, tries),
        )
        for i, b in enumerate(browsers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return race


def check_final_state(race: Race, person_id: str, first: int, final: tuple[str, int]) -> None:
    """The invariants of the module docstring, for one record that was at ``first``."""
    name, version = final
    shown = sorted(v for p, v, _ in race.saved if p == person_id)
    assert shown == list(range(first, version)), (person_id, shown, version)
    last = next(n for p, v, n in race.saved if p == person_id and v == version - 1)
    assert name == last
