"""Config specs -> the dispatch's own dataclasses (:mod:`.system`): the one place that reads them.

:func:`build_inputs` takes the grid file's :class:`~energy_portfolio.config.grid.GridSpec` and the
portfolio's :class:`~energy_portfolio.config.portfolio.DispatchOptions` and converts every
component with a ``*_from_*`` helper; :func:`storage_from_battery_site` (alias
:func:`battery_from_site`) turns a battery site into a :class:`~.system.Storage`. The LP, the
checks, the results and the PyPSA export see only the converted objects.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..config.battery import AcCoupled, BatterySite
from ..config.grid import ExistingRenewable, GridSpec, MarketReferencePrice, ReserveHoldingCost
from ..config.grid import Gas as GasSpec
from ..config.grid import Hydro as HydroSpec
from ..config.grid import Interconnector as InterconnectorSpec
from ..config.grid import Line as LineSpec
from ..config.grid import ReserveProduct as ReserveSpec
from ..config.grid import ThermalUnit as ThermalSpec
from ..config.portfolio import DispatchOptions
from ..config.pumped_hydro import MonthlyInflow, PumpedHydroSite
from ..errors import InputError
from .electric_buses import electric_bus_load
from .inputs import DispatchInputs, _finite_array
from .system import (
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

__all__ = [
    "build_inputs",
    "battery_from_site",
    "storage_from_battery_site",
    "storage_from_pumped_hydro_site",
    "storage_from_site",
    "renewable_from_capacity_factor",
    "options_from_spec",
    "gas_from_spec",
    "thermal_from_spec",
    "fuel_curve",
    "hydro_from_spec",
    "interconnector_from_spec",
    "line_from_spec",
    "reserve_from_spec",
]


def options_from_spec(options: DispatchOptions) -> SolveOptions:
    """The solve options of the portfolio's dispatch options (the wear cost goes into each store)."""
    return SolveOptions(
        mode=options.mode,
        window_h=options.window_h,
        step_h=options.step_h,
        operations=options.operations,
        commitment=options.commitment,
        lookahead_commitment=options.lookahead_commitment,
        mip_rel_gap=options.mip_rel_gap,
        gas_price_basis=options.gas_price_basis,
    )


def gas_from_spec(gas: GasSpec) -> Gas:
    """Gas prices per GJ (tariff and export value), LHV and emission factor of the grid file."""
    return Gas(gas.power_plant_price_usd_per_gj, gas.export_value_usd_per_gj, gas.lower_heating_value_mj_per_m3,
               gas.co2_t_per_tj)


def fuel_curve(unit: ThermalSpec) -> tuple[float, tuple[float, ...], tuple[float, ...]]:
    """No-load fuel, segment widths and incremental heat rates of one unit from its part-load curve.

    The fuel input at each point of the curve is ``load x size x 3.6 / efficiency`` [GJ/h]. The
    incremental heat rate of segment ``k`` is the slope between points ``k`` and ``k + 1``
    [GJ/MWh]; the no-load fuel is the first segment extended down to zero output,
    ``fuel_0 - rate_1 x load_0 x size`` [GJ/h], so that an online unit burns exactly
    ``no_load + rate_1 x p_min + sum_k rate_k x segment_k`` at every point of the curve.

    Returns
    -------
    no_load_gj_per_h : float
        Per online unit, at nameplate [GJ/h].
    segments_mw : tuple of float
        Widths above the minimum stable level [MW].
    heat_rates_gj_per_mwh : tuple of float
        Non-decreasing (the config refuses a non-convex curve).

    References
    ----------
    Wood, Wollenberg and Sheblé (2014), "Power Generation, Operation and Control", 3rd ed.,
    Wiley, ch. 2 (input-output and incremental heat-rate curves).
    """
    size = unit.unit_size_mw
    loads = unit.part_load.load_fractions
    fuel = [f * size for f in unit.part_load.fuel_gj_per_h_per_mw()]
    rates = unit.part_load.incremental_heat_rates_gj_per_mwh()
    no_load = fuel[0] - rates[0] * loads[0] * size
    widths = tuple((loads[k + 1] - loads[k]) * size for k in range(len(loads) - 1))
    return no_load, widths, tuple(rates)


