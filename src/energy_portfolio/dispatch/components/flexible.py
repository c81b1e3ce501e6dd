"""Flexible loads (electric-bus depot charging): a period's energy fixed, its timing chosen by the dispatch.

Blocks ``flexible_load`` (the draw [MW], 0 .. ``max_mw``, drawn from the zone's balance) and
``flexible_energy`` (the energy drawn so far in the period by the end of the hour [MWh],
``floor_mwh .. period_mwh``). Rows ``flexible_energy:<load>``, one per hour (equality)::

    energy[t] - energy[t-1] [if t continues a period] - draw[t] = carried [t = 0 and continuing]

where ``carried`` is what the period drew before the window (:attr:`~..lp.WindowState.flexible_delivered_mwh`).
In a period's last hour the floor equals the period's energy, so the period draws exactly its
energy; in a window that ends within a period the floor of the window's last hour leaves the next
window a remainder it can draw at ``max_mw`` (:func:`~..system.flexible_load`). The dual of the
row is the value of energy drawn earlier in the period [USD/MWh].

References
----------
The same energy-window formulation as a demand-side "shiftable load" with a deadline, e.g.
Brown, Schlachtberger, Kies, Schramm and Greiner (2018), "Synergies of sector coupling and
transmission reinforcement in a cost-optimised, highly renewable European energy system",
Energy 160, doi:10.1016/j.energy.2018.06.222 (battery electric vehicles with availability and
charging requirements), here with one requirement per night.
"""

from __future__ import annotations

import numpy as np

from ..inputs import DispatchInputs
from ..lp import LpBuilder, WindowState
from .balance import inject

__all__ = ["add_flexible_loads"]


def add_flexible_loads(lp: LpBuilder, inputs: DispatchInputs, state: WindowState) -> None:
    """Blocks ``flexible_load`` and ``flexible_energy`` and the rows ``flexible_energy:<load>``."""
    loads = inputs.flexible_loads
    ids = [f.id for f in loads]
    shape = (len(loads), lp.hours)
    lp.add_block("flexible_load", ids, 0.0, np.array([f.max_mw for f in loads], dtype=float).reshape(shape))
    lp.add_block("flexible_energy", ids, np.array([f.floor_mwh for f in loads], dtype=float).reshape(shape),
                 np.array([f.period_mwh for f in loads], dtype=float).reshape(shape))
    inject(lp, "flexible_load", [f.zone for f in loads], -1.0)
    carried = state.flexible_delivered_mwh
    for k, load in enumerate(loads):
        name, hours = f"flexible_energy:{load.id}", lp.hour_index
        rhs = np.zeros(lp.hours)
        continues = load.continues
        if carried is not None and lp.hours and continues[0]:
            rhs[0] = carried[k]
        energy = lp.columns("flexible_energy", k)
        lp.add_rows(name, "=", rhs)
        lp.add_terms(name, hours, energy, 1.0)
        linked = hours[1:][continues[1:]]
        lp.add_terms(name, linked, energy[linked - 1], -1.0)
        lp.add_terms(name, hours, lp.columns("flexible_load", k), -1.0)
