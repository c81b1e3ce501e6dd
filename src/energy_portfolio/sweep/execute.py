"""Running a sweep's scenarios on dask.distributed, writing each result as it finishes.

A ``LocalCluster`` is started by default; with a scheduler address the scenarios run on that
cluster instead, with the same results (the workers must see the same files at the same
paths, e.g. a shared file system). Each scenario's row is appended to ``results.jsonl`` in the
output folder as soon as it finishes, so an interrupted sweep loses only running scenarios; a
re-run skips every scenario already finished with the same input hash. The production of each
distinct site (spec, weather, year), and of each distinct set of generating sites over a number
of weather years (P50/P90 runs), runs once, in a task of its own that the scenarios needing it
wait for, and is kept in the on-disk cache for later sweeps.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from distributed import Client, Future, as_completed

from ..config import SiteSpec
from ..errors import InputError
from ..files import replace_atomically
from ..portfolio import nest, plan_run, run_portfolio, run_site_in_year, weather_years_production
from .cache import DiskProductionCache
from .cluster import check_scheduler_address, sweep_client
from .folder import check_sweep_target, mark_sweep_folder, writing
from .scenarios import FileDigests, PreparedScenario, Sweep, prepare_scenario

__all__ = [
    "RESULTS_CSV",
    "RESULTS_JSONL",
    "RESULTS_PARQUET",
    "SweepResult",
    "SweepStart",
    "metric_value",
    "production_cache",
    "read_rows",
    "run_sweep",
    "sweep_client",
]

RESULTS_JSONL = "results.jsonl"
RESULTS_PARQUET = "results.parquet"
RESULTS_CSV = "results.csv"
CACHE_FOLDER = Path("cache") / "production"
RUN_COLUMNS = ("seconds", "production_runs", "production_cache_hits", "input_hash")
"""Columns that describe how a scenario ran rather than its result (they differ between runs)."""


@dataclass(frozen=True)
class SweepResult:
    """What a sweep produced.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per scenario of the sweep in its order: ``scenario_id``, the varied fields, ``status``
        (``ok`` or ``failed``), the metrics, ``error`` and the run columns of ``RUN_COLUMNS``.
    total, complete, failed, skipped : int
        Scenarios in the sweep, finished without error, failed, and found finished by an earlier run.
    production_runs : int
        Site productions (a site in one weather year) computed in this run (the others came from the cache).
    out_dir : Path
    seconds : float
        Wall time of this run.
    """

    table: pd.DataFrame
    total: int
    complete: int
    failed: int
    skipped: int
    production_runs: int
    out_dir: Path
    seconds: float

    @property
    def status_line(self) -> str:
        """``N of M complete`` with the failures, as the report states it."""
        failed = f", {self.failed} failed" if self.failed else ""
        return f"{self.complete} of {self.total} scenarios complete{failed}"


@dataclass(frozen=True)
class SweepStart:
    """What a sweep is about to do, before its cluster starts (for the line the CLI prints first).

    Attributes
    ----------
    total, to_run, finished, failed : int
        Scenarios in the sweep, to be run now, found finished by an earlier run in the same folder,
        and failed before reaching a worker (their config is invalid).
    workers : int or None
        Worker processes of the local cluster; None on a cluster at a scheduler address.
    seconds_per_scenario : float or None
        The median wall time of the scenarios finished earlier in this folder; None when none has.
    """

    total: int
    to_run: int
    finished: int
    failed: int
    workers: int | None
    seconds_per_scenario: float | None

    @property
    def estimate_s(self) -> float | None:
        """Wall time of the scenarios to run at the pace of the earlier ones on ``workers``; None when unknown."""
        if self.seconds_per_scenario is None or self.workers is None:
            return None
        return self.seconds_per_scenario * math.ceil(self.to_run / self.workers)


def production_cache(out_dir: Path | str) -> DiskProductionCache:
    """The production cache of the sweep folder ``out_dir`` (to share its productions with another run)."""
    return DiskProductionCache(Path(out_dir).resolve() / CACHE_FOLDER)


def metric_value(summary: Mapping[str, Any], path: str) -> float | None:
    """The number at dotted ``path`` in a summary.json document (None where the summary has none).

    Raises
    ------
    InputError
        The path names no key of the summary, or a block rather than a number.
    """
    node: Any = summary
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            raise InputError(f"metrics: '{path}' is not a key of summary.json (at '{part}')")
        node = node[part]
    if node is None:
        return None
    if isinstance(node, bool) or not isinstance(node, (int, float)):
        raise InputError(f"metrics: '{path}' in summary.json is {type(node).__name__}; expected a number")
    return float(node)


def warm_production(spec: SiteSpec, year: int, cache_dir: str) -> int:
    """Compute and store a site's production unless cached; the site productions computed (0 or 1)."""
    cache = DiskProductionCache(cache_dir)
    run_site_in_year(spec, year, cache)
    return cache.misses


def warm_weather_years(specs: list[SiteSpec], year: int, n_years: int, cache_dir: str) -> int:
    """Compute and store the weather-years production of ``specs`` unless cached; the site productions computed."""
    cache = DiskProductionCache(cache_dir)
    cache.weather_years(specs, year, n_years, lambda: weather_years_production(specs, year, n_years))
    return cache.misses