def thermal_from_spec(unit: ThermalSpec) -> ThermalUnit:
    """A thermal plant group of the grid file: full-load heat rate, units, ramps, start costs, fuel curve."""
    no_load, widths, rates = fuel_curve(unit)
    size = unit.unit_size_mw
    return ThermalUnit(
        unit.id, unit.zone, unit.capacity_mw, unit.availability, unit.heat_rate, unit.variable_om_usd_per_mwh,
        unit.min_stable_fraction,
        unit_type=unit.unit_type,
        unit_count=unit.unit_count,
        unit_size_mw=size,
        min_up_h=unit.min_up_h,
        min_down_h=unit.min_down_h,
        ramp_up_mw_per_min=unit.ramp_up_fraction_per_min * size,
        ramp_down_mw_per_min=unit.ramp_down_fraction_per_min * size,
        start_fuel_gj=unit.start_fuel_gj_per_mw * size,
        start_wear_usd=unit.start_wear_usd_per_mw * size,
        no_load_gj_per_h=no_load,
        segments_mw=widths,
        segment_heat_rates_gj_per_mwh=rates,
    )


def hydro_from_spec(hydro: HydroSpec) -> HydroPlant:
    """A hydro plant of the grid file with its base budget (per month when it has a monthly shape),
    scenarios and ramp limit."""
    monthly = hydro.monthly_budget_mwh
    return HydroPlant(hydro.id, hydro.zone, hydro.capacity_mw, hydro.min_output_mw,
                      hydro.annual_energy_mwh if monthly is None else None, monthly,
                      dict(hydro.scenarios_annual_energy_mwh), hydro.ramp_mw_per_h)


def interconnector_from_spec(
    link: InterconnectorSpec, index: pd.DatetimeIndex | None = None, reference_usd_per_mwh: pd.Series | None = None
) -> Interconnector:
    """A link of the grid file: its firm band and opportunistic prices on the study hours.

    A firm contract's monthly energy is spread evenly over the month's hours (a flat band [MW]);
    a fixed basis gives scalar prices; a market reference gives hourly prices, the reference
    (12 monthly values, or ``reference_usd_per_mwh`` read from the link's CSV by the caller) less
    the export discount for sales and plus the import premium for purchases.

    Raises
    ------
    InputError
        A link with a firm contract or a market reference but no study hours, or an hourly
        reference that was not given.
    """
    market = link.opportunistic
    needs_hours = link.firm_export is not None or isinstance(market, MarketReferencePrice)
    if needs_hours and index is None:
        raise InputError(f"interconnector {link.id}: a firm contract or market reference needs the study hours")
    firm = None if link.firm_export is None else monthly_inflow_mw(link.firm_export.monthly_mwh, index)
    basis = "fixed"
    if isinstance(market, MarketReferencePrice):
        basis = f"market_reference: {market.market}"
        if market.monthly_price_usd_per_mwh is not None:
            reference = np.asarray(market.monthly_price_usd_per_mwh, dtype=float)[np.asarray(index.month) - 1]
        elif reference_usd_per_mwh is None:
            raise InputError(f"interconnector {link.id}: market reference {market.path}: no hourly series given")
        else:
            reference = _finite_array(reference_usd_per_mwh, f"interconnector {link.id}: market reference", index)
        export = np.maximum(reference - market.export_discount_usd_per_mwh, 0.0)
        imports = reference + market.import_premium_usd_per_mwh
    else:
        export, imports = link.fixed_prices_usd_per_mwh or (0.0, 0.0)
    return Interconnector(
        link.id, link.zone, link.export_capacity_mw, link.import_capacity_mw, export, imports,
        firm_export_mw=firm,
        firm_price_usd_per_mwh=0.0 if link.firm_export is None else link.firm_export.price_usd_per_mwh,
        carries=link.carries_kind, sites=link.carried_sites, price_basis=basis,
    )


def line_from_spec(line: LineSpec) -> Line:
    return Line(line.id, line.from_zone, line.to_zone, line.capacity_mw)


def reserve_from_spec(product: ReserveSpec, holding_cost: ReserveHoldingCost | None = None) -> ReserveProduct:
    """A reserve product of the grid file; the sustain time in hours, missing shares as 0, and the
    grid's holding cost by provider kind (``ReserveHoldingCost`` defaults when not given)."""
    holding = (holding_cost or ReserveHoldingCost()).model_dump()
    return ReserveProduct(
        id=product.id,
        direction=product.direction,
        activation_min=product.activation_min,
        sustain_h=product.sustain_min / 60.0,
        largest_infeed=product.sizing == "largest_infeed",
        demand_share=product.demand_share or 0.0,
        wind_solar_share=product.wind_solar_share or 0.0,
        interconnectors_may_provide=product.interconnectors_may_provide,
        holding_cost_usd_per_mw_h=tuple((kind, float(cost)) for kind, cost in holding.items()),
    )


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


