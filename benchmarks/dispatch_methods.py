"""HiGHS methods and options on the default full-year dispatch problem: which is fastest.

Solves the same assembled LP through ``energy_portfolio.dispatch.solve.solve_lp`` (scipy.optimize.linprog)
with each HiGHS method and the options that matter for simplex speed, twice each, and prints the
best wall and CPU seconds of the two and the objective. The machine is shared, so the CPU time
(all threads of this process) is the figure to compare; the package's DEFAULT_METHOD and
DEFAULT_HIGHS_OPTIONS should be the fastest row.

Run: PYTHONPATH=src python benchmarks/dispatch_methods.py
"""

from __future__ import annotations

import time
import warnings

import numpy as np
from _dispatch_problem import default_inputs

from energy_portfolio.dispatch.lp import WindowState, build_lp, energy_budgets
from energy_portfolio.dispatch.solve import DEFAULT_HIGHS_OPTIONS, DEFAULT_METHOD, _start_soc, solve_lp

CONFIGS = [
    ("highs-ds", True, {}),
    ("highs-ds", False, {}),
    ("highs-ds", True, {"simplex_dual_edge_weight_strategy": "dantzig"}),
    ("highs-ds", True, {"simplex_dual_edge_weight_strategy": "devex"}),
    ("highs-ds", True, {"simplex_dual_edge_weight_strategy": "steepest-devex"}),
    ("highs-ds", True, {"simplex_strategy": 4}),  # primal simplex (HiGHS kSimplexStrategyPrimal)
    ("highs-ipm", True, {}),
    ("highs-ipm", False, {}),
    ("highs", True, {}),
]


def main() -> None:
    inputs = default_inputs()
    n_batteries = len(inputs.batteries)
    state = WindowState(_start_soc(inputs, rolling=False), np.full(n_batteries, np.nan), energy_budgets(inputs))
    lp = build_lp(inputs, state)
    print(
        f"default full-year problem: {lp.n_variables} variables, {lp.n_constraints} constraints, "
        f"{lp.n_nonzeros} nonzeros"
    )
    print(f"{'method':<11}{'presolve':<9}{'options':<48}{'wall s':>8}{'cpu s':>8}{'objective USD':>20}")
    rows = []
    for method, presolve, options in CONFIGS:
        walls, cpus = [], []
        for _ in range(2):
            wall, cpu = time.perf_counter(), time.process_time()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # scipy warns that simplex_strategy is passed verbatim
                solution = solve_lp(lp, inputs, method, presolve, options)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        rows.append((min(cpus), method, presolve, options))
        print(
            f"{method:<11}{presolve!s:<9}{options!s:<48}{min(walls):>8.2f}{min(cpus):>8.2f}"
            f"{solution.objective_usd:>20.2f}"
        )
    best = min(rows, key=lambda r: r[0])
    print(f"fastest (cpu): {best[1]} presolve={best[2]} {best[3]} ({best[0]:.2f} s)")
    print(f"package default: {DEFAULT_METHOD} presolve=True {DEFAULT_HIGHS_OPTIONS}")


if __name__ == "__main__":
    main()
