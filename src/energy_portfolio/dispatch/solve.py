"""Solving the dispatch: the package's only caller of HiGHS.

Perfect foresight solves the whole study at once. Rolling horizon solves windows of
``window_h`` hours and keeps the first ``step_h`` of each, carrying into the next window:

- the state of charge at the end of the kept hours (a cyclic battery starts the first window at
  the middle of its state-of-charge range and must end the last window there, so the study as a
  whole is cyclic);
- the unused part of every energy budget (hydro per year or month, battery cycles per year).
  A window may use ``remaining x (budget hours in the window) / (budget hours from the window's
  start to the period's end)``, so the budget is spread over what is left and the last window
  of a period can use all of it; the hydro minimum output stays feasible because every window's
  share is at least its hours x the minimum whenever the whole budget is;
- the output of every hydro plant in the last kept hour, so the ramp limits of the next
  window's first hour hold across the seam;
- the energy each flexible load (electric-bus charging) drew in a period (night) still in
  progress at the end of the kept hours, so the next window draws the rest of that night's
  energy; a window's last hours within a night are bounded below by what the rest of the night
  can still draw (:func:`~.system.flexible_load`), so no window leaves its successor an
  impossible remainder.

HiGHS is called through its Python interface ``highspy`` (default) or through
``scipy.optimize.linprog(method=...)`` and ``scipy.optimize.milp``, on the same matrices. With unit
commitment the MILP is solved first, then the commitment is fixed and the LP re-solved for the
duals (marginal prices).

Duals: every row family of the LP (:attr:`LinearProgram.rows`) gets its duals by name, through
both interfaces, with one sign convention: the dual of a row is the change of the objective
[USD] per unit increase of its right-hand side. So the dual of ``balance:<zone>`` is the zone's
marginal price (positive when more demand costs more), and the dual of a ``<=`` row is <= 0
(``-dual`` is the rent of the binding limit, e.g. of a shared connection [USD/MWh] or the
water value of a hydro budget). Rolling horizon keeps the duals of each window's kept hours; a
budget's single row gives its window's dual in the kept hours it covers (NaN elsewhere).

A status other than optimal raises :class:`DispatchError` with HiGHS' message, after one retry
with presolve off when HiGHS reports the problem infeasible.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import highspy
import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from ..errors import DispatchError
from .assemble import build_lp
from .checks import check_result, describe_shortage
from .inputs import DispatchInputs
from .lp import (
    COMMITMENT_BLOCKS,
    Budget,
    CommitmentState,
    LinearProgram,
    WindowState,
    energy_budgets,
    thermal_cost_usd_per_mwh,
)
from .result import DispatchResult, WindowStats, build_result

__all__ = [
    "DEFAULT_INTERFACE",
    "DEFAULT_METHOD",
    "INTERFACES",
    "METHODS",
    "solve",
    "solve_with_counterfactual",
    "solve_lp",
    "LpSolution",
    "matrix_stats",
    "DEFAULT_HIGHS_OPTIONS",
]

METHODS = ("highs-ds", "highs-ipm", "highs")
DEFAULT_METHOD = "highs-ds"
"""Dual simplex with presolve: the fastest of the HiGHS methods on the default full-year problem
(``benchmarks/dispatch_methods.py``; figures in benchmarks/README.md)."""
DEFAULT_HIGHS_OPTIONS: dict = {}
"""Further HiGHS options of the default solve (none: the measured alternatives were not faster)."""
INTERFACES = ("highspy", "scipy")
DEFAULT_INTERFACE = "highspy"
"""HiGHS through its own Python interface ``highspy`` by default; ``scipy`` goes through
``scipy.optimize.linprog``/``milp``, which bundle an older HiGHS (1.12 with scipy 1.17) and took
about 1 s longer on the default full year (``benchmarks/dispatch_methods.py``). Both give the
same optimum; a test solves the hand-solved cases through both."""

HIGHS_THREADS = 1
"""Threads of each HiGHS run. One: the dispatch with and without the portfolio run side by side on
two threads (:func:`solve_with_counterfactual`, ``run_portfolio``), and HiGHS' MIP workers on top of
them only compete for the same cores (the default year with unit commitment and reserves: 110 s
with one thread per run against 128 s with HiGHS' default; ``benchmarks/dispatch_uc.py``)."""

_HIGHSPY_METHOD = {
    "highs-ds": {"solver": "simplex", "simplex_strategy": 1},
    "highs-ipm": {"solver": "ipm"},
    "highs": {"solver": "choose"},
}
"""HiGHS options of each method name (the names of ``scipy.optimize.linprog``)."""


@dataclass(frozen=True)
class LpSolution:
    """A solved LP: primal values, duals of every row, objective, status and time.

    ``eq_duals`` and ``ub_duals`` are the duals of the rows of ``a_eq`` and ``a_ub``; ``duals``
    maps each row family name to its slice (sign convention in the module docstring:
    objective change per unit increase of the right-hand side).
    """

    x: np.ndarray
    eq_duals: np.ndarray
    objective_usd: float
    status: str
    seconds: float
    ub_duals: np.ndarray = field(default_factory=lambda: np.zeros(0))
    duals: dict[str, np.ndarray] = field(default_factory=dict)
    mip_gap: float = 0.0
    mip_seconds: float = 0.0
    mip_gap_usd: float = 0.0
    mip_abs_gap_usd: float = 0.0

    def dual(self, name: str) -> np.ndarray:
        """The duals of row family ``name`` (e.g. ``balance:az_main``, ``shared_connection:bess``)."""
        return self.duals[name]


@dataclass(frozen=True)
class _Outcome:
    """One HiGHS run through either interface; ``code`` follows ``scipy.optimize.linprog``
    (0 optimal, 2 infeasible, other codes failed)."""

    code: int
    message: str
    x: np.ndarray | None = None
    eq_duals: np.ndarray | None = None
    objective_usd: float = float("nan")
    ub_duals: np.ndarray | None = None
    gap: float = 0.0


def _scipy_run(lp: LinearProgram, lower, upper, method: str, presolve: bool, extra: dict, integer: bool,
               start: tuple[np.ndarray, np.ndarray] | None = None) -> _Outcome:
    has_ub = lp.a_ub.shape[0] > 0
    if integer:
        constraints = [LinearConstraint(lp.a_eq, lp.b_eq, lp.b_eq)]
        if has_ub:
            constraints.append(LinearConstraint(lp.a_ub, -np.inf, lp.b_ub))
        # scipy's milp takes a relative gap only: the absolute gap is HiGHS' own option (highspy interface)
        options = {key: value for key, value in extra.items() if key != "mip_abs_gap"}
        res = milp(lp.c, integrality=lp.integrality, bounds=Bounds(lower, upper), constraints=constraints,
                   options={"presolve": presolve, **options})
        gap = float(getattr(res, "mip_gap", 0.0) or 0.0)
        return _Outcome(res.status, res.message, res.x, None, res.fun if res.status == 0 else float("nan"), gap=gap)
    res = linprog(
        lp.c,
        A_ub=lp.a_ub if has_ub else None,
        b_ub=lp.b_ub if has_ub else None,
        A_eq=lp.a_eq,
        b_eq=lp.b_eq,
        bounds=np.column_stack((lower, upper)),
        method=method,
        options={"presolve": presolve, **extra},
    )
    if res.status != 0:
        return _Outcome(res.status, res.message)
    ub_duals = np.asarray(res.ineqlin.marginals) if has_ub else np.zeros(0)
    return _Outcome(0, res.message, res.x, np.asarray(res.eqlin.marginals), float(res.fun), ub_duals)


_BANNER_LOCK = threading.Lock()
_banner_muted = False


def _new_highs() -> highspy.Highs:
    """A HiGHS instance. HiGHS prints its banner from C++ to the process' standard output when
    the first instance is created, before any option can turn logging off; that one creation
    runs with file descriptor 1 pointed at the null device so that the CLI's output stays clean."""
    global _banner_muted
    with _BANNER_LOCK:
        if _banner_muted:
            return highspy.Highs()
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "wb") as null:
                os.dup2(null.fileno(), 1)
                highs = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _banner_muted = True
        return highs


