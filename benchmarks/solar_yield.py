"""Solar model speed and memory: one year hourly for the default Fuzuli plant.

Prints
- simulate_solar on the default plant (tracker, bifacial, CEC module, Sandia inverter);
- the same plant with and without its row-shading steps (row_shading), ratio (issue 18: <= 1.5x);
- the same plant without the bifacial gain against bare pvlib ModelChain built from the same
  parts (ModelChain has no infinite-sheds step), ratio ours / ModelChain (issue 4: <= 1.3x);
- the PVWatts-equivalent plant against PySAM Pvwattsv8, ratio ours / SAM;
- 30 operating years of the default plant;
- peak memory of one default run (tracemalloc, Python allocations incl. numpy).

Weather: a clear-sky Fuzuli year built by tests/production/solar_fixtures.py (the same
frame the tests use). Run from the repository root:
``PYTHONPATH=src:. python benchmarks/solar_yield.py``.
"""

from __future__ import annotations

import statistics
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.production.solar_fixtures import fuzuli_clear_weather, fuzuli_spec, spec_from  # noqa: E402
from tests.production.test_solar_modelchain import NO_LOSSES, _modelchain_ac_w  # noqa: E402
from tests.production.test_solar_pysam import FIXED, TRACKER, pvwatts_equivalent, run_pvwattsv8  # noqa: E402

from energy_portfolio.production.solar import simulate_solar, simulate_solar_years  # noqa: E402

REPEATS = 5


def best_of(fn, repeats: int = REPEATS) -> float:
    """Median wall time of ``repeats`` calls after one warm-up call [s]."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired(fn_a, fn_b, repeats: int = REPEATS) -> tuple[float, float, float]:
    """Median times of two functions called alternately (so shared-CPU load hits both alike),
    and the median of the per-pair ratios a/b [s, s, -]."""
    fn_a(), fn_b()
    a_times, b_times = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        fn_a()
        a_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        fn_b()
        b_times.append(time.perf_counter() - start)
    ratios = [a / b for a, b in zip(a_times, b_times, strict=True)]
    return statistics.median(a_times), statistics.median(b_times), statistics.median(ratios)


def main() -> None:
    warnings.simplefilter("ignore")  # library deprecation chatter does not belong in timings
    spec = fuzuli_spec()
    weather = fuzuli_clear_weather(2019, spec)

    t_default = best_of(lambda: simulate_solar(spec, weather))
    result = simulate_solar(spec, weather)
    print(f"default Fuzuli plant, 1 year hourly:       {t_default * 1000:8.1f} ms")
    print(f"  annual energy {result.annual_energy_mwh:,.0f} MWh, capacity factor {result.capacity_factor:.3f}, "
          f"specific yield {result.details['specific_yield_kwh_per_kwp']:,.0f} kWh/kWp, "
          f"PR {result.details['performance_ratio']:.3f}, clipping {result.details['clipping_loss_fraction']:.2%}")

    no_rows = spec_from(spec, row_shading=None)
    t_rows, t_no_rows, ratio_rows = paired(
        lambda: simulate_solar(spec, weather), lambda: simulate_solar(no_rows, weather)
    )
    print(f"default plant with row shading steps:      {t_rows * 1000:8.1f} ms, without {t_no_rows * 1000:.1f} ms, "
          f"ratio {ratio_rows:.2f}x (issue 18: <= 1.5x)")

    mono = spec_from(spec, bifacial=None, row_shading=None, losses=NO_LOSSES, availability=1.0)
    sizing = simulate_solar(mono, weather).details["sizing"]
    t_ours, t_mc, ratio = paired(lambda: simulate_solar(mono, weather), lambda: _modelchain_ac_w(mono, sizing, weather))
    print(f"same plant without bifacial gain:          {t_ours * 1000:8.1f} ms")
    print(f"bare pvlib ModelChain, same parts:         {t_mc * 1000:8.1f} ms   ratio ours/ModelChain "
          f"{ratio:.2f}x (target <= 1.3x)")
    _, _, ratio_default = paired(lambda: simulate_solar(spec, weather), lambda: _modelchain_ac_w(mono, sizing, weather))
    print(f"default plant (with bifacial) / ModelChain: {ratio_default:.2f}x")

    for name, mount in (("fixed", FIXED), ("single-axis", TRACKER)):
        pvw = pvwatts_equivalent(spec.location.model_dump(), mount)
        t_pvw, t_sam, ratio = paired(lambda pvw=pvw: simulate_solar(pvw, weather),
                                     lambda pvw=pvw: run_pvwattsv8(pvw, weather, 4.0))
        print(f"PVWatts-equivalent {name:11s}: ours {t_pvw * 1000:7.1f} ms, PySAM Pvwattsv8 {t_sam * 1000:7.1f} ms, "
              f"ratio ours/SAM {ratio:.2f}x")

    start = time.perf_counter()
    energies = [r.annual_energy_mwh for r in simulate_solar_years(spec, weather, range(1, 31))]
    t_30 = time.perf_counter() - start
    start = time.perf_counter()
    for year in range(1, 31):
        simulate_solar(spec, weather, operating_year=year)
    t_30_separate = time.perf_counter() - start
    print(f"30 operating years, simulate_solar_years: {t_30:8.2f} s  (30 separate runs {t_30_separate:.2f} s)")
    print(f"  year 1 {energies[0]:,.0f} MWh, year 30 {energies[-1]:,.0f} MWh, lifetime {sum(energies) / 1e6:.2f} TWh")

    tracemalloc.start()
    simulate_solar(spec, weather)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak memory of one default run (tracemalloc): {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
