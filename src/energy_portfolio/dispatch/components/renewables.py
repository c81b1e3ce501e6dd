"""Wind and solar plants: dispatched output up to the available output and the plant's connection.

Curtailment is what is not dispatched (available - dispatched); it costs nothing.
"""

from __future__ import annotations

import numpy as np

from ..inputs import DispatchInputs
from ..lp import LpBuilder, WindowState
from .balance import inject

__all__ = ["add_renewables"]


def add_renewables(lp: LpBuilder, inputs: DispatchInputs, state: WindowState) -> None:
    """Block ``renewable``: 0 .. min(available, connection) [MW] per hour, no cost."""
    plants = inputs.renewables
    available = np.array([p.available_mw for p in plants]).reshape(len(plants), lp.hours)
    connection = np.array([p.connection_mw for p in plants])
    lp.add_block("renewable", [p.id for p in plants], 0.0, np.minimum(available, connection[:, None]))
    inject(lp, "renewable", [p.zone for p in plants], 1.0)
