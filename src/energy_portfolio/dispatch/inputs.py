"""The dispatch problem's inputs as plain arrays, frames and the dataclasses of :mod:`.system`.

Checked once on construction. The conversion from config specs lives in :mod:`.convert`
(:func:`~.convert.build_inputs`, :func:`~.convert.storage_from_battery_site`, ...); the wiring
from config files to the hourly series (running the production models) lives in ``portfolio``.
Typical use::

    plants = [renewable_from_power("caspian_wind", "az_main", "wind", wind_mw, connection_mw=1000, new=True),
              renewable_from_capacity_factor(grid.existing_renewables[0], solar_cf)]
    storage = [battery_from_site(bess_spec, "az_main", options)]
    inputs = build_inputs(grid, {"az_main": demand_mw}, plants, storage, options, hydro_scenario=None)
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..errors import InputError
from ..timeseries import check_hourly_index
from .system import (
    GAS_PRICE_BASES,
    RESERVE_DIRECTIONS,
    FlexibleLoad,
    Gas,
    HydroPlant,
    Interconnector,
    Line,
    RenewablePlant,
    ReserveProduct,
    SolveOptions,
    Storage,
    ThermalUnit,
)

__all__ = ["DispatchInputs", "renewable_from_power"]


def _finite_array(values, what: str, index: pd.DatetimeIndex | None = None) -> np.ndarray:
    """A float array with no NaN and no negative entries, else an InputError naming the first bad hour."""
    if isinstance(values, pd.Series):
        if index is not None:
            check_hourly_index(values.index, what)
            values = values.reindex(index)
        array = values.to_numpy(dtype=float)
    else:
        array = np.asarray(values, dtype=float)
    bad = ~np.isfinite(array)
    if bad.any():
        where = index[bad][0].isoformat() if index is not None and len(index) == len(array) else int(bad.argmax())
        raise InputError(f"{what}: missing or non-finite value at {where}; expected a number every hour")
    if (array < 0).any():
        i = int((array < 0).argmax())
        where = index[i].isoformat() if index is not None and len(index) == len(array) else i
        raise InputError(f"{what}: negative value {array[i]:g} at {where}; expected >= 0")
    return array


@dataclass(frozen=True)
class DispatchInputs:
    """Everything one dispatch solve needs; checked on construction.

    Attributes
    ----------
    index : pandas.DatetimeIndex
        The study hours (time-zone aware, labels at interval start).
    demand_mw : pandas.DataFrame
        Demand per zone [MW], one column per zone id of ``zones``, on ``index``.
    zones : tuple of str
        Zone ids (one energy balance each).
    thermal_units, hydro, interconnectors, lines : tuples of :mod:`.system` dataclasses
    gas : Gas
        Prices, calorific value and emission factor of the thermal units' fuel.
    value_of_lost_load_usd_per_mwh : float
        Cost of unserved demand [USD/MWh].
    renewables : tuple of RenewablePlant
        Every wind and solar plant, new and existing.
    storage : tuple of Storage
        Every store (batteries and others), new and existing.
    options : SolveOptions
    hydro_scenario : str or None
        A key of the hydro plants' ``scenarios_annual_energy_mwh``, or None for the base budget.
    allow_unserved : bool
        Whether demand may go unserved at the value of lost load (True in studies; False makes a
        short system infeasible, reported with the zone and hours short of supply).
    name : str
        The grid's name (labels only).
    reserves : tuple of ReserveProduct
        Balancing reserve products held every hour (empty: no reserves, the energy-only LP).
    flexible_loads : tuple of FlexibleLoad
        Loads on top of ``demand_mw`` whose energy per period is fixed (electric-bus depot
        charging); kept in the system without the portfolio. Reserve requirements sized on demand
        see ``demand_mw`` only.
    """

    index: pd.DatetimeIndex
    demand_mw: pd.DataFrame
    zones: tuple[str, ...]
    thermal_units: tuple[ThermalUnit, ...]
    hydro: tuple[HydroPlant, ...]
    interconnectors: tuple[Interconnector, ...]
    lines: tuple[Line, ...]
    gas: Gas
    value_of_lost_load_usd_per_mwh: float
    renewables: tuple[RenewablePlant, ...]
    storage: tuple[Storage, ...]
    options: SolveOptions
    hydro_scenario: str | None = None
    allow_unserved: bool = True
    name: str = "grid"
    reserves: tuple[ReserveProduct, ...] = ()
    flexible_loads: tuple[FlexibleLoad, ...] = ()

    def __post_init__(self) -> None:
        check_hourly_index(self.index, "dispatch hours")
        zones = self.zones
        if list(self.demand_mw.columns) != list(zones):
            raise InputError(
                f"dispatch demand: columns {list(self.demand_mw.columns)}; expected one per zone {list(zones)}"
            )
        if not self.demand_mw.index.equals(self.index):
            raise InputError("dispatch demand: index differs from the study hours; expected the same hours")
        for zone in zones:
            _finite_array(self.demand_mw[zone], f"zone {zone}: demand_mw", self.index)
        if self.options.gas_price_basis not in GAS_PRICE_BASES:
            raise InputError(f"dispatch options: gas_price_basis {self.options.gas_price_basis!r}; "
                             f"expected one of {GAS_PRICE_BASES}")
        for kind, units in (("thermal unit", self.thermal_units), ("hydro", self.hydro),
                            ("interconnector", self.interconnectors)):
            for unit in units:
                if unit.zone not in zones:
                    raise InputError(f"{kind} {unit.id}: zone {unit.zone!r} is not a zone of the grid {list(zones)}")
        for line in self.lines:
            for end in (line.from_zone, line.to_zone):
                if end not in zones:
                    raise InputError(f"line {line.id}: zone {end!r} is not a zone of the grid {list(zones)}")
        n = len(self.index)
        ids: set[str] = set()
        for plant in self.renewables:
            what = f"renewable plant {plant.id}"
            _check_member(what, plant.id, plant.zone, ids, zones)
            if plant.available_mw.shape != (n,):
                raise InputError(f"{what}: {plant.available_mw.shape} available_mw values; expected {n} hours")
            _finite_array(plant.available_mw, f"{what}: available_mw", self.index)
            if not plant.connection_mw > 0:
                raise InputError(f"{what}: connection_mw = {plant.connection_mw}; expected > 0")
        plants = {p.id: p for p in self.renewables}
        for store in self.storage:
            _check_storage(store, plants, ids, zones, self.index)
        _check_trade(self.interconnectors, self.renewables, self.index)
        _check_reserves(self.reserves)
        for load in self.flexible_loads:
            _check_flexible_load(load, ids, zones, self.index)
        if self.hydro_scenario is not None:
            for hydro in self.hydro:
                if self.hydro_scenario not in hydro.scenarios_annual_energy_mwh:
                    raise InputError(
                        f"hydro {hydro.id}: no scenario {self.hydro_scenario!r} in scenarios_annual_energy_mwh "
                        f"(found {sorted(hydro.scenarios_annual_energy_mwh)})"
                    )

    @property
    def hours(self) -> int:
        return len(self.index)

    def reserve_requirement_mw(self, product: ReserveProduct) -> np.ndarray:
        """The static hourly requirement of ``product`` in each of its directions [MW].

        ``requirement_mw + demand_share x demand + wind_solar_share x min(available, connection)``
        summed over zones and wind and solar plants (the largest-infeed part is endogenous and
        added by the LP). Shape (hours,).
        """
        demand = self.demand_mw.to_numpy(dtype=float).sum(axis=1)
        available = np.zeros(self.hours)
        for plant in self.renewables:
            if plant.technology in ("wind", "solar"):
                available += np.minimum(plant.available_mw, plant.connection_mw)
        return product.requirement_mw + product.demand_share * demand + product.wind_solar_share * available

    @property
    def batteries(self) -> tuple[Storage, ...]:
        """The former name of :attr:`storage`."""
        return self.storage

    def fingerprint(self) -> str:
        """Hex SHA-256 of everything a solve depends on: equal fingerprints give equal results.

        Covers the zones, thermal units, hydro plants, interconnectors, lines, gas, value of lost
        load and options (their reprs), the hydro scenario, ``allow_unserved``, the hours, demand,
        every plant's availability and limits, and every store (with its hourly inflow).
        """
        digest = hashlib.sha256()
        parts: list[object] = [
            self.zones,
            self.thermal_units,
            tuple((h, sorted(h.scenarios_annual_energy_mwh.items())) for h in self.hydro),
            *_link_parts(self.interconnectors),
            self.lines,
            self.gas,
            repr(self.value_of_lost_load_usd_per_mwh),
            self.options,
            *((self.reserves,) if self.reserves else ()),
            self.hydro_scenario,
            self.allow_unserved,
            str(self.index.tz),
            self.index.asi8,
            tuple(self.demand_mw.columns),
            self.demand_mw.to_numpy(dtype=float),
        ]
        for plant in self.renewables:
            parts += [plant.id, plant.zone, plant.technology, repr(plant.connection_mw), plant.new, plant.available_mw]
        for store in self.storage:
            parts += [repr(replace(store, inflow_mw=None)), store.has_inflow]
            if store.inflow_mw is not None:
                parts.append(np.asarray(store.inflow_mw, dtype=float))
        for load in self.flexible_loads:
            parts += [load.id, load.zone, load.technology, load.max_mw, load.period_start.astype(float),
                      load.period_mwh, load.floor_mwh]
        for part in parts:
            if isinstance(part, np.ndarray):
                digest.update(np.ascontiguousarray(part, dtype=float if part.dtype.kind == "f" else None).tobytes())
            else:
                digest.update(repr(part).encode())
            digest.update(b"\x00")
        return digest.hexdigest()

    def without_new(self) -> DispatchInputs:
        """The same system without the new portfolio (for gas saved and CO2 avoided)."""
        return replace(
            self,
            renewables=tuple(p for p in self.renewables if not p.new),
            storage=tuple(b for b in self.storage if not b.new),
        )

    def window(self, start: int, stop: int) -> DispatchInputs:
        """The hours ``start:stop`` only (budgets are not rescaled here; the solver handles them).

        Slices of checked inputs are valid, so the window skips the checks (they cost more than
        the assembly of a 48-hour LP).
        """
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        fields.update(
            index=self.index[start:stop],
            demand_mw=self.demand_mw.iloc[start:stop],
            renewables=tuple(replace(p, available_mw=p.available_mw[start:stop]) for p in self.renewables),
            storage=tuple(
                s if s.inflow_mw is None else replace(s, inflow_mw=s.inflow_mw[start:stop]) for s in self.storage
            ),
            flexible_loads=tuple(
                replace(f, max_mw=f.max_mw[start:stop], period_start=f.period_start[start:stop],
                        period_mwh=f.period_mwh[start:stop], floor_mwh=f.floor_mwh[start:stop])
                for f in self.flexible_loads
            ),
            interconnectors=tuple(_link_window(link, start, stop) for link in self.interconnectors),
        )
        window = object.__new__(DispatchInputs)
        for name, value in fields.items():
            object.__setattr__(window, name, value)
        return window


def _link_parts(links: tuple[Interconnector, ...]) -> list[object]:
    """What a fingerprint covers of the interconnectors: each link's scalars and its hourly arrays in full
    (a repr would abbreviate a long array)."""
    parts: list[object] = []
    for link in links:
        arrays = {name: getattr(link, name) for name in Interconnector.HOURLY
                  if isinstance(getattr(link, name), np.ndarray)}
        parts.append(repr(replace(link, **{name: None for name in arrays})))
        parts.extend(np.asarray(a, dtype=float) for a in arrays.values())
    return parts


def _link_window(link: Interconnector, start: int, stop: int) -> Interconnector:
    """A link with its hourly arrays cut to the hours ``start:stop``."""
    arrays = {name: getattr(link, name)[start:stop] for name in Interconnector.HOURLY
              if isinstance(getattr(link, name), np.ndarray)}
    return replace(link, **arrays) if arrays else link


CARRIES = ("any", "renewables", "sites")


def _check_trade(links: tuple[Interconnector, ...], plants: tuple[RenewablePlant, ...],
                 index: pd.DatetimeIndex) -> None:
    """Each link's hourly prices and firm band (one finite value per hour, the band within the export
    capacity), its ``carries``, and that the sets of plants restricted links may carry are nested or
    disjoint (what the LP's rows, one per restricted link, make exact)."""
    n = len(index)
    for link in links:
        what = f"interconnector {link.id}"
        for name in Interconnector.HOURLY:
            value = getattr(link, name)
            if isinstance(value, np.ndarray):
                if value.shape != (n,):
                    raise InputError(f"{what}: {value.shape} {name} values; expected {n} hours")
                _finite_array(value, f"{what}: {name}", index)
        band = link.hourly("firm_export_mw", n)
        if (band > link.export_capacity_mw + 1e-9).any():
            i = int((band > link.export_capacity_mw + 1e-9).argmax())
            raise InputError(f"{what}: firm band {band[i]:g} MW at {index[i].isoformat()} exceeds the export "
                             f"capacity {link.export_capacity_mw:g} MW")
        if link.carries not in CARRIES:
            raise InputError(f"{what}: carries {link.carries!r}; expected one of {CARRIES}")
        if link.carries != "any" and link.firm_export_mw is not None and band.any():
            raise InputError(f"{what}: a firm band on a link that carries only {link.carries}; expected carries any")
    restricted = [(link.id, set(link.eligible(plants))) for link in links if link.carries != "any"]
    for a, (first, one) in enumerate(restricted):
        for second, other in restricted[a + 1:]:
            if one & other and not (one <= other or other <= one):
                raise InputError(f"interconnectors {first} and {second} may carry plants that overlap without one "
                                 "set containing the other; expected nested or disjoint sets of plants")


def _check_reserves(reserves: tuple[ReserveProduct, ...]) -> None:
    """Reserve products: unique ids, a known direction, non-negative sizes and times."""
    seen: set[str] = set()
    for product in reserves:
        what = f"reserve product {product.id}"
        if product.id in seen:
            raise InputError(f"{what}: duplicate id; expected each product once")
        seen.add(product.id)
        if product.direction not in RESERVE_DIRECTIONS:
            raise InputError(f"{what}: direction {product.direction!r}; expected one of {RESERVE_DIRECTIONS}")
        for name in ("activation_min", "sustain_h", "requirement_mw", "demand_share", "wind_solar_share"):
            value = getattr(product, name)
            if not (np.isfinite(value) and value >= 0):
                raise InputError(f"{what}: {name} = {value}; expected a finite number >= 0")


def _check_storage(store: Storage, plants: dict, ids: set[str], zones, index: pd.DatetimeIndex) -> None:
    """A store's id, zone, limits, inflow and coupling, else an InputError naming the store and field."""
    what = f"{store.technology} {store.id}"
    _check_member(what, store.id, store.zone, ids, zones)
    if store.discharge_cost_usd_per_mwh <= 0:
        raise InputError(f"{what}: discharge_cost_usd_per_mwh must be > 0 (see DispatchOptions)")
    for name in ("charge_power_mw", "discharge_power_mw", "energy_mwh"):
        if not getattr(store, name) >= 0:
            raise InputError(f"{what}: {name} = {getattr(store, name)}; expected >= 0")
    for name in ("charge_efficiency", "discharge_efficiency"):
        if not 0 < getattr(store, name) <= 1:
            raise InputError(f"{what}: {name} = {getattr(store, name)}; expected a fraction in (0, 1]")
    if not 0 <= store.soc_min_fraction <= store.soc_max_fraction <= 1:
        raise InputError(
            f"{what}: soc window {store.soc_min_fraction}..{store.soc_max_fraction}; expected 0 <= min <= max <= 1"
        )
    if store.min_release_mw > 0 and store.inflow_mw is None:
        raise InputError(f"{what}: min_release_mw = {store.min_release_mw:g} without an inflow; expected an inflow")
    if store.inflow_mw is not None:
        if np.shape(store.inflow_mw) != (len(index),):
            raise InputError(f"{what}: {np.shape(store.inflow_mw)} inflow_mw values; expected {len(index)} hours")
        _finite_array(store.inflow_mw, f"{what}: inflow_mw", index)
    if store.coupled_plant is not None:
        plant = plants.get(store.coupled_plant)
        if plant is None:
            raise InputError(f"{what}: coupled to {store.coupled_plant!r}, which is not a renewable plant")
        if plant.zone != store.zone:
            raise InputError(f"{what}: zone {store.zone} differs from its coupled plant's zone {plant.zone}")
        if store.shared_connection_mw is None:
            raise InputError(f"{what}: coupled without shared_connection_mw")


def _check_flexible_load(load: FlexibleLoad, ids: set[str], zones, index: pd.DatetimeIndex) -> None:
    """A flexible load's id, zone and hourly arrays (one value an hour, finite, non-negative, the floor
    within the period's energy), else an InputError naming the load and field."""
    what = f"flexible load {load.id}"
    _check_member(what, load.id, load.zone, ids, zones)
    for name in ("max_mw", "period_start", "period_mwh", "floor_mwh"):
        if np.shape(getattr(load, name)) != (len(index),):
            raise InputError(f"{what}: {np.shape(getattr(load, name))} {name} values; expected {len(index)} hours")
    for name in ("max_mw", "period_mwh", "floor_mwh"):
        _finite_array(getattr(load, name), f"{what}: {name}", index)
    above = load.floor_mwh > load.period_mwh * (1 + 1e-12) + 1e-9
    if above.any():
        raise InputError(f"{what}: floor_mwh above period_mwh at {index[above][0].isoformat()}; "
                         "expected the floor within the period's energy")


def _check_member(what: str, member_id: str, zone: str, ids: set[str], zones) -> None:
    """A plant or battery id seen once, in a zone of the grid; adds the id to ``ids``."""
    if member_id in ids:
        raise InputError(f"{what}: duplicate id; expected each plant and battery once")
    ids.add(member_id)
    if zone not in zones:
        raise InputError(f"{what}: zone {zone!r} is not a zone of the grid {list(zones)}")


def renewable_from_power(
    plant_id: str,
    zone: str,
    technology: str,
    available_mw: pd.Series,
    connection_mw: float,
    new: bool,
    index: pd.DatetimeIndex | None = None,
) -> RenewablePlant:
    """A plant from its hourly available output (e.g. a production model's net AC power).

    Parameters
    ----------
    available_mw : pandas.Series
        Hourly available output [MW], time-zone aware; reindexed to ``index`` when given
        (a missing hour is an error).
    connection_mw : float
        The plant's own export limit [MW] (``grid_connection_mw`` of the site).
    """
    index = available_mw.index if index is None else index
    values = _finite_array(available_mw, f"renewable plant {plant_id}: available_mw", index)
    return RenewablePlant(plant_id, zone, technology, values, float(connection_mw), new)


