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
    "FlexibleLoad",
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
    "flexible_load",
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
    operations : {"energy_only", "unit_commitment"}
        ``energy_only``: each thermal group one linear block at its full-load heat rate.
        ``unit_commitment``: clustered unit commitment (units online, starts, shutdowns,
        minimum stable level, minimum up and down times, ramps, part-load fuel); a MILP per
        window, then an LP with the commitment fixed for the duals.
    commitment : {"integer", "relaxed"}
        Units online as integers, or continuous in 0..unit_count (an LP).
    lookahead_commitment : {"relaxed", "integer"}
        Integer commitment on a rolling horizon: the look-ahead hours of each window (after the
        ``step_h`` it keeps) continuous, or integer too.
    mip_rel_gap : float
        Relative MIP gap at which HiGHS stops each window [fraction].
    gas_price_basis : {"tariff", "export_value"}
        The gas price in the thermal units' marginal cost.
    """

    mode: str = "perfect_foresight"
    window_h: int = 48
    step_h: int = 24
    operations: str = "energy_only"
    commitment: str = "integer"
    lookahead_commitment: str = "relaxed"
    mip_rel_gap: float = 0.005
    gas_price_basis: str = "tariff"

    @property
    def unit_commitment(self) -> bool:
        """True with ``operations == "unit_commitment"``."""
        return self.operations == "unit_commitment"

    @property
    def integer_commitment(self) -> bool:
        """True when the commitment is a MILP (unit commitment with integer units online)."""
        return self.unit_commitment and self.commitment == "integer"


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
    """A group of ``unit_count`` identical gas units.

    Energy-only dispatch uses the group's capacity, availability, full-load heat rate and O&M.
    Unit commitment treats the group as a cluster of identical units (Palmintier and Webster
    2014, "Heterogeneous unit clustering for efficient operational flexibility modeling", IEEE
    Trans. Power Syst. 29(3)): availability derates each unit (``unit_max_mw``), and the fuel of
    an online unit is ``no_load + sum_k heat_rate_k x segment_k`` above the minimum stable level,
    all scaled by the availability (a derated unit behaves like a smaller one of the same curve).

    Attributes
    ----------
    capacity_mw : float
        Nameplate [MW]; the energy-only maximum is ``capacity_mw x availability``.
    availability : float
        Derating for outages and maintenance [fraction].
    heat_rate_gj_per_mwh : float
        Full-load fuel per unit of output, LHV [GJ/MWh].
    variable_om_usd_per_mwh : float
        [USD/MWh].
    min_stable_fraction : float
        Minimum stable level of an online unit [fraction of its available size].
    unit_type : str
        ``ccgt``, ``steam``, ``gas_engine`` or ``gt``.
    unit_count : int
    unit_size_mw : float or None
        Nameplate of one unit [MW]; None means ``capacity_mw / unit_count``.
    min_up_h, min_down_h : int
        Minimum hours online after a start and offline after a shutdown [h].
    ramp_up_mw_per_min, ramp_down_mw_per_min : float or None
        Per unit, at nameplate [MW/min]; None for no limit.
    start_fuel_gj, start_wear_usd : float
        Fuel [GJ] and wear cost [USD] per start of one unit.
    no_load_gj_per_h : float
        Fuel of an online unit at zero output on the extended first segment [GJ/h], at nameplate.
    segments_mw : tuple of float
        Widths of the fuel-curve segments above the minimum stable level, per unit at nameplate [MW].
    segment_heat_rates_gj_per_mwh : tuple of float
        Incremental heat rate of each segment [GJ/MWh], non-decreasing; the first also prices the
        output up to the minimum stable level.
    """

    id: str
    zone: str
    capacity_mw: float
    availability: float
    heat_rate_gj_per_mwh: float
    variable_om_usd_per_mwh: float
    min_stable_fraction: float = 0.0
    unit_type: str = "ccgt"
    unit_count: int = 1
    unit_size_mw: float | None = None
    min_up_h: int = 0
    min_down_h: int = 0
    ramp_up_mw_per_min: float | None = None
    ramp_down_mw_per_min: float | None = None
    start_fuel_gj: float = 0.0
    start_wear_usd: float = 0.0
    no_load_gj_per_h: float = 0.0
    segments_mw: tuple[float, ...] = ()
    segment_heat_rates_gj_per_mwh: tuple[float, ...] = ()

    @property
    def size_mw(self) -> float:
        """Nameplate of one unit [MW]."""
        return self.capacity_mw / self.unit_count if self.unit_size_mw is None else self.unit_size_mw

    @property
    def unit_max_mw(self) -> float:
        """Available output of one online unit: size x availability [MW]."""
        return self.size_mw * self.availability

    @property
    def unit_min_mw(self) -> float:
        """Minimum stable output of one online unit [MW]."""
        return self.min_stable_fraction * self.unit_max_mw

    @property
    def heat_rates(self) -> tuple[float, ...]:
        """Segment heat rates, or the full-load heat rate as one segment when none were given [GJ/MWh]."""
        return self.segment_heat_rates_gj_per_mwh or (self.heat_rate_gj_per_mwh,)

    @property
    def segment_max_mw(self) -> tuple[float, ...]:
        """Available width of each segment of one unit (nameplate widths x availability) [MW]."""
        widths = self.segments_mw or (self.size_mw * (1.0 - self.min_stable_fraction),)
        return tuple(w * self.availability for w in widths)

    def ramp_per_h_mw(self, direction: str) -> float:
        """Ramp of one unit in an hour [MW], at most its available size (``"up"`` or ``"down"``)."""
        rate = self.ramp_up_mw_per_min if direction == "up" else self.ramp_down_mw_per_min
        return self.unit_max_mw if rate is None else min(60.0 * rate * self.availability, self.unit_max_mw)

    @property
    def max_mw(self) -> float:
        """Available capacity: capacity x availability [MW]."""
        return self.capacity_mw * self.availability


def thermal_unit_size_mw(unit: ThermalUnit) -> float:
    """The largest single infeed a thermal group can lose [MW]: the available output of one of its
    units (``unit_size_mw x availability``)."""
    return float(unit.unit_max_mw)


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
    ramp_mw_per_h : float or None
        Largest change of output between consecutive hours, up or down [MW/h]; None for no limit.
    """

    id: str
    zone: str
    capacity_mw: float
    min_output_mw: float
    annual_energy_mwh: float | None = None
    monthly_energy_mwh: tuple[float, ...] | None = None
    scenarios_annual_energy_mwh: Mapping[str, float] = field(default_factory=dict)
    ramp_mw_per_h: float | None = None


