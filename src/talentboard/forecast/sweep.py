"""Scenario sweeps on Dask distributed: each (scenario, batch) is one task.

The calibrated model is sent to the workers once; each task simulates one batch of one
scenario with that batch's own seed (``SeedSequence(seed).spawn``) and returns its
histogram (:mod:`talentboard.forecast.summary`); the histograms of a scenario add up to
exactly those of the run done in one process, so every figure, quantiles included, is the
same. Dask is the optional ``cluster`` extra (``pip install talentboard[cluster]``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from talentboard.forecast.run import ForecastResult, ForecastSetup, run_batch, summarise
from talentboard.forecast.scenario import Scenario
from talentboard.forecast.simulate import batch_plan
from talentboard.forecast.summary import merge

__all__ = ["DaskMissingError", "sweep"]


class DaskMissingError(RuntimeError):
    """Dask distributed is not installed."""


def _client(address: str | None, local: dict[str, Any] | None) -> tuple[Any, Any]:
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - the extra is installed in development
        raise DaskMissingError(
            "forecast sweep needs Dask distributed: pip install 'talentboard[cluster]'"
        ) from exc
    if address is not None:
        return Client(address), None  # type: ignore[no-untyped-call]
    options = local or {
        "n_workers": 2,
        "threads_per_worker": 1,
        "dashboard_address": None,
        "silence_logs": logging.ERROR,
    }
    cluster = LocalCluster(**options)  # type: ignore[no-untyped-call]
    return Client(cluster), cluster  # type: ignore[no-untyped-call]


def sweep(
    setup: ForecastSetup,
    scenarios: Sequence[Scenario],
    replications: int,
    seed: int,
    *,
    address: str | None = None,
    local: dict[str, Any] | None = None,
    batch_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[ForecastResult]:
    """Every scenario's forecast, its batches run as Dask tasks (on the scheduler at
    ``address``, or on a LocalCluster started with ``local`` options and closed after)."""
    client, cluster = _client(address, local)
    try:
        shared = client.scatter(setup, broadcast=True)
        plan = batch_plan(replications, setup.model.size, batch_size)
        futures = {
            (k, b): client.submit(
                run_batch,
                shared,
                scenario,
                seed,
                b,
                size,
                key=f"forecast-{k}-{b}-{seed}",
                pure=False,
            )
            for k, scenario in enumerate(scenarios)
            for b, size in enumerate(plan)
        }
        from distributed import as_completed

        results: dict[tuple[int, int], Any] = {}
        reverse = {future.key: key for key, future in futures.items()}
        finished = as_completed(list(futures.values()))  # type: ignore[no-untyped-call]
        for done, future in enumerate(finished, start=1):
            results[reverse[future.key]] = future.result()
            if progress is not None:
                progress(done, len(futures))
        return [
            summarise(
                setup,
                scenario,
                seed,
                replications,
                merge(results[(k, b)] for b in range(len(plan))),
            )
            for k, scenario in enumerate(scenarios)
        ]
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
