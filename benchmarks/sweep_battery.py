"""Scenario sweep of the default portfolio varying the battery energy (issue 9).

Prints the wall time of the sweep on one local worker (serial) and on two local workers with
the speed-up (target at least 1.7x), the time per scenario with and without the production
cache (in this process, one scenario after another), and the peak resident memory of each
dask worker.

Run: python benchmarks/sweep_battery.py [--scenarios 100] [--per-scenario 4]

Measured 2026-11-29 on the shared 2-core development machine with ``--scenarios 100
--per-scenario 4`` and the shipped defaults (gas at its export value, the AzerEnerji battery in
the grid), two runs: 438.5 / 428.6 s on one worker (4.3-4.4 s per scenario), 256.9 / 249.0 s on
two (2.5-2.6 s per scenario): 1.71x / 1.72x. Each scenario solves one LP: every plant's
production and the dispatch without the portfolio come from the cache. The local workers start
without dask's ``MALLOC_TRIM_THRESHOLD_`` (``sweep.cluster.WORKER_ENVIRON``); with it, the same
sweep took 542.4 s and 324.7 s (1.67x): each scenario faulted in 12 times the pages, about 1 s
of system time, and the two workers slowed each other. Peak resident memory 790-1,137 MB per
worker (freed memory now stays in the worker; 672-841 MB before). 5.0 s per scenario in one
process with a warm cache, 6.4-7.0 s without.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from energy_portfolio.config.changes import with_changes
from energy_portfolio.portfolio import run_portfolio
from energy_portfolio.sweep import DiskProductionCache, load_sweep, run_sweep, sweep_client

ROOT = Path(__file__).resolve().parents[1]


def _peak_rss_mb() -> float:
    scale = 1024.0 if sys.platform != "darwin" else 1024.0 * 1024.0  # ru_maxrss: KiB on Linux, bytes on macOS
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def _spec(folder: Path, n: int) -> Path:
    energies = ", ".join(f"{e:.1f}" for e in np.linspace(50.0, 2000.0, n))
    path = folder / "battery_benchmark_sweep.yaml"
    path.write_text(
        "kind: sweep\nname: battery_benchmark\n"
        f"portfolio: {ROOT / 'sites' / 'portfolio.yaml'}\n"
        f"grid:\n  sites.fuzuli_bess.energy_mwh: [{energies}]\n"
    )
    return path


def _timed_sweep(sweep, out: Path, workers: int) -> tuple[float, dict[str, float], str]:
    with sweep_client(workers=workers) as client:
        clock = time.perf_counter()
        result = run_sweep(sweep, out, client=client)
        seconds = time.perf_counter() - clock
        memory = client.run(_peak_rss_mb)
    return seconds, memory, result.status_line


def _per_scenario(sweep, cache_dir: Path, k: int) -> tuple[float, float]:
    """Mean seconds per scenario in this process: without a cache, and with a warm cache."""
    scenarios = sweep.scenarios[:k]
    portfolios = [with_changes(sweep.portfolio, s.changes) for s in scenarios]
    clock = time.perf_counter()
    for portfolio in portfolios:
        run_portfolio(portfolio)
    without = (time.perf_counter() - clock) / len(portfolios)
    cache = DiskProductionCache(cache_dir)
    run_portfolio(portfolios[0], production_cache=cache)  # warm it
    clock = time.perf_counter()
    for portfolio in portfolios:
        run_portfolio(portfolio, production_cache=cache)
    return without, (time.perf_counter() - clock) / len(portfolios)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenarios", type=int, default=100)
    parser.add_argument("--per-scenario", type=int, default=4, help="scenarios timed with and without the cache")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sweep = load_sweep(_spec(folder, args.scenarios))
        n = len(sweep.scenarios)
        serial, serial_memory, status = _timed_sweep(sweep, folder / "serial", 1)
        print(f"{n} scenarios, 1 local worker:  {serial:7.1f} s ({serial / n:.1f} s per scenario); {status}")
        parallel, memory, status = _timed_sweep(sweep, folder / "parallel", 2)
        print(f"{n} scenarios, 2 local workers: {parallel:7.1f} s ({parallel / n:.1f} s per scenario); {status}")
        print(f"speed-up on 2 workers: {serial / parallel:.2f}x (target >= 1.7x)")
        for label, values in (("1 worker", serial_memory), ("2 workers", memory)):
            peaks = ", ".join(f"{mb:,.0f} MB" for mb in values.values())
            print(f"peak resident memory per worker ({label}): {peaks}")
        without, with_cache = _per_scenario(sweep, folder / "cache", min(args.per_scenario, n))
        print(f"per scenario in one process: {without:.1f} s without the cache, {with_cache:.1f} s with a warm "
              f"cache ({without - with_cache:.1f} s of production saved)")


if __name__ == "__main__":
    main()
