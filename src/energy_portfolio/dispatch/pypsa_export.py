"""The dispatch problem as a PyPSA network (PyPSA is imported here only, and lazily).

The network is the perfect-foresight problem of :mod:`.lp` term for term, so PyPSA's own
optimisation gives the same optimum (the tests check it). Mapping:

- zone -> Bus with a Load; thermal group -> Generator (``p_max_pu`` = availability, marginal cost
  as in :func:`.lp.thermal_cost_usd_per_mwh`); with unit commitment ``unit_count`` committable
  Generators per group (:func:`_add_committable`);
- hydro -> one Generator per budget period (``p_max_pu`` 1 and ``p_min_pu`` = minimum output inside
  the period, 0 outside, ``e_sum_max`` = the period's budget); a hydro ramp limit
  (``hydro_ramp:<id>:up/down``) is exported as the generator's ``ramp_limit_up/down`` when the
  network spans one budget period of the plant (e.g. a week inside a month, as the parity tests
  use); across a period boundary it would tie two of these generators, which PyPSA's
  per-generator ramp limits cannot express, so it is left out there (open);
- renewable -> Generator with ``p_nom`` = connection limit and ``p_max_pu`` = min(available, connection) / p_nom;
- store (battery or other storage) -> Store (``e_min_pu``/``e_max_pu``, ``standing_loss``,
  ``e_cyclic`` or ``e_initial``) on its own bus, a charging Link (efficiency eta_c, ``p_nom`` = the
  charge limit) and a discharging Link (efficiency eta_d, ``p_nom`` = discharge limit / eta_d,
  marginal cost = discharge cost x eta_d because PyPSA charges the Link's input); the store's
  ``technology`` is the carrier of the Store and its bus; a cycle limit is a third output of the
  discharging Link (efficiency2 = -eta_d, i.e. it draws the discharged energy from a "cycles" bus)
  fed by one Generator per year with ``e_sum_max`` = the limit; a natural inflow is a Generator on
  the store's bus with ``p_max_pu`` = inflow / its peak and no cost, so inflow not taken is
  spilled at zero cost (a StorageUnit's ``inflow`` with ``spill_cost`` 0; a Store is used because
  a StorageUnit has no minimum state of charge, one power rating and no third Link output for a
  cycle limit);
- a store coupled to a plant: the plant and the battery's links sit on a site Bus joined to the
  zone by a Link of the shared connection limit in both directions (``p_min_pu`` = -1);
- interconnector -> an import Generator (import price) and an export Generator with
  ``p_min_pu`` = -(capacity - firm band) / capacity, ``p_max_pu`` = 0 and the export price (negative
  output earns the price; prices per snapshot under a market reference), and a firm contract as a
  Generator fixed at minus its band at the contract price; a link that carries only renewables or
  named sites draws its exports from a bus of those plants joined one way to the zone
  (:func:`_carry_buses`), which is the LP's ``trade_carries:<link>`` rows;
- line -> Link with ``p_min_pu`` = -1 (transport model); unserved energy -> Generator at the
  value of lost load with ``p_max_pu`` = demand / peak demand;
- flexible load (electric-bus charging) -> a charging Link from its zone (``p_max_pu`` = the hourly
  draw limit / its peak) into a Store on its own bus whose energy is the energy drawn so far in
  the period (``e_min_pu``/``e_max_pu`` = the floor and the period's energy, ``e_initial`` 0), and a
  Load on that bus that takes each period's energy in the hour after it ends (emptying the Store
  as the buses leave), so each period draws exactly its energy as in ``flexible_energy:<load>``.

Snapshots are the study hours as naive local times (netCDF has no time zones); the time zone is
kept in ``network.meta["timezone"]``. Writing the file is the caller's job
(``network.export_to_netcdf(path)``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..units import gas_mcm_from_gj
from .inputs import DispatchInputs
from .lp import energy_budgets, thermal_cost_usd_per_mwh
from .system import FlexibleLoad

__all__ = ["to_pypsa", "pypsa_totals"]


def _site_bus(plant_id: str) -> str:
    return f"{plant_id}_site"


def _add_committable(n: Any, inputs: DispatchInputs) -> None:
    """Each thermal group as ``unit_count`` committable Generators ``<id>#<k>`` (unit commitment).

    ``p_nom`` = unit size x availability, ``p_min_pu`` = minimum stable level, marginal cost = gas
    price x the heat rate of the single fuel-curve segment + O&M, ``stand_by_cost`` (PyPSA's cost
    per hour committed) = no-load fuel x price; with one segment the LP's fuel ``no_load x u +
    rate x p`` is exactly that. ``start_up_cost`` = start fuel x price + wear, minimum up and down times,
    and ramps per unit of ``p_nom`` with start-up and shut-down allowances. Each unit was online
    before the study for its minimum up time (``up_time_before``), as the LP's initial state.
    """
    price = inputs.gas.price_usd_per_gj(inputs.options.gas_price_basis)
    for unit in inputs.thermal_units:
        if len(unit.heat_rates) != 1:
            raise ValueError(f"PyPSA export of {unit.id}: {len(unit.heat_rates)} fuel-curve segments; PyPSA's "
                             "committable generators take one marginal cost, so give one segment")
        p_max = unit.unit_max_mw
        ramp_up, ramp_down = unit.ramp_per_h_mw("up") / p_max, unit.ramp_per_h_mw("down") / p_max
        for k in range(unit.unit_count):
            n.add(
                "Generator", f"{unit.id}#{k}", bus=unit.zone, carrier="gas", p_nom=p_max, committable=True,
                p_min_pu=unit.min_stable_fraction,
                marginal_cost=price * unit.heat_rates[0] + unit.variable_om_usd_per_mwh,
                stand_by_cost=price * unit.no_load_gj_per_h * unit.availability,
                start_up_cost=price * unit.start_fuel_gj + unit.start_wear_usd,
                min_up_time=unit.min_up_h, min_down_time=unit.min_down_h,
                up_time_before=max(unit.min_up_h, 1), down_time_before=0,
                ramp_limit_up=ramp_up if ramp_up < 1 else np.nan,
                ramp_limit_down=ramp_down if ramp_down < 1 else np.nan,
                ramp_limit_start_up=min(max(unit.min_stable_fraction, ramp_up), 1.0),
                ramp_limit_shut_down=min(max(unit.min_stable_fraction, ramp_down), 1.0),
            )


def _carry_buses(n: Any, inputs: DispatchInputs, coupled: set[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Buses for links that carry only renewables or named sites: one per set of plants, joined one way
    to the bus of the smallest set containing it (or the zone), with those plants on it.

    The link's exports are drawn from that bus, which only its plants feed, so they cannot exceed
    the plants' output in any hour (rows ``trade_carries:<link>``); the rest flows on to the zone.

    Returns
    -------
    (link id -> bus, plant id -> bus)

    Raises
    ------
    ValueError
        A restricted link whose plants are behind a shared connection with a store or in another
        zone than the link: the plant would need two buses, which this mapping does not express.
    """
    plants = inputs.renewables
    sets: dict[frozenset, list] = {}
    for link in inputs.interconnectors:
        if link.carries == "any":
            continue
        members = frozenset(link.eligible(plants))
        for k in members:
            if plants[k].id in coupled or plants[k].zone != link.zone:
                why = "shares a connection with a store" if plants[k].id in coupled else f"is in zone {plants[k].zone}"
                raise ValueError(
                    f"PyPSA export of interconnector {link.id} (carries {link.carries}): plant {plants[k].id} {why}; "
                    "the export represents the restriction as a bus of the link's plants in the link's zone, "
                    "so give carries: any or dispatch without the restriction to export this network")
        sets.setdefault(members, []).append(link)
    ordered = sorted(sets, key=len)
    names = {members: f"{sets[members][0].id}_carries" for members in ordered}
    link_bus = {link.id: names[members] for members, links in sets.items() for link in links}
    plant_bus: dict[str, str] = {}
    for i, members in enumerate(ordered):
        zone = sets[members][0].zone
        parent = next((names[m] for m in ordered[i + 1:] if members < m), zone)
        n.add("Bus", names[members], carrier="electricity")
        n.add("Link", f"{names[members]}_to_{parent}", bus0=names[members], bus1=parent,
              p_nom=sum(plants[k].connection_mw for k in members) or 1.0, p_min_pu=0.0, efficiency=1.0)
        for k in members:
            plant_bus.setdefault(plants[k].id, names[members])
    return link_bus, plant_bus


