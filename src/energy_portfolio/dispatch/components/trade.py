"""Interconnectors: sales and purchases with neighbours at fixed prices."""

from __future__ import annotations

from ..inputs import DispatchInputs
from ..lp import LpBuilder, WindowState
from .balance import inject

__all__ = ["add_trade"]


def add_trade(lp: LpBuilder, inputs: DispatchInputs, state: WindowState) -> None:
    """Blocks ``export`` (0 .. export capacity [MW], earning the export price) and ``import``
    (0 .. import capacity [MW] at the import price)."""
    links = inputs.interconnectors
    ids = [i.id for i in links]
    lp.add_block("export", ids, 0.0, [i.export_capacity_mw for i in links],
                 cost=[-i.export_price_usd_per_mwh for i in links])
    lp.add_block("import", ids, 0.0, [i.import_capacity_mw for i in links],
                 cost=[i.import_price_usd_per_mwh for i in links])
    inject(lp, "import", [i.zone for i in links], 1.0)
    inject(lp, "export", [i.zone for i in links], -1.0)
