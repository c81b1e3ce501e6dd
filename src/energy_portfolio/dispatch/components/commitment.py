"""Clustered unit commitment of the thermal groups (``options.operations == "unit_commitment"``).

Each group is ``N`` identical units of available size ``P = size x availability`` and minimum
stable output ``Pmin = min_stable x P``. Per group and hour (``u`` units online, ``p`` output):

- blocks ``online`` (0..N, integer unless ``commitment: relaxed``), ``start``, ``shutdown``
  (0..N) and ``thermal_segment_<k>`` (output of segment ``k`` above the minimum stable level);
- ``unit_commitment:<id>:max``: ``p <= P u``; ``unit_commitment:<id>:min``: ``p >= Pmin u``;
- ``online_transition:<id>``: ``u[t] - u[t-1] = start[t] - shutdown[t]`` (``u[-1]`` from the
  previous window, or all units online before the study);
- ``min_up:<id>``: ``u[t] >= sum(start[t-UT+1..t])``; ``min_down:<id>``:
  ``N - u[t] >= sum(shutdown[t-DT+1..t])`` (Rajan and Takriti 2005), starts and shutdowns
  before the window on the right-hand side;
- ``ramp_up:<id>``: ``p[t] - p[t-1] <= RU (u - start) + SU start - Pmin shutdown`` and
  ``ramp_down:<id>``: ``p[t-1] - p[t] <= RD (u - start) - Pmin start + SD shutdown`` with the
  start-up and shut-down allowances ``SU = max(Pmin, RU)`` and ``SD = max(Pmin, RD)`` (at most
  ``P``), only for groups whose hourly ramp is below ``P``;
- ``thermal_segments:<id>``: ``p = Pmin u + sum_k segment_k`` and
  ``thermal_segment_<k>:<id>``: ``segment_k <= w_k x availability x u``.

Fuel [GJ] = ``(no_load x availability + rate_1 x Pmin) u + sum_k rate_k segment_k + start_fuel
x start``, priced at the options' gas price basis; the start wear is added per start and the
variable O&M stays on ``thermal``.

References
----------
Morales-España, Latorre and Ramos (2013), "Tight and compact MILP formulation for the thermal
unit commitment problem", IEEE Trans. Power Syst. 28(4). Rajan and Takriti (2005), "Minimum
up/down polytopes of the unit commitment problem with start-up costs", IBM RC23628. Palmintier
and Webster (2014), "Heterogeneous unit clustering for efficient operational flexibility
modeling", IEEE Trans. Power Syst. 29(3) (the clustered formulation GenX and PowerSimulations.jl
use).
"""

from __future__ import annotations

import numpy as np

from ..inputs import DispatchInputs
from ..lp import CommitmentState, LpBuilder, WindowState
from ..system import ThermalUnit

__all__ = ["add_commitment", "segment_block"]


def segment_block(k: int) -> str:
    """Name of the block of fuel-curve segment ``k`` (0-based): ``thermal_segment_1``, ..."""
    return f"thermal_segment_{k + 1}"


def add_commitment(lp: LpBuilder, inputs: DispatchInputs, state: WindowState) -> None:
    """Blocks ``online``, ``start``, ``shutdown``, ``thermal_segment_<k>`` and the rows of each group."""
    options = inputs.options
    if not options.unit_commitment:
        return
    units = inputs.thermal_units
    ids = [u.id for u in units]
    price = inputs.gas.price_usd_per_gj(options.gas_price_basis)
    count = np.array([float(u.unit_count) for u in units])
    online_cost = [price * (u.no_load_gj_per_h * u.availability + u.heat_rates[0] * u.unit_min_mw) for u in units]
    start_cost = [price * u.start_fuel_gj + u.start_wear_usd for u in units]
    integer = options.commitment == "integer"
    if integer and state.integer_hours is not None:
        integer = lp.hour_index < state.integer_hours  # the look-ahead hours relaxed
    lp.add_block("online", ids, 0.0, count, cost=online_cost, integer=integer)
    lp.add_block("start", ids, 0.0, count, cost=start_cost)
    lp.add_block("shutdown", ids, 0.0, count)
    for k in range(max((len(u.heat_rates) for u in units), default=0)):
        members = [g for g, u in enumerate(units) if len(u.heat_rates) > k]
        lp.add_block(segment_block(k), [ids[g] for g in members], 0.0,
                     [count[g] * units[g].segment_max_mw[k] for g in members],
                     cost=[price * units[g].heat_rates[k] for g in members])
    initial = state.commitment or CommitmentState.initial(units)
    for g, unit in enumerate(units):
        _limits(lp, g, unit)
        _transition(lp, g, unit, initial)
        _min_times(lp, g, unit, initial)
        _ramps(lp, g, unit, initial)
        _segments(lp, g, unit)


def _limits(lp: LpBuilder, g: int, unit: ThermalUnit) -> None:
    """``p - P u <= 0`` and ``Pmin u - p <= 0``."""
    zeros = np.zeros(lp.hours)
    upper, lower = f"unit_commitment:{unit.id}:max", f"unit_commitment:{unit.id}:min"
    lp.add_rows(upper, "<=", zeros)
    lp.add_terms(upper, lp.hour_index, lp.columns("thermal", g), 1.0)
    lp.add_terms(upper, lp.hour_index, lp.columns("online", g), -unit.unit_max_mw)
    lp.add_rows(lower, "<=", zeros)
    lp.add_terms(lower, lp.hour_index, lp.columns("thermal", g), -1.0)
    lp.add_terms(lower, lp.hour_index, lp.columns("online", g), unit.unit_min_mw)


