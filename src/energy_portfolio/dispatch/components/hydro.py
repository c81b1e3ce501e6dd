"""Hydro plants: output between the minimum and capacity, energy budgets per year or month."""

from __future__ import annotations

from ..inputs import DispatchInputs
from ..lp import LpBuilder, WindowState, add_budget
from .balance import inject

__all__ = ["add_hydro"]


def add_hydro(lp: LpBuilder, inputs: DispatchInputs, state: WindowState) -> None:
    """Block ``hydro`` (min_output .. capacity [MW], no cost) and the rows ``budget:hydro:<id>:<period>``.

    The budget's dual is the objective change per MWh more water in that period [USD/MWh, <= 0]:
    minus the water value.
    """
    plants = inputs.hydro
    lp.add_block("hydro", [h.id for h in plants], [h.min_output_mw for h in plants], [h.capacity_mw for h in plants])
    inject(lp, "hydro", [h.zone for h in plants], 1.0)
    for budget in state.budgets:
        if budget.kind == "hydro":
            add_budget(lp, budget, plants[budget.unit].id)
