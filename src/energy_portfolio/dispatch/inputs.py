"""The dispatch problem's inputs as plain arrays and frames, checked once on construction.

The wiring from config files to these inputs (running the production models for the new sites
and for the existing-fleet profile sites) lives in ``portfolio.py``; this module only takes the
resulting hourly series. Typical use::

    plants = [renewable_from_power("caspian_wind", "az_main", "wind", wind_mw, connection_mw=1000, new=True),
              renewable_from_capacity_factor(grid.existing_renewables[0], solar_cf)]
    batteries = [battery_from_site(bess_spec, "az_main", options)]
    inputs = build_inputs(grid, {"az_main": demand_mw}, plants, batteries, options, hydro_scenario=None)
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..config.battery import AcCoupled, BatterySite
from ..config.grid import ExistingRenewable, GridSpec
from ..config.portfolio import DispatchOptions
from ..errors import InputError
from ..timeseries import check_hourly_index

__all__ = [
    "RenewablePlant",
    "Battery",
    "DispatchInputs",
    "renewable_from_power",
    "renewable_from_capacity_factor",
    "battery_from_site",
    "build_inputs",
]


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
class RenewablePlant:
    """A wind or solar plant: hourly available output and its own export limit.

    Attributes
    ----------
    id, zone, technology : str
        Plant id, grid zone, ``"wind"`` or ``"solar"``.
    available_mw : numpy.ndarray
        Hourly available AC output before any dispatch curtailment [MW].
    connection_mw : float
        The plant's own export limit at its point of connection [MW].
    new : bool
        True for a plant of the new portfolio (removed in the counterfactual).
    """

    id: str
    zone: str
    technology: str
    available_mw: np.ndarray
    connection_mw: float
    new: bool


@dataclass(frozen=True)
class Battery:
    """A battery as the dispatch sees it.

    Attributes
    ----------
    power_mw : float
        Charge and discharge limit at the AC side: ``min(power_mw, grid_connection_mw) x availability`` [MW].
    energy_mwh : float
        Usable nameplate energy [MWh]; equivalent full cycles are discharge / energy_mwh.
    charge_efficiency, discharge_efficiency : float
        One-way efficiencies [fraction].
    soc_min_fraction, soc_max_fraction : float
        State-of-charge window [fraction of energy_mwh].
    initial_soc_fraction : float or None
        Fixed initial state of charge, or None for a cyclic battery (end of period = start).
    standing_loss_per_hour : float
        Self-discharge [fraction of the state of charge per hour].
    cycle_limit_per_year : float or None
        Equivalent full cycles allowed per calendar year (pro rata for part years).
    discharge_cost_usd_per_mwh : float
        Variable O&M plus the wear cost per MWh discharged [USD/MWh], > 0.
    coupled_plant : str or None
        Id of the renewable plant behind the same connection.
    shared_connection_mw : float or None
        Limit on plant + discharge - charge at the shared connection, both directions [MW].
    new : bool
        True for a battery of the new portfolio.
    """

    id: str
    zone: str
    power_mw: float
    energy_mwh: float
    charge_efficiency: float
    discharge_efficiency: float
    soc_min_fraction: float
    soc_max_fraction: float
    initial_soc_fraction: float | None
    standing_loss_per_hour: float
    cycle_limit_per_year: float | None
    discharge_cost_usd_per_mwh: float
    coupled_plant: str | None = None
    shared_connection_mw: float | None = None
    new: bool = True


@dataclass(frozen=True)
class DispatchInputs:
    """Everything one dispatch solve needs; checked on construction.

    Attributes
    ----------
    index : pandas.DatetimeIndex
        The study hours (time-zone aware, labels at interval start).
    demand_mw : pandas.DataFrame
        Demand per zone [MW], one column per zone id of ``grid``, on ``index``.
    grid : GridSpec
        Thermal units, hydro, interconnectors, lines, gas and value of lost load.
    renewables : tuple of RenewablePlant
        Every wind and solar plant, new and existing.
    batteries : tuple of Battery
    options : DispatchOptions
    hydro_scenario : str or None
        A key of the hydro plants' ``scenarios_annual_energy_mwh``, or None for the base budget.
    allow_unserved : bool
        Whether demand may go unserved at the value of lost load (True in studies; False makes a
        short system infeasible, reported with the zone and hours short of supply).
    """

    index: pd.DatetimeIndex
    demand_mw: pd.DataFrame
    grid: GridSpec
    renewables: tuple[RenewablePlant, ...]
    batteries: tuple[Battery, ...]
    options: DispatchOptions
    hydro_scenario: str | None = None
    allow_unserved: bool = True

    def __post_init__(self) -> None:
        check_hourly_index(self.index, "dispatch hours")
        zones = self.grid.zone_ids
        if list(self.demand_mw.columns) != list(zones):
            raise InputError(
                f"dispatch demand: columns {list(self.demand_mw.columns)}; expected one per zone {list(zones)}"
            )
        if not self.demand_mw.index.equals(self.index):
            raise InputError("dispatch demand: index differs from the study hours; expected the same hours")
        for zone in zones:
            _finite_array(self.demand_mw[zone], f"zone {zone}: demand_mw", self.index)
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
        for battery in self.batteries:
            what = f"battery {battery.id}"
            _check_member(what, battery.id, battery.zone, ids, zones)
            if battery.discharge_cost_usd_per_mwh <= 0:
                raise InputError(f"{what}: discharge_cost_usd_per_mwh must be > 0 (see DispatchOptions)")
            if battery.coupled_plant is not None:
                plant = plants.get(battery.coupled_plant)
                if plant is None:
                    raise InputError(f"{what}: coupled to {battery.coupled_plant!r}, which is not a renewable plant")
                if plant.zone != battery.zone:
                    raise InputError(f"{what}: zone {battery.zone} differs from its coupled plant's zone {plant.zone}")
                if battery.shared_connection_mw is None:
                    raise InputError(f"{what}: coupled without shared_connection_mw")
        if self.hydro_scenario is not None:
            for hydro in self.grid.hydro:
                if self.hydro_scenario not in hydro.scenarios_annual_energy_mwh:
                    raise InputError(
                        f"hydro {hydro.id}: no scenario {self.hydro_scenario!r} in scenarios_annual_energy_mwh "
                        f"(found {sorted(hydro.scenarios_annual_energy_mwh)})"
                    )

    @property
    def hours(self) -> int:
        return len(self.index)

    def fingerprint(self) -> str:
        """Hex SHA-256 of everything a solve depends on: equal fingerprints give equal results.

        Covers the grid and options (their JSON), the hydro scenario, ``allow_unserved``, the
        hours, demand, every plant's availability and limits, and every battery.
        """
        digest = hashlib.sha256()
        parts: list[object] = [
            self.grid.model_dump_json(),
            self.options.model_dump_json(),
            self.hydro_scenario,
            self.allow_unserved,
            str(self.index.tz),
            self.index.asi8,
            tuple(self.demand_mw.columns),
            self.demand_mw.to_numpy(dtype=float),
        ]
        for plant in self.renewables:
            parts += [plant.id, plant.zone, plant.technology, repr(plant.connection_mw), plant.new, plant.available_mw]
        parts += [repr(battery) for battery in self.batteries]
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
            batteries=tuple(b for b in self.batteries if not b.new),
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
        )
        window = object.__new__(DispatchInputs)
        for name, value in fields.items():
            object.__setattr__(window, name, value)
        return window


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


def renewable_from_capacity_factor(
    spec: ExistingRenewable, capacity_factor: pd.Series, index: pd.DatetimeIndex | None = None
) -> RenewablePlant:
    """An existing plant of the grid file scaled from an hourly capacity factor.

    Parameters
    ----------
    spec : ExistingRenewable
        The grid file's entry (capacity, zone, technology).
    capacity_factor : pandas.Series
        Hourly output per unit of capacity [0..1], e.g. a reference site's power / its capacity.
    """
    index = capacity_factor.index if index is None else index
    what = f"existing renewable {spec.id}: capacity factor"
    cf = _finite_array(capacity_factor, what, index)
    if (cf > 1.0 + 1e-9).any():
        i = int((cf > 1.0 + 1e-9).argmax())
        raise InputError(f"{what}: {cf[i]:g} at {index[i].isoformat()}; expected a fraction between 0 and 1")
    return RenewablePlant(spec.id, spec.zone, spec.technology, cf * spec.capacity_mw, spec.capacity_mw, False)


def battery_from_site(spec: BatterySite, zone: str, options: DispatchOptions, new: bool = True) -> Battery:
    """The dispatch view of a battery site config.

    The power limit is ``min(power_mw, grid_connection_mw) x availability`` (availability as a
    derating, as for thermal units); the discharge cost is the site's variable O&M plus
    ``options.storage_wear_cost_usd_per_mwh``.
    """
    charge, discharge = spec.efficiencies
    coupled = isinstance(spec.coupling, AcCoupled)
    return Battery(
        id=spec.id,
        zone=zone,
        power_mw=min(spec.power_mw, spec.grid_connection_mw) * spec.availability,
        energy_mwh=spec.energy_mwh,
        charge_efficiency=charge,
        discharge_efficiency=discharge,
        soc_min_fraction=spec.soc_min_fraction,
        soc_max_fraction=spec.soc_max_fraction,
        initial_soc_fraction=None if spec.initial_soc == "cyclic" else float(spec.initial_soc),
        standing_loss_per_hour=spec.standing_loss_per_hour,
        cycle_limit_per_year=spec.cycle_limit_per_year,
        discharge_cost_usd_per_mwh=spec.economics.variable_opex_usd_per_mwh + options.storage_wear_cost_usd_per_mwh,
        coupled_plant=spec.coupling.site if coupled else None,
        shared_connection_mw=spec.coupling.shared_connection_mw if coupled else None,
        new=new,
    )


def build_inputs(
    grid: GridSpec,
    demand_mw: Mapping[str, pd.Series] | pd.DataFrame,
    renewables: Sequence[RenewablePlant],
    batteries: Sequence[Battery],
    options: DispatchOptions,
    hydro_scenario: str | None = None,
    index: pd.DatetimeIndex | None = None,
) -> DispatchInputs:
    """Assemble and check :class:`DispatchInputs`.

    Parameters
    ----------
    grid : GridSpec
    demand_mw : mapping of zone id to pandas.Series, or DataFrame
        Hourly demand per zone [MW] (e.g. from :func:`~energy_portfolio.dispatch.demand.synthetic_demand_mw`).
    renewables, batteries : sequences
        From :func:`renewable_from_power`, :func:`renewable_from_capacity_factor`, :func:`battery_from_site`.
    options : DispatchOptions
    hydro_scenario : str or None
    index : pandas.DatetimeIndex, optional
        The study hours; default the index of the first zone's demand.

    Raises
    ------
    InputError
        A missing zone, hour or value, an unknown id, or inconsistent lengths.
    """
    frame = demand_mw if isinstance(demand_mw, pd.DataFrame) else pd.DataFrame(dict(demand_mw))
    missing = [z for z in grid.zone_ids if z not in frame.columns]
    if missing:
        raise InputError(f"dispatch demand: no demand for zone(s) {missing}; expected every zone of {grid.name}")
    index = frame.index if index is None else index
    frame = frame.reindex(index)[list(grid.zone_ids)]
    return DispatchInputs(
        index=index,
        demand_mw=frame,
        grid=grid,
        renewables=tuple(renewables),
        batteries=tuple(batteries),
        options=options,
        hydro_scenario=hydro_scenario,
    )