def _store_window(spec: BatterySite | PumpedHydroSite) -> dict:
    """The state-of-charge window, start and standing loss of a store's site config."""
    return {
        "soc_min_fraction": spec.soc_min_fraction,
        "soc_max_fraction": spec.soc_max_fraction,
        "initial_soc_fraction": None if spec.initial_soc == "cyclic" else float(spec.initial_soc),
        "standing_loss_per_hour": spec.standing_loss_per_hour,
    }


def _discharge_cost(spec: BatterySite | PumpedHydroSite, options: DispatchOptions) -> float:
    """Variable O&M plus the options' wear cost per MWh discharged [USD/MWh] (> 0: see DispatchOptions)."""
    return spec.economics.variable_opex_usd_per_mwh + options.storage_wear_cost_usd_per_mwh


def storage_from_battery_site(spec: BatterySite, zone: str, options: DispatchOptions, new: bool = True) -> Storage:
    """The dispatch view of a battery site config: a :class:`~.system.Storage` labelled with its technology.

    The charge and discharge limits are both ``min(power_mw, grid_connection_mw) x availability``
    (availability as a derating, as for thermal units); the discharge cost is the site's variable
    O&M plus ``options.storage_wear_cost_usd_per_mwh``.
    """
    charge, discharge = spec.efficiencies
    coupled = isinstance(spec.coupling, AcCoupled)
    power = min(spec.power_mw, spec.grid_connection_mw) * spec.availability
    return Storage(
        id=spec.id,
        zone=zone,
        charge_power_mw=power,
        discharge_power_mw=power,
        energy_mwh=spec.energy_mwh,
        charge_efficiency=charge,
        discharge_efficiency=discharge,
        **_store_window(spec),
        cycle_limit_per_year=spec.cycle_limit_per_year,
        discharge_cost_usd_per_mwh=_discharge_cost(spec, options),
        coupled_plant=spec.coupling.site if coupled else None,
        shared_connection_mw=spec.coupling.shared_connection_mw if coupled else None,
        new=new,
        technology=spec.technology,
    )


battery_from_site = storage_from_battery_site
"""The former name of :func:`storage_from_battery_site`."""


def monthly_inflow_mw(monthly_mwh: Sequence[float], index: pd.DatetimeIndex) -> np.ndarray:
    """A monthly total spread evenly over the month's hours (local calendar) [MWh per hour]: a store's
    inflow, a firm export contract's band [MW]."""
    months = np.asarray(index.month) - 1
    days = np.asarray(index.days_in_month)
    return np.asarray(monthly_mwh, dtype=float)[months] / (24.0 * days)


def storage_from_pumped_hydro_site(
    spec: PumpedHydroSite,
    zone: str,
    options: DispatchOptions,
    index: pd.DatetimeIndex,
    inflow_mw: pd.Series | None = None,
    new: bool = True,
) -> Storage:
    """The dispatch view of a pumped-hydro site: a :class:`~.system.Storage` (technology ``pumped_hydro``).

    Charge is the pumps (``min(pump_power_mw, grid_connection_mw) x availability``, efficiency
    ``pump_efficiency``), discharge the turbines (``min(turbine_power_mw, grid_connection_mw) x
    availability``, ``turbine_efficiency``); the discharge cost is the variable O&M plus
    ``options.storage_wear_cost_usd_per_mwh``. A monthly inflow is spread evenly over each month's
    hours of ``index``; a file inflow is read by the caller and passed as ``inflow_mw`` [MWh per hour].
    """
    inflow = None
    if isinstance(spec.inflow, MonthlyInflow):
        inflow = monthly_inflow_mw(spec.inflow.monthly_mwh, index)
    elif spec.inflow is not None:
        if inflow_mw is None:
            raise InputError(f"pumped_hydro {spec.id}: inflow from {spec.inflow.path}: no hourly series given")
        inflow = _finite_array(inflow_mw, f"pumped_hydro {spec.id}: inflow", index)
    pump, turbine = spec.efficiencies
    return Storage(
        id=spec.id,
        zone=zone,
        charge_power_mw=min(spec.pump_power_mw, spec.grid_connection_mw) * spec.availability,
        discharge_power_mw=min(spec.turbine_power_mw, spec.grid_connection_mw) * spec.availability,
        energy_mwh=spec.energy_mwh,
        charge_efficiency=pump,
        discharge_efficiency=turbine,
        **_store_window(spec),
        cycle_limit_per_year=None,
        discharge_cost_usd_per_mwh=_discharge_cost(spec, options),
        new=new,
        technology=spec.technology,
        inflow_mw=inflow,
        min_release_mw=spec.min_release_mw,
    )


