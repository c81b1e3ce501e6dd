"""Power system spec: zones, demand, thermal fleet, hydro, existing renewables, trade, lines."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import Field, model_validator

from .site import WeatherSource
from .types import (
    ExistingFile,
    Fraction,
    Identifier,
    NonNegativeFloat,
    PositiveFloat,
    Spec,
    Year,
    cross_field_error,
    within,
)

__all__ = [
    "DEMAND_PATHS",
    "DemandGrowth",
    "DemandGrowthPaths",
    "SyntheticDemand",
    "FileDemand",
    "ElectricBuses",
    "Zone",
    "ThermalUnit",
    "PartLoad",
    "UNIT_TYPES",
    "Hydro",
    "SiteProfile",
    "ExistingStorage",
    "FileProfile",
    "ExistingRenewable",
    "Interconnector",
    "FirmExport",
    "FixedTradePrice",
    "MarketReferencePrice",
    "Line",
    "Gas",
    "GridSpec",
    "InService",
    "IN_SERVICE_GROUPS",
    "ReserveProduct",
    "VOLL_MIN_USD_PER_MWH",
    "VOLL_MAX_USD_PER_MWH",
]

VOLL_MIN_USD_PER_MWH = 1_000.0
"""Lowest value of lost load a grid may give. Published values for whole systems are several
thousand per MWh: ACER's 2020 methodology and the national studies it draws on (CEPA for ACER, 2018)
give thousands to tens of thousands of EUR/MWh; US planning studies use 1,000 to 20,000 USD/MWh and
ERCOT's offer cap is 5,000 USD/MWh. Below this the dispatch may shed load rather than run a peaking
unit or import, and a study reports the shed energy as if it were served by nothing (issue 16: at
1e-6 USD/MWh, 26.9 of 27 TWh were shed and the summary showed a 100 % renewable share)."""

VOLL_MAX_USD_PER_MWH = 100_000.0
"""Highest value of lost load a grid may give: above the highest published estimates (tens of
thousands per MWh), and costs spanning more than about four orders of magnitude above fuel
costs (tens of USD/MWh) degrade the LP's numerical conditioning."""


class InService(Spec):
    """The years a grid component is in service: calendar years ``y`` with
    ``in_service_year <= y < retirement_year`` (an open end where a year is not given).

    A component commissioned during a year counts as in service for the whole of it: the study is
    of a calendar year, and FACTS gives commissioning dates to the year or the month.
    """

    in_service_year: Year | None = Field(
        None, description="first calendar year in service; none for a component in service in every study year"
    )
    retirement_year: Year | None = Field(
        None, description="first calendar year no longer in service (retired in the year before); none for never"
    )

    @model_validator(mode="after")
    def _retires_after_start(self) -> "InService":
        if (self.in_service_year is not None and self.retirement_year is not None
                and self.retirement_year <= self.in_service_year):
            raise cross_field_error(
                "retirement_year",
                "= {end}: not after in_service_year = {start}; expected a retirement year after the first year in "
                "service (in service in the years in_service_year <= year < retirement_year)",
                end=self.retirement_year, start=self.in_service_year,
            )
        return self

    def in_service(self, year: int) -> bool:
        """Whether the component is in service in calendar ``year``."""
        started = self.in_service_year is None or self.in_service_year <= year
        return started and (self.retirement_year is None or year < self.retirement_year)


IN_SERVICE_GROUPS = ("thermal_units", "hydro", "existing_renewables", "existing_storage", "interconnectors")
"""The groups of a grid file whose components carry in_service_year and retirement_year."""


MORNING_RAMP_HOUR = 8
"""Local hour of the synthetic demand shape's morning ramp knot (the dispatch layer's night minimum + 4 h)."""


DEMAND_PATHS = ("low", "central", "high")
"""The named demand growth paths a grid's synthetic demand gives and a portfolio chooses
(``options.demand_path``)."""


class DemandGrowth(Spec):
    """Growth of annual energy and of the peak on one named path, compounded yearly from the base years.

    The two are set apart because they have not moved together: the peak has grown faster than the
    energy as cooling load grew (AZERBAIJAN_FACTS 1.2 and 1.3), so the load factor falls.
    """

    energy_growth_fraction_per_year: float = Field(
        ge=-0.1, le=0.2, description="annual energy growth, compounded per year [fraction per year]"
    )
    peak_growth_fraction_per_year: float = Field(
        ge=-0.1, le=0.2, description="annual peak growth, compounded per year [fraction per year]"
    )


class DemandGrowthPaths(Spec):
    """The three named growth paths; the portfolio's ``options.demand_path`` chooses one."""

    low: DemandGrowth
    central: DemandGrowth
    high: DemandGrowth


def _removed_fixed_figures(data: Any) -> Any:
    """A specific error for the fixed study-year figures a synthetic demand no longer takes."""
    if isinstance(data, dict):
        for name in ("annual_energy_mwh", "peak_mw"):
            if name in data:
                raise cross_field_error(
                    name,
                    "a synthetic demand is now a base year plus growth: annual_energy_mwh and peak_mw were replaced "
                    "by base_annual_energy_mwh in energy_base_year, base_peak_mw in peak_base_year and "
                    "growth_paths (low, central, high) chosen by the portfolio's options.demand_path; for a fixed "
                    "demand give the study year as both base years and 0 growth",
                )
    return data