def _mip_start(highs: highspy.Highs, start: tuple[np.ndarray, np.ndarray]) -> None:
    """Offer HiGHS a partial MIP start (column indices and values); HiGHS completes it by a sub-MIP
    of the free columns or drops it."""
    index, value = start
    highs.setSolution(len(index), np.asarray(index, dtype=np.int32), np.asarray(value, dtype=np.float64))


def _highspy_run(lp: LinearProgram, lower, upper, method: str, presolve: bool, extra: dict, integer: bool,
                 start: tuple[np.ndarray, np.ndarray] | None = None) -> _Outcome:
    highs = _new_highs()
    options = {"output_flag": False, "presolve": "on" if presolve else "off", "threads": HIGHS_THREADS}
    options.update({} if integer else _HIGHSPY_METHOD[method])
    options.update(extra)
    for name, value in options.items():
        if highs.setOptionValue(name, value) != highspy.HighsStatus.kOk:
            raise DispatchError(f"HiGHS rejected the option {name}={value!r}")
    matrix = sp.vstack([lp.a_eq, lp.a_ub], format="csc")
    model = highspy.HighsLp()
    model.num_col_, model.num_row_ = matrix.shape[1], matrix.shape[0]
    model.col_cost_, model.col_lower_, model.col_upper_ = lp.c, lower, upper
    model.row_lower_ = np.concatenate([lp.b_eq, np.full(lp.a_ub.shape[0], -np.inf)])
    model.row_upper_ = np.concatenate([lp.b_eq, lp.b_ub])
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.start_, model.a_matrix_.index_, model.a_matrix_.value_ = matrix.indptr, matrix.indices, matrix.data
    if integer:
        model.integrality_ = [highspy.HighsVarType(int(v)) for v in lp.integrality]
    highs.passModel(model)
    if integer and start is not None:
        _mip_start(highs, start)
    highs.run()
    status = highs.getModelStatus()
    message = highs.modelStatusToString(status)
    if status == highspy.HighsModelStatus.kOptimal:
        solution = highs.getSolution()
        n_eq = lp.a_eq.shape[0]
        row_dual = None if integer else np.asarray(solution.row_dual)
        info = highs.getInfo()
        return _Outcome(
            0, message, np.asarray(solution.col_value), None if integer else row_dual[:n_eq],
            info.objective_function_value, None if integer else row_dual[n_eq:],
            gap=max(float(info.mip_gap), 0.0) if integer else 0.0,
        )
    infeasible = status in (highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kUnboundedOrInfeasible)
    return _Outcome(2 if infeasible else 4, message)