def _add_trade(n: Any, inputs: DispatchInputs, link: Any, bus: str) -> None:
    """A link's import Generator (import price), its opportunistic export Generator (``p_min_pu`` =
    -(capacity - firm band) / capacity, ``p_max_pu`` 0, the export price; negative output earns it)
    and its firm band as a Generator fixed at minus the band (``p_min_pu = p_max_pu``) at the contract
    price; prices and the band per snapshot where they vary."""
    hours = inputs.hours
    firm = link.hourly("firm_export_mw", hours)
    if link.import_capacity_mw > 0:
        n.add("Generator", f"{link.id}_import", bus=bus, carrier="trade", p_nom=link.import_capacity_mw,
              marginal_cost=_static_or_hourly(link.import_price_usd_per_mwh, hours))
    if link.export_capacity_mw > 0:
        n.add("Generator", f"{link.id}_export", bus=bus, carrier="trade", p_nom=link.export_capacity_mw,
              p_min_pu=-(link.export_capacity_mw - firm) / link.export_capacity_mw, p_max_pu=0.0,
              marginal_cost=_static_or_hourly(link.export_price_usd_per_mwh, hours))
    peak = float(firm.max(initial=0.0))
    if peak > 0:
        n.add("Generator", f"{link.id}_export_firm", bus=bus, carrier="trade", p_nom=peak, p_min_pu=-firm / peak,
              p_max_pu=-firm / peak, marginal_cost=link.firm_price_usd_per_mwh)