class SyntheticDemand(Spec):
    """A documented synthetic hourly shape scaled to the study year's annual energy and peak.

    Both figures are on the **generation basis**: demand as the generators see it (gross
    generation - exports + imports), network losses and the plants' own use included. Each is a
    base-year figure grown at its own rate on the named path the portfolio chooses
    (:meth:`in_year`). The shape (dispatch layer) combines a daily profile with a morning
    minimum, an afternoon peak and an evening shoulder, weekday/weekend factors, and cooling and
    heating terms driven by the hourly air temperature of ``weather``.
    """

    type: Literal["synthetic"]
    energy_base_year: Year = Field(description="calendar year of base_annual_energy_mwh")
    base_annual_energy_mwh: PositiveFloat = Field(
        description="annual demand in energy_base_year on the generation basis (gross generation - exports + "
        "imports: network losses and own use included) [MWh]"
    )
    peak_base_year: Year = Field(description="calendar year of base_peak_mw")
    base_peak_mw: PositiveFloat = Field(
        description="highest hourly demand in peak_base_year on the generation basis [MW]"
    )
    growth_paths: DemandGrowthPaths = Field(
        description="energy and peak growth per named path (low, central, high); the portfolio's "
        "options.demand_path chooses one"
    )
    peak_hour: int = Field(ge=0, le=23, description="local hour of the daily peak")
    night_minimum_fraction: Fraction = Field(description="daily minimum / daily peak")
    evening_shoulder_hour: int = Field(ge=0, le=23, description="local hour of the evening shoulder")
    evening_shoulder_fraction: Fraction = Field(description="shoulder height / daily peak")
    weekend_factor: Fraction = Field(description="weekend daily energy / weekday")
    cooling_threshold_c: float = Field(
        ge=0, le=35, description="hourly air temperature above which cooling adds load [C]"
    )
    heating_threshold_c: float = Field(
        ge=-20, le=25, description="daily mean air temperature below which heating adds load [C]"
    )
    cooling_fraction_per_c: float = Field(
        0.05, ge=0, le=0.2, description="added load per degree above the cooling threshold [fraction of the shape]"
    )
    heating_fraction_per_c: float = Field(
        0.02, ge=0, le=0.2, description="added evening load per degree below the heating threshold [fraction]"
    )
    weather: WeatherSource = Field(description="source of the hourly air temperature")

    @model_validator(mode="before")
    @classmethod
    def _no_fixed_figures(cls, data: Any) -> Any:
        return _removed_fixed_figures(data)

    def in_year(self, year: int, path: str) -> tuple[float, float]:
        """Annual energy [MWh] and peak [MW] of calendar ``year`` on the growth path ``path``.

        ``energy = base_annual_energy_mwh (1 + g_e)^(year - energy_base_year)`` and
        ``peak = base_peak_mw (1 + g_p)^(year - peak_base_year)``: compound growth at the path's
        constant rates, backwards too for a year before a base year (a back-cast).
        """
        growth = getattr(self.growth_paths, path)
        energy = self.base_annual_energy_mwh * (1.0 + growth.energy_growth_fraction_per_year) ** (
            year - self.energy_base_year
        )
        peak = self.base_peak_mw * (1.0 + growth.peak_growth_fraction_per_year) ** (year - self.peak_base_year)
        return energy, peak

    @model_validator(mode="after")
    def _consistent(self) -> "SyntheticDemand":
        year = max(self.energy_base_year, self.peak_base_year)
        for path in DEMAND_PATHS:
            energy, peak = self.in_year(year, path)
            mean_mw = energy / 8760.0
            if mean_mw >= peak:
                raise cross_field_error(
                    "base_peak_mw",
                    "peak {peak} MW in {year} on the {path} path is not above the mean load {mean} MW implied by "
                    "the annual energy; expected a peak above the mean load",
                    peak=f"{peak:.0f}",
                    year=year,
                    path=path,
                    mean=f"{mean_mw:.0f}",
                )
        if not MORNING_RAMP_HOUR < self.peak_hour < self.evening_shoulder_hour - 1:
            raise cross_field_error(
                "peak_hour",
                "peak_hour = {peak}, evening_shoulder_hour = {shoulder}: the synthetic shape expects "
                "{morning} < peak_hour < evening_shoulder_hour - 1 (an afternoon peak after the morning ramp and "
                "before an evening shoulder)",
                peak=self.peak_hour,
                shoulder=self.evening_shoulder_hour,
                morning=MORNING_RAMP_HOUR,
            )
        if self.heating_threshold_c >= self.cooling_threshold_c:
            raise cross_field_error("heating_threshold_c", "expected heating_threshold_c < cooling_threshold_c")
        return self


class FileDemand(Spec):
    """Hourly demand from a CSV in the canonical time format (a ``time`` column)."""

    type: Literal["file"]
    path: ExistingFile
    column: str = Field(min_length=1, description="column with demand [MW]")
    annual_energy_mwh: PositiveFloat | None = Field(None, description="rescale to this total")


Demand = Annotated[Union[SyntheticDemand, FileDemand], Field(discriminator="type")]


