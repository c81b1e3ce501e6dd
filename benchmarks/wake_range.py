"""Benchmark: the wake tables of the default offshore farm under every model of the range.

Times :func:`~energy_portfolio.production.wakes.farm_efficiency_tables` (the four PyWake
engineering models of ``WAKE_RANGE_MODELS`` on the site's direction x speed grid) cold (empty
disk cache, nothing in memory; the used model's table also holds each turbine's efficiency),
warm from disk (files written by the cold run, memory cleared), the size of the cache files,
and warm in memory (wall and process CPU time: on a shared machine the CPU time is the steadier
figure); prints each model's table time and the farm's wake loss per model on its
typical year. For comparison it also computes each table the way the tool did before blocks
(one PyWake call on the whole direction x speed grid, every running speed) and prints the
speed-up and the largest difference of the tables and of the wake losses. Target: the tables
together under 3 s, cached. The cache lives in a temporary
folder, so the user's own cache is neither used nor changed.

Run from the repository root: ``PYTHONPATH=src python benchmarks/wake_range.py``.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def _whole_grid_table(wakes, spec, model: str, args: tuple, table):
    """((wall, CPU) seconds, table) of one PyWake call on the table's whole grid with every running speed
    (the tool before blocks)."""
    from py_wake.wind_turbines import WindTurbine
    from py_wake.wind_turbines.power_ct_functions import PowerCtTabular

    _, wake, x_m, y_m, speed_m_s, power_kw, thrust, rotor_m, _ = args
    t0, c0 = time.perf_counter(), time.process_time()
    turbine = WindTurbine("turbine", rotor_m, spec.hub_height_m, PowerCtTabular(speed_m_s, power_kw, "kW", thrust))
    farm = wakes._wind_farm_model(wake.model_copy(update={"model": model}), spec.turbulence_intensity,
                                  spec.offshore, turbine)
    free_kw = np.interp(table.wind_speed_m_s, speed_m_s, power_kw, left=0.0, right=0.0)
    running = free_kw > 0
    efficiency = np.ones_like(table.efficiency)
    farm_kw = farm(x_m, y_m, wd=table.direction_deg, ws=table.wind_speed_m_s[running]).Power.values.sum(axis=0) / 1e3
    efficiency[:, running] = farm_kw / (len(x_m) * free_kw[running])
    seconds = (time.perf_counter() - t0, time.process_time() - c0)
    return seconds, wakes.FarmEfficiencyTable(table.direction_deg, table.wind_speed_m_s, efficiency)


def main() -> None:
    import py_wake  # noqa: F401  (imported before timing: a one-off cost per process)

    from energy_portfolio.config import load_site
    from energy_portfolio.portfolio import site_weather
    from energy_portfolio.production import wakes, wind

    spec = load_site(ROOT / "sites" / "caspian_offshore_wind.yaml")
    curves = wind.load_turbine(spec)
    x_m, y_m = wakes.layout_xy_m(spec, curves.rotor_diameter_m)
    args = (spec, spec.wake_model, x_m, y_m, curves.wind_speed_m_s, curves.power_kw, curves.thrust_coefficient,
            curves.rotor_diameter_m, curves.cut_out_m_s)
    with tempfile.TemporaryDirectory() as folder:
        os.environ[wakes.WAKE_TABLE_CACHE_ENV] = folder
        wakes._cached_table.cache_clear()
        per_model = {}
        for model in wakes.WAKE_RANGE_MODELS:
            t0, c0 = time.perf_counter(), time.process_time()
            wakes.farm_efficiency_tables(*args, models=(model,))
            per_model[model] = (time.perf_counter() - t0, time.process_time() - c0)
        cold_s, cold_cpu_s = (sum(pair[i] for pair in per_model.values()) for i in (0, 1))
        turbopark = wakes.farm_efficiency_tables(*args, models=("turbopark",))["turbopark"]
        t0, c0 = time.perf_counter(), time.process_time()
        wakes.blockage_table(turbopark, *args[:2], args[2:])
        blockage_s, blockage_cpu_s = time.perf_counter() - t0, time.process_time() - c0
        wakes._cached_table.cache_clear()
        t0 = time.perf_counter()
        tables = wakes.farm_efficiency_tables(*args)
        disk_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        wakes.farm_efficiency_tables(*args)
        memory_s = time.perf_counter() - t0
        file_bytes = sorted(path.stat().st_size for path in Path(folder).glob("*.npz"))
        result = wind.simulate_wind(spec, site_weather(spec, spec.commissioning_year).frame)
    whole = {model: _whole_grid_table(wakes, spec, model, args, tables[model]) for model in wakes.WAKE_RANGE_MODELS}
    whole_s, whole_cpu_s = (sum(seconds[i] for seconds, _ in whole.values()) for i in (0, 1))
    shape = next(iter(tables.values())).efficiency.shape
    print(f"default farm: {spec.n_turbines} turbines, tables of {shape[0]} directions x {shape[1]} speeds")
    print(f"{len(tables)} wake tables cold (PyWake): {cold_s:.2f} s ({cold_cpu_s:.2f} s CPU); warm from disk: "
          f"{disk_s:.3f} s; warm in memory: {memory_s:.4f} s (target < 3 s together, cached)")
    print(f"cache files: {len(file_bytes)}, {sum(file_bytes) / 1e6:.2f} MB together, the largest (with the "
          f"per-turbine table of the model used) {file_bytes[-1] / 1e6:.2f} MB")
    print(f"one PyWake call on the whole grid (before): {whole_s:.2f} s ({whole_cpu_s:.2f} s CPU); blocks: "
          f"{cold_s:.2f} s ({cold_cpu_s:.2f} s CPU): {whole_s / cold_s:.1f}x faster "
          f"({whole_cpu_s / cold_cpu_s:.1f}x CPU)")
    hourly = result.hourly
    direction, speed = hourly["hub_wind_direction_deg"].to_numpy(), hourly["hub_wind_speed_m_s"].to_numpy()
    for model, (seconds, cpu_s) in per_model.items():
        used = " (used)" if model == spec.wake_model.model else ""
        (before_s, before_cpu_s), before = whole[model]
        gross = hourly["gross_mw"].to_numpy()
        loss_before = 1 - float((gross * before.at(direction, speed)).sum()) / gross.sum()
        loss = result.wake_loss_fraction_by_model[model]
        print(f"  {model:20s} {seconds:5.2f} s cold, {cpu_s:5.2f} s CPU (whole grid {before_s:5.2f} s, "
              f"{before_cpu_s:5.2f} s CPU), wake loss {loss:.3%}{used}; "
              f"whole grid {loss_before:.3%}, largest table difference "
              f"{abs(before.efficiency - tables[model].efficiency).max():.1e}")
    print(f"  {wakes.BLOCKAGE_MODEL:20s} {blockage_s:5.2f} s cold, {blockage_cpu_s:5.2f} s CPU (the coarse blockage "
          f"ratio, on top of turbopark), wake and blockage loss "
          f"{result.wake_loss_fraction_by_model[wakes.BLOCKAGE_MODEL]:.3%}")
    print(f"net energy {result.annual_energy_mwh / 1e3:,.0f} GWh, capacity factor {result.capacity_factor:.3f}")


if __name__ == "__main__":
    main()