_RUNS = {"highspy": _highspy_run, "scipy": _scipy_run}


def _run(lp: LinearProgram, inputs: DispatchInputs, lower, upper, method, presolve, extra, integer, interface,
         start=None):
    """One HiGHS run, retried once with presolve off when HiGHS reports infeasible."""
    outcome = _RUNS[interface](lp, lower, upper, method, presolve, extra, integer, start)
    if outcome.code == 2 and presolve:
        presolve = False
        outcome = _RUNS[interface](lp, lower, upper, method, presolve, extra, integer, start)
    if outcome.code != 0:
        hint = f"; {describe_shortage(inputs)}" if outcome.code == 2 else ""
        if outcome.code == 2 and inputs.options.unit_commitment:
            hint += f"; {short_family(lp, lower, upper, interface)}"
        retry = " (also with presolve off)" if outcome.code == 2 and not presolve else ""
        raise DispatchError(
            f"dispatch solve failed{retry}: HiGHS status {outcome.code}: {outcome.message}{hint}"
        )
    return outcome


def _fix_commitment(lp: LinearProgram, x: np.ndarray, lower: np.ndarray, upper: np.ndarray):
    """Bounds with the commitment blocks (and every integer column) fixed at the MIP solution ``x``."""
    lower, upper = lower.copy(), upper.copy()
    integer = lp.integrality == 1
    fixed, rounded = integer.copy(), integer.copy()
    online = lp.blocks.get("online")
    for name in COMMITMENT_BLOCKS:
        if name in lp.blocks:
            block = lp.blocks[name]
            columns = slice(block.start, block.start + len(block.ids) * lp.hours)
            fixed[columns] = True
            if online is not None and len(block.ids) == len(online.ids):
                rounded[columns] = integer[online.start : online.start + len(online.ids) * lp.hours]
    value = np.where(rounded, np.round(x), x)
    lower[fixed] = upper[fixed] = np.clip(value[fixed], lower[fixed], upper[fixed])
    return lower, upper


