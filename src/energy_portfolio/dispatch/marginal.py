"""What sets the price: the marginal technology of each zone and hour.

The price of a zone in an hour is the dual of its energy balance. It is set by a unit that is
free to move in both directions at that hour (strictly between its bounds) and whose cost of one
more MWh equals the price. This module labels each zone-hour, in this order:

1. ``unserved``: the price is the value of lost load;
2. ``curtailment``: the price is at or below zero (a renewable plant is being curtailed, and one
   more MWh of demand would cost nothing);
3. a thermal unit type (``ccgt``, ``steam``, ``gas_engine``, ``gt``): a gas plant of the zone
   with a part-loaded fuel-curve segment (energy only: output strictly between 0 and its
   available capacity) whose incremental cost ``gas price x incremental heat rate + variable
   O&M`` is within the tolerance of the price;
4. ``hydro``, a storage technology (``battery``, ``pumped_hydro``, ...) or ``trade``: no gas cost
   matches, and a hydro plant, a store or an interconnector of the zone is strictly inside its
   limits: its opportunity value (an energy budget's or stored energy's shadow price, or a
   neighbour's price) sets the price;
5. ``other``: none of the above (e.g. a price set through a line from another zone, a ramp, a
   minimum stable level or a reserve requirement).

The same rule is used by production-cost models to report "marginal unit" statistics (e.g. PLEXOS'
"Price Setting" and PowerSimulations.jl's marginal analysis); it is a diagnosis, not a constraint.
"""

from __future__ import annotations

import numpy as np

from .inputs import DispatchInputs

__all__ = ["PRICE_MATCH_USD_PER_MWH", "price_setters"]

PRICE_MATCH_USD_PER_MWH = 0.05
"""How close a unit's incremental cost must be to the price to be called its setter [USD/MWh]
(also at least 1e-6 of the price): well below the smallest cost step between two gas plants."""

_FREE_MW = 1e-4
"""How far from a bound a unit must be to count as free to move [MW]."""


def _inside(values: np.ndarray, lower, upper) -> np.ndarray:
    """True where ``lower + tol < values < upper - tol`` (broadcasting)."""
    return (values > np.asarray(lower) + _FREE_MW) & (values < np.asarray(upper) - _FREE_MW)


def _thermal_setters(inputs: DispatchInputs, values: dict[str, np.ndarray], prices: np.ndarray) -> list[tuple]:
    """(zone, unit type, mask of hours in which the unit's incremental cost sets the price) per unit."""
    units = inputs.thermal_units
    gas = inputs.gas.price_usd_per_gj(inputs.options.gas_price_basis)
    zone_index = {z: i for i, z in enumerate(inputs.zones)}
    out = []
    for g, unit in enumerate(units):
        price = prices[zone_index[unit.zone]]
        match = np.abs(price) * 1e-6 + PRICE_MATCH_USD_PER_MWH
        if not inputs.options.unit_commitment:
            cost = gas * unit.heat_rate_gj_per_mwh + unit.variable_om_usd_per_mwh
            free = _inside(values["thermal"][g], 0.0, unit.max_mw)
            out.append((unit.zone, unit.unit_type, free & (np.abs(price - cost) <= match)))
            continue
        online = values["online"][g]
        for k, (rate, width) in enumerate(zip(unit.heat_rates, unit.segment_max_mw, strict=True)):
            row = _segment_row(units, g, k)
            segment = values[f"thermal_segment_{k + 1}"][row]
            cost = gas * rate + unit.variable_om_usd_per_mwh
            free = _inside(segment, 0.0, width * online)
            out.append((unit.zone, unit.unit_type, free & (np.abs(price - cost) <= match)))
    return out


def _segment_row(units, g: int, k: int) -> int:
    """Row of unit ``g`` in the block of segment ``k`` (only units with that many segments have one)."""
    return sum(1 for unit in units[:g] if len(unit.heat_rates) > k)


def _opportunity_setters(inputs: DispatchInputs, values: dict[str, np.ndarray]) -> list[tuple]:
    """(zone, label, mask of hours strictly inside limits) of hydro, stores and interconnectors."""
    out = []
    for h, plant in enumerate(inputs.hydro):
        out.append((plant.zone, "hydro", _inside(values["hydro"][h], plant.min_output_mw, plant.capacity_mw)))
    for s, store in enumerate(inputs.storage):
        charge, discharge = values["charge"][s], values["discharge"][s]
        moving = _inside(charge, 0.0, store.charge_power_mw) | _inside(discharge, 0.0, store.discharge_power_mw)
        out.append((store.zone, store.technology, moving))
    for i, link in enumerate(inputs.interconnectors):
        room = link.export_capacity_mw - link.hourly("firm_export_mw", inputs.hours)  # opportunistic sales' limit
        moving = _inside(values["import"][i], 0.0, link.import_capacity_mw) | _inside(values["export"][i], 0.0, room)
        out.append((link.zone, "trade", moving))
    return out


def price_setters(inputs: DispatchInputs, values: dict[str, np.ndarray], prices: np.ndarray) -> np.ndarray:
    """The label of what sets the price in each zone and hour (module docstring).

    Parameters
    ----------
    inputs : DispatchInputs
    values : dict
        Solution arrays per block, shape (units, hours).
    prices : numpy.ndarray
        Zone prices, shape (zones, hours) [USD/MWh].

    Returns
    -------
    numpy.ndarray
        Labels (object array), shape (zones, hours).
    """
    zones = list(inputs.zones)
    labels = np.full(prices.shape, "other", dtype=object)
    decided = np.zeros(prices.shape, dtype=bool)

    def assign(z: int, mask: np.ndarray, label: str) -> None:
        new = mask & ~decided[z]
        labels[z][new] = label
        decided[z] |= new

    voll = inputs.value_of_lost_load_usd_per_mwh
    for z in range(len(zones)):
        assign(z, prices[z] >= voll - PRICE_MATCH_USD_PER_MWH, "unserved")
        assign(z, prices[z] <= PRICE_MATCH_USD_PER_MWH, "curtailment")
    for zone, label, mask in _thermal_setters(inputs, values, prices):
        assign(zones.index(zone), mask, label)
    for zone, label, mask in _opportunity_setters(inputs, values):
        assign(zones.index(zone), mask, label)
    return labels