def _static_or_hourly(value: Any, hours: int) -> Any:
    """A scalar as is, an hourly array as a float array of ``hours`` values."""
    return float(value) if np.ndim(value) == 0 else np.broadcast_to(np.asarray(value, dtype=float), (hours,))


def to_pypsa(inputs: DispatchInputs) -> Any:
    """Build the perfect-foresight dispatch problem of ``inputs`` as a ``pypsa.Network``.

    Returns
    -------
    pypsa.Network
        Not optimised; call ``network.optimize(solver_name="highs")``.

    References
    ----------
    Brown, Hörsch and Schlachtberger (2018), "PyPSA: Python for Power System Analysis",
    J. Open Research Software 6(1), doi:10.5334/jors.188.
    """
    import pypsa  # heavy optional dependency (test extra), imported only when exporting

    n = pypsa.Network(name=inputs.name)
    snapshots = inputs.index.tz_localize(None)
    n.set_snapshots(snapshots)
    n.meta = {"timezone": str(inputs.index.tz), "source": "energy_portfolio.dispatch"}
    technologies = list(dict.fromkeys(["battery", *(s.technology for s in inputs.storage)]))
    n.add("Carrier", ["electricity", "gas", "hydro", "wind", "solar", *technologies, "trade", "unserved", "cycles"])
    for zone in inputs.zones:
        n.add("Bus", zone, carrier="electricity")
        n.add("Load", f"{zone}_demand", bus=zone, p_set=inputs.demand_mw[zone].to_numpy(), carrier="electricity")
    if inputs.options.unit_commitment:
        _add_committable(n, inputs)
    else:
        costs = thermal_cost_usd_per_mwh(inputs.thermal_units, inputs.gas, inputs.options.gas_price_basis)
        for unit, cost in zip(inputs.thermal_units, costs, strict=True):
            n.add("Generator", unit.id, bus=unit.zone, carrier="gas", p_nom=unit.capacity_mw,
                  p_max_pu=unit.availability, p_min_pu=0.0, committable=False, marginal_cost=cost)
    budgets = energy_budgets(inputs)
    hydro_budgets = [b for b in budgets if b.kind == "hydro"]
    periods = {b.unit: sum(1 for other in hydro_budgets if other.unit == b.unit) for b in hydro_budgets}
    for budget in hydro_budgets:
        hydro = inputs.hydro[budget.unit]
        inside = budget.mask.astype(float)
        ramp = {}
        if hydro.ramp_mw_per_h is not None and periods[budget.unit] == 1:  # exact within one period
            ramp = {"ramp_limit_up": hydro.ramp_mw_per_h / hydro.capacity_mw,
                    "ramp_limit_down": hydro.ramp_mw_per_h / hydro.capacity_mw}
        n.add(
            "Generator",
            f"{hydro.id}@{budget.period}",
            bus=hydro.zone,
            carrier="hydro",
            p_nom=hydro.capacity_mw,
            p_max_pu=inside,
            p_min_pu=inside * hydro.min_output_mw / hydro.capacity_mw,
            e_sum_max=budget.limit_mwh,
            marginal_cost=0.0,
            **ramp,
        )
    coupled = {b.coupled_plant: b for b in inputs.storage if b.coupled_plant is not None}
    carry_buses, plant_buses = _carry_buses(n, inputs, set(coupled))
    for plant in inputs.renewables:
        bus = plant_buses.get(plant.id, plant.zone)
        if plant.id in coupled:
            bus = _site_bus(plant.id)
            n.add("Bus", bus, carrier="electricity")
            n.add(
                "Link",
                f"{coupled[plant.id].id}_shared_connection",
                bus0=bus,
                bus1=plant.zone,
                p_nom=coupled[plant.id].shared_connection_mw,
                p_min_pu=-1.0,
                efficiency=1.0,
            )
        limit = np.minimum(plant.available_mw, plant.connection_mw)
        n.add(
            "Generator",
            plant.id,
            bus=bus,
            carrier=plant.technology,
            p_nom=plant.connection_mw,
            p_max_pu=limit / plant.connection_mw,
            marginal_cost=0.0,
        )
    for k, battery in enumerate(inputs.storage):
        bus = _site_bus(battery.coupled_plant) if battery.coupled_plant else battery.zone
        store_bus = f"{battery.id}_store"
        n.add("Bus", store_bus, carrier=battery.technology)
        cyclic = battery.initial_soc_fraction is None
        n.add(
            "Store",
            battery.id,
            bus=store_bus,
            carrier=battery.technology,
            e_nom=battery.energy_mwh,
            e_min_pu=battery.soc_min_fraction,
            e_max_pu=battery.soc_max_fraction,
            standing_loss=battery.standing_loss_per_hour,
            e_cyclic=cyclic,
            e_initial=0.0 if cyclic else battery.initial_soc_fraction * battery.energy_mwh,
        )
        n.add(
            "Link",
            f"{battery.id}_charge",
            bus0=bus,
            bus1=store_bus,
            p_nom=battery.charge_power_mw,
            efficiency=battery.charge_efficiency,
        )
        if battery.inflow_mw is not None and float(np.max(battery.inflow_mw, initial=0.0)) > 0:
            peak = float(np.max(battery.inflow_mw))
            n.add("Generator", f"{battery.id}_inflow", bus=store_bus, carrier=battery.technology, p_nom=peak,
                  p_max_pu=np.asarray(battery.inflow_mw, dtype=float) / peak, marginal_cost=0.0)
        discharge: dict[str, Any] = {
            "bus0": store_bus,
            "bus1": bus,
            "p_nom": battery.discharge_power_mw / battery.discharge_efficiency,
            "efficiency": battery.discharge_efficiency,
            "marginal_cost": battery.discharge_cost_usd_per_mwh * battery.discharge_efficiency,
        }
        cycle_budgets = [b for b in budgets if b.kind == "cycles" and b.unit == k]
        if cycle_budgets:
            cycles_bus = f"{battery.id}_cycles"
            n.add("Bus", cycles_bus, carrier="cycles")
            discharge.update(bus2=cycles_bus, efficiency2=-battery.discharge_efficiency)
            for budget in cycle_budgets:
                n.add(
                    "Generator",
                    f"{battery.id}_cycles@{budget.period}",
                    bus=cycles_bus,
                    carrier="cycles",
                    p_nom=battery.discharge_power_mw,
                    p_max_pu=budget.mask.astype(float),
                    e_sum_max=budget.limit_mwh,
                )
        n.add("Link", f"{battery.id}_discharge", **discharge)
    for link in inputs.interconnectors:
        _add_trade(n, inputs, link, carry_buses.get(link.id, link.zone))
    for line in inputs.lines:
        n.add("Link", line.id, bus0=line.from_zone, bus1=line.to_zone, p_nom=line.capacity_mw, p_min_pu=-1.0)
    for load in inputs.flexible_loads:
        _add_flexible_load(n, load)
    if inputs.allow_unserved:
        for zone in inputs.zones:
            demand = inputs.demand_mw[zone].to_numpy(dtype=float)
            peak = float(demand.max(initial=0.0))
            if peak > 0:
                n.add(
                    "Generator",
                    f"{zone}_unserved",
                    bus=zone,
                    carrier="unserved",
                    p_nom=peak,
                    p_max_pu=demand / peak,
                    marginal_cost=inputs.value_of_lost_load_usd_per_mwh,
                )
    return n


