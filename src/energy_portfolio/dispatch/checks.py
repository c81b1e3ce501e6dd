"""Checks run after every solve, recomputed from the result frames, not from the LP matrices.

Each check raises :class:`~energy_portfolio.errors.DispatchError` naming the zone, unit and hour
and the size of the violation. Tolerances are relative to the size of the quantities (HiGHS'
default primal feasibility tolerance is 1e-7 on scaled rows; these checks allow 1e-6 of the
largest value of the kind, and never less than 1e-6 MW or MWh).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DispatchError
from .inputs import DispatchInputs
from .lp import energy_budgets, thermal_cost_usd_per_mwh, thermal_max_mw
from .result import DispatchResult
from .system import thermal_unit_size_mw

__all__ = [
    "RELATIVE_TOLERANCE",
    "check_result",
    "balance_residual_mw",
    "soc_residual_mwh",
    "flexible_period_residual_mwh",
    "recompute_objective_usd",
    "describe_shortage",
    "check_commitment",
]

RELATIVE_TOLERANCE = 1e-6


def _tolerance(scale: float) -> float:
    return RELATIVE_TOLERANCE * max(1.0, float(scale))


def balance_residual_mw(inputs: DispatchInputs, result: DispatchResult) -> pd.DataFrame:
    """Supply minus demand per zone and hour [MW] (zero when the balance holds)."""
    residual = -result.demand_mw.copy()
    zone_of = {u.id: u.zone for u in inputs.thermal_units}
    zone_of.update({h.id: h.zone for h in inputs.hydro})
    zone_of.update({p.id: p.zone for p in inputs.renewables})
    for frame in (result.thermal_mw, result.hydro_mw, result.renewable_mw):
        for unit in frame.columns:
            residual[zone_of[unit]] += frame[unit]
    for battery in inputs.storage:
        residual[battery.zone] += result.discharge_mw[battery.id] - result.charge_mw[battery.id]
    for link in inputs.interconnectors:
        residual[link.zone] += result.import_mw[link.id] - result.export_mw[link.id]
    for line in inputs.lines:
        residual[line.to_zone] += result.line_flow_mw[line.id]
        residual[line.from_zone] -= result.line_flow_mw[line.id]
    for load in inputs.flexible_loads:
        residual[load.zone] -= result.flexible_load_mw[load.id]
    residual += result.unserved_mw
    return residual


def flexible_period_residual_mwh(inputs: DispatchInputs, result: DispatchResult) -> pd.DataFrame:
    """Energy drawn in each period (night) of every flexible load minus the period's energy [MWh],
    one row per period, indexed by its first hour; recomputed from the hourly draw."""
    rows = []
    for load in inputs.flexible_loads:
        in_period = load.period_mwh > 0
        period = np.cumsum(load.period_start | ~in_period)
        drawn = result.flexible_load_mw[load.id].to_numpy()
        for number in np.unique(period[in_period]):
            hours = np.flatnonzero((period == number) & in_period)
            rows.append((load.id, result.index[hours[0]], float(drawn[hours].sum() - load.period_mwh[hours[0]])))
    return pd.DataFrame(rows, columns=["load", "period_start", "residual_mwh"])


def _check_flexible_loads(inputs: DispatchInputs, result: DispatchResult) -> None:
    """Each flexible load draws within 0..max_mw every hour and exactly its energy in every period."""
    for load in inputs.flexible_loads:
        scale = float(load.max_mw.max(initial=1.0))
        _check_bounds(result.flexible_load_mw[[load.id]], 0.0, load.max_mw.reshape(-1, 1), "flexible load draw", scale)
    residual = flexible_period_residual_mwh(inputs, result)
    for row in residual.itertuples():
        load = next(f for f in inputs.flexible_loads if f.id == row.load)
        if abs(row.residual_mwh) > _tolerance(float(load.period_mwh.max(initial=1.0))):
            raise DispatchError(
                f"check failed: flexible load {row.load} drew {row.residual_mwh:+g} MWh against its energy in the "
                f"period from {row.period_start.isoformat()}; expected exactly the period's energy"
            )


def soc_residual_mwh(inputs: DispatchInputs, result: DispatchResult) -> pd.DataFrame:
    """``soc[t] - (1 - loss) soc[t-1] - eta_c charge[t] + discharge[t] / eta_d - inflow[t] + spill[t]``
    per store and hour [MWh]."""
    out = {}
    for battery in inputs.storage:
        soc = result.soc_mwh[battery.id].to_numpy()
        previous = np.concatenate([[result.soc_initial_mwh[battery.id]], soc[:-1]])
        out[battery.id] = (
            soc
            - (1.0 - battery.standing_loss_per_hour) * previous
            - battery.charge_efficiency * result.charge_mw[battery.id].to_numpy()
            + result.discharge_mw[battery.id].to_numpy() / battery.discharge_efficiency
        )
        if battery.inflow_mw is not None:
            out[battery.id] += result.spill_mw[battery.id].to_numpy() - battery.inflow_mw
    return pd.DataFrame(out, index=result.index)


def recompute_objective_usd(inputs: DispatchInputs, result: DispatchResult) -> float:
    """Total cost from the result frames and the input prices [USD]."""
    options = inputs.options
    costs = thermal_cost_usd_per_mwh(inputs.thermal_units, inputs.gas, options.gas_price_basis, options.unit_commitment)
    total = float(result.thermal_mw.to_numpy().sum(axis=0) @ costs) if inputs.thermal_units else 0.0
    if options.unit_commitment and inputs.thermal_units:
        fuel = result.fuel_table()["total_gj"].sum()
        total += inputs.gas.price_usd_per_gj(options.gas_price_basis) * float(fuel)
        total += sum(u.start_wear_usd * float(result.starts[u.id].sum()) for u in inputs.thermal_units)
    for battery in inputs.storage:
        total += battery.discharge_cost_usd_per_mwh * float(result.discharge_mw[battery.id].sum())
    hours = inputs.hours
    for link in inputs.interconnectors:
        firm = link.hourly("firm_export_mw", hours)
        total += float(result.import_mw[link.id].to_numpy() @ link.hourly("import_price_usd_per_mwh", hours))
        total -= float((result.export_mw[link.id].to_numpy() - firm) @ link.hourly("export_price_usd_per_mwh", hours))
        total -= link.firm_price_usd_per_mwh * float(firm.sum())
    total += inputs.value_of_lost_load_usd_per_mwh * float(result.unserved_mw.to_numpy().sum())
    for product in inputs.reserves:
        for direction in product.directions:
            held = result.reserve_mw[f"{product.id}:{direction}"].sum()
            total += sum(product.holding_cost(kind) * float(mw) for (kind, _), mw in held.items())
    return total


def check_commitment(inputs: DispatchInputs, result: DispatchResult) -> None:
    """Units online within 0..count, output within the online limits, ``online[t] - online[t-1] =
    starts - shutdowns`` (after hour 0), minimum up and down times and ramps, per group and hour.

    Raises
    ------
    DispatchError
        Naming the check, the plant, the hour and the values.
    """
    for unit in inputs.thermal_units:
        online = result.online_units[unit.id].to_numpy()
        starts, stops = result.starts[unit.id].to_numpy(), result.shutdowns[unit.id].to_numpy()
        p = result.thermal_mw[unit.id].to_numpy()
        tol = _tolerance(unit.unit_count * unit.unit_max_mw)
        tests = {
            "units online within 0..unit_count": (online < -1e-6) | (online > unit.unit_count + 1e-6),
            "output within the online units' limits": (p > unit.unit_max_mw * online + tol)
            | (p < unit.unit_min_mw * online - tol),
            "online transition": np.abs(np.diff(online, prepend=online[0]) - (starts - stops)) > 1e-6,
        }
        tests["online transition"][0] = False
        if unit.min_up_h >= 2:
            window = np.convolve(starts, np.ones(unit.min_up_h))[: len(starts)]
            tests["minimum up time"] = window > online + 1e-6
        if unit.min_down_h >= 2:
            window = np.convolve(stops, np.ones(unit.min_down_h))[: len(stops)]
            tests["minimum down time"] = window > unit.unit_count - online + 1e-6
        for direction, sign in (("up", 1.0), ("down", -1.0)):
            rate = unit.ramp_per_h_mw(direction)
            if rate >= unit.unit_max_mw - 1e-9:
                continue
            allowance = min(max(unit.unit_min_mw, rate), unit.unit_max_mw)
            change = sign * np.diff(p, prepend=p[0])
            if sign > 0:
                limit = rate * (online - starts) + allowance * starts - unit.unit_min_mw * stops
            else:
                limit = rate * (online - starts) - unit.unit_min_mw * starts + allowance * stops
            tests[f"ramp {direction}"] = np.concatenate([[False], (change > limit + tol)[1:]])  # no output before
        for what, bad in tests.items():
            if bad.any():
                t = int(np.argmax(bad))
                raise DispatchError(
                    f"check failed: {what} of {unit.id} at {result.index[t].isoformat()}: online {online[t]:g}, "
                    f"starts {starts[t]:g}, shutdowns {stops[t]:g}, output {p[t]:g} MW"
                )


def _first(frame: pd.DataFrame, bad: np.ndarray) -> tuple[str, pd.Timestamp]:
    t, k = np.argwhere(bad)[0]
    return str(frame.columns[k]), frame.index[t]


def _check_bounds(frame: pd.DataFrame, lower, upper, what: str, scale: float) -> None:
    tol = _tolerance(scale)
    values = frame.to_numpy()
    bad = (values < np.asarray(lower) - tol) | (values > np.asarray(upper) + tol)
    if bad.any():
        unit, hour = _first(frame, bad)
        raise DispatchError(
            f"check failed: {what} of {unit} at {hour.isoformat()} = {frame.at[hour, unit]:g} is out of bounds"
        )


def check_result(inputs: DispatchInputs, result: DispatchResult) -> None:
    """Verify balance, state of charge, bounds, budgets, no simultaneous charge and discharge, and the objective.

    Raises
    ------
    DispatchError
        Naming the check, the unit or zone, the hour and the violation.
    """
    demand_scale = float(inputs.demand_mw.to_numpy().max(initial=1.0))
    residual = balance_residual_mw(inputs, result)
    bad = np.abs(residual.to_numpy()) > _tolerance(demand_scale)
    if bad.any():
        zone, hour = _first(residual, bad)
        raise DispatchError(
            f"check failed: energy balance of zone {zone} at {hour.isoformat()} is off by "
            f"{residual.at[hour, zone]:g} MW"
        )
    if inputs.storage:
        _check_storage(inputs, result)
    if inputs.thermal_units:
        thermal_max = thermal_max_mw(inputs.thermal_units)
        if inputs.options.unit_commitment:
            thermal_max = np.array([u.unit_count * u.unit_max_mw for u in inputs.thermal_units])
            check_commitment(inputs, result)
        _check_bounds(result.thermal_mw, 0.0, thermal_max, "thermal output", thermal_max.max())
    if inputs.renewables:
        limit = np.minimum(result.available_mw.to_numpy(), [p.connection_mw for p in inputs.renewables])
        _check_bounds(result.renewable_mw, 0.0, limit, "renewable output", float(limit.max(initial=1.0)))
    _check_hydro_ramps(inputs, result)
    _check_trade(inputs, result)
    for budget in energy_budgets(inputs):
        frame = result.hydro_mw if budget.kind == "hydro" else result.discharge_mw
        used = float(frame.iloc[:, budget.unit].to_numpy()[budget.mask].sum())
        if used > budget.limit_mwh + _tolerance(budget.limit_mwh):
            raise DispatchError(
                f"check failed: {budget.kind} budget of {frame.columns[budget.unit]} in {budget.period}: used "
                f"{used:g} MWh of {budget.limit_mwh:g} MWh"
            )
    if inputs.reserves:
        _check_reserves(inputs, result)
    if inputs.flexible_loads:
        _check_flexible_loads(inputs, result)
    recomputed = recompute_objective_usd(inputs, result)
    if abs(recomputed - result.objective_usd) > 1e-7 * max(1.0, abs(result.objective_usd)) + 1e-3:
        raise DispatchError(
            f"check failed: objective recomputed from the results {recomputed:.6f} USD differs from the solver's "
            f"{result.objective_usd:.6f} USD"
        )


def _check_trade(inputs: DispatchInputs, result: DispatchResult) -> None:
    """Each link's export within its capacity and at least its firm band, and, for a link that carries
    only renewables or named sites, its exports (with those of restricted links whose plants are
    within its own) at most the output its plants dispatched, every hour."""
    hours, plants = inputs.hours, inputs.renewables
    for link in inputs.interconnectors:
        export = result.export_mw[link.id].to_numpy()
        firm = link.hourly("firm_export_mw", hours)
        tol = _tolerance(link.export_capacity_mw)
        _fail_if((export > link.export_capacity_mw + tol) | (export < firm - tol), result,
                 f"export within the firm band {firm.max(initial=0.0):g} MW .. capacity {link.export_capacity_mw:g} MW",
                 f"interconnector {link.id}")
        if link.carries == "any":
            continue
        own = set(link.eligible(plants))
        carried = sum((result.export_mw[other.id].to_numpy() for other in inputs.interconnectors
                       if other.carries != "any" and set(other.eligible(plants)) <= own), np.zeros(hours))
        output = result.renewable_mw.iloc[:, sorted(own)].to_numpy().sum(axis=1) if own else np.zeros(hours)
        bad = carried > output + tol
        if bad.any():
            t = int(np.argmax(bad))
            raise DispatchError(
                f"check failed: interconnector {link.id} (carries {link.carries}) exports {carried[t]:g} MW at "
                f"{result.index[t].isoformat()}, above the {output[t]:g} MW its plants dispatched"
            )


def _check_hydro_ramps(inputs: DispatchInputs, result: DispatchResult) -> None:
    """No hydro plant changes its output between consecutive hours by more than its ramp limit."""
    for plant in inputs.hydro:
        if plant.ramp_mw_per_h is None:
            continue
        step = np.abs(np.diff(result.hydro_mw[plant.id].to_numpy()))
        bad = step > plant.ramp_mw_per_h + _tolerance(plant.capacity_mw)
        if bad.any():
            i = int(bad.argmax()) + 1
            raise DispatchError(
                f"check failed: hydro {plant.id} ramps by {step[i - 1]:g} MW at "
                f"{result.hydro_mw.index[i].isoformat()}; expected at most ramp_mw_per_h = {plant.ramp_mw_per_h:g} MW"
            )


def _check_storage(inputs: DispatchInputs, result: DispatchResult) -> None:
    """State-of-charge identity, bounds, and no simultaneous charge and discharge of every store."""
    label = {s.id: f"{s.technology} {s.id}" for s in inputs.storage}
    energy = max(b.energy_mwh for b in inputs.storage)
    soc_residual = soc_residual_mwh(inputs, result)
    bad = np.abs(soc_residual.to_numpy()) > _tolerance(energy)
    if bad.any():
        store, hour = _first(soc_residual, bad)
        raise DispatchError(
            f"check failed: state-of-charge identity of {label[store]} at {hour.isoformat()} is off by "
            f"{soc_residual.at[hour, store]:g} MWh"
        )
    lo = [b.soc_min_fraction * b.energy_mwh for b in inputs.storage]
    hi = [b.soc_max_fraction * b.energy_mwh for b in inputs.storage]
    _check_bounds(result.soc_mwh, lo, hi, "state of charge", energy)
    charge = [b.charge_power_mw for b in inputs.storage]
    discharge = [b.discharge_power_mw for b in inputs.storage]
    power = max(charge + discharge)
    _check_bounds(result.charge_mw, 0.0, charge, "charge", power)
    _check_bounds(result.discharge_mw, 0.0, discharge, "discharge", power)
    for store in inputs.storage:
        if store.min_release_mw > 0:
            release = result.discharge_mw[store.id] / store.discharge_efficiency + result.spill_mw[store.id]
            short = store.min_release_mw - release.to_numpy()
            bad = short > _tolerance(power)
            if bad.any():
                raise DispatchError(
                    f"check failed: {label[store.id]} releases {release.iloc[int(bad.argmax())]:g} MW at "
                    f"{release.index[int(bad.argmax())].isoformat()}; expected at least min_release_mw = "
                    f"{store.min_release_mw:g} MW"
                )
    # A store with a minimum release may turbine that release while it pumps (one unit generating,
    # another pumping); anything more at once would only waste energy.
    allowed = np.array([s.min_release_mw * s.discharge_efficiency for s in inputs.storage])
    both = np.minimum(result.charge_mw.to_numpy(), result.discharge_mw.to_numpy())
    bad = both > allowed + _tolerance(power)
    if bad.any():
        store, hour = _first(result.charge_mw, bad)
        raise DispatchError(
            f"check failed: {label[store]} charges and discharges at once at {hour.isoformat()} "
            f"({result.charge_mw.at[hour, store]:g} and {result.discharge_mw.at[hour, store]:g} MW)"
        )


def _by_provider(inputs: DispatchInputs, result: DispatchResult, direction: str) -> pd.DataFrame:
    """Sum over the products of a direction of each provider's provision [MW], columns (kind, provider)."""
    frames = [result.reserve_mw[f"{p.id}:{direction}"] for p in inputs.reserves if direction in p.directions]
    if not frames:
        return pd.DataFrame(index=result.index)
    return pd.concat(frames, axis=1).T.groupby(level=["kind", "provider"]).sum().T


