"""The default full year with unit commitment (integer, rolling horizon 48/24), and a week against PyPSA.

Prints the total seconds, seconds per window (median, max), the largest MIP gap reached, the
same with and without the MIP start (the previous window's units online in the overlapping hours),
and one winter week against PyPSA's committable generators (single fuel-curve segment), as a ratio
of wall-clock seconds:

    PYTHONPATH=src python benchmarks/dispatch_uc.py [--hours 8760] [--no-pypsa]
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time

from _dispatch_problem import default_inputs

from energy_portfolio.dispatch import solve


def _uc(inputs, mode="rolling_horizon"):
    options = dataclasses.replace(inputs.options, operations="unit_commitment", commitment="integer", mode=mode,
                                  window_h=48, step_h=24)
    return dataclasses.replace(inputs, options=options)


def _year(inputs, mip_start: bool) -> None:
    start = time.perf_counter()
    result = solve(inputs, mip_start=mip_start)
    total = time.perf_counter() - start
    seconds = [w.seconds for w in result.windows]
    print(f"mip_start={mip_start}: {total:.1f} s total, {len(seconds)} windows, per window median "
          f"{statistics.median(seconds):.2f} s, max {max(seconds):.2f} s; max gap "
          f"{max(w.gap for w in result.windows):.4%}; starts {result.starts.to_numpy().sum():.0f}; "
          f"objective {result.objective_usd:,.0f} USD")


def _week_vs_pypsa(inputs) -> None:
    import pypsa  # noqa: F401  (imported before timing)

    from energy_portfolio.dispatch.pypsa_export import to_pypsa

    units = tuple(dataclasses.replace(u, segments_mw=(u.size_mw * (1 - u.min_stable_fraction),),
                                      segment_heat_rates_gj_per_mwh=(u.heat_rate_gj_per_mwh,))
                  for u in inputs.thermal_units)
    week = _uc(dataclasses.replace(inputs, thermal_units=units), mode="perfect_foresight")
    start = time.perf_counter()
    ours = solve(week)
    t_ours = time.perf_counter() - start
    start = time.perf_counter()
    network = to_pypsa(week)
    network.optimize(solver_name="highs", log_to_console=False, include_objective_constant=False,
                     mip_rel_gap=week.options.mip_rel_gap)
    t_pypsa = time.perf_counter() - start
    print(f"winter week: ours {t_ours:.1f} s, PyPSA {t_pypsa:.1f} s (ratio {t_pypsa / t_ours:.1f}); objective "
          f"{ours.objective_usd:,.0f} vs {float(network.objective):,.0f} USD")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hours", type=int, default=8760)
    parser.add_argument("--no-pypsa", action="store_true")
    args = parser.parse_args()
    inputs = _uc(default_inputs(hours=slice(0, args.hours)))
    for mip_start in (True, False):
        _year(inputs, mip_start)
    if not args.no_pypsa:
        _week_vs_pypsa(default_inputs(hours=slice(24 * 14, 24 * 21)))


if __name__ == "__main__":
    main()
