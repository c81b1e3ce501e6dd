"""Thermal (gas) plant groups: output within capacity x availability at their marginal cost.

Energy only, the group is one block at its full-load heat rate. With unit commitment the same
``thermal`` block carries the variable O&M only and :mod:`.commitment` adds the units online,
starts, shutdowns and the fuel-curve segments that price the fuel.
"""

from __future__ import annotations

import numpy as np

from ..inputs import DispatchInputs
from ..lp import LpBuilder, WindowState, thermal_cost_usd_per_mwh, thermal_max_mw
from .balance import inject

__all__ = ["add_thermal"]


def add_thermal(lp: LpBuilder, inputs: DispatchInputs, state: WindowState) -> None:
    """Block ``thermal``: 0 .. capacity x availability [MW] at gas price x heat rate + O&M [USD/MWh].

    With unit commitment: 0 .. unit count x unit size x availability [MW] at the variable O&M.
    """
    units = inputs.thermal_units
    options = inputs.options
    cost = thermal_cost_usd_per_mwh(units, inputs.gas, options.gas_price_basis, options.unit_commitment)
    upper = thermal_max_mw(units)
    if options.unit_commitment:
        upper = np.array([u.unit_count * u.unit_max_mw for u in units])
    lp.add_block("thermal", [u.id for u in units], 0.0, upper, cost=cost)
    inject(lp, "thermal", [u.zone for u in units], 1.0)