def _fail_if(bad: np.ndarray, result: DispatchResult, what: str, unit: str) -> None:
    if np.any(bad):
        hour = result.index[int(np.argmax(bad))]
        raise DispatchError(f"check failed: {what} of {unit} at {hour.isoformat()}")


def _check_reserves(inputs: DispatchInputs, result: DispatchResult) -> None:
    """Provision >= requirement per product and hour; provider headroom and storage sustain energy."""
    for key, provided in result.reserve_mw.items():
        requirement = result.reserve_requirement_mw[key].to_numpy()
        total = provided.to_numpy().sum(axis=1)
        short = total < requirement - _tolerance(requirement.max(initial=1.0))
        if short.any():
            t = int(np.argmax(short))
            raise DispatchError(f"check failed: reserve {key} at {result.index[t].isoformat()}: provided "
                                f"{total[t]:g} MW of the {requirement[t]:g} MW required")
    up, down = _by_provider(inputs, result, "up"), _by_provider(inputs, result, "down")

    def held(frame: pd.DataFrame, kind: str, unit_id: str) -> np.ndarray:
        return frame[(kind, unit_id)].to_numpy() if (kind, unit_id) in frame.columns else np.zeros(inputs.hours)

    limits = []  # (kind, id, output [MW], max [MW], min [MW])
    for unit in inputs.thermal_units:
        limits.append(("thermal", unit.id, result.thermal_mw[unit.id].to_numpy(), unit.max_mw, 0.0))
    for plant in inputs.hydro:
        limits.append(("hydro", plant.id, result.hydro_mw[plant.id].to_numpy(), plant.capacity_mw, plant.min_output_mw))
    for store in inputs.storage:
        net = result.discharge_mw[store.id].to_numpy() - result.charge_mw[store.id].to_numpy()
        limits.append(("storage", store.id, net, store.discharge_power_mw, -store.charge_power_mw))
    for plant in inputs.renewables:  # downward only, within what the plant dispatches
        limits.append(("renewable", plant.id, result.renewable_mw[plant.id].to_numpy(), float("inf"), 0.0))
    for link in inputs.interconnectors:
        limits.append(("interconnector", link.id, result.import_mw[link.id].to_numpy(), link.import_capacity_mw,
                       -float("inf")))
        limits.append(("interconnector", link.id, -result.export_mw[link.id].to_numpy(), float("inf"),
                       -link.export_capacity_mw))
    products = {d: ", ".join(p.id for p in inputs.reserves if d in p.directions) for d in ("up", "down")}
    for kind, unit_id, output, high, low in limits:
        tol = _tolerance(max(abs(x) for x in (high, low) if np.isfinite(x)))
        _fail_if(output + held(up, kind, unit_id) > high + tol, result,
                 f"reserve headroom (output + up <= max) for products {products['up']}", f"{kind} {unit_id}")
        _fail_if(output - held(down, kind, unit_id) < low - tol, result,
                 f"reserve footroom (output - down >= min) for products {products['down']}", f"{kind} {unit_id}")
    _check_sustain(inputs, result)