def mip_abs_gap_usd(inputs: DispatchInputs) -> float:
    """Absolute MIP gap of a window [USD]: ``mip_rel_gap`` x the cost of the window's demand at the cheapest
    thermal unit's full-load marginal cost.

    HiGHS' relative gap is taken of the objective, which trade revenue and free wind and solar net
    down: with the 8 GW fleet exporting, eight autumn days of the default 2032 system have a net
    objective of 65 kUSD, so 0.5 % of it is a few hundred dollars and closing it took up to a minute
    per window for nothing. Before the fleet and the trade contracts (issue 17) the objective was
    about the cost of serving demand from gas, and the gap meant 0.5 % of that; the absolute gap
    keeps that meaning. HiGHS stops at whichever gap it reaches first.
    """
    if not inputs.thermal_units:
        return 0.0
    demand_mwh = float(inputs.demand_mw.to_numpy().sum())
    cheapest = float(thermal_cost_usd_per_mwh(inputs.thermal_units, inputs.gas, inputs.options.gas_price_basis).min())
    return inputs.options.mip_rel_gap * demand_mwh * cheapest


def solve_lp(
    lp: LinearProgram,
    inputs: DispatchInputs,
    method: str = DEFAULT_METHOD,
    presolve: bool = True,
    highs_options: dict | None = None,
    interface: str = DEFAULT_INTERFACE,
    mip_start: tuple[np.ndarray, np.ndarray] | None = None,
) -> LpSolution:
    """Solve one window's LP (or MILP) with HiGHS.

    A MILP (integer unit commitment) is solved to ``inputs.options.mip_rel_gap`` of its objective or
    of the window's gross thermal cost, whichever HiGHS reaches first (:func:`mip_abs_gap_usd`); its
    commitment (the :data:`~.lp.COMMITMENT_BLOCKS`) is then fixed and the LP re-solved for the
    duals. ``mip_start`` (column indices, values) is offered to HiGHS as a partial MIP start.

    Parameters
    ----------
    highs_options : dict, optional
        Further HiGHS options (e.g. ``simplex_dual_edge_weight_strategy``); with the ``scipy``
        interface only those ``scipy.optimize.linprog`` accepts.
    interface : {"highspy", "scipy"}
        ``highspy`` (HiGHS' own Python interface) or ``scipy.optimize.linprog``/``milp``.

    Raises
    ------
    DispatchError
        Infeasible (naming the zones and hours short of supply when there are any) or failed,
        with HiGHS' status and message.
    """
    if method not in METHODS:
        raise DispatchError(f"unknown HiGHS method {method!r}; expected one of {METHODS}")
    if interface not in INTERFACES:
        raise DispatchError(f"unknown HiGHS interface {interface!r}; expected one of {INTERFACES}")
    start = time.perf_counter()
    extra = dict(DEFAULT_HIGHS_OPTIONS if highs_options is None else highs_options)
    lower, upper = lp.lower, lp.upper
    gap, mip_seconds, gap_usd, abs_gap = 0.0, 0.0, 0.0, 0.0
    if lp.integrality is not None:
        abs_gap = mip_abs_gap_usd(inputs)
        gaps = {"mip_rel_gap": inputs.options.mip_rel_gap, "mip_abs_gap": abs_gap}
        mip = _run(lp, inputs, lower, upper, method, presolve, gaps, True, interface, mip_start)
        gap, mip_seconds = mip.gap, time.perf_counter() - start
        gap_usd = gap * abs(mip.objective_usd)
        # Fix the commitment and re-solve the LP for the duals (marginal prices). Units online,
        # starts and shutdowns are rounded where the units online are integer (a relaxed look-ahead
        # keeps its continuous values, fixed as they are).
        lower, upper = _fix_commitment(lp, mip.x, lower, upper)
    res = _run(lp, inputs, lower, upper, method, presolve, extra, False, interface)
    seconds = time.perf_counter() - start
    objective = float(lp.c @ res.x)
    if abs(objective - res.objective_usd) > 1e-9 * max(1.0, abs(res.objective_usd)) + 1e-6:
        raise DispatchError(
            f"objective of the solution {objective:.6f} differs from HiGHS' {res.objective_usd:.6f}"
        )
    duals = lp.row_duals(res.eq_duals, res.ub_duals)
    return LpSolution(res.x, res.eq_duals, res.objective_usd, "optimal", seconds, res.ub_duals, duals, gap,
                      mip_seconds, gap_usd, abs_gap)


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
    for battery in inputs.storage:
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