class ElectricBuses(Spec):
    """A zone's electric-bus fleet, charged overnight at depots: a demand on top of the zone's demand.

    Each night every bus takes back the energy of one day's driving. The fleet in a year is
    ``fleet_in_base_year + buses_added_per_year x (year - fleet_base_year)`` (no bus retires within
    a study horizon of about a decade; never below 0). The energy is put on the generation basis of
    the zone's demand by ``network_loss_fraction``.
    """

    fleet_base_year: Year = Field(description="calendar year of fleet_in_base_year")
    fleet_in_base_year: int = Field(ge=0, le=100_000, description="electric buses in service in fleet_base_year")
    buses_added_per_year: int = Field(ge=0, le=10_000, description="buses added to the fleet each year")
    km_per_bus_per_day: float = Field(gt=0, le=600, description="distance each bus drives a day [km]")
    kwh_per_km: float = Field(gt=0, le=3, description="energy a bus draws from its battery per km [kWh/km]")
    depot_arrival_hour: int = Field(
        ge=0, le=23, description="local hour the buses arrive at the depot (charging may start)"
    )
    depot_departure_hour: int = Field(
        ge=0, le=23, description="local hour the buses leave the depot (charging must be done by its start)"
    )
    charger_kw_per_bus: float = Field(gt=0, le=1000, description="depot charger power per bus, at the grid side [kW]")
    charging_efficiency: float = Field(
        gt=0, le=1, description="energy into the bus battery / energy drawn from the grid [fraction]"
    )
    network_loss_fraction: float = Field(
        ge=0, lt=0.5,
        description="share of generation lost to the networks and the plants' own use before the depot; puts "
        "charging on the generation basis of zone demand: generation = drawn / (1 - share) [fraction]",
    )
    charging: Literal["unmanaged", "managed"] = Field(
        description="unmanaged: each night's energy drawn at charger power from arrival until done (a fixed load); "
        "managed: the dispatch schedules each night's energy within the depot window, at most charger power an hour"
    )

    @property
    def depot_hours(self) -> int:
        """Hours at the depot from arrival to departure (across midnight) [h]."""
        return (self.depot_departure_hour - self.depot_arrival_hour) % 24

    @model_validator(mode="after")
    def _night_fits(self) -> "ElectricBuses":
        if self.depot_hours == 0:
            raise cross_field_error("depot_departure_hour", "expected a departure hour other than the arrival hour")
        need_kwh = self.km_per_bus_per_day * self.kwh_per_km / self.charging_efficiency
        can_kwh = self.charger_kw_per_bus * self.depot_hours
        if need_kwh > can_kwh:
            raise cross_field_error(
                "charger_kw_per_bus",
                "= {kw}: a bus needs {need} kWh from the grid a night but its charger gives at most {can} kWh in the "
                "{hours} h at the depot; expected a charger of at least {least} kW or a longer depot window",
                kw=f"{self.charger_kw_per_bus:g}", need=f"{need_kwh:.0f}", can=f"{can_kwh:.0f}",
                hours=self.depot_hours, least=f"{need_kwh / self.depot_hours:.0f}",
            )
        return self


class Zone(Spec):
    """A bidding or balancing zone: a copper plate with its own demand."""

    id: Identifier
    name: str = Field(min_length=1)
    demand: Demand
    electric_buses: ElectricBuses | None = Field(
        None, description="an electric-bus fleet charged at depots in this zone, on top of demand; none by default"
    )


UNIT_TYPES = ("ccgt", "steam", "gas_engine", "gt")
"""Thermal unit technologies: combined cycle, steam turbine, reciprocating gas engine, open-cycle gas turbine."""


class PartLoad(Spec):
    """Net efficiency at part load: ``efficiencies[i]`` [fraction, LHV] at ``load_fractions[i]`` of the unit size.

    The first load fraction is the unit's ``min_stable_fraction``, the last 1.0 (full load, whose
    efficiency is the unit's ``efficiency`` or ``3.6 / heat_rate_gj_per_mwh``). The fuel curve
    between the points is piecewise linear; its slopes, the incremental heat rates, must not
    decrease (a convex fuel curve, so that the LP fills the cheaper segments first).
    """

    load_fractions: tuple[Fraction, ...] = Field(min_length=2, description="output / unit size, ascending")
    efficiencies: tuple[Fraction, ...] = Field(min_length=2, description="net efficiency at each load, LHV")

    @model_validator(mode="after")
    def _same_length(self) -> "PartLoad":
        if len(self.load_fractions) != len(self.efficiencies):
            raise cross_field_error(
                "efficiencies",
                "{n} efficiencies for {m} load_fractions; expected one efficiency per load fraction",
                n=len(self.efficiencies),
                m=len(self.load_fractions),
            )
        if any(b <= a for a, b in zip(self.load_fractions, self.load_fractions[1:], strict=False)):
            raise cross_field_error("load_fractions", "expected strictly increasing load fractions")
        if any(e <= 0 for e in self.efficiencies):
            raise cross_field_error("efficiencies", "expected efficiencies above 0")
        return self

    def fuel_gj_per_h_per_mw(self) -> tuple[float, ...]:
        """Fuel input at each point per MW of unit size [GJ/h per MW]: load x 3.6 / efficiency."""
        return tuple(load * 3.6 / eff for load, eff in zip(self.load_fractions, self.efficiencies, strict=True))

    def incremental_heat_rates_gj_per_mwh(self) -> tuple[float, ...]:
        """Slope of the fuel curve between consecutive points [GJ/MWh]."""
        fuel, load = self.fuel_gj_per_h_per_mw(), self.load_fractions
        return tuple((fuel[i + 1] - fuel[i]) / (load[i + 1] - load[i]) for i in range(len(load) - 1))