def _check_sustain(inputs: DispatchInputs, result: DispatchResult) -> None:
    """Energy at the start and end of each hour for every store's up and down provisions over their sustain times."""
    for store in inputs.storage:
        soc = result.soc_mwh[store.id].to_numpy()
        start = np.concatenate([[result.soc_initial_mwh[store.id]], soc[:-1]])
        need = {"up": np.zeros(inputs.hours), "down": np.zeros(inputs.hours)}
        for product in inputs.reserves:
            for direction in product.directions:
                frame = result.reserve_mw[f"{product.id}:{direction}"]
                need[direction] += frame[("storage", store.id)].to_numpy() * product.sustain_h
        tol = _tolerance(store.energy_mwh)
        low, high = np.minimum(start, soc), np.maximum(start, soc)  # the hour's start and end
        _fail_if(low - need["up"] / store.discharge_efficiency < store.soc_min_fraction * store.energy_mwh - tol,
                 result, "reserve sustain energy (soc - up x sustain / eta_d >= soc_min)", f"{store.technology} "
                 f"{store.id}")
        _fail_if(high + need["down"] * store.charge_efficiency > store.soc_max_fraction * store.energy_mwh + tol,
                 result, "reserve sustain energy (soc + down x sustain x eta_c <= soc_max)",
                 f"{store.technology} {store.id}")


