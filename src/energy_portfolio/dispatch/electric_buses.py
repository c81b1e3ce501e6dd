"""An electric-bus fleet's overnight depot charging as a demand: fleet size, energy and charging profile.

The model, each part an assumption stated with the grid file's figures:

1. **Fleet** in a calendar year: ``N(y) = max(0, N0 + a (y - y0))`` buses (``fleet_in_base_year``,
   ``buses_added_per_year``, ``fleet_base_year``); no bus retires within a study horizon of about a
   decade (a 12 m city bus lasts 12-15 years).
2. **Energy of a night** on the generation basis of the zone's demand:
   ``E = N x km_per_bus_per_day x kwh_per_km / charging_efficiency / (1 - network_loss_fraction)``
   [kWh -> MWh]. Every bus drives every day and takes back that day's energy the next night.
3. **Charger power** on the same basis: ``P = N x charger_kw_per_bus / (1 - network_loss_fraction)``.
4. **Depot window**: the buses are at the depot from ``depot_arrival_hour`` to
   ``depot_departure_hour`` (local time, across midnight): one period (night) per day. The
   fleet of a night is that of the calendar year of its arrival.
5. **Unmanaged** charging draws ``min(P, max(0, E - P k))`` in the ``k``-th hour after arrival:
   full power from arrival until the night's energy is in (the last hour partly), then nothing.
   **Managed** charging lets the dispatch draw anywhere in the window, at most ``P`` an hour, the
   night's energy fixed (a :class:`~.system.FlexibleLoad`).

The study's first and last nights are cut by its ends: each keeps the energy the unmanaged
profile draws in its hours within the study, so the study's e-bus energy is the same for both
charging modes (and equals ``E`` times the number of days for a whole year).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config.grid import ElectricBuses
from .system import FlexibleLoad, flexible_load

__all__ = [
    "TECHNOLOGY",
    "fleet_size",
    "night_energy_mwh",
    "charger_mw",
    "unmanaged_draw_mw",
    "electric_bus_load",
]

TECHNOLOGY = "electric_bus"
"""The technology label of an e-bus fleet's flexible load in results."""


def fleet_size(spec: ElectricBuses, year) -> np.ndarray:
    """Buses in service in calendar ``year``: ``max(0, N0 + a (year - y0))`` (array-like years)."""
    years = np.asarray(year)
    return np.maximum(0, spec.fleet_in_base_year + spec.buses_added_per_year * (years - spec.fleet_base_year))


def _to_generation_basis(spec: ElectricBuses) -> float:
    return 1.0 / (1.0 - spec.network_loss_fraction)


def night_energy_mwh(spec: ElectricBuses, year) -> np.ndarray:
    """Energy of one night's charging of the fleet, generation basis [MWh] (module docstring, step 2)."""
    per_bus_kwh = spec.km_per_bus_per_day * spec.kwh_per_km / spec.charging_efficiency
    return fleet_size(spec, year) * per_bus_kwh / 1000.0 * _to_generation_basis(spec)


def charger_mw(spec: ElectricBuses, year) -> np.ndarray:
    """The fleet's charger power, generation basis [MW] (module docstring, step 3)."""
    return fleet_size(spec, year) * spec.charger_kw_per_bus / 1000.0 * _to_generation_basis(spec)


def unmanaged_draw_mw(energy_mwh, power_mw, hours_since_arrival) -> np.ndarray:
    """Unmanaged charging in the ``k``-th hour after arrival: ``min(P, max(0, E - P k))`` [MW].

    Parameters
    ----------
    energy_mwh, power_mw : array-like
        The night's energy [MWh] and the charger power [MW].
    hours_since_arrival : array-like of int
        ``k`` = 0 in the arrival hour.
    """
    power = np.asarray(power_mw, dtype=float)
    return np.clip(np.asarray(energy_mwh, dtype=float) - power * np.asarray(hours_since_arrival), 0.0, power)


def electric_bus_load(spec: ElectricBuses, load_id: str, zone: str, index: pd.DatetimeIndex) -> FlexibleLoad:
    """The fleet's charging over the study hours ``index`` as a :class:`~.system.FlexibleLoad`.

    Unmanaged charging is the load fixed to its profile (``max_mw`` = the profile); managed charging
    may draw up to the charger power in every depot hour. Both give each night the same energy.

    Parameters
    ----------
    spec : ElectricBuses
        The zone's ``electric_buses`` block.
    load_id, zone : str
        The load's id in results and its zone.
    index : pandas.DatetimeIndex
        Hourly study index in local time (labels at the interval start).
    """
    since = (np.asarray(index.hour) - spec.depot_arrival_hour) % 24
    in_depot = since < spec.depot_hours
    arrival_year = np.asarray((index - pd.to_timedelta(since, unit="h")).year)
    energy, power = night_energy_mwh(spec, arrival_year), charger_mw(spec, arrival_year)
    unmanaged = np.where(in_depot, unmanaged_draw_mw(energy, power, since), 0.0)
    start = in_depot & (since == 0)
    start[:1] = in_depot[:1]  # the study starts a (cut) night
    night = np.cumsum(start)
    night_mwh = np.bincount(night, weights=unmanaged)[night]
    period_mwh = np.where(in_depot, night_mwh, 0.0)
    max_mw = unmanaged if spec.charging == "unmanaged" else np.where(in_depot & (period_mwh > 0), power, 0.0)
    return flexible_load(load_id, zone, TECHNOLOGY, max_mw, start, period_mwh)
