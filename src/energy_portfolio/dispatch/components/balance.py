"""Zone energy balance: ``supply - demand = 0`` per zone and hour, family ``balance:<zone>``.

The dual of ``balance:<zone>`` is the zone's marginal price [USD/MWh]: the change of the
objective per MWh more demand in that hour.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..inputs import DispatchInputs
from ..lp import LpBuilder, WindowState

__all__ = ["add_balance", "inject"]


def add_balance(lp: LpBuilder, inputs: DispatchInputs, state: WindowState) -> None:
    """One equality row per zone and hour with the zone's demand [MW] on the right-hand side."""
    demand = inputs.demand_mw.to_numpy(dtype=float).T  # (Z, T)
    for z, zone in enumerate(inputs.zones):
        lp.add_rows(f"balance:{zone}", "=", np.ascontiguousarray(demand[z]))


def inject(lp: LpBuilder, block: str, unit_zones: Sequence[str], sign: float) -> None:
    """Each unit of ``block`` feeds (``sign`` +1) or draws from (-1) its zone's balance every hour."""
    for unit, zone in enumerate(unit_zones):
        lp.add_terms(f"balance:{zone}", lp.hour_index, lp.columns(block, unit), sign)
