"""Benchmark: the wake tables of the default offshore farm under every model of the range.

Times :func:`~energy_portfolio.production.wakes.farm_efficiency_tables` (the four PyWake
engineering models of ``WAKE_RANGE_MODELS`` on the site's direction x speed grid) cold (empty
disk cache, nothing in memory), warm from disk (files written by the cold run, memory cleared)
and warm in memory; prints each model's table time and the farm's wake loss per model on its
typical year. Target: the tables together under 3 s, cached. The cache lives in a temporary
folder, so the user's own cache is neither used nor changed.

Run from the repository root: ``PYTHONPATH=src python benchmarks/wake_range.py``.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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
            t0 = time.perf_counter()
            wakes.farm_efficiency_table(spec, spec.wake_model.model_copy(update={"model": model}), *args[2:])
            per_model[model] = time.perf_counter() - t0
        cold_s = sum(per_model.values())
        wakes._cached_table.cache_clear()
        t0 = time.perf_counter()
        tables = wakes.farm_efficiency_tables(*args)
        disk_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        wakes.farm_efficiency_tables(*args)
        memory_s = time.perf_counter() - t0
        result = wind.simulate_wind(spec, site_weather(spec, spec.commissioning_year).frame)
    shape = next(iter(tables.values())).efficiency.shape
    print(f"default farm: {spec.n_turbines} turbines, tables of {shape[0]} directions x {shape[1]} speeds")
    print(f"{len(tables)} wake tables cold (PyWake): {cold_s:.2f} s; warm from disk: {disk_s:.3f} s; "
          f"warm in memory: {memory_s:.4f} s (target < 3 s together, cached)")
    for model, seconds in per_model.items():
        used = " (used)" if model == spec.wake_model.model else ""
        print(f"  {model:20s} {seconds:6.2f} s cold, wake loss {result.wake_loss_fraction_by_model[model]:.2%}{used}")
    print(f"net energy {result.annual_energy_mwh / 1e3:,.0f} GWh, capacity factor {result.capacity_factor:.3f}")


if __name__ == "__main__":
    main()
