"""Interconnectors: a firm export band, opportunistic sales and purchases, and what a link may carry.

Blocks ``export_firm`` (fixed at the firm contract's band [MW], earning the contract price: a
constant of the objective, so revenue only), ``export`` (opportunistic sales, 0 .. export capacity
- band, earning the link's hourly export price) and ``import`` (0 .. import capacity at its hourly
import price). A link that carries only renewables or named sites adds the row
``trade_carries:<link>``: its exports, and those of every restricted link whose plants are a subset
of its own, at most the output its plants dispatch in the hour (the plants' sets are nested or
disjoint, :class:`~..inputs.DispatchInputs` checks, so these rows are exactly "every exported MWh
is matched by the hour's output of a plant the link may carry"). The restriction applies to
scheduled exports; reserve held on a link (``interconnectors_may_provide``) is not restricted.
"""

from __future__ import annotations

import numpy as np

from ..inputs import DispatchInputs
from ..lp import LpBuilder, WindowState
from .balance import inject

__all__ = ["add_trade"]


def add_trade(lp: LpBuilder, inputs: DispatchInputs, state: WindowState) -> None:
    """Blocks ``export_firm``, ``export`` and ``import``, and the rows ``trade_carries:<link>``."""
    links, hours = inputs.interconnectors, lp.hours
    ids = [i.id for i in links]
    firm = np.array([i.hourly("firm_export_mw", hours) for i in links]).reshape(len(links), hours)
    lp.add_block("export_firm", ids, firm, firm, cost=[-i.firm_price_usd_per_mwh for i in links])
    lp.add_block("export", ids, 0.0, np.array([i.export_capacity_mw for i in links]).reshape(-1, 1) - firm,
                 cost=-np.array([i.hourly("export_price_usd_per_mwh", hours) for i in links]).reshape(-1, hours))
    lp.add_block("import", ids, 0.0, [i.import_capacity_mw for i in links],
                 cost=np.array([i.hourly("import_price_usd_per_mwh", hours) for i in links]).reshape(-1, hours))
    zones = [i.zone for i in links]
    inject(lp, "import", zones, 1.0)
    inject(lp, "export", zones, -1.0)
    inject(lp, "export_firm", zones, -1.0)
    _carries_rows(lp, inputs)


def _carries_rows(lp: LpBuilder, inputs: DispatchInputs) -> None:
    """``sum(exports of restricted links whose plants are within this link's) - sum(output of this link's
    plants) <= 0`` per restricted link and hour, family ``trade_carries:<link>``.

    The dual is <= 0 [USD/MWh]: minus the premium an exported MWh of those plants earns over the
    zone price in that hour.
    """
    links, plants = inputs.interconnectors, inputs.renewables
    restricted = [(k, set(link.eligible(plants))) for k, link in enumerate(links) if link.carries != "any"]
    for k, own in restricted:
        name = f"trade_carries:{links[k].id}"
        lp.add_rows(name, "<=", np.zeros(lp.hours))
        for m, other in restricted:
            if other <= own:
                for block in ("export", "export_firm"):
                    lp.add_terms(name, lp.hour_index, lp.columns(block, m), 1.0)
        for p in sorted(own):
            lp.add_terms(name, lp.hour_index, lp.columns("renewable", p), -1.0)