def run_scenario(
    prepared: PreparedScenario, parameters: dict[str, Any], metrics: Sequence[str], cache_dir: str, *ready: bool
) -> dict[str, Any]:
    """Run one scenario (on a worker) and return its row; an error becomes a failed row."""
    clock = time.perf_counter()
    cache = DiskProductionCache(cache_dir)
    values: dict[str, Any] = dict.fromkeys(metrics)
    status, error = "ok", None
    try:
        result = run_portfolio(prepared.portfolio, production_cache=cache)  # type: ignore[arg-type]
        summary = nest(result.metrics())
        values = {m: metric_value(summary, m) for m in metrics}
    except Exception as exc:  # recorded in the row: the sweep keeps the other scenarios
        status, error = "failed", f"{type(exc).__name__}: {exc}"
    return _row(prepared, parameters, status, error, values) | {
        "seconds": time.perf_counter() - clock,
        "production_runs": cache.misses,
        "production_cache_hits": cache.hits,
    }


def _row(
    prepared: PreparedScenario, parameters: dict[str, Any], status: str, error: str | None, values: dict[str, Any]
) -> dict[str, Any]:
    return {
        "scenario_id": prepared.scenario.id,
        **parameters,
        "status": status,
        **values,
        "error": error,
        "seconds": 0.0,
        "production_runs": 0,
        "production_cache_hits": 0,
        "input_hash": prepared.input_hash,
    }


def read_rows(path: Path) -> dict[str, dict[str, Any]]:
    """Rows of a results.jsonl by scenario id (the last row of an id wins; a torn last line is skipped)."""
    rows: dict[str, dict[str, Any]] = {}
    if not path.is_file():
        return rows
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut short by an interrupted run
            if isinstance(row, dict) and "scenario_id" in row:
                rows[row["scenario_id"]] = row
    return rows


def _append_row(path: Path, row: dict[str, Any]) -> None:
    with writing(path), open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(row, default=str) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _finished(earlier: dict[str, Any] | None, prepared: PreparedScenario, metrics: Sequence[str]) -> bool:
    """Whether an earlier row of a scenario stands: finished, same input hash, every metric present."""
    return (earlier is not None and earlier.get("status") == "ok"
            and earlier.get("input_hash") == prepared.input_hash and all(m in earlier for m in metrics))


def _submit(client: Client, pending: list[PreparedScenario], sweep: Sweep, cache_dir: Path) -> dict[Future, Any]:
    """Production tasks (one per distinct site input or weather-years input) and scenario tasks waiting on theirs."""
    cache = DiskProductionCache(cache_dir)
    warm: dict[str, Future] = {}
    futures: dict[Future, PreparedScenario] = {}
    for prepared in pending:
        needs = []
        plan = plan_run(prepared.portfolio)  # the site productions the scenario's run will ask for
        for site_year in plan.site_years:
            spec, year = site_year.spec, site_year.year
            key = cache.key(spec, year)
            if key not in warm:
                warm[key] = client.submit(warm_production, spec, year, str(cache_dir), key=f"production-{key}",
                                          pure=False)
            needs.append(warm[key])
        if plan.weather_years is not None:
            specs, year, n_years = list(plan.weather_years.specs), plan.weather_years.year, plan.weather_years.n_years
            key = cache.weather_years_key(specs, year, n_years)
            if key not in warm:
                warm[key] = client.submit(warm_weather_years, specs, year, n_years, str(cache_dir),
                                          key=f"weather-years-{key}", pure=False)
            needs.append(warm[key])
        future = client.submit(
            run_scenario, prepared, sweep.parameter_values(prepared.scenario), sweep.spec.metrics, str(cache_dir),
            *needs, key=f"scenario-{prepared.scenario.id}-{prepared.input_hash[:12]}", pure=False,
        )
        futures[future] = prepared
    return {**futures, **{f: None for f in warm.values()}}


def _write_table(out_dir: Path, table: pd.DataFrame) -> None:
    for name, write in ((RESULTS_PARQUET, lambda p: table.to_parquet(p, engine="pyarrow", index=False)),
                        (RESULTS_CSV, lambda p: table.to_csv(p, index=False))):
        with writing(out_dir / name):
            replace_atomically(out_dir / name, write)


def _cell(value: Any) -> Any:
    """A parameter value as a table cell: a list value (``carries: [ids]``, a monthly shape) as its JSON
    text, so that a column mixing it with plain values (``carries: renewables``) can be written."""
    return json.dumps(value) if isinstance(value, (list, tuple, dict)) else value


def _table(sweep: Sweep, rows: dict[str, dict[str, Any]]) -> pd.DataFrame:
    ordered = [rows[s.id] for s in sweep.scenarios if s.id in rows]
    columns = ["scenario_id", *sweep.parameters, "status", *sweep.spec.metrics, "error", *RUN_COLUMNS]
    table = pd.DataFrame(ordered, columns=columns)
    for parameter in sweep.parameters:
        table[parameter] = table[parameter].map(_cell)
    return table


