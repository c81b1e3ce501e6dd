"""Solving the dispatch: the package's only caller of ``scipy.optimize``.

Perfect foresight solves the whole study at once. Rolling horizon solves windows of
``window_h`` hours and keeps the first ``step_h`` of each, carrying into the next window:

- the state of charge at the end of the kept hours (a cyclic battery starts the first window at
  the middle of its state-of-charge range and must end the last window there, so the study as a
  whole is cyclic);
- the unused part of every energy budget (hydro per year or month, battery cycles per year).
  A window may use ``remaining x (budget hours in the window) / (budget hours from the window's
  start to the period's end)``, so the budget is spread over what is left and the last window
  of a period can use all of it; the hydro minimum output stays feasible because every window's
  share is at least its hours x the minimum whenever the whole budget is.

HiGHS is called through ``scipy.optimize.linprog(method=...)``; with unit commitment through
``scipy.optimize.milp``, after which the commitment is fixed and the LP re-solved for the duals
(marginal prices). A status other than optimal raises :class:`DispatchError` with HiGHS'
message, after one retry with presolve off when HiGHS reports the problem infeasible.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from ..errors import DispatchError
from .checks import check_result, describe_shortage
from .inputs import DispatchInputs
from .lp import BLOCKS, Budget, LinearProgram, WindowState, build_lp, energy_budgets
from .result import DispatchResult, build_result

__all__ = [
    "DEFAULT_METHOD",
    "METHODS",
    "solve",
    "solve_with_counterfactual",
    "solve_lp",
    "LpSolution",
    "matrix_stats",
    "DEFAULT_HIGHS_OPTIONS",
]

METHODS = ("highs", "highs-ds", "highs-ipm")
DEFAULT_METHOD = "highs-ds"
"""Dual simplex with presolve: the fastest of the HiGHS methods on the default full-year problem
(``benchmarks/dispatch_methods.py``; figures in benchmarks/README.md)."""
DEFAULT_HIGHS_OPTIONS: dict = {}
"""Further HiGHS options of the default solve (none: the measured alternatives were not faster)."""


@dataclass(frozen=True)
class LpSolution:
    """A solved LP: primal values, duals of the equality rows, objective, status and time."""

    x: np.ndarray
    eq_duals: np.ndarray
    objective_usd: float
    status: str
    seconds: float


def _linprog(lp: LinearProgram, lower: np.ndarray, upper: np.ndarray, method: str, presolve: bool, extra: dict):
    a_ub = lp.a_ub if lp.a_ub.shape[0] else None
    b_ub = lp.b_ub if lp.a_ub.shape[0] else None
    return linprog(
        lp.c,
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=lp.a_eq,
        b_eq=lp.b_eq,
        bounds=np.column_stack((lower, upper)),
        method=method,
        options={"presolve": presolve, **extra},
    )


def _milp(lp: LinearProgram, presolve: bool):
    constraints = [LinearConstraint(lp.a_eq, lp.b_eq, lp.b_eq)]
    if lp.a_ub.shape[0]:
        constraints.append(LinearConstraint(lp.a_ub, -np.inf, lp.b_ub))
    return milp(
        lp.c,
        integrality=lp.integrality,
        bounds=Bounds(lp.lower, lp.upper),
        constraints=constraints,
        options={"presolve": presolve},
    )


def _failed(res, inputs: DispatchInputs, presolve: bool) -> DispatchError:
    hint = ""
    if res.status == 2:
        hint = f"; {describe_shortage(inputs)}"
    retry = " (also with presolve off)" if res.status == 2 and not presolve else ""
    return DispatchError(f"dispatch solve failed{retry}: HiGHS status {res.status}: {res.message}{hint}")


def solve_lp(
    lp: LinearProgram,
    inputs: DispatchInputs,
    method: str = DEFAULT_METHOD,
    presolve: bool = True,
    highs_options: dict | None = None,
) -> LpSolution:
    """Solve one window's LP (or MILP) with HiGHS.

    ``highs_options`` are passed on to ``scipy.optimize.linprog`` (e.g. ``dual_edge_weight_strategy``).

    Raises
    ------
    DispatchError
        Infeasible (naming the zones and hours short of supply when there are any) or failed,
        with HiGHS' status and message.
    """
    if method not in METHODS:
        raise DispatchError(f"unknown HiGHS method {method!r}; expected one of {METHODS}")
    start = time.perf_counter()
    lower, upper = lp.lower, lp.upper
    if lp.integrality is not None:
        res = _milp(lp, presolve)
        if res.status == 2 and presolve:
            presolve = False
            res = _milp(lp, presolve)
        if res.status != 0:
            raise _failed(res, inputs, presolve)
        # Fix the commitment and re-solve the LP for the duals (marginal prices).
        fixed = lp.integrality == 1
        lower, upper = lower.copy(), upper.copy()
        lower[fixed] = upper[fixed] = np.round(res.x[fixed])
    extra = dict(DEFAULT_HIGHS_OPTIONS if highs_options is None else highs_options)
    res = _linprog(lp, lower, upper, method, presolve, extra)
    if res.status == 2 and presolve:
        presolve = False
        res = _linprog(lp, lower, upper, method, presolve, extra)
    if res.status != 0:
        raise _failed(res, inputs, presolve)
    seconds = time.perf_counter() - start
    objective = float(lp.c @ res.x)
    if abs(objective - res.fun) > 1e-9 * max(1.0, abs(res.fun)) + 1e-6:
        raise DispatchError(f"objective of the solution {objective:.6f} differs from HiGHS' {res.fun:.6f}")
    return LpSolution(res.x, np.asarray(res.eqlin.marginals), float(res.fun), "optimal", seconds)


def _windows(hours: int, inputs: DispatchInputs) -> list[tuple[int, int, int]]:
    """(start, stop, hours kept) of each window."""
    options = inputs.options
    if options.mode == "perfect_foresight" or options.window_h >= hours:
        return [(0, hours, hours)]
    out = []
    for start in range(0, hours, options.step_h):
        stop = min(start + options.window_h, hours)
        keep = stop - start if stop == hours else options.step_h
        out.append((start, stop, keep))
        if stop == hours:
            break
    return out


def _start_soc(inputs: DispatchInputs, rolling: bool) -> np.ndarray:
    out = []
    for battery in inputs.batteries:
        if battery.initial_soc_fraction is not None:
            out.append(battery.initial_soc_fraction * battery.energy_mwh)
        elif rolling:
            out.append(0.5 * (battery.soc_min_fraction + battery.soc_max_fraction) * battery.energy_mwh)
        else:
            out.append(np.nan)
    return np.array(out, dtype=float)


def _window_budgets(
    budgets: list[Budget], hours_left: list[np.ndarray], used: np.ndarray, start: int, stop: int
) -> list[Budget]:
    """The budgets of hours ``start:stop``: the unused part spread over the budget's hours left."""
    out = []
    for k, budget in enumerate(budgets):
        inside = budget.mask[start:stop]
        n_in = int(inside.sum())
        if n_in == 0:
            continue
        left = max(budget.limit_mwh - used[k], 0.0)
        out.append(replace(budget, mask=inside, limit_mwh=left * n_in / int(hours_left[k][start])))
    return out


