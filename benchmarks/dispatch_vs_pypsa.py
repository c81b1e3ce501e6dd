"""The default full-year dispatch: our build and solve against PyPSA's on the exported network.

Prints the problem size (variables, constraints, nonzeros), our times (assembly, HiGHS solve,
result extraction, post-solve checks), PyPSA's times (network construction, linopy model build,
HiGHS solve and solution assignment), the end-to-end ratio, our overhead as a share of the HiGHS
solve, and the differences in objective, gas burn, curtailment and storage throughput.
Both sides use HiGHS; ``import pypsa`` is done before timing. Each side runs ``--runs`` times
(alternating) and the fastest run of each is compared, since the shared machine's load makes
single runs vary by 10-20 %:

    PYTHONPATH=src python benchmarks/dispatch_vs_pypsa.py [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

from _dispatch_problem import default_inputs

from energy_portfolio.dispatch import solve
from energy_portfolio.dispatch.assemble import build_lp
from energy_portfolio.dispatch.lp import WindowState, energy_budgets
from energy_portfolio.dispatch.pypsa_export import pypsa_totals, to_pypsa
from energy_portfolio.dispatch.solve import _start_soc, matrix_stats


def _ours(inputs):
    start, cpu = time.perf_counter(), time.process_time()
    result = solve(inputs)
    return time.perf_counter() - start, time.process_time() - cpu, result


def _pypsa(inputs):
    t0, cpu = time.perf_counter(), time.process_time()
    network = to_pypsa(inputs)
    t1 = time.perf_counter()
    network.optimize.create_model(include_objective_constant=False)
    t2 = time.perf_counter()
    status = network.optimize.solve_model(solver_name="highs", log_to_console=False)
    t3, pypsa_cpu = time.perf_counter(), time.process_time() - cpu
    print(
        f"PyPSA: network {t1 - t0:.2f} s, linopy model {t2 - t1:.2f} s, HiGHS + assignment {t3 - t2:.2f} s; "
        f"total {t3 - t0:.2f} s; status {status}; CPU {pypsa_cpu:.2f} s"
    )
    return t3 - t0, pypsa_cpu, network


def main() -> None:
    import numpy as np
    import pypsa  # noqa: F401 - imported before timing

    inputs = default_inputs()
    n_b = len(inputs.batteries)
    lp = build_lp(inputs, WindowState(_start_soc(inputs, False), np.full(n_b, np.nan), energy_budgets(inputs)))
    stats = matrix_stats(lp)
    print(f"default full year ({inputs.hours} h): {stats}")

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    ours_runs, pypsa_runs = [], []
    for _ in range(args.runs):
        ours_runs.append(_ours(inputs))
        pypsa_runs.append(_pypsa(inputs))
    ours_total, ours_cpu, ours = min(ours_runs, key=lambda r: r[0])
    pypsa_total, pypsa_cpu, network = min(pypsa_runs, key=lambda r: r[0])
    t = ours.timings_s
    overhead = t["build"] + t["extract"] + t["check"]
    print(f"ours, wall of each run: {', '.join(f'{r[0]:.2f}' for r in ours_runs)} s")
    print(
        f"ours : build {t['build']:.2f} s, HiGHS {t['solve']:.2f} s ({ours.solver_method}), extract "
        f"{t['extract']:.2f} s, checks {t['check']:.2f} s; total {ours_total:.2f} s; overhead "
        f"{overhead:.2f} s = {100 * overhead / t['solve']:.1f} % of the HiGHS solve; CPU {ours_cpu:.2f} s"
    )
    print(f"PyPSA, wall of each run: {', '.join(f'{r[0]:.2f}' for r in pypsa_runs)} s")
    print(f"end to end (fastest of {args.runs} each): PyPSA / ours = {pypsa_total / ours_total:.2f}x wall, "
          f"{pypsa_cpu / ours_cpu:.2f}x CPU")
    median = statistics.median(r[0] for r in pypsa_runs) / statistics.median(r[0] for r in ours_runs)
    print(f"end to end (median of {args.runs} each): PyPSA / ours = {median:.2f}x wall")

    summary = ours.summary()
    theirs = pypsa_totals(network, inputs)
    ours_figures = {
        "objective_usd": summary["objective_usd"],
        "gas_burn_mcm": summary["gas_burn_mcm"],
        "curtailment_mwh": summary["curtailment_mwh"],
        "charge_mwh": summary["storage"]["charge_mwh"],
        "discharge_mwh": summary["storage"]["discharge_mwh"],
        "export_mwh": summary["export_mwh"],
    }
    for key, value in ours_figures.items():
        other = theirs[key]
        rel = abs(value - other) / max(abs(value), 1e-9)
        print(f"  {key:<16} ours {value:>18.4f}  PyPSA {other:>18.4f}  rel. diff {rel:.2e}")


if __name__ == "__main__":
    main()