class ThermalUnit(InService):
    """A gas-fired plant group of ``unit_count`` identical units of ``unit_size_mw``.

    Start-up costs: fuel per start (``start_fuel_gj_per_mw``) and wear per start
    (``start_wear_usd_per_mw``), both per MW of unit size, after Kumar et al. (2012), "Power
    Plant Cycling Costs", NREL/SR-5500-55433. The unit fields are read with
    ``options.dispatch.operations: unit_commitment``; energy-only dispatch uses the group's
    capacity, availability and full-load heat rate only.
    """

    id: Identifier
    zone: Identifier
    capacity_mw: PositiveFloat
    efficiency: Fraction | None = Field(None, description="net electrical efficiency at full load, LHV")
    heat_rate_gj_per_mwh: PositiveFloat | None = Field(None, description="full-load heat rate, LHV [GJ/MWh]")
    fuel: Literal["gas"]
    variable_om_usd_per_mwh: NonNegativeFloat
    min_stable_fraction: Fraction = Field(description="minimum stable level of an online unit [fraction of its size]")
    availability: Fraction = Field(description="derating for outages and maintenance")
    unit_type: Literal["ccgt", "steam", "gas_engine", "gt"] = Field(description="technology of the units")
    unit_count: int = Field(ge=1, le=1000, description="number of identical units in the group")
    unit_size_mw: PositiveFloat = Field(description="net size of one unit [MW]; count x size = capacity_mw")
    min_up_h: int = Field(ge=0, le=168, description="minimum hours a unit stays online after a start [h]")
    min_down_h: int = Field(ge=0, le=168, description="minimum hours a unit stays offline after a shutdown [h]")
    ramp_up_fraction_per_min: float = Field(gt=0, le=1, description="ramp-up rate [fraction of unit size per minute]")
    ramp_down_fraction_per_min: float = Field(
        gt=0, le=1, description="ramp-down rate [fraction of unit size per minute]"
    )
    start_fuel_gj_per_mw: NonNegativeFloat = Field(description="fuel per start per MW of unit size [GJ/MW]")
    start_wear_usd_per_mw: NonNegativeFloat = Field(
        description="wear and maintenance cost per start per MW of unit size, fuel excluded [USD/MW]"
    )
    part_load: PartLoad = Field(description="part-load efficiency curve from min_stable_fraction to full load")

    @model_validator(mode="after")
    def _one_efficiency(self) -> "ThermalUnit":
        if (self.efficiency is None) == (self.heat_rate_gj_per_mwh is None):
            raise cross_field_error("efficiency", "give exactly one of efficiency and heat_rate_gj_per_mwh")
        if self.efficiency is not None and not 0.15 <= self.efficiency <= 0.65:
            raise cross_field_error("efficiency", "expected a gas plant efficiency between 0.15 and 0.65")
        if self.heat_rate_gj_per_mwh is not None and not 5.5 <= self.heat_rate_gj_per_mwh <= 24:
            raise cross_field_error("heat_rate_gj_per_mwh", "expected a heat rate between 5.5 and 24 GJ/MWh")
        return self

    @model_validator(mode="after")
    def _units(self) -> "ThermalUnit":
        total = self.unit_count * self.unit_size_mw
        if abs(total - self.capacity_mw) > 0.01 * self.capacity_mw:
            raise cross_field_error(
                "unit_size_mw",
                "unit_count x unit_size_mw = {count} x {size} = {total} MW differs from capacity_mw = {capacity} MW "
                "by more than 1 %; expected count x size to make up the capacity",
                count=self.unit_count, size=f"{self.unit_size_mw:g}", total=f"{total:g}",
                capacity=f"{self.capacity_mw:g}",
            )
        if self.ramp_up_fraction_per_min * 60 < self.min_stable_fraction:
            raise cross_field_error(
                "ramp_up_fraction_per_min",
                "{ramp} per minute reaches {hour} of the unit size in an hour, below min_stable_fraction = {msl}; "
                "expected ramp_up_fraction_per_min x 60 >= min_stable_fraction (a started unit reaches its "
                "minimum stable level within its first hour)",
                ramp=f"{self.ramp_up_fraction_per_min:g}", hour=f"{self.ramp_up_fraction_per_min * 60:g}",
                msl=f"{self.min_stable_fraction:g}",
            )
        return self._part_load_fits()

    def _part_load_fits(self) -> "ThermalUnit":
        loads, effs = self.part_load.load_fractions, self.part_load.efficiencies
        if abs(loads[0] - self.min_stable_fraction) > 1e-9 or abs(loads[-1] - 1.0) > 1e-9:
            raise cross_field_error(
                "part_load",
                "load_fractions run from {first} to {last}; expected min_stable_fraction = {msl} first and 1.0 last",
                first=f"{loads[0]:g}", last=f"{loads[-1]:g}", msl=f"{self.min_stable_fraction:g}",
            )
        full = 3.6 / self.heat_rate
        if abs(effs[-1] - full) > 0.0005:
            raise cross_field_error(
                "part_load",
                "full-load efficiency {found} differs from the unit's full-load efficiency {full} (efficiency or "
                "3.6 / heat_rate_gj_per_mwh); expected the same value at load 1.0",
                found=f"{effs[-1]:g}", full=f"{full:.4f}",
            )
        rates = self.part_load.incremental_heat_rates_gj_per_mwh()
        for k in range(len(rates) - 1):
            if rates[k + 1] < rates[k] - 1e-9:
                raise cross_field_error(
                    "part_load",
                    "incremental heat rate {low} GJ/MWh between loads {a} and {b} is below {high} GJ/MWh of the "
                    "segment before: the fuel curve is not convex; expected non-decreasing incremental heat rates "
                    "(raise the efficiency at the lower loads or lower it near full load)",
                    low=f"{rates[k + 1]:.4f}", high=f"{rates[k]:.4f}", a=f"{loads[k + 1]:g}", b=f"{loads[k + 2]:g}",
                )
        return self

    @property
    def heat_rate(self) -> float:
        """Full-load heat rate [GJ/MWh], from the efficiency when that was given (3.6 GJ = 1 MWh)."""
        if self.heat_rate_gj_per_mwh is not None:
            return self.heat_rate_gj_per_mwh
        return 3.6 / float(self.efficiency)

    def max_marginal_cost_usd_per_mwh(self, gas: "Gas") -> float:
        """Highest cost of one more MWh [USD/MWh]: the steepest fuel-curve segment (or the full-load heat
        rate) at the dearer of the gas tariff and export value, plus variable O&M."""
        rate = max(self.heat_rate, *self.part_load.incremental_heat_rates_gj_per_mwh())
        price = max(gas.power_plant_price_usd_per_gj, gas.export_value_usd_per_gj)
        return rate * price + self.variable_om_usd_per_mwh