@dataclass(frozen=True, eq=False)
class Interconnector:
    """Trade with a neighbour: a firm export band and opportunistic trade above it.

    Attributes
    ----------
    export_capacity_mw, import_capacity_mw : float
        [MW]; the firm band and opportunistic exports together stay within the export capacity.
    export_price_usd_per_mwh, import_price_usd_per_mwh : float or numpy.ndarray
        What an opportunistic sale earns and a purchase costs, fixed or per hour [USD/MWh].
    firm_export_mw : numpy.ndarray or None
        The firm contract's band per hour, a fixed withdrawal [MW]; None for no contract.
    firm_price_usd_per_mwh : float
        The contract price [USD/MWh], revenue only (the band is fixed).
    carries : {"any", "renewables", "sites"}
        ``renewables``: exports in every hour at most the wind and solar output dispatched in that
        hour (every wind and solar plant); ``sites``: at most the output of the plants in ``sites``.
    sites : tuple of str
        Plant ids whose output bounds the exports (``carries == "sites"``).
    price_basis : str
        How opportunistic trade is priced, for results and reports (``"fixed"``,
        ``"market_reference: <market>"``).
    """

    id: str
    zone: str
    export_capacity_mw: float
    import_capacity_mw: float
    export_price_usd_per_mwh: float | np.ndarray
    import_price_usd_per_mwh: float | np.ndarray
    firm_export_mw: np.ndarray | None = None
    firm_price_usd_per_mwh: float = 0.0
    carries: str = "any"
    sites: tuple[str, ...] = ()
    price_basis: str = "fixed"

    HOURLY = ("export_price_usd_per_mwh", "import_price_usd_per_mwh", "firm_export_mw")
    """The fields that may hold one value per hour (sliced with the study hours)."""

    def __eq__(self, other: object) -> bool:
        """Field by field, hourly arrays by value (the generated ``__eq__`` cannot compare arrays)."""
        if not isinstance(other, Interconnector):
            return NotImplemented
        return all(np.array_equal(np.asarray(a, dtype=object), np.asarray(b, dtype=object))
                   if name in self.HOURLY else a == b
                   for name in self.__dataclass_fields__
                   for a, b in [(getattr(self, name), getattr(other, name))])

    __hash__ = None  # type: ignore[assignment]  # holds arrays: not hashable, as the generated one would be

    def hourly(self, name: str, hours: int) -> np.ndarray:
        """Field ``name`` of :attr:`HOURLY` as an array of ``hours`` values (the firm band 0 without a contract)."""
        value = getattr(self, name)
        if value is None:
            return np.zeros(hours)
        return np.broadcast_to(np.asarray(value, dtype=float), (hours,)).copy()

    def eligible(self, plants) -> list[int]:
        """Positions in ``plants`` (renewable plants) whose output may be exported over this link."""
        if self.carries == "renewables":
            return [k for k, p in enumerate(plants) if p.technology in ("wind", "solar")]
        if self.carries == "sites":
            return [k for k, p in enumerate(plants) if p.id in self.sites]
        return list(range(len(plants)))


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
    min_release_mw : float
        Least water the store passes downstream every hour, turbined or spilled, as turbine
        energy [MW] (row ``min_release:<id>``: ``discharge / eta_d + spill >= min_release``); 0 for none,
        and only with an inflow.
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
    min_release_mw: float = 0.0

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
class FlexibleLoad:
    """A load whose energy in each period is fixed and whose timing within the period the dispatch
    chooses (e.g. a bus fleet's overnight depot charging: one period per night).

    ``delivered[t]`` is the energy drawn so far in the period of hour ``t`` by the end of hour ``t``;
    ``floor_mwh[t] <= delivered[t] <= period_mwh[t]`` and ``0 <= draw[t] <= max_mw[t]``. The floor is
    what must have been drawn by the end of hour ``t`` for the rest of the period, at ``max_mw``, to
    complete it; it equals the period's energy in its last hour. Computed once over the whole study
    (:func:`flexible_load`), it stays exact in any window cut from it, so a rolling-horizon window
    that ends within a period leaves its successor a remainder it can always draw. A fixed load
    profile is the special case ``max_mw = profile`` and ``period_mwh = sum of the profile``.

    Attributes
    ----------
    id, zone : str
    technology : str
        Label in results (``"electric_bus"``).
    max_mw : numpy.ndarray
        Hourly limit of the draw [MW]; 0 outside every period.
    period_start : numpy.ndarray of bool
        True where an hour begins a period (a night).
    period_mwh : numpy.ndarray
        Energy of the period of each hour [MWh]; 0 outside every period.
    floor_mwh : numpy.ndarray
        Least energy drawn in the period by the end of each hour [MWh].
    """

    id: str
    zone: str
    technology: str
    max_mw: np.ndarray
    period_start: np.ndarray
    period_mwh: np.ndarray
    floor_mwh: np.ndarray

    @property
    def continues(self) -> np.ndarray:
        """True where an hour continues the period of the hour before (in a period, not its start)."""
        return (self.period_mwh > 0) & ~self.period_start