def _hours_text(index: pd.DatetimeIndex, bad: np.ndarray) -> str:
    hours = index[bad]
    more = f" and {len(hours) - 5} more" if len(hours) > 5 else ""
    return f"{len(hours)} hour(s): {', '.join(h.isoformat() for h in hours[:5])}{more}"


def _reserve_shortage(inputs: DispatchInputs, most: dict[str, np.ndarray]) -> list[str]:
    """Reserve products whose static requirement exceeds what every provider could hold, or whose up
    requirement and the demand together exceed every possible supply."""
    parts = []
    supply = np.sum([most[z] for z in inputs.zones], axis=0)
    demand = inputs.demand_mw.to_numpy(dtype=float).sum(axis=1)
    for product in inputs.reserves:
        requirement = inputs.reserve_requirement_mw(product)
        if product.largest_infeed:
            requirement = np.maximum(requirement, max(map(thermal_unit_size_mw, inputs.thermal_units), default=0.0))
        for direction in product.directions:
            up = direction == "up"
            capacity = sum(thermal_max_mw(inputs.thermal_units)) + sum(
                h.capacity_mw - h.min_output_mw for h in inputs.hydro) + sum(
                s.charge_power_mw + s.discharge_power_mw for s in inputs.storage)
            if product.interconnectors_may_provide:
                capacity += sum(i.import_capacity_mw if up else i.export_capacity_mw for i in inputs.interconnectors)
            for text, bad in ((f"needs more than all providers can hold ({capacity:g} MW)", requirement > capacity),
                              ("with the demand exceeds every possible supply", up & (demand + requirement > supply))):
                if np.any(bad):
                    parts.append(f"reserve {product.id}:{direction} {text} in {_hours_text(inputs.index, bad)}")
    return parts