DAYS_IN_MONTH_LEAP = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
"""Days per month of a leap year: the most hours a monthly budget may have to cover."""


class Hydro(InService):
    """Reservoir or run-of-river hydro with an energy budget per year or per month, and a ramp limit."""

    id: Identifier
    zone: Identifier
    capacity_mw: PositiveFloat
    annual_energy_mwh: PositiveFloat | None = None
    monthly_energy_mwh: tuple[NonNegativeFloat, ...] | None = Field(None, min_length=12, max_length=12)
    monthly_shape: tuple[Fraction, ...] | None = Field(
        None,
        min_length=12,
        max_length=12,
        description="share of the annual budget (base and scenarios) in each calendar month, January first; "
        "sums to 1; only with annual_energy_mwh [fraction]",
    )
    scenarios_annual_energy_mwh: dict[Identifier, PositiveFloat] = Field(
        default_factory=dict, description="named alternatives, e.g. dry and wet years"
    )
    min_output_mw: NonNegativeFloat = Field(description="minimum release (environmental flow, irrigation) [MW]")
    ramp_mw_per_h: PositiveFloat | None = Field(
        None, description="largest change of output from one hour to the next, up or down [MW/h]; none for no limit"
    )

    @model_validator(mode="after")
    def _budget(self) -> "Hydro":
        if (self.annual_energy_mwh is None) == (self.monthly_energy_mwh is None):
            raise cross_field_error("annual_energy_mwh", "give exactly one of annual_energy_mwh and monthly_energy_mwh")
        if self.min_output_mw > self.capacity_mw:
            raise cross_field_error("min_output_mw", "expected min_output_mw <= capacity_mw")
        budgets = {"annual_energy_mwh": self.annual_energy_mwh or sum(self.monthly_energy_mwh or ())}
        budgets.update(self.scenarios_annual_energy_mwh)
        for name, energy in budgets.items():
            if energy > self.capacity_mw * 8784:
                raise cross_field_error(
                    "annual_energy_mwh" if name == "annual_energy_mwh" else "scenarios_annual_energy_mwh",
                    "budget {name} = {energy} MWh exceeds capacity x hours",
                    name=name,
                    energy=f"{energy:g}",
                )
            if energy < self.min_output_mw * 8760:
                raise cross_field_error(
                    "min_output_mw",
                    "min_output_mw over a year needs more energy than budget {name} = {energy} MWh",
                    name=name,
                    energy=f"{energy:g}",
                )
        if self.monthly_shape is not None:
            self._check_shape()
        return self

    def _check_shape(self) -> None:
        """A monthly shape sums to 1, goes with an annual budget, and every month of every budget
        covers the minimum release and fits under capacity x hours."""
        shape = self.monthly_shape or ()
        if self.annual_energy_mwh is None:
            raise cross_field_error("monthly_shape", "monthly_shape spreads annual_energy_mwh; give annual_energy_mwh")
        if abs(sum(shape) - 1.0) > 1e-6:
            raise cross_field_error("monthly_shape", "shares sum to {total}; expected 1", total=f"{sum(shape):.6g}")
        budgets = {"annual_energy_mwh": self.annual_energy_mwh, **self.scenarios_annual_energy_mwh}
        for name, energy in budgets.items():
            for month, (share, days) in enumerate(zip(shape, DAYS_IN_MONTH_LEAP, strict=True), start=1):
                if energy * share < self.min_output_mw * 24 * days - 1e-6:
                    raise cross_field_error(
                        "monthly_shape",
                        "month {month} of budget {name} gives {energy} MWh, less than min_output_mw over the month",
                        month=month, name=name, energy=f"{energy * share:g}",
                    )
                if energy * share > self.capacity_mw * 24 * days + 1e-6:
                    raise cross_field_error(
                        "monthly_shape",
                        "month {month} of budget {name} gives {energy} MWh, more than capacity x hours",
                        month=month, name=name, energy=f"{energy * share:g}",
                    )

    @property
    def monthly_budget_mwh(self) -> tuple[float, ...] | None:
        """The base budget per calendar month [MWh]: as given, or the annual budget x the monthly shape."""
        if self.monthly_energy_mwh is not None:
            return tuple(self.monthly_energy_mwh)
        if self.monthly_shape is not None:
            return tuple(float(self.annual_energy_mwh or 0.0) * share for share in self.monthly_shape)
        return None


class SiteProfile(Spec):
    """Hourly availability from a site config run through the production models."""

    source: Literal["site"]
    site: ExistingFile


class FileProfile(Spec):
    """Hourly capacity factor (0..1) from a CSV in the canonical time format."""

    source: Literal["file"]
    path: ExistingFile
    column: str = Field(min_length=1)


Profile = Annotated[Union[SiteProfile, FileProfile], Field(discriminator="source")]


class ExistingRenewable(InService):
    """Wind or solar already in the system, scaled from a profile."""

    id: Identifier
    zone: Identifier
    technology: Literal["wind", "solar"]
    capacity_mw: PositiveFloat
    profile: Profile


class ExistingStorage(InService):
    """A battery already in the system, described by a battery config (standalone coupling)."""

    id: Identifier
    zone: Identifier
    site: ExistingFile = Field(description="battery config file (kind: battery, coupling standalone)")


MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")

DAYS_IN_MONTH_SHORTEST = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
"""Days per month of a common year: the fewest hours a monthly firm band is spread over (its highest MW)."""


