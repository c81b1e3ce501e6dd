"""The dispatch's own view of the power system: one plain, frozen dataclass per component kind.

These hold only what the LP, the checks, the results and the PyPSA export need, in the units of
their names. The config specs (``config.grid``, ``config.battery``, ``config.portfolio``) are
turned into them in one place, :mod:`.convert`; nothing else in the dispatch package reads a
config object.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "GAS_PRICE_BASES",
    "Gas",
    "HydroPlant",
    "Interconnector",
    "Line",
    "RESERVE_DIRECTIONS",
    "RenewablePlant",
    "ReserveProduct",
    "SolveOptions",
    "Storage",
    "Battery",
    "ThermalUnit",
    "thermal_unit_size_mw",
]

GAS_PRICE_BASES = ("tariff", "export_value")
RESERVE_DIRECTIONS = ("up", "down", "symmetric")


@dataclass(frozen=True)
class SolveOptions:
    """How the dispatch is solved.

    Attributes
    ----------
    mode : {"perfect_foresight", "rolling_horizon"}
    window_h, step_h : int
        Rolling-horizon window and the hours kept of each [h].
    unit_commitment : bool
        Binary on/off of thermal units with minimum stable levels (MILP, then an LP re-solve
        with the commitment fixed for the duals).
    gas_price_basis : {"tariff", "export_value"}
        The gas price in the thermal units' marginal cost.
    """

    mode: str = "perfect_foresight"
    window_h: int = 48
    step_h: int = 24
    unit_commitment: bool = False
    gas_price_basis: str = "tariff"


@dataclass(frozen=True)
class Gas:
    """Gas prices, calorific value and emission factor.

    Attributes
    ----------
    tariff_usd_per_gj, export_value_usd_per_gj : float
        The price power plants pay and the gas's export (opportunity) value [USD/GJ].
    lower_heating_value_mj_per_m3 : float
        [MJ/m3], to convert fuel energy into volume.
    co2_t_per_tj : float
        Emission factor [t/TJ of fuel].
    """

    tariff_usd_per_gj: float
    export_value_usd_per_gj: float
    lower_heating_value_mj_per_m3: float
    co2_t_per_tj: float

    def price_usd_per_gj(self, basis: str) -> float:
        """Gas price on a basis: ``"tariff"`` or ``"export_value"`` [USD/GJ]."""
        return {"tariff": self.tariff_usd_per_gj, "export_value": self.export_value_usd_per_gj}[basis]


@dataclass(frozen=True)
class ThermalUnit:
    """A gas unit.

    Attributes
    ----------
    capacity_mw : float
        Nameplate [MW]; the dispatchable maximum is ``capacity_mw x availability``.
    availability : float
        Derating for outages and maintenance [fraction].
    heat_rate_gj_per_mwh : float
        Fuel per unit of output, LHV [GJ/MWh].
    variable_om_usd_per_mwh : float
        [USD/MWh].
    min_stable_fraction : float
        Minimum stable level when on [fraction of the available capacity] (unit commitment only).
    ramp_up_mw_per_min, ramp_down_mw_per_min : float or None
        Ramp rates of one unit [MW/min], limiting reserve provision to ramp x activation time;
        None for no limit.
    """

    id: str
    zone: str
    capacity_mw: float
    availability: float
    heat_rate_gj_per_mwh: float
    variable_om_usd_per_mwh: float
    min_stable_fraction: float = 0.0
    ramp_up_mw_per_min: float | None = None
    ramp_down_mw_per_min: float | None = None

    @property
    def max_mw(self) -> float:
        """Available capacity: capacity x availability [MW]."""
        return self.capacity_mw * self.availability


def thermal_unit_size_mw(unit: ThermalUnit) -> float:
    """The largest single infeed a thermal group can lose [MW]: its ``unit_size_mw`` where the
    dataclass has one (unit commitment), else the whole group as one unit, capacity x availability."""
    size = getattr(unit, "unit_size_mw", None)
    return float(unit.max_mw if size is None else size)


@dataclass(frozen=True)
class HydroPlant:
    """A hydro plant with an energy budget per year or per month.

    Attributes
    ----------
    capacity_mw, min_output_mw : float
        Output limits [MW].
    annual_energy_mwh : float or None
        Budget per calendar year [MWh] (exactly one of this and ``monthly_energy_mwh``).
    monthly_energy_mwh : tuple of 12 float or None
        Budget per calendar month [MWh].
    scenarios_annual_energy_mwh : mapping of str to float
        Annual totals of named hydrological years [MWh]; a monthly budget keeps its shape.
    """

    id: str
    zone: str
    capacity_mw: float
    min_output_mw: float
    annual_energy_mwh: float | None = None
    monthly_energy_mwh: tuple[float, ...] | None = None
    scenarios_annual_energy_mwh: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Interconnector:
    """Trade with a neighbour at fixed prices.

    Attributes
    ----------
    export_capacity_mw, import_capacity_mw : float
        [MW].
    export_price_usd_per_mwh, import_price_usd_per_mwh : float
        What a sale earns and a purchase costs [USD/MWh].
    """

    id: str
    zone: str
    export_capacity_mw: float
    import_capacity_mw: float
    export_price_usd_per_mwh: float
    import_price_usd_per_mwh: float


@dataclass(frozen=True)
class Line:
    """A transmission corridor between two zones (transport model), ``capacity_mw`` each way [MW]."""

    id: str
    from_zone: str
    to_zone: str
    capacity_mw: float


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
class Storage:
    """An energy store as the dispatch sees it (a battery, pumped hydro, a reservoir, ...).

    State of charge: ``soc[t] = (1 - loss) soc[t-1] + eta_c charge[t] - discharge[t] / eta_d
    + inflow[t] - spill[t]``, within ``[soc_min, soc_max] x energy_mwh``.

    Attributes
    ----------
    id, zone : str
    charge_power_mw, discharge_power_mw : float
        Limits at the AC side [MW] (for a battery site: ``min(power_mw, grid_connection_mw) x
        availability`` both).
    energy_mwh : float
        Usable nameplate energy [MWh]; equivalent full cycles are discharge / energy_mwh.
    charge_efficiency, discharge_efficiency : float
        One-way efficiencies [fraction].
    soc_min_fraction, soc_max_fraction : float
        State-of-charge window [fraction of energy_mwh].
    initial_soc_fraction : float or None
        Fixed initial state of charge, or None for a cyclic store (end of period = start).
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
        True for a store of the new portfolio.
    technology : str
        Label in results, reports and the PyPSA export (``"battery"``, ``"phs"``, ...).
    inflow_mw : numpy.ndarray or None
        Natural inflow into the store [MWh per hour], e.g. a reservoir's; None for none.
        Inflow that cannot be stored is spilled (a spill variable at zero cost).
    """

    id: str
    zone: str
    charge_power_mw: float
    discharge_power_mw: float
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
    technology: str = "battery"
    inflow_mw: np.ndarray | None = None

    @property
    def power_mw(self) -> float:
        """The larger of the charge and discharge limits [MW] (both, for a battery)."""
        return max(self.charge_power_mw, self.discharge_power_mw)

    @property
    def has_inflow(self) -> bool:
        return self.inflow_mw is not None


Battery = Storage
"""The former name of :class:`Storage` (a battery is a store with ``technology="battery"``)."""


@dataclass(frozen=True)
class ReserveProduct:
    """A balancing reserve product held every hour, co-optimised with energy.

    The hourly requirement of a direction is ``requirement_mw + demand_share x demand +
    wind_solar_share x available wind and solar`` (the static part, summed over the zones; the
    available output is each plant's ``min(available, connection)``, so a plant removed by
    ``DispatchInputs.without_new`` leaves the requirement with it) and, with
    ``largest_infeed``, at least the largest single infeed the system can lose: each thermal
    group's unit size (the group's available capacity while no unit size is known) and each new
    renewable plant's dispatched output (endogenous).

    Attributes
    ----------
    id : str
        Product id (``fcr``, ``afrr``, ...).
    direction : {"up", "down", "symmetric"}
        Symmetric products need the same amount up and down, held separately.
    activation_min : float
        Full activation time [min]; a thermal unit provides at most ramp rate x this.
    sustain_h : float
        How long a provision must be sustained [h]; a store must hold the energy for it.
    largest_infeed : bool
        Sized to the largest single infeed (the FCR reference incident).
    requirement_mw : float
        Fixed part of the requirement [MW] (0 for products sized by shares or the infeed).
    demand_share, wind_solar_share : float
        Shares of hourly demand and of available wind and solar output [fraction].
    interconnectors_may_provide : bool
        Whether interconnector headroom counts (import headroom up, export headroom down).

    References
    ----------
    ENTSO-E, Commission Regulation (EU) 2017/1485 (SOGL), Art. 153 (FCR dimensioning) and
    Art. 157 (FRR dimensioning); Ela, Milligan and Kirby (2011), "Operating Reserves and Variable
    Generation", NREL/TP-5500-51978.
    """

    id: str
    direction: str
    activation_min: float
    sustain_h: float
    largest_infeed: bool = False
    requirement_mw: float = 0.0
    demand_share: float = 0.0
    wind_solar_share: float = 0.0
    interconnectors_may_provide: bool = False

    @property
    def directions(self) -> tuple[str, ...]:
        """``("up",)``, ``("down",)`` or ``("up", "down")`` for a symmetric product."""
        return ("up", "down") if self.direction == "symmetric" else (self.direction,)
