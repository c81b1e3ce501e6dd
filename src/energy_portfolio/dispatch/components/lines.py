"""Lines between zones (transport model): a flow within +-capacity, no losses, no cost."""

from __future__ import annotations

from ..inputs import DispatchInputs
from ..lp import LpBuilder, WindowState
from .balance import inject

__all__ = ["add_lines"]


def add_lines(lp: LpBuilder, inputs: DispatchInputs, state: WindowState) -> None:
    """Block ``line``: flow from_zone -> to_zone in -capacity .. capacity [MW]."""
    lines = inputs.lines
    capacity = [ln.capacity_mw for ln in lines]
    lp.add_block("line", [ln.id for ln in lines], [-c for c in capacity], capacity)
    inject(lp, "line", [ln.to_zone for ln in lines], 1.0)
    inject(lp, "line", [ln.from_zone for ln in lines], -1.0)