class FirmExport(Spec):
    """A firm bilateral export contract: monthly energies delivered as a flat band within each month.

    The band of a month is its energy / the month's hours [MW], a fixed withdrawal the dispatch
    serves every hour of the month. The contract price is revenue only: the band is fixed, so
    the price never changes the dispatch and does not depend on the gas price basis.
    """

    annual_energy_mwh: PositiveFloat | None = Field(None, description="energy per year, spread by monthly_shape [MWh]")
    monthly_shape: tuple[Fraction, ...] | None = Field(
        None, min_length=12, max_length=12,
        description="share of annual_energy_mwh in each calendar month, January first; sums to 1 [fraction]",
    )
    monthly_energy_mwh: tuple[NonNegativeFloat, ...] | None = Field(
        None, min_length=12, max_length=12, description="energy per calendar month instead, January first [MWh]"
    )
    price_usd_per_mwh: NonNegativeFloat = Field(description="contract price, revenue only [USD/MWh]")

    @model_validator(mode="after")
    def _one_energy(self) -> "FirmExport":
        if (self.annual_energy_mwh is None) == (self.monthly_energy_mwh is None):
            raise cross_field_error("annual_energy_mwh", "give exactly one of annual_energy_mwh (with monthly_shape) "
                                    "and monthly_energy_mwh")
        if self.annual_energy_mwh is not None:
            if self.monthly_shape is None:
                raise cross_field_error("monthly_shape", "annual_energy_mwh needs a monthly_shape (12 shares summing "
                                        "to 1) to spread it over the months")
            if abs(sum(self.monthly_shape) - 1.0) > 1e-6:
                raise cross_field_error("monthly_shape", "shares sum to {total}; expected 1",
                                        total=f"{sum(self.monthly_shape):.6g}")
        elif self.monthly_shape is not None:
            raise cross_field_error("monthly_shape", "monthly_shape spreads annual_energy_mwh; give either "
                                    "monthly_energy_mwh or annual_energy_mwh with monthly_shape")
        return self

    @property
    def monthly_mwh(self) -> tuple[float, ...]:
        """Energy of each calendar month [MWh], January first."""
        if self.monthly_energy_mwh is not None:
            return tuple(self.monthly_energy_mwh)
        return tuple(float(self.annual_energy_mwh or 0.0) * share for share in self.monthly_shape or ())


class FixedTradePrice(Spec):
    """Opportunistic trade at fixed prices [USD/MWh]."""

    basis: Literal["fixed"]
    export_price_usd_per_mwh: NonNegativeFloat = Field(description="what a sale earns [USD/MWh]")
    import_price_usd_per_mwh: NonNegativeFloat = Field(description="what a purchase costs [USD/MWh]")


class MarketReferencePrice(Spec):
    """Opportunistic trade at a named regional market's price: 12 monthly values or an hourly CSV column.

    Sales earn the reference less ``export_discount_usd_per_mwh`` (transmission tariff, losses,
    margin) and purchases cost the reference plus ``import_premium_usd_per_mwh``.
    """

    basis: Literal["market_reference"]
    market: str = Field(min_length=1, description="the reference market's name, as the report states it")
    monthly_price_usd_per_mwh: tuple[NonNegativeFloat, ...] | None = Field(
        None, min_length=12, max_length=12, description="mean reference price per calendar month [USD/MWh]"
    )
    path: ExistingFile | None = Field(None, description="hourly CSV (canonical time column) of the reference price")
    column: str | None = Field(None, min_length=1, description="column of path with the price [USD/MWh]")
    export_discount_usd_per_mwh: NonNegativeFloat = Field(
        description="taken off the reference for a sale: tariffs, losses and margin to the market [USD/MWh]"
    )
    import_premium_usd_per_mwh: NonNegativeFloat = Field(
        description="added to the reference for a purchase [USD/MWh]"
    )

    @model_validator(mode="after")
    def _one_source(self) -> "MarketReferencePrice":
        if (self.monthly_price_usd_per_mwh is None) == (self.path is None):
            raise cross_field_error("monthly_price_usd_per_mwh", "give exactly one of monthly_price_usd_per_mwh "
                                    "(12 values) and path with column (an hourly CSV)")
        if (self.path is None) != (self.column is None):
            raise cross_field_error("column", "an hourly reference needs both path and column")
        return self


TradePrice = Annotated[Union[FixedTradePrice, MarketReferencePrice], Field(discriminator="basis")]