def flexible_load(
    load_id: str, zone: str, technology: str, max_mw: np.ndarray, period_start: np.ndarray, period_mwh: np.ndarray
) -> FlexibleLoad:
    """A :class:`FlexibleLoad` with its floor: ``floor[t] = max(0, period_mwh[t] - sum of max_mw over
    the period's hours after t)`` [MWh].

    Parameters
    ----------
    max_mw : numpy.ndarray
        Hourly limit of the draw [MW] (0 outside the periods).
    period_start : numpy.ndarray of bool
        True at the first hour of each period.
    period_mwh : numpy.ndarray
        Energy of the period each hour belongs to [MWh] (0 outside).
    """
    max_mw = np.asarray(max_mw, dtype=float)
    period_start = np.asarray(period_start, dtype=bool)
    period_mwh = np.asarray(period_mwh, dtype=float)
    period_id = np.cumsum(period_start | (period_mwh <= 0))  # a new id at each start and each hour outside
    later = np.zeros_like(max_mw)
    for t in range(len(max_mw) - 2, -1, -1):
        if period_id[t + 1] == period_id[t]:
            later[t] = later[t + 1] + max_mw[t + 1]
    floor = np.where(period_mwh > 0, np.maximum(period_mwh - later, 0.0), 0.0)
    return FlexibleLoad(load_id, zone, technology, max_mw, period_start, period_mwh, floor)


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
    holding_cost_usd_per_mw_h : tuple of (str, float)
        Cost of holding 1 MW for an hour by provider kind (``thermal``, ``hydro``, ``storage``,
        ``interconnector``, ``renewable``) [USD/MW/h]; kinds not listed hold it for free.

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
    holding_cost_usd_per_mw_h: tuple[tuple[str, float], ...] = ()

    def holding_cost(self, kind: str) -> float:
        """Cost of holding 1 MW of this product for an hour by a provider of ``kind`` [USD/MW/h]."""
        return dict(self.holding_cost_usd_per_mw_h).get(kind, 0.0)

    @property
    def directions(self) -> tuple[str, ...]:
        """``("up",)``, ``("down",)`` or ``("up", "down")`` for a symmetric product."""
        return ("up", "down") if self.direction == "symmetric" else (self.direction,)
