"""HiGHS methods and options on the default full-year dispatch problem: which is fastest.

Solves the same assembled LP through ``energy_portfolio.dispatch.solve.solve_lp`` with each HiGHS
method and the options that matter for simplex speed, through both interfaces (``highspy``, HiGHS'
own, and ``scipy.optimize.linprog``, which bundles an older HiGHS), twice each, and prints the
best wall and CPU seconds of the two and the objective. The machine is shared, so the CPU time
(all threads of this process) is the steadier figure; the parallel dual simplex (PAMI) trades
CPU for wall time. The package's DEFAULT_INTERFACE, DEFAULT_METHOD and DEFAULT_HIGHS_OPTIONS
should be the fastest row by CPU.

Run: PYTHONPATH=src python benchmarks/dispatch_methods.py
"""

from __future__ import annotations

import time
import warnings

import numpy as np
from _dispatch_problem import default_inputs

from energy_portfolio.dispatch.assemble import build_lp
from energy_portfolio.dispatch.lp import WindowState, energy_budgets
from energy_portfolio.dispatch.solve import (
    DEFAULT_HIGHS_OPTIONS,
    DEFAULT_INTERFACE,
    DEFAULT_METHOD,
    _start_soc,
    solve_lp,
)

CONFIGS = [
    ("highspy", "highs-ds", True, {}),
    ("scipy", "highs-ds", True, {}),
    ("highspy", "highs-ds", False, {}),
    ("highspy", "highs-ds", True, {"simplex_strategy": 3, "parallel": "on"}),  # PAMI, parallel dual simplex
    ("highspy", "highs-ds", True, {"simplex_scale_strategy": 0}),
    ("highspy", "highs-ds", True, {"simplex_dual_edge_weight_strategy": 0}),  # Dantzig
    ("highspy", "highs-ds", True, {"simplex_dual_edge_weight_strategy": 1}),  # Devex
    ("highspy", "highs-ds", True, {"simplex_dual_edge_weight_strategy": 2}),  # steepest edge
    ("highspy", "highs-ds", True, {"simplex_strategy": 4}),  # primal simplex
    ("highspy", "highs-ipm", True, {}),
    ("scipy", "highs-ipm", True, {}),
    ("highspy", "highs", True, {}),
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
    header = f"{'interface':<10}{'method':<11}{'presolve':<9}{'options':<48}"
    print(f"{header}{'wall s':>8}{'cpu s':>8}{'objective USD':>20}")
    rows = []
    for interface, method, presolve, options in CONFIGS:
        walls, cpus = [], []
        for _ in range(2):
            wall, cpu = time.perf_counter(), time.process_time()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # scipy warns that simplex_strategy is passed verbatim
                solution = solve_lp(lp, inputs, method, presolve, options, interface)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        rows.append((min(cpus), min(walls), interface, method, presolve, options))
        print(
            f"{interface:<10}{method:<11}{presolve!s:<9}{options!s:<48}{min(walls):>8.2f}{min(cpus):>8.2f}"
            f"{solution.objective_usd:>20.2f}"
        )
    for label, key in (("cpu", 0), ("wall", 1)):
        best = min(rows, key=lambda r: r[key])
        print(f"fastest ({label}): {best[2]} {best[3]} presolve={best[4]} {best[5]} ({best[key]:.2f} s)")
    print(f"package default: {DEFAULT_INTERFACE} {DEFAULT_METHOD} presolve=True {DEFAULT_HIGHS_OPTIONS}")


if __name__ == "__main__":
    main()