class Interconnector(InService):
    """Trade with a neighbouring system: an optional firm export contract and opportunistic trade.

    Opportunistic trade is priced by ``opportunistic`` (``basis: fixed`` or ``basis:
    market_reference``) or, without that block, by ``export_price_usd_per_mwh`` and
    ``import_price_usd_per_mwh`` (fixed). ``carries`` restricts exports in every hour to the wind
    and solar output dispatched in that hour (``renewables``: every wind and solar plant of the
    grid and the portfolio; hydro is left out because its water is budgeted, so exporting it in
    one hour burns gas in another) or to the output of the plants it lists (``carries: [ids]``).
    """

    id: Identifier
    zone: Identifier
    neighbour: str = Field(min_length=1)
    export_capacity_mw: NonNegativeFloat
    import_capacity_mw: NonNegativeFloat
    export_price_usd_per_mwh: NonNegativeFloat | None = Field(
        None, description="fixed price of opportunistic sales when no opportunistic block is given [USD/MWh]"
    )
    import_price_usd_per_mwh: NonNegativeFloat | None = Field(
        None, description="fixed price of opportunistic purchases when no opportunistic block is given [USD/MWh]"
    )
    opportunistic: TradePrice | None = Field(None, description="price basis of trade above the firm band")
    firm_export: FirmExport | None = Field(None, description="a firm bilateral export contract, or none")
    carries: Literal["any", "renewables"] | tuple[Identifier, ...] = Field(
        "any", description="what the link may export in every hour: any, renewables (the wind and solar output "
        "dispatched in that hour) or a list of wind or solar plant ids (portfolio sites or existing renewables) "
        "whose output bounds the exports",
    )

    @model_validator(mode="after")
    def _one_price_basis(self) -> "Interconnector":
        fixed = self.export_price_usd_per_mwh is not None or self.import_price_usd_per_mwh is not None
        if fixed and self.opportunistic is not None:
            raise cross_field_error("opportunistic", "give either opportunistic or export_price_usd_per_mwh and "
                                    "import_price_usd_per_mwh (a fixed basis), not both")
        if self.opportunistic is None and (self.export_price_usd_per_mwh is None
                                           or self.import_price_usd_per_mwh is None):
            raise cross_field_error("export_price_usd_per_mwh", "give export_price_usd_per_mwh and "
                                    "import_price_usd_per_mwh, or an opportunistic block with its price basis")
        return self

    @model_validator(mode="after")
    def _no_free_arbitrage(self) -> "Interconnector":
        prices = self.fixed_prices_usd_per_mwh
        if prices is not None and self.import_capacity_mw > 0 and self.export_capacity_mw > 0:
            if prices[1] < prices[0]:
                field = "import_price_usd_per_mwh" if self.opportunistic is None \
                    else "opportunistic.import_price_usd_per_mwh"
                raise cross_field_error(
                    field,
                    "import price below export price lets the model buy and resell without limit",
                )
        return self

    @model_validator(mode="after")
    def _carries(self) -> "Interconnector":
        if isinstance(self.carries, tuple) and not self.carries:
            raise cross_field_error("carries", "an empty list of plants; expected any, renewables or plant ids")
        if self.carries != "any" and self.firm_export is not None:
            raise cross_field_error("firm_export", "a firm band is a fixed withdrawal every hour, which wind and "
                                    "solar cannot guarantee; expected carries: any on a link with a firm contract")
        return self

    @property
    def carries_kind(self) -> str:
        """``any``, ``renewables`` or ``sites`` (a list of plants)."""
        return "sites" if isinstance(self.carries, tuple) else self.carries

    @property
    def carried_sites(self) -> tuple[str, ...]:
        """The plants a ``carries`` list names (empty otherwise)."""
        return self.carries if isinstance(self.carries, tuple) else ()

    @model_validator(mode="after")
    def _firm_band_fits(self) -> "Interconnector":
        if self.firm_export is None:
            return self
        for month, (energy, days) in enumerate(zip(self.firm_export.monthly_mwh, DAYS_IN_MONTH_SHORTEST,
                                                   strict=True)):
            band = energy / (24.0 * days)
            if band > self.export_capacity_mw + 1e-9:
                raise cross_field_error(
                    "firm_export",
                    "link {link}, {month}: the firm band {band} MW ({energy} MWh over {hours} h) exceeds "
                    "export_capacity_mw = {capacity} MW; expected a band within the link's capacity in every month",
                    link=self.id, month=MONTH_NAMES[month], band=f"{band:,.1f}", energy=f"{energy:,.0f}",
                    hours=24 * days, capacity=f"{self.export_capacity_mw:g}",
                )
        return self

    @property
    def fixed_prices_usd_per_mwh(self) -> tuple[float, float] | None:
        """(export, import) prices of a fixed basis; None for a market reference [USD/MWh]."""
        if isinstance(self.opportunistic, FixedTradePrice):
            return self.opportunistic.export_price_usd_per_mwh, self.opportunistic.import_price_usd_per_mwh
        if self.opportunistic is None:
            return float(self.export_price_usd_per_mwh or 0.0), float(self.import_price_usd_per_mwh or 0.0)
        return None

    def max_import_price_usd_per_mwh(self) -> float | None:
        """The dearest import price known from the config (None for an hourly reference) [USD/MWh]."""
        fixed = self.fixed_prices_usd_per_mwh
        if fixed is not None:
            return fixed[1]
        market = self.opportunistic
        if isinstance(market, MarketReferencePrice) and market.monthly_price_usd_per_mwh is not None:
            return max(market.monthly_price_usd_per_mwh) + market.import_premium_usd_per_mwh
        return None

    @property
    def price_basis(self) -> str:
        """``fixed`` or ``market_reference``: the basis of opportunistic trade."""
        return "fixed" if self.opportunistic is None else self.opportunistic.basis


class Line(Spec):
    """A transmission corridor between two zones (transport model)."""

    id: Identifier
    from_zone: Identifier
    to_zone: Identifier
    capacity_mw: PositiveFloat = Field(description="limit in each direction [MW]")


class Gas(Spec):
    """Gas prices, calorific value and emission factor."""

    power_plant_price_usd_per_1000m3: PositiveFloat
    export_value_usd_per_1000m3: PositiveFloat
    lower_heating_value_mj_per_m3: float = Field(ge=25, le=45)
    co2_t_per_tj: float = Field(ge=40, le=80)

    @property
    def power_plant_price_usd_per_gj(self) -> float:
        return self.power_plant_price_usd_per_1000m3 / self.lower_heating_value_mj_per_m3

    @property
    def export_value_usd_per_gj(self) -> float:
        return self.export_value_usd_per_1000m3 / self.lower_heating_value_mj_per_m3

    def price_usd_per_gj(self, basis: str) -> float:
        """Gas price on a basis: ``"tariff"`` (what power plants pay) or ``"export_value"`` [USD/GJ]."""
        return {"tariff": self.power_plant_price_usd_per_gj, "export_value": self.export_value_usd_per_gj}[basis]