def describe_shortage(inputs: DispatchInputs) -> str:
    """Zones and hours whose demand exceeds every possible supply, or whose must-run output exceeds every use.

    Used to explain an infeasible solve. Supply counts thermal and hydro capacity, renewables,
    battery power, imports and the capacity of every line into the zone. Reserve products are
    named with the hours where their requirement exceeds every provider's capacity, or where the
    up requirement with the demand exceeds the system's supply.
    """
    zones = list(inputs.zones)
    n = inputs.hours
    most = {z: np.zeros(n) for z in zones}
    least = {z: np.zeros(n) for z in zones}
    take = {z: inputs.demand_mw[z].to_numpy(dtype=float).copy() for z in zones}
    for unit, cap in zip(inputs.thermal_units, thermal_max_mw(inputs.thermal_units), strict=True):
        most[unit.zone] += cap
    for hydro in inputs.hydro:
        most[hydro.zone] += hydro.capacity_mw
        least[hydro.zone] += hydro.min_output_mw
    for plant in inputs.renewables:
        most[plant.zone] += np.minimum(plant.available_mw, plant.connection_mw)
    for store in inputs.storage:
        most[store.zone] += store.discharge_power_mw
        take[store.zone] += store.charge_power_mw
    for link in inputs.interconnectors:
        most[link.zone] += link.import_capacity_mw
        take[link.zone] += link.export_capacity_mw
    for line in inputs.lines:
        for zone in (line.from_zone, line.to_zone):
            most[zone] += line.capacity_mw
            take[zone] += line.capacity_mw
    parts = []
    for zone in zones:
        demand = inputs.demand_mw[zone].to_numpy(dtype=float)
        for name, bad in (
            ("is short of supply", demand > most[zone] + 1e-9),
            ("has must-run output (hydro minimum) above every use", least[zone] > take[zone] + 1e-9),
        ):
            if bad.any():
                hours = inputs.index[bad]
                shown = ", ".join(h.isoformat() for h in hours[:5])
                more = f" and {len(hours) - 5} more" if len(hours) > 5 else ""
                parts.append(f"zone {zone} {name} in {len(hours)} hour(s): {shown}{more}")
    parts += _reserve_shortage(inputs, most)
    if not parts:
        return (
            "no single hour is short of capacity; look at the energy budgets (hydro, battery cycles) "
            "and fixed states of charge"
        )
    return "; ".join(parts)