def solve(inputs: DispatchInputs, method: str = DEFAULT_METHOD, presolve: bool = True) -> DispatchResult:
    """Least-cost hourly dispatch of ``inputs`` (perfect foresight or rolling horizon per its options).

    Parameters
    ----------
    inputs : DispatchInputs
    method : {"highs-ds", "highs-ipm", "highs"}
        HiGHS method passed to ``scipy.optimize.linprog``.
    presolve : bool
        HiGHS presolve (turned off for one retry when HiGHS reports infeasible).

    Returns
    -------
    DispatchResult
        Checked with :func:`~energy_portfolio.dispatch.checks.check_result`; ``timings_s`` holds
        the seconds spent building, solving, extracting and checking.

    Raises
    ------
    DispatchError
        When a window is infeasible or HiGHS fails, or a post-solve check fails.

    References
    ----------
    HiGHS: Huangfu and Hall (2018), "Parallelizing the dual revised simplex method", Math. Prog.
    Comp. 10, doi:10.1007/s12532-017-0130-5, via ``scipy.optimize.linprog``/``milp``.
    """
    n_hours = inputs.hours
    windows = _windows(n_hours, inputs)
    rolling = len(windows) > 1
    budgets = energy_budgets(inputs)
    used = np.zeros(len(budgets))
    hours_left = [np.cumsum(b.mask[::-1])[::-1] for b in budgets]  # budget hours from t to the end
    soc_start = _start_soc(inputs, rolling)
    soc_first = soc_start.copy()
    n_zones = len(inputs.grid.zone_ids)
    values: dict[str, np.ndarray] = {}
    prices = np.zeros((n_zones, n_hours))
    timings = {"build": 0.0, "solve": 0.0, "extract": 0.0}
    objective = 0.0
    solver_objective = 0.0
    for start, stop, keep in windows:
        t0 = time.perf_counter()
        window = inputs.window(start, stop) if rolling else inputs
        last = stop == n_hours
        soc_end = np.full(len(inputs.batteries), np.nan)
        if rolling and last:
            cyclic = np.array([b.initial_soc_fraction is None for b in inputs.batteries], dtype=bool)
            soc_end = np.where(cyclic, soc_first, np.nan)
        state = WindowState(soc_start, soc_end, _window_budgets(budgets, hours_left, used, start, stop))
        lp = build_lp(window, state)
        t1 = time.perf_counter()
        solution = solve_lp(lp, window, method, presolve)
        t2 = time.perf_counter()
        if not values:
            values = {name: np.zeros((lp.counts[name], n_hours)) for name in BLOCKS}
        for name in BLOCKS:
            values[name][:, start : start + keep] = lp.values(solution.x, name)[:, :keep]
            objective += float(lp.values(lp.c * solution.x, name)[:, :keep].sum())
        prices[:, start : start + keep] = solution.eq_duals[: lp.balance_rows].reshape(n_zones, -1)[:, :keep]
        solver_objective += solution.objective_usd
        for k, budget in enumerate(budgets):
            inside = budget.mask[start : start + keep]
            used[k] += float(values[budget.block][budget.unit, start : start + keep][inside].sum())
        if len(inputs.batteries):
            soc_start = values["soc"][:, start + keep - 1].copy()
        timings["build"] += t1 - t0
        timings["solve"] += t2 - t1
        timings["extract"] += time.perf_counter() - t2
    t3 = time.perf_counter()
    soc_initial = soc_first.copy()
    if not rolling:
        soc_initial = np.where(np.isnan(soc_first), values["soc"][:, -1] if len(soc_first) else soc_first, soc_first)
    result = build_result(
        inputs,
        values,
        prices,
        soc_initial,
        objective_usd=objective,
        solver_objective_usd=solver_objective,
        status="optimal",
        seconds=timings["solve"],
        method=method + ("" if presolve else " (presolve off)") + (" + milp" if inputs.options.unit_commitment else ""),
    )
    t4 = time.perf_counter()
    check_result(inputs, result)
    timings["extract"] += t4 - t3
    timings["check"] = time.perf_counter() - t4
    return replace(result, timings_s=timings, n_windows=len(windows))