class ReserveProduct(Spec):
    """A balancing reserve product held every hour, co-optimised with energy.

    Sized either to the largest single infeed (``sizing: largest_infeed``, the FCR reference
    incident: the largest thermal unit and each new plant's dispatched output) or to shares of
    hourly demand and of available wind and solar output (the forecast-error part of aFRR and mFRR).
    """

    id: Identifier
    direction: Literal["up", "down", "symmetric"]
    activation_min: PositiveFloat = Field(description="full activation time [min]")
    sustain_min: PositiveFloat = Field(description="how long a provision must be sustained [min]")
    sizing: Literal["largest_infeed"] | None = Field(None, description="size to the largest single infeed")
    demand_share: Fraction | None = Field(None, description="requirement per MW of hourly demand")
    wind_solar_share: Fraction | None = Field(
        None, description="requirement per MW of available wind and solar output"
    )
    interconnectors_may_provide: bool = Field(False, description="import headroom up, export headroom down")

    @model_validator(mode="after")
    def _one_sizing(self) -> "ReserveProduct":
        shares = self.demand_share is not None or self.wind_solar_share is not None
        if (self.sizing is None) == (not shares):
            raise cross_field_error(
                "sizing",
                "give either sizing: largest_infeed or demand_share and wind_solar_share (a requirement from "
                "shares of demand and of wind and solar output), not both and not neither",
            )
        if shares and (self.demand_share is None or self.wind_solar_share is None):
            missing = "demand_share" if self.demand_share is None else "wind_solar_share"
            raise cross_field_error(missing, "give both demand_share and wind_solar_share (0 for none)")
        return self


class ReserveHoldingCost(Spec):
    """Cost of holding one MW of any reserve product for an hour, by provider kind [USD/MW/h].

    Added to the dispatch cost for every MW held (GenX's ``Reg_Cost``/``Rsv_Cost`` per resource
    and PLEXOS' reserve offer price play the same part). Small values order providers that are
    otherwise equally cheap, so that the split among providers is unique instead of whatever the
    solver lands on, and the unit-commitment windows solve faster.
    """

    thermal: NonNegativeFloat = 0.015
    hydro: NonNegativeFloat = 0.01
    storage: NonNegativeFloat = 0.012
    interconnector: NonNegativeFloat = 0.018
    renewable: NonNegativeFloat = 0.02


class GridSpec(Spec):
    """The national power system the portfolio is added to."""

    kind: Literal["grid"]
    name: str = Field(min_length=1)
    zones: tuple[Zone, ...] = Field(min_length=1)
    thermal_units: tuple[ThermalUnit, ...] = ()
    hydro: tuple[Hydro, ...] = ()
    existing_renewables: tuple[ExistingRenewable, ...] = ()
    existing_storage: tuple[ExistingStorage, ...] = ()
    interconnectors: tuple[Interconnector, ...] = ()
    lines: tuple[Line, ...] = ()
    gas: Gas
    value_of_lost_load_usd_per_mwh: Annotated[
        float,
        within(
            VOLL_MIN_USD_PER_MWH,
            VOLL_MAX_USD_PER_MWH,
            "USD/MWh",
            "published values for whole systems are thousands of USD/MWh (ACER/CEPA 2018, US planning "
            "1,000-20,000); a lower value lets the dispatch shed load instead of serving it, a higher one "
            "only degrades the LP's numerical conditioning",
        ),
    ] = Field(
        description="cost of unserved energy, 1,000 to 100,000 and above every marginal cost of the system "
        "(gas units at the dearer of the two gas prices, imports), so that load is shed only when nothing "
        "can serve it [USD/MWh]"
    )
    reserves: tuple[ReserveProduct, ...] = Field(
        (), description="balancing reserve products co-optimised with energy; empty for none"
    )
    reserve_holding_cost_usd_per_mw_h: ReserveHoldingCost = Field(
        default_factory=ReserveHoldingCost, description="cost of holding reserve by provider kind [USD/MW/h]"
    )

    @model_validator(mode="after")
    def _lost_load_above_costs(self) -> "GridSpec":
        costs = [(u.max_marginal_cost_usd_per_mwh(self.gas), f"thermal unit {u.id} at the dearer gas price")
                 for u in self.thermal_units]
        costs += [(i.max_import_price_usd_per_mwh(), f"imports from {i.id}")
                  for i in self.interconnectors
                  if i.import_capacity_mw > 0 and i.max_import_price_usd_per_mwh() is not None]
        if costs:
            cost, what = max(costs, key=lambda c: c[0])
            if self.value_of_lost_load_usd_per_mwh <= cost:
                raise cross_field_error(
                    "value_of_lost_load_usd_per_mwh",
                    "= {voll}: not above the most expensive way to serve load, {what} ({cost} USD/MWh); expected a "
                    "value of lost load above every marginal cost, so that load is shed only when nothing can serve it",
                    voll=f"{self.value_of_lost_load_usd_per_mwh:g}", what=what, cost=f"{cost:,.1f}",
                )
        return self

    @model_validator(mode="after")
    def _unique_reserves(self) -> "GridSpec":
        ids = [r.id for r in self.reserves]
        duplicate = next((i for i in ids if ids.count(i) > 1), None)
        if duplicate is not None:
            raise cross_field_error("reserves", "reserve product id {id} appears twice; expected unique ids",
                                    id=duplicate)
        return self

    @property
    def zone_ids(self) -> tuple[str, ...]:
        return tuple(z.id for z in self.zones)

    def in_year(self, year: int) -> "GridSpec":
        """The grid of calendar ``year``: the thermal units, hydro plants, existing renewables, existing
        storage and interconnectors in service in that year (:meth:`InService.in_service`), the rest as given.

        A subset of a valid grid is valid by the grid's own rules (no unit's cost grows, no id
        repeats), so the copy is not validated again; whether the year leaves a zone without supply is
        a cross-file check of the portfolio (``config.crossfile.service_problems``).
        """
        kept = {name: tuple(c for c in getattr(self, name) if c.in_service(year)) for name in IN_SERVICE_GROUPS}
        if all(len(kept[name]) == len(getattr(self, name)) for name in IN_SERVICE_GROUPS):
            return self
        return self.model_copy(update=kept)
