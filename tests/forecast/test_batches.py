"""Reproducibility: the same seed gives the same run, however its batches are run."""

from __future__ import annotations

import numpy as np
import pytest

from talentboard.forecast.run import (
    batch_seeds,
    prepare,
    run_batch,
    run_forecast,
    summarise,
)
from talentboard.forecast.scenario import BASELINE, Scenario
from talentboard.forecast.simulate import batch_plan
from talentboard.forecast.summary import merge, statistics
from tests.forecast.registers import AS_AT, world

REPLICATIONS = 400
BATCH = 100


@pytest.fixture(scope="module")
def setup():  # type: ignore[no-untyped-def]
    w = world(30, gap_days=60)
    return prepare(w.frames(), w.successor_frame(), AS_AT, 24, by="org")


def test_batch_plan() -> None:
    assert batch_plan(250, 10, 100) == [100, 100, 50]
    assert batch_plan(1000, 3000) == [333, 333, 333, 1]


def test_batch_seeds_are_spawned_children() -> None:
    spawned = np.random.SeedSequence(5).spawn(3)[2]
    assert batch_seeds(5, 3)[2].generate_state(4).tolist() == spawned.generate_state(4).tolist()
    assert (
        np.random.SeedSequence(5, spawn_key=(2,)).generate_state(4).tolist()
        == spawned.generate_state(4).tolist()
    )


def test_a_batch_split_run_equals_the_single_run(setup) -> None:  # type: ignore[no-untyped-def]
    """Batches run apart, in another order, each from its own seed, merge into exactly the
    histogram, and so the figures, of the run done in one go."""
    whole = run_forecast(setup, REPLICATIONS, 11, BASELINE, batch_size=BATCH)
    plan = batch_plan(REPLICATIONS, setup.model.size, BATCH)
    parts = [run_batch(setup, BASELINE, 11, b, plan[b]) for b in reversed(range(len(plan)))]
    split = summarise(setup, BASELINE, 11, REPLICATIONS, merge(parts))
    assert split.to_json() == whole.to_json()
    assert split.figures.equals(whole.figures)
    # A different seed gives a different run.
    other = run_forecast(setup, REPLICATIONS, 12, BASELINE, batch_size=BATCH)
    assert other.to_json() != whole.to_json()


def test_threads_change_nothing_but_the_wait(setup) -> None:  # type: ignore[no-untyped-def]
    """Batches run one at a time or on three threads give the same figures, and progress
    is reported for each batch in order either way."""
    reported: dict[int, list[tuple[int, int]]] = {1: [], 3: []}
    runs = {
        threads: run_forecast(
            setup,
            REPLICATIONS,
            11,
            BASELINE,
            batch_size=BATCH,
            threads=threads,
            progress=lambda done, total, threads=threads: reported[threads].append((done, total)),
        )
        for threads in (1, 3)
    }
    assert runs[3].to_json() == runs[1].to_json()
    assert runs[3].figures.equals(runs[1].figures)
    assert reported[1] == reported[3] == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_histogram_quantiles_equal_numpy_quantiles(setup) -> None:  # type: ignore[no-untyped-def]
    """The quantiles taken from merged histograms are numpy's on the raw values."""
    from talentboard.forecast.simulate import simulate_batch

    seeds = batch_seeds(3, 2)
    counts = [
        simulate_batch(setup.model, BASELINE, setup.group_of, setup.groups, 150, s) for s in seeds
    ]
    departures = np.concatenate(
        [c.numerator["exec_departures"].sum(axis=0)[:, -1] for c in counts]
    ).astype(float)
    from talentboard.forecast.summary import histogram

    figures = statistics(merge(histogram(c, with_groups=True) for c in counts))
    row = figures.filter(
        (figures["measure"] == "exec_departures")
        & (figures["group"] == -1)
        & (figures["month"] == 23)
    ).row(0, named=True)
    assert row["mean"] == pytest.approx(departures.mean())
    for name, q in (("p05", 0.05), ("p50", 0.5), ("p95", 0.95)):
        assert row[name] == pytest.approx(float(np.quantile(departures, q)))


def test_sweep_on_a_local_cluster_equals_the_single_process_run(setup) -> None:  # type: ignore[no-untyped-def]
    """Each (scenario, batch) one Dask task on a LocalCluster: the same figures, quantiles
    included, as the runs done in this process."""
    pytest.importorskip("distributed")
    from talentboard.forecast.sweep import sweep

    scenarios = [BASELINE, Scenario(name="more turnover", turnover_multiplier=1.5)]
    results = sweep(
        setup,
        scenarios,
        REPLICATIONS,
        11,
        local={"n_workers": 1, "threads_per_worker": 2, "processes": False},
        batch_size=BATCH,
    )
    for scenario, result in zip(scenarios, results, strict=True):
        single = run_forecast(setup, REPLICATIONS, 11, scenario, batch_size=BATCH)
        assert result.to_json() == single.to_json()
    assert results[0].to_json() != results[1].to_json()


def test_a_batch_run_in_chunks_equals_the_batch_run_in_one_go(
    setup,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A batch cut into chunks of replications (for the processor's cache) gives exactly
    the counts of the batch run in one go: each chunk has its pairs' own numbers."""
    from talentboard.forecast import simulate

    seed = batch_seeds(4, 1)[0]

    def run() -> dict[str, np.ndarray]:
        counts = simulate.simulate_batch(
            setup.model, BASELINE, setup.group_of, setup.groups, 150, seed
        )
        return {**counts.numerator, **{f"/{k}": v for k, v in counts.denominator.items()}}

    whole = run()
    monkeypatch.setattr(simulate, "CHUNK_ELEMENTS", setup.model.size * 40)
    monkeypatch.setattr(simulate, "CHUNK_REPLICATIONS", 1)
    chunked = run()  # four chunks: 38, 38, 38 and 36 replications
    assert whole.keys() == chunked.keys()
    for name, values in whole.items():
        assert np.array_equal(values, chunked[name]), name
    assert whole["exec_departures"].sum() > 0