def solve_with_counterfactual(
    inputs: DispatchInputs, method: str = DEFAULT_METHOD, presolve: bool = True, parallel: bool = True
) -> DispatchResult:
    """Solve ``inputs`` and the same system without the new portfolio; fill gas saved and CO2 avoided.

    Parameters
    ----------
    parallel : bool
        Run the two independent solves on two threads (HiGHS releases the GIL for most of
        its work: about 1.5x faster on two cores). The results are the same either way.

    Returns
    -------
    DispatchResult
        The portfolio's result with ``gas_saved_mcm`` and ``co2_avoided_t`` set and the
        counterfactual result in ``counterfactual``.
    """
    without = inputs.without_new()
    if parallel:
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="highs") as pool:
            futures = [pool.submit(solve, problem, method, presolve) for problem in (inputs, without)]
            with_new, without_new = (future.result() for future in futures)
    else:
        with_new = solve(inputs, method, presolve)
        without_new = solve(without, method, presolve)
    return with_new.with_counterfactual(without_new)


def matrix_stats(lp: LinearProgram) -> dict[str, int]:
    """Variables, constraints and nonzeros of an assembled LP (for benchmarks and reports)."""
    return {"variables": lp.n_variables, "constraints": lp.n_constraints, "nonzeros": lp.n_nonzeros}
