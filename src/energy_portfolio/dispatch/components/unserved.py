"""Unserved energy: demand not served, at the value of lost load (when allowed)."""

from __future__ import annotations

import numpy as np

from ..inputs import DispatchInputs
from ..lp import LpBuilder, WindowState
from .balance import inject

__all__ = ["add_unserved"]


def add_unserved(lp: LpBuilder, inputs: DispatchInputs, state: WindowState) -> None:
    """Block ``unserved`` (one unit per zone, 0 .. demand [MW] at the value of lost load
    [USD/MWh]); no units when ``inputs.allow_unserved`` is False."""
    zones = list(inputs.zones) if inputs.allow_unserved else []
    demand = inputs.demand_mw.to_numpy(dtype=float).T[: len(zones)]
    lp.add_block("unserved", zones, 0.0, demand, cost=np.full(len(zones), inputs.value_of_lost_load_usd_per_mwh))
    inject(lp, "unserved", zones, 1.0)
