"""Hydro plants: output between the minimum and capacity, energy budgets per year or month, ramp limits."""

from __future__ import annotations

import numpy as np

from ..inputs import DispatchInputs
from ..lp import LpBuilder, WindowState, add_budget
from ..system import HydroPlant
from .balance import inject

__all__ = ["add_hydro"]


def add_hydro(lp: LpBuilder, inputs: DispatchInputs, state: WindowState) -> None:
    """Block ``hydro`` (min_output .. capacity [MW], no cost), the rows ``budget:hydro:<id>:<period>``
    and, for a plant with a ramp limit, ``hydro_ramp:<id>:up`` and ``hydro_ramp:<id>:down``.

    The budget's dual is the objective change per MWh more water in that period [USD/MWh, <= 0]:
    minus the water value.
    """
    plants = inputs.hydro
    lp.add_block("hydro", [h.id for h in plants], [h.min_output_mw for h in plants], [h.capacity_mw for h in plants])
    inject(lp, "hydro", [h.zone for h in plants], 1.0)
    for budget in state.budgets:
        if budget.kind == "hydro":
            add_budget(lp, budget, plants[budget.unit].id)
    for k, plant in enumerate(plants):
        if plant.ramp_mw_per_h is not None:
            before = None if state.hydro_before_mw is None else float(state.hydro_before_mw[k])
            _ramp_rows(lp, k, plant, before)


def _ramp_rows(lp: LpBuilder, k: int, plant: HydroPlant, before_mw: float | None) -> None:
    """``h[t] - h[t-1] <= ramp`` (``hydro_ramp:<id>:up``) and ``h[t-1] - h[t] <= ramp`` (``:down``), one row
    per hour; the first hour's ``h[-1]`` is ``before_mw`` (the output before the window), and without
    one the first row is ``+-h[0] <= capacity``, which always holds.

    Duals are <= 0 [USD per MW/h]: minus the value of one MW/h more ramp in that hour.
    """
    columns = lp.columns("hydro", k)
    for sign, direction in ((1.0, "up"), (-1.0, "down")):
        name = f"hydro_ramp:{plant.id}:{direction}"
        rhs = np.full(lp.hours, float(plant.ramp_mw_per_h))
        rhs[0] = plant.capacity_mw if before_mw is None else plant.ramp_mw_per_h + sign * before_mw
        lp.add_rows(name, "<=", rhs)
        lp.add_terms(name, lp.hour_index, columns, sign)
        lp.add_terms(name, lp.hour_index[1:], columns[:-1], -sign)