def _flexible_carried(inputs: DispatchInputs, values: dict[str, np.ndarray], start: int) -> np.ndarray | None:
    """Energy each flexible load drew before study hour ``start`` in the period that hour continues [MWh]."""
    if start == 0 or not inputs.flexible_loads:
        return None
    drawn = values["flexible_energy"][:, start - 1]
    return np.array([drawn[k] if f.continues[start] else 0.0 for k, f in enumerate(inputs.flexible_loads)])


def _next_commitment(values: dict[str, np.ndarray], units, end: int) -> CommitmentState:
    """The commitment state after study hour ``end - 1``: units online, output and recent starts/shutdowns."""
    history = CommitmentState.initial(units).starts.shape[1]
    first = max(0, end - history)

    def recent(block: str) -> np.ndarray:
        out = np.zeros((len(units), history))
        out[:, history - (end - first):] = values[block][:, first:end]
        return out

    return CommitmentState(values["online"][:, end - 1].copy(), values["thermal"][:, end - 1].copy(),
                           recent("start"), recent("shutdown"))


def _overlap_start(previous: tuple[LinearProgram, np.ndarray, int] | None, lp: LinearProgram, start: int):
    """The previous window's units online in the hours both windows cover, as a partial MIP start."""
    if previous is None or "online" not in lp.blocks:
        return None
    prev_lp, prev_x, prev_start = previous
    shift = start - prev_start
    overlap = min(prev_lp.hours - shift, lp.hours)
    if overlap <= 0:
        return None
    online = prev_lp.values(prev_x, "online")[:, shift : shift + overlap]
    index = np.concatenate([lp.columns("online", g)[:overlap] for g in range(online.shape[0])])
    return index, np.round(online).reshape(-1)


