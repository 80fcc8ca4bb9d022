"""What happens when a kept value outlives the cache's time to live.

The time to live is there for writes the data stamp cannot see (a title rewritten in
place by another program). At the all-levels scale, computing the register and a
national page again takes seconds, so an expired value is checked against the write mark
first, and while one request checks it the others are given it rather than held up.
"""

from __future__ import annotations

import threading

from talentboard.web.cache import PENDING, AnalysisCache


class Counter:
    """A computation that counts how often it runs and returns its run number."""

    def __init__(self) -> None:
        self.runs = 0

    def __call__(self) -> int:
        self.runs += 1
        return self.runs


def test_a_value_keyed_by_its_data_never_expires() -> None:
    """Under the empty stamp the key itself says what the value was computed from."""
    cache = AnalysisCache(ttl_seconds=0.0)
    compute = Counter()
    assert cache.get(("figures", "fingerprint"), (), compute) == 1
    assert cache.get(("figures", "fingerprint"), (), compute) == 1
    assert compute.runs == 1


def test_an_expired_value_is_kept_while_nothing_has_been_written() -> None:
    cache = AnalysisCache(ttl_seconds=0.0)
    compute = Counter()
    mark = ["mark 1"]
    assert cache.get("register", "stamp", compute, lambda _within: mark[0]) == 1
    # Expired (time to live 0), same stamp, same write mark: nothing to compute.
    assert cache.get("register", "stamp", compute, lambda _within: mark[0]) == 1
    assert compute.runs == 1
    # A write the stamp cannot see moves the write mark: computed again.
    mark[0] = "mark 2"
    assert cache.get("register", "stamp", compute, lambda _within: mark[0]) == 2
    assert compute.runs == 2


def test_a_computation_takes_any_earlier_reading_and_a_check_a_recent_one() -> None:
    """Reading the write mark reads every analysed table (about a second at the all-levels
    scale on PostgreSQL), so a computation takes whatever reading there is: any reading
    from before it is safe, since a later write only makes the check compute again. The
    check at expiry asks for one at most ``stamp_seconds`` old."""
    cache = AnalysisCache(ttl_seconds=0.0, stamp_seconds=2.0)
    asked: list[float] = []

    def mark(within: float) -> str:
        asked.append(within)
        return "mark"

    cache.get("register", "stamp", Counter(), mark)
    cache.get("register", "stamp", Counter(), mark)
    assert asked == [float("inf"), 2.0]


def test_an_expired_value_without_a_write_mark_is_computed_again() -> None:
    """An in-memory database has no write mark (None): expiry recomputes, as before."""
    cache = AnalysisCache(ttl_seconds=0.0)
    compute = Counter()
    assert cache.get("register", "stamp", compute, lambda _within: None) == 1
    assert cache.get("register", "stamp", compute, lambda _within: None) == 2
    assert cache.get("register", "stamp", compute) == 3


def test_a_new_stamp_is_computed_whatever_the_write_mark() -> None:
    cache = AnalysisCache(ttl_seconds=300.0)
    compute = Counter()
    assert cache.get("register", "stamp 1", compute, lambda _within: "mark") == 1
    assert cache.get("register", "stamp 1", compute, lambda _within: "mark") == 1
    assert cache.get("register", "stamp 2", compute, lambda _within: "mark") == 2


def test_while_one_request_checks_an_expired_value_the_others_are_given_it() -> None:
    """The first request after expiry computes again (the mark moved); a second request
    meanwhile gets the kept value at once instead of waiting for the computation."""
    cache = AnalysisCache(ttl_seconds=0.0)
    assert cache.get("register", "stamp", lambda: "kept", lambda _within: "mark 1") == "kept"
    started, release = threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        assert release.wait(10)
        return "recomputed"

    results: list[str] = []
    first = threading.Thread(
        target=lambda: results.append(
            cache.get("register", "stamp", slow, lambda _within: "mark 2")
        )
    )
    first.start()
    assert started.wait(10)
    second: list[str] = []
    other = threading.Thread(
        target=lambda: second.append(cache.get("register", "stamp", lambda: "never"))
    )
    other.start()
    other.join(30)  # it does not wait for ``release``, which comes only after
    assert second == ["kept"]
    release.set()
    first.join(10)
    assert results == ["recomputed"]
    # The recomputed value replaced the kept one.
    cache.ttl = 300.0
    assert cache.get("register", "stamp", lambda: "never", lambda _within: "mark 2") == "recomputed"


def test_a_value_at_an_old_stamp_still_waits_for_its_computation() -> None:
    """Only an expired value whose stamp still holds is handed out while it is checked: a
    value from before a change is never shown after it."""
    cache = AnalysisCache(ttl_seconds=300.0)
    assert cache.get("register", "stamp 1", lambda: "old") == "old"
    started, release = threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        assert release.wait(10)
        return "new"

    results: list[str] = []
    first = threading.Thread(target=lambda: results.append(cache.get("register", "stamp 2", slow)))
    first.start()
    assert started.wait(10)
    second: list[str] = []
    waiter = threading.Thread(
        target=lambda: second.append(cache.get("register", "stamp 2", lambda: "never"))
    )
    waiter.start()
    waiter.join(0.5)
    assert waiter.is_alive()  # waiting for the computation, not given "old"
    release.set()
    first.join(10)
    waiter.join(10)
    assert results == second == ["new"]


def test_while_the_write_mark_is_read_apart_the_value_is_given_as_it_is() -> None:
    """When the check finds the mark being read on its own thread (``PENDING``), the
    checking request is given the value as it is too; the first request after the
    reading checks it."""
    cache = AnalysisCache(ttl_seconds=0.0)
    compute = Counter()
    assert cache.get("register", "stamp", compute, lambda _within: "mark 1") == 1
    assert cache.get("register", "stamp", compute, lambda _within: PENDING) == 1
    assert cache.get("register", "stamp", compute, lambda _within: PENDING) == 1
    assert compute.runs == 1
    assert cache.get("register", "stamp", compute, lambda _within: "mark 2") == 2


def test_files_are_bounded_by_their_total_size_and_analysis_entries_stay() -> None:
    cache = AnalysisCache(max_file_bytes=1_000)
    cache.get("figures", "stamp", lambda: {"vacancy": 0.08})
    for name in ("a", "b", "c"):
        cache.get(("report", name), "stamp", lambda: b"x" * 400)
    kept = dict(cache._entries)
    # 1,200 bytes of files: the oldest file goes; the older analysis entry stays.
    assert ("report", "a") not in kept
    assert ("report", "b") in kept
    assert ("report", "c") in kept
    assert kept["figures"][2] == {"vacancy": 0.08}
    assert cache._file_bytes == 800
    # Reading a file makes it the most recently used: the next one pushes "c" out.
    assert cache.get(("report", "b"), "stamp", lambda: b"never drawn") == b"x" * 400
    cache.get(("report", "d"), "stamp", lambda: b"y" * 500)
    assert ("report", "c") not in cache._entries
    assert ("report", "b") in cache._entries
    assert cache._file_bytes == 900
    # A file drawn again in place counts once; one larger than the bound is not kept.
    cache.get(("report", "d"), "other stamp", lambda: b"z" * 100)
    assert cache._file_bytes == 500
    assert cache.get(("report", "e"), "stamp", lambda: b"w" * 2_000) == b"w" * 2_000
    assert ("report", "e") not in cache._entries
    assert ("report", "b") in cache._entries
    assert ("report", "d") in cache._entries
    assert cache._file_bytes == 500
    assert "figures" in cache._entries
    cache.clear()
    assert cache._file_bytes == 0