def _add_flexible_load(n: Any, load: FlexibleLoad) -> None:
    """A flexible load as a charging Link, a Store of the energy drawn in the period and a departure Load."""
    bus = f"{load.id}_depot"
    if load.technology not in n.carriers.index:
        n.add("Carrier", load.technology)
    n.add("Bus", bus, carrier=load.technology)
    p_nom = float(load.max_mw.max(initial=0.0)) or 1.0
    e_nom = float(load.period_mwh.max(initial=0.0)) or 1.0
    n.add("Link", f"{load.id}_charge", bus0=load.zone, bus1=bus, p_nom=p_nom, p_max_pu=load.max_mw / p_nom,
          carrier=load.technology)
    n.add("Store", load.id, bus=bus, carrier=load.technology, e_nom=e_nom, e_initial=0.0, e_cyclic=False,
          e_min_pu=load.floor_mwh / e_nom, e_max_pu=load.period_mwh / e_nom)
    ended = np.zeros_like(load.period_mwh)
    ended[1:] = np.where(~load.continues[1:] & (load.period_mwh[:-1] > 0), load.period_mwh[:-1], 0.0)
    n.add("Load", f"{load.id}_departure", bus=bus, p_set=ended, carrier=load.technology)


def pypsa_totals(network: Any, inputs: DispatchInputs) -> dict[str, float]:
    """Totals of an optimised network from :func:`to_pypsa`, in the units of the dispatch summary.

    Returns
    -------
    dict
        ``objective_usd``, ``gas_burn_mcm``, ``curtailment_mwh``, ``charge_mwh``, ``discharge_mwh``,
        ``export_mwh``.
    """
    p = network.generators_t.p
    if inputs.options.unit_commitment:  # units <id>#<k>: fuel = no-load x online + rate x output + starts
        status = network.generators_t.status
        fuel_gj = 0.0
        for u in inputs.thermal_units:
            names = [f"{u.id}#{k}" for k in range(u.unit_count)]
            online = status[names].to_numpy()
            starts = np.maximum(np.diff(online, axis=0), 0.0).sum()
            fuel_gj += (u.no_load_gj_per_h * u.availability * online.sum() + u.heat_rates[0] * p[names].to_numpy().sum()
                        + u.start_fuel_gj * starts)
    else:
        fuel_gj = sum(float(p[u.id].sum()) * u.heat_rate_gj_per_mwh for u in inputs.thermal_units)
    available = sum(float(r.available_mw.sum()) for r in inputs.renewables)
    delivered = sum(float(p[r.id].sum()) for r in inputs.renewables)
    links = network.links_t
    charge = sum(float(links.p0[f"{b.id}_charge"].sum()) for b in inputs.storage)
    discharge = sum(float(-links.p1[f"{b.id}_discharge"].sum()) for b in inputs.storage)
    exports = [f"{i.id}_export" for i in inputs.interconnectors if i.export_capacity_mw > 0]
    exports += [f"{i.id}_export_firm" for i in inputs.interconnectors if f"{i.id}_export_firm" in p.columns]
    return {
        "objective_usd": float(network.objective),
        "gas_burn_mcm": float(gas_mcm_from_gj(fuel_gj, inputs.gas.lower_heating_value_mj_per_m3)),
        "curtailment_mwh": available - delivered,
        "charge_mwh": charge,
        "discharge_mwh": discharge,
        "export_mwh": float(-p[exports].to_numpy().sum()) if exports else 0.0,
    }
