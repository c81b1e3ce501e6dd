"""Stores (batteries, pumped hydro, ...): charge, discharge, state of charge, inflow and spill.

Rows: ``soc:<id>`` (equality, the state-of-charge identity; its dual is the value of stored
energy [USD/MWh]), ``shared_connection:<id>`` and ``shared_connection:<id>:reverse`` for a store
coupled to a plant, ``budget:cycles:<id>:<year>`` for a cycle limit and ``min_release:<id>`` for a
store with a minimum release (pumped hydro on a river).
"""

from __future__ import annotations

import numpy as np

from ..inputs import DispatchInputs
from ..lp import LpBuilder, WindowState, add_budget
from ..system import Storage
from .balance import inject

__all__ = ["add_storage"]


def add_storage(lp: LpBuilder, inputs: DispatchInputs, state: WindowState) -> None:
    """Blocks ``charge``, ``discharge`` (at the discharge cost), ``soc`` and ``spill`` (stores with
    inflow only), and the rows of every store."""
    stores = inputs.storage
    ids = [s.id for s in stores]
    lp.add_block("charge", ids, 0.0, [s.charge_power_mw for s in stores])
    lp.add_block("discharge", ids, 0.0, [s.discharge_power_mw for s in stores],
                 cost=[s.discharge_cost_usd_per_mwh for s in stores])
    lp.add_block("soc", ids, [s.soc_min_fraction * s.energy_mwh for s in stores],
                 [s.soc_max_fraction * s.energy_mwh for s in stores])
    fed = [s for s in stores if s.inflow_mw is not None]
    inflow = np.array([s.inflow_mw for s in fed], dtype=float).reshape(len(fed), lp.hours)
    lp.add_block("spill", [s.id for s in fed], 0.0, inflow)
    inject(lp, "discharge", [s.zone for s in stores], 1.0)
    inject(lp, "charge", [s.zone for s in stores], -1.0)
    for b, store in enumerate(stores):
        _soc_rows(lp, b, store, state.soc_start_mwh[b])
        if not np.isnan(state.soc_end_mwh[b]):
            lp.fix("soc", b, lp.hours - 1, state.soc_end_mwh[b])
    for b, store in enumerate(stores):
        if store.coupled_plant is not None:
            _shared_connection(lp, b, store)
    for budget in state.budgets:
        if budget.kind == "cycles":
            add_budget(lp, budget, stores[budget.unit].id)
    for b, store in enumerate(stores):
        if store.min_release_mw > 0:
            _min_release(lp, b, store)


def _min_release(lp: LpBuilder, b: int, store: Storage) -> None:
    """``-discharge[t] / eta_d - spill[t] <= -min_release`` (``min_release:<id>``): the water passed
    downstream, turbined or spilled, in turbine-inlet energy. Its dual is <= 0 [USD/MWh]: minus the
    cost of the last MWh of required release."""
    name = f"min_release:{store.id}"
    lp.add_rows(name, "<=", np.full(lp.hours, -store.min_release_mw))
    lp.add_terms(name, lp.hour_index, lp.columns("discharge", b), -1.0 / store.discharge_efficiency)
    lp.add_terms(name, lp.hour_index, lp.columns("spill", lp.unit("spill", store.id)), -1.0)


def _soc_rows(lp: LpBuilder, b: int, store: Storage, soc_start_mwh: float) -> None:
    """``soc[t] - keep soc[t-1] - eta_c charge[t] + discharge[t] / eta_d + spill[t] = inflow[t]``
    (``+ keep soc_start`` in the first hour, or ``soc[-1]`` wrapped to the last hour when cyclic)."""
    name, hours = f"soc:{store.id}", lp.hour_index
    keep = 1.0 - store.standing_loss_per_hour
    soc = lp.columns("soc", b)
    rhs = np.zeros(lp.hours) if store.inflow_mw is None else np.array(store.inflow_mw, dtype=float)
    if not np.isnan(soc_start_mwh):
        rhs[0] += keep * soc_start_mwh
    lp.add_rows(name, "=", rhs)
    lp.add_terms(name, hours, soc, 1.0)
    lp.add_terms(name, hours[1:], soc[:-1], -keep)
    lp.add_terms(name, hours, lp.columns("charge", b), -store.charge_efficiency)
    lp.add_terms(name, hours, lp.columns("discharge", b), 1.0 / store.discharge_efficiency)
    if np.isnan(soc_start_mwh):
        lp.add_terms(name, hours[:1], soc[-1:], -keep)
    if store.inflow_mw is not None:
        lp.add_terms(name, hours, lp.columns("spill", lp.unit("spill", store.id)), 1.0)


def _shared_connection(lp: LpBuilder, b: int, store: Storage) -> None:
    """``plant + discharge - charge <= shared`` (``shared_connection:<id>``) and ``>= -shared``
    (``shared_connection:<id>:reverse``). Duals are <= 0 [USD/MWh]: minus the congestion rent."""
    p = lp.unit("renewable", store.coupled_plant)
    for sign, name in ((1.0, f"shared_connection:{store.id}"), (-1.0, f"shared_connection:{store.id}:reverse")):
        lp.add_rows(name, "<=", np.full(lp.hours, store.shared_connection_mw))
        lp.add_terms(name, lp.hour_index, lp.columns("renewable", p), sign)
        lp.add_terms(name, lp.hour_index, lp.columns("discharge", b), sign)
        lp.add_terms(name, lp.hour_index, lp.columns("charge", b), -sign)