def _transition(lp: LpBuilder, g: int, unit: ThermalUnit, initial: CommitmentState) -> None:
    """``u[t] - u[t-1] - start[t] + shutdown[t] = 0``; ``u[-1]`` on the right-hand side of hour 0."""
    name = f"online_transition:{unit.id}"
    rhs = np.zeros(lp.hours)
    rhs[0] = initial.online[g]
    lp.add_rows(name, "=", rhs)
    online = lp.columns("online", g)
    lp.add_terms(name, lp.hour_index, online, 1.0)
    lp.add_terms(name, lp.hour_index[1:], online[:-1], -1.0)
    lp.add_terms(name, lp.hour_index, lp.columns("start", g), -1.0)
    lp.add_terms(name, lp.hour_index, lp.columns("shutdown", g), 1.0)


def _min_times(lp: LpBuilder, g: int, unit: ThermalUnit, initial: CommitmentState) -> None:
    """``sum(start[t-UT+1..t]) - u[t] <= -(starts before)`` and
    ``sum(shutdown[t-DT+1..t]) + u[t] <= N - (shutdowns before)``, for UT, DT >= 2."""
    cases = (("min_up", unit.min_up_h, "start", initial.starts, -1.0, 0.0),
             ("min_down", unit.min_down_h, "shutdown", initial.shutdowns, 1.0, float(unit.unit_count)))
    for kind, hours, block, history, sign, base in cases:
        if hours < 2:
            continue
        name = f"{kind}:{unit.id}"
        before = np.zeros(lp.hours)
        past = history[g]
        for t in range(min(hours - 1, lp.hours)):
            # hours t-hours+1 .. -1 of the previous windows: the last hours-1-t columns of the history
            n_back = hours - 1 - t
            before[t] = past[-n_back:].sum() if n_back <= past.size else past.sum()
        lp.add_rows(name, "<=", base - before)
        lp.add_terms(name, lp.hour_index, lp.columns("online", g), sign)
        cols = lp.columns(block, g)
        for lag in range(min(hours, lp.hours)):
            lp.add_terms(name, lp.hour_index[lag:], cols[: lp.hours - lag], 1.0)


def _ramps(lp: LpBuilder, g: int, unit: ThermalUnit, initial: CommitmentState) -> None:
    """Clustered ramp limits with start-up and shut-down allowances (module docstring)."""
    p_min, p_max = unit.unit_min_mw, unit.unit_max_mw
    known = initial.output_mw is not None
    for kind, sign in (("ramp_up", 1.0), ("ramp_down", -1.0)):
        rate = unit.ramp_per_h_mw("up" if sign > 0 else "down")
        if rate >= p_max - 1e-9:
            continue
        allowance = min(max(p_min, rate), p_max)
        name = f"{kind}:{unit.id}"
        rhs = np.zeros(lp.hours)
        if known:
            rhs[0] = sign * initial.output_mw[g]  # p[-1] moved to the right-hand side
        lp.add_rows(name, "<=", rhs)
        first = 0 if known else 1  # hour 0 without a known output has no ramp limit (an empty row)
        hours = lp.hour_index[first:]
        thermal = lp.columns("thermal", g)
        lp.add_terms(name, hours, thermal[first:], sign)
        lp.add_terms(name, lp.hour_index[1:], thermal[:-1], -sign)
        lp.add_terms(name, hours, lp.columns("online", g)[first:], -rate)
        if sign > 0:
            lp.add_terms(name, hours, lp.columns("start", g)[first:], rate - allowance)
            lp.add_terms(name, hours, lp.columns("shutdown", g)[first:], p_min)
        else:
            lp.add_terms(name, hours, lp.columns("start", g)[first:], rate + p_min)
            lp.add_terms(name, hours, lp.columns("shutdown", g)[first:], -allowance)


def _segments(lp: LpBuilder, g: int, unit: ThermalUnit) -> None:
    """``p - Pmin u - sum_k segment_k = 0`` and ``segment_k - w_k x availability x u <= 0``."""
    total = f"thermal_segments:{unit.id}"
    lp.add_rows(total, "=", np.zeros(lp.hours))
    lp.add_terms(total, lp.hour_index, lp.columns("thermal", g), 1.0)
    lp.add_terms(total, lp.hour_index, lp.columns("online", g), -unit.unit_min_mw)
    for k, width in enumerate(unit.segment_max_mw):
        block = segment_block(k)
        column = lp.columns(block, lp.unit(block, unit.id))
        lp.add_terms(total, lp.hour_index, column, -1.0)
        name = f"{block}:{unit.id}"
        lp.add_rows(name, "<=", np.zeros(lp.hours))
        lp.add_terms(name, lp.hour_index, column, 1.0)
        lp.add_terms(name, lp.hour_index, lp.columns("online", g), -width)
