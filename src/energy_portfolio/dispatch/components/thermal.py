"""Thermal (gas) units: output within capacity x availability at their marginal cost; unit commitment."""

from __future__ import annotations

import numpy as np

from ..inputs import DispatchInputs
from ..lp import LpBuilder, WindowState, thermal_cost_usd_per_mwh, thermal_max_mw
from .balance import inject

__all__ = ["add_thermal", "add_unit_commitment"]


def add_thermal(lp: LpBuilder, inputs: DispatchInputs, state: WindowState) -> None:
    """Block ``thermal``: 0 .. capacity x availability [MW] at gas price x heat rate + O&M [USD/MWh]."""
    units = inputs.thermal_units
    cost = thermal_cost_usd_per_mwh(units, inputs.gas, inputs.options.gas_price_basis)
    lp.add_block("thermal", [u.id for u in units], 0.0, thermal_max_mw(units), cost=cost)
    inject(lp, "thermal", [u.zone for u in units], 1.0)


def add_unit_commitment(lp: LpBuilder, inputs: DispatchInputs, state: WindowState) -> None:
    """With ``options.unit_commitment``: binaries ``commit`` and, per unit and hour,
    ``p <= max u`` (``unit_commitment:<id>:max``) and ``min_stable x max x u <= p`` (``...:min``)."""
    if not inputs.options.unit_commitment:
        return
    units = inputs.thermal_units
    thermal_max = thermal_max_mw(units)
    min_stable = np.array([u.min_stable_fraction for u in units]) * thermal_max
    lp.add_block("commit", [u.id for u in units], 0.0, 1.0, integer=True)
    zeros = np.zeros(lp.hours)
    for g, unit in enumerate(units):
        upper, lower = f"unit_commitment:{unit.id}:max", f"unit_commitment:{unit.id}:min"
        lp.add_rows(upper, "<=", zeros)
        lp.add_terms(upper, lp.hour_index, lp.columns("thermal", g), 1.0)
        lp.add_terms(upper, lp.hour_index, lp.columns("commit", g), -thermal_max[g])
        lp.add_rows(lower, "<=", zeros)
        lp.add_terms(lower, lp.hour_index, lp.columns("thermal", g), -1.0)
        lp.add_terms(lower, lp.hour_index, lp.columns("commit", g), min_stable[g])