def storage_from_site(
    spec: BatterySite | PumpedHydroSite,
    zone: str,
    options: DispatchOptions,
    index: pd.DatetimeIndex,
    inflow_mw: pd.Series | None = None,
    new: bool = True,
) -> Storage:
    """Any storage site config as a dispatch :class:`~.system.Storage` (battery or pumped hydro)."""
    if isinstance(spec, PumpedHydroSite):
        return storage_from_pumped_hydro_site(spec, zone, options, index, inflow_mw, new)
    return storage_from_battery_site(spec, zone, options, new)


def build_inputs(
    grid: GridSpec,
    demand_mw: Mapping[str, pd.Series] | pd.DataFrame,
    renewables: Sequence[RenewablePlant],
    batteries: Sequence[Storage],
    options: DispatchOptions | SolveOptions,
    hydro_scenario: str | None = None,
    index: pd.DatetimeIndex | None = None,
    allow_unserved: bool = True,
    trade_reference_usd_per_mwh: Mapping[str, pd.Series] | None = None,
) -> DispatchInputs:
    """Convert the grid file and assemble and check :class:`DispatchInputs`.

    Parameters
    ----------
    grid : GridSpec
        Zones, thermal units, hydro, interconnectors, lines, gas, the value of lost load and the
        reserve products. Only the components in service in the calendar year of the first study
        hour are converted (:meth:`GridSpec.in_year`; a grid already of that year is kept as it is).
    demand_mw : mapping of zone id to pandas.Series, or DataFrame
        Hourly demand per zone [MW] (e.g. from :func:`~energy_portfolio.dispatch.demand.synthetic_demand_mw`).
    renewables, batteries : sequences
        From :func:`~.inputs.renewable_from_power`, :func:`renewable_from_capacity_factor`,
        :func:`storage_from_battery_site` (any :class:`~.system.Storage`).
    options : DispatchOptions or SolveOptions
    hydro_scenario : str or None
    index : pandas.DatetimeIndex, optional
        The study hours; default the index of the first zone's demand.
    allow_unserved : bool
        Whether demand may go unserved at the value of lost load.
    trade_reference_usd_per_mwh : mapping of link id to pandas.Series, optional
        The hourly reference price of each link whose market reference is a CSV column [USD/MWh].

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
    grid = grid.in_year(int(index[0].year))
    return DispatchInputs(
        index=index,
        demand_mw=frame,
        zones=tuple(grid.zone_ids),
        thermal_units=tuple(thermal_from_spec(u) for u in grid.thermal_units),
        hydro=tuple(hydro_from_spec(h) for h in grid.hydro),
        interconnectors=tuple(interconnector_from_spec(i, index, (trade_reference_usd_per_mwh or {}).get(i.id))
                              for i in grid.interconnectors),
        lines=tuple(line_from_spec(ln) for ln in grid.lines),
        gas=gas_from_spec(grid.gas),
        value_of_lost_load_usd_per_mwh=grid.value_of_lost_load_usd_per_mwh,
        renewables=tuple(renewables),
        storage=tuple(batteries),
        options=options if isinstance(options, SolveOptions) else options_from_spec(options),
        hydro_scenario=hydro_scenario,
        allow_unserved=allow_unserved,
        name=grid.name,
        reserves=tuple(reserve_from_spec(r, grid.reserve_holding_cost_usd_per_mw_h) for r in grid.reserves)
        if _holds_reserves(options) else (),
        flexible_loads=tuple(
            electric_bus_load(z.electric_buses, electric_bus_id(z.id), z.id, index)
            for z in grid.zones if z.electric_buses is not None
        ),
    )


def electric_bus_id(zone: str) -> str:
    """The id of a zone's electric-bus fleet in the dispatch and its results."""
    return f"{zone}_electric_buses"


def _holds_reserves(options: DispatchOptions | SolveOptions) -> bool:
    """Whether the dispatch holds the grid's reserve products (``DispatchOptions.hold_reserves``)."""
    return options.hold_reserves if isinstance(options, DispatchOptions) else True