def run_sweep(
    sweep: Sweep,
    out_dir: Path | str,
    *,
    client: Client | None = None,
    scheduler: str | None = None,
    workers: int = 2,
    progress: Callable[[int, int, int], None] | None = None,
    on_start: Callable[[SweepStart], None] | None = None,
) -> SweepResult:
    """Run every scenario of a sweep not already finished in ``out_dir``; write the results table.

    Parameters
    ----------
    sweep : Sweep
        From :func:`energy_portfolio.sweep.load_sweep`.
    out_dir : path-like
        Output folder: sweep.json (the marker), results.jsonl (a row per scenario as it finishes),
        results.parquet, results.csv, and cache/production/. A missing or empty folder, or this
        sweep's own folder to resume (:func:`.folder.check_sweep_target`); anything else is refused
        before anything is computed.
    client : distributed.Client, optional
        A client to use as is; else one is made from ``scheduler`` / ``workers``.
    scheduler : str, optional
        Address of an existing dask scheduler (``tcp://host:port``); default a LocalCluster.
    workers : int
        Worker processes of the LocalCluster.
    progress : callable, optional
        Called as ``progress(done, failed, total)`` at the start and as each scenario finishes.
    on_start : callable, optional
        Called once with a :class:`SweepStart` before the cluster starts.

    Returns
    -------
    SweepResult

    Raises
    ------
    SweepFolderError
        ``out_dir`` is not this sweep's folder, or cannot be written (read-only, full disk).
    """
    clock = time.perf_counter()
    if scheduler and client is None:
        check_scheduler_address(scheduler)  # a malformed address is refused before the folder is written
    out_dir = Path(out_dir).resolve()
    check_sweep_target(out_dir, sweep.spec.name)
    mark_sweep_folder(out_dir, sweep.spec.name, sweep.path)
    cache_dir = out_dir / CACHE_FOLDER
    with writing(cache_dir):
        cache_dir.mkdir(parents=True, exist_ok=True)
    jsonl = out_dir / RESULTS_JSONL
    rows = read_rows(jsonl)
    digests = FileDigests()
    pending: list[PreparedScenario] = []
    skipped = 0
    for scenario in sweep.scenarios:
        prepared = prepare_scenario(sweep, scenario, digests)
        earlier = rows.get(scenario.id)
        if _finished(earlier, prepared, sweep.spec.metrics):
            skipped += 1
        elif prepared.error is not None:
            rows[scenario.id] = _row(prepared, sweep.parameter_values(scenario), "failed", prepared.error,
                                     dict.fromkeys(sweep.spec.metrics))
            _append_row(jsonl, rows[scenario.id])
        else:
            rows.pop(scenario.id, None)
            pending.append(prepared)
    total = len(sweep.scenarios)
    counts = {"done": total - len(pending), "failed": sum(1 for s in sweep.scenarios
                                                          if rows.get(s.id, {}).get("status") == "failed")}
    if on_start is not None:
        paces = [row["seconds"] for row in rows.values() if row.get("status") == "ok"
                 and isinstance(row.get("seconds"), (int, float)) and row["seconds"] > 0]
        n_workers = len(client.scheduler_info()["workers"]) if client else None if scheduler else workers
        on_start(SweepStart(total, len(pending), skipped, counts["failed"], n_workers,
                            statistics.median(paces) if paces else None))
    report = progress or (lambda done, failed, total: None)
    report(counts["done"], counts["failed"], total)
    production_runs = 0
    if pending:
        with contextlib.ExitStack() as stack:
            active = client or stack.enter_context(sweep_client(scheduler, workers))
            production_runs = _gather(active, pending, sweep, cache_dir, jsonl, rows, counts, report)
    table = _table(sweep, rows)
    _write_table(out_dir, table)
    complete = int((table["status"] == "ok").sum())
    failed = int((table["status"] == "failed").sum())
    return SweepResult(table, total, complete, failed, skipped, production_runs, out_dir,
                       time.perf_counter() - clock)


def _gather(
    client: Client,
    pending: list[PreparedScenario],
    sweep: Sweep,
    cache_dir: Path,
    jsonl: Path,
    rows: dict[str, dict[str, Any]],
    counts: dict[str, int],
    report: Callable[[int, int, int], None],
) -> int:
    """Wait for the tasks, writing each scenario's row as it finishes; returns productions computed."""
    tasks = _submit(client, pending, sweep, cache_dir)
    production_runs = 0
    for future in as_completed(list(tasks)):
        prepared = tasks[future]
        if prepared is None:
            production_runs += future.result() if future.status == "finished" else 0
            continue
        if future.status == "finished":
            row = future.result()
        else:
            exc = future.exception()
            row = _row(prepared, sweep.parameter_values(prepared.scenario), "failed",
                       f"{type(exc).__name__}: {exc}", dict.fromkeys(sweep.spec.metrics))
        rows[prepared.scenario.id] = row
        _append_row(jsonl, row)
        counts["done"] += 1
        counts["failed"] += row["status"] == "failed"
        report(counts["done"], counts["failed"], len(sweep.scenarios))
    return production_runs
