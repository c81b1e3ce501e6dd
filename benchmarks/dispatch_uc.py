"""The shipped default's dispatch (unit commitment and reserves, rolling 48/24 h), and a week against PyPSA.

On the default portfolio's own inputs (``sites/portfolio.yaml``: production, demand, the existing
fleet), prints for the dispatch with and without the portfolio: the wall time of both side by side
on two threads (as ``energy-portfolio report`` runs them), each alone, seconds per window (median,
max), the largest MIP gap reached; the same problem as one energy-only LP of the year for
comparison; and, unless ``--no-pypsa``, one winter week of the synthetic default problem without
reserves against PyPSA's committable generators (single fuel-curve segment) as a ratio of
wall-clock seconds:

    PYTHONPATH=src python benchmarks/dispatch_uc.py [--days N] [--no-pypsa]
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

from _dispatch_problem import ROOT, default_inputs

from energy_portfolio import load_portfolio
from energy_portfolio.dispatch import solve
from energy_portfolio.portfolio.run import prepare_dispatch


def _describe(name: str, result, seconds: float) -> None:
    windows = [w.seconds for w in result.windows]
    print(f"  {name}: {seconds:.1f} s, {len(windows)} windows, per window median {statistics.median(windows):.2f} s, "
          f"max {max(windows):.2f} s; largest gap {max(w.gap for w in result.windows):.3%}; objective "
          f"{result.objective_usd:,.0f} USD")


def _timed(inputs):
    start = time.perf_counter()
    result = solve(inputs)
    return result, time.perf_counter() - start


def _default(days: int | None) -> None:
    inputs = prepare_dispatch(load_portfolio(ROOT / "sites" / "portfolio.yaml")).inputs
    if days is not None:
        inputs = inputs.window(0, 24 * days)
    without = inputs.without_new()
    print(f"default portfolio, {inputs.hours} h, {len(inputs.reserves)} reserve products, "
          f"operations {inputs.options.operations}, commitment {inputs.options.commitment}:")
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        both = [pool.submit(_timed, problem) for problem in (inputs, without)]
        (with_new, t_with), (without_new, t_without) = (f.result() for f in both)
    wall = time.perf_counter() - start
    saved = with_new.with_counterfactual(without_new).gas_saved_mcm
    print(f"  side by side on two threads: {wall:.1f} s wall (with the portfolio {t_with:.1f} s, without "
          f"{t_without:.1f} s); gas saved {saved:,.1f} million m3")
    for name, problem in (("with the portfolio, alone", inputs), ("without it, alone", without)):
        result, seconds = _timed(problem)
        _describe(name, result, seconds)
    options = dataclasses.replace(inputs.options, operations="energy_only", mode="perfect_foresight")
    energy_only = dataclasses.replace(inputs, options=options, reserves=())
    result, seconds = _timed(energy_only)
    print(f"  the same year energy only (one LP, no reserves): {seconds:.1f} s")


def _week_vs_pypsa() -> None:
    import pypsa  # noqa: F401  (imported before timing)

    from energy_portfolio.dispatch.pypsa_export import to_pypsa

    inputs = default_inputs(hours=slice(24 * 14, 24 * 21))
    units = tuple(dataclasses.replace(u, segments_mw=(u.size_mw * (1 - u.min_stable_fraction),),
                                      segment_heat_rates_gj_per_mwh=(u.heat_rate_gj_per_mwh,))
                  for u in inputs.thermal_units)
    options = dataclasses.replace(inputs.options, operations="unit_commitment", commitment="integer",
                                  mode="perfect_foresight")
    week = dataclasses.replace(inputs, thermal_units=units, options=options)
    ours, t_ours = _timed(week)
    start = time.perf_counter()
    network = to_pypsa(week)
    network.optimize(solver_name="highs", log_to_console=False, include_objective_constant=False,
                     mip_rel_gap=week.options.mip_rel_gap)
    t_pypsa = time.perf_counter() - start
    print(f"winter week without reserves: ours {t_ours:.1f} s, PyPSA {t_pypsa:.1f} s (ratio {t_pypsa / t_ours:.1f}); "
          f"objective {ours.objective_usd:,.0f} vs {float(network.objective):,.0f} USD")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=None, help="only the first N days of the study year")
    parser.add_argument("--no-pypsa", action="store_true")
    args = parser.parse_args()
    _default(args.days)
    if not args.no_pypsa:
        _week_vs_pypsa()


if __name__ == "__main__":
    main()