def solve(
    inputs: DispatchInputs,
    method: str = DEFAULT_METHOD,
    presolve: bool = True,
    interface: str = DEFAULT_INTERFACE,
    mip_start: bool = True,
    on_window: Callable[[int, int], None] | None = None,
) -> DispatchResult:
    """Least-cost hourly dispatch of ``inputs`` (perfect foresight or rolling horizon per its options).

    Parameters
    ----------
    inputs : DispatchInputs
    method : {"highs-ds", "highs-ipm", "highs"}
        HiGHS method (the names of ``scipy.optimize.linprog``): dual simplex, interior point, HiGHS' choice.
    presolve : bool
        HiGHS presolve (turned off for one retry when HiGHS reports infeasible).
    interface : {"highspy", "scipy"}
        How HiGHS is called (see :data:`DEFAULT_INTERFACE`).
    mip_start : bool
        With integer unit commitment through ``highspy``: offer each window the previous
        window's units online in the hours both cover as a partial MIP start.
    on_window : callable, optional
        Called as ``on_window(done, total)`` with the windows solved so far and the number of
        windows: once with ``done = 0`` before the first window, then after each window (a
        caller's progress display; it runs on the solving thread and should return at once).

    Returns
    -------
    DispatchResult
        ``windows`` holds each window's hours, MIP gap and seconds.
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
    n_zones = len(inputs.zones)
    values: dict[str, np.ndarray] = {}
    duals: dict[str, np.ndarray] = {}
    prices = np.zeros((n_zones, n_hours))
    timings = {"build": 0.0, "solve": 0.0, "extract": 0.0}
    objective = 0.0
    solver_objective = 0.0
    uc = inputs.options.unit_commitment
    commitment = CommitmentState.initial(inputs.thermal_units) if uc else None
    stats: list[WindowStats] = []
    previous = None
    report = on_window or (lambda done, total: None)
    report(0, len(windows))
    for start, stop, keep in windows:
        t0 = time.perf_counter()
        window = inputs.window(start, stop) if rolling else inputs
        last = stop == n_hours
        soc_end = np.full(len(inputs.storage), np.nan)
        if rolling and last:
            cyclic = np.array([b.initial_soc_fraction is None for b in inputs.storage], dtype=bool)
            soc_end = np.where(cyclic, soc_first, np.nan)
        relax = rolling and not last and inputs.options.lookahead_commitment == "relaxed"
        integer_hours = keep if relax else None  # the look-ahead hours relaxed
        hydro_before = values["hydro"][:, start - 1].copy() if start > 0 and len(inputs.hydro) else None
        state = WindowState(soc_start, soc_end, _window_budgets(budgets, hours_left, used, start, stop),
                            commitment=commitment, integer_hours=integer_hours, hydro_before_mw=hydro_before,
                            flexible_delivered_mwh=_flexible_carried(inputs, values, start))
        lp = build_lp(window, state)
        t1 = time.perf_counter()
        warm = _overlap_start(previous, lp, start) if mip_start and interface == "highspy" else None
        try:
            solution = solve_lp(lp, window, method, presolve, interface=interface, mip_start=warm)
        except DispatchError as error:
            if not rolling:
                raise
            raise DispatchError(
                f"window of study hours {start}..{stop - 1} ({inputs.index[start].isoformat()} to "
                f"{inputs.index[stop - 1].isoformat()}): {error}"
            ) from error
        t2 = time.perf_counter()
        stats.append(WindowStats(start, stop - start, keep, solution.mip_gap, t2 - t1, solution.mip_seconds,
                                 solution.mip_gap_usd, solution.mip_abs_gap_usd))
        previous = (lp, solution.x, start) if uc else None
        if not values:
            values = {name: np.zeros((len(block.ids), n_hours)) for name, block in lp.blocks.items()}
        for name in lp.blocks:
            values[name][:, start : start + keep] = lp.values(solution.x, name)[:, :keep]
            objective += float(lp.values(lp.c * solution.x, name)[:, :keep].sum())
        for z, zone in enumerate(inputs.zones):
            prices[z, start : start + keep] = solution.duals[f"balance:{zone}"][:keep]
        _stitch_duals(duals, lp, solution, start, keep, n_hours)
        solver_objective += solution.objective_usd
        for k, budget in enumerate(budgets):
            inside = budget.mask[start : start + keep]
            used[k] += float(values[budget.block][budget.unit, start : start + keep][inside].sum())
        if len(inputs.storage):
            soc_start = values["soc"][:, start + keep - 1].copy()
        if uc:
            commitment = _next_commitment(values, inputs.thermal_units, start + keep)
        timings["build"] += t1 - t0
        timings["solve"] += t2 - t1
        timings["extract"] += time.perf_counter() - t2
        report(len(stats), len(windows))
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
        method=f"{method} via {interface}"
        + ("" if presolve else " (presolve off)")
        + (" + milp" if inputs.options.integer_commitment else ""),
        duals=duals,
    )
    t4 = time.perf_counter()
    check_result(inputs, result)
    timings["extract"] += t4 - t3
    timings["check"] = time.perf_counter() - t4
    return replace(result, timings_s=timings, n_windows=len(windows), windows=tuple(stats))


def short_family(lp: LinearProgram, lower: np.ndarray, upper: np.ndarray, interface: str = "") -> str:
    """Which row families an infeasible window is short in: the LP relaxation with a slack on every
    row (cost 1 per unit of violation) names the families whose slack is needed, largest first."""
    n_eq, n_ub, n = lp.a_eq.shape[0], lp.a_ub.shape[0], lp.n_variables
    a_eq = sp.hstack([lp.a_eq, sp.eye(n_eq), -sp.eye(n_eq), sp.csr_matrix((n_eq, n_ub))], format="csr")
    a_ub = sp.hstack([lp.a_ub, sp.csr_matrix((n_ub, 2 * n_eq)), -sp.eye(n_ub)], format="csr")
    cost = np.concatenate([np.zeros(n), np.ones(2 * n_eq + n_ub)])
    bounds = np.column_stack([np.concatenate([lower, np.zeros(2 * n_eq + n_ub)]),
                              np.concatenate([upper, np.full(2 * n_eq + n_ub, np.inf)])])
    res = linprog(cost, A_ub=a_ub if n_ub else None, b_ub=lp.b_ub if n_ub else None, A_eq=a_eq, b_eq=lp.b_eq,
                  bounds=bounds, method="highs")
    if res.status != 0:
        return "the relaxation with slacks failed too"
    slack = res.x[n:]
    eq_slack, ub_slack = slack[:n_eq] + slack[n_eq : 2 * n_eq], slack[2 * n_eq :]
    short = {}
    for name, family in lp.rows.items():
        values = (eq_slack if family.sense == "=" else ub_slack)[family.start : family.start + family.size]
        if values.sum() > 1e-6:
            hours = np.flatnonzero(values > 1e-6) if family.hours is None else family.hours
            short[name] = (float(values.sum()), int(hours[0]), int(hours[-1]))
    if not short:
        return "its LP relaxation is feasible: the integer commitment is what is short (e.g. minimum up/down times)"
    worst = sorted(short.items(), key=lambda item: -item[1][0])[:5]
    return "constraint families short (violation needed, window hours): " + ", ".join(
        f"{name} ({total:.6g}, hours {a}..{b})" for name, (total, a, b) in worst
    )


def _stitch_duals(
    duals: dict[str, np.ndarray], lp: LinearProgram, solution: LpSolution, start: int, keep: int, n_hours: int
) -> None:
    """Copy the duals of a window's kept hours into study-long arrays (NaN where a family has no row)."""
    for name, family in lp.rows.items():
        out = duals.get(name)
        if out is None:
            out = duals[name] = np.full(n_hours, np.nan)
        values = solution.duals[name]
        if family.hours is None:
            out[start : start + keep] = values[:keep]
        else:
            kept = family.hours[family.hours < keep]
            out[start + kept] = values[0]


def solve_with_counterfactual(
    inputs: DispatchInputs,
    method: str = DEFAULT_METHOD,
    presolve: bool = True,
    parallel: bool = True,
    interface: str = DEFAULT_INTERFACE,
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
            futures = [pool.submit(solve, problem, method, presolve, interface) for problem in (inputs, without)]
            with_new, without_new = (future.result() for future in futures)
    else:
        with_new = solve(inputs, method, presolve, interface)
        without_new = solve(without, method, presolve, interface)
    return with_new.with_counterfactual(without_new)


def matrix_stats(lp: LinearProgram) -> dict[str, int]:
    """Variables, constraints and nonzeros of an assembled LP (for benchmarks and reports)."""
    return {"variables": lp.n_variables, "constraints": lp.n_constraints, "nonzeros": lp.n_nonzeros}
