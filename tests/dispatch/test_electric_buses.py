"""Electric-bus depot charging: the fleet and energy closed forms, the unmanaged profile and the
managed flexible load against hand-solved optima, in the LP, with unit commitment and on a rolling horizon."""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import pandas as pd
import pytest

from energy_portfolio.config.grid import ElectricBuses
from energy_portfolio.dispatch import solve as solve_dispatch
from energy_portfolio.dispatch.checks import flexible_period_residual_mwh
from energy_portfolio.dispatch.electric_buses import (
    charger_mw,
    electric_bus_load,
    fleet_size,
    night_energy_mwh,
    unmanaged_draw_mw,
)
from energy_portfolio.dispatch.solve import INTERFACES
from energy_portfolio.dispatch.system import flexible_load
from energy_portfolio.timeseries import hourly_year

from . import small

REL = 1e-6  # HiGHS' default 1e-7 tolerances on values of order 1e1..1e4 (as test_cases.py)

FLEET = {
    "fleet_base_year": 2024,
    "fleet_in_base_year": 160,
    "buses_added_per_year": 200,
    "km_per_bus_per_day": 200,
    "kwh_per_km": 1.2,
    "depot_arrival_hour": 23,
    "depot_departure_hour": 6,
    "charger_kw_per_bus": 80,
    "charging_efficiency": 0.92,
    "network_loss_fraction": 0.113,
    "charging": "unmanaged",
}


@pytest.fixture(params=INTERFACES)
def solve(request):
    return functools.partial(solve_dispatch, interface=request.param)


def test_fleet_and_night_energy_closed_forms():
    """N(y) = 160 + 200 (y - 2024): 1,760 buses in 2032. A night: 1,760 x 200 km x 1.2 kWh/km / 0.92
    / (1 - 0.113) MWh; the chargers 1,760 x 80 kW / (1 - 0.113). Exact arithmetic, so 1e-12."""
    spec = ElectricBuses.model_validate(FLEET)
    assert fleet_size(spec, 2032) == 1760 and fleet_size(spec, 2024) == 160 and fleet_size(spec, 2020) == 0
    assert night_energy_mwh(spec, 2032) == pytest.approx(1760 * 200 * 1.2 / 0.92 / 0.887 / 1000, rel=1e-12)
    assert charger_mw(spec, 2032) == pytest.approx(1760 * 80 / 0.887 / 1000, rel=1e-12)


def test_a_charger_too_small_for_the_night_is_refused():
    with pytest.raises(ValueError, match="needs 261 kWh from the grid a night but its charger gives at most 210"):
        ElectricBuses.model_validate(FLEET | {"charger_kw_per_bus": 30})


def test_unmanaged_profile_draws_each_night_exactly_its_energy():
    """Full power from arrival (23:00) until the night's energy is in: E / P = 3.26 h, so 23, 0 and 1
    at P and 0.26 P at 02:00. The leap year 2032 has 365 whole nights (arrivals 1 Jan to 30 Dec)
    and two cut by its ends: the first keeps its hours after midnight at the 2031 fleet, the last
    (arrival 31 Dec 23:00) its one hour before midnight."""
    spec = ElectricBuses.model_validate(FLEET)
    index = hourly_year(2032, "Asia/Baku")
    load = electric_bus_load(spec, "buses", "a", index)
    energy, power = night_energy_mwh(spec, 2032), charger_mw(spec, 2032)
    night = load.max_mw[23:23 + 7]  # 2032-01-01 23:00 to 05:00
    assert night[:3] == pytest.approx([power] * 3, rel=1e-12)
    assert night[3] == pytest.approx(energy - 3 * power, rel=1e-12)
    assert night[4:] == pytest.approx([0, 0, 0], abs=1e-12)
    first = unmanaged_draw_mw(night_energy_mwh(spec, 2031), charger_mw(spec, 2031), np.arange(1, 7)).sum()
    last = min(energy, power)
    assert load.max_mw.sum() == pytest.approx(first + 365 * energy + last, rel=1e-12)
    # every whole night's hours sum to its energy, and the floor fixes the draw to the profile
    assert load.floor_mwh[23:30] == pytest.approx(np.cumsum(night), rel=1e-12)
    starts = np.flatnonzero(load.period_start)
    assert all(load.max_mw[s:s + 7].sum() == pytest.approx(energy, rel=1e-12) for s in starts[1:-1])


def test_managed_charging_picks_the_cheap_hours_at_the_charger_limit(solve):
    # One night of three hours, 60 MWh to draw, at most 25 MW an hour. The cheap unit (20 USD/MWh,
    # 100 MW) has 50, 10 and 40 MW to spare over demand 50, 90, 60; the peaker costs 50.
    # Managed: 25 MW in hour 0 and 25 in hour 2 (the charger limit binds) and the last 10 MWh in
    # hour 1, all from the cheap unit: cost 20 x (200 + 60) = 5,200 USD.
    # Unmanaged (25, 25, 10 from arrival): hour 1 needs 115 MW, 15 from the peaker:
    # 20 x 245 + 50 x 15 = 5,650 USD.
    spec = small.grid(["a"], [small.thermal("cheap", "a", 20, 100), small.thermal("peak", "a", 50, 100)])
    base = small.inputs(spec, {"a": [50, 90, 60]})
    start = np.array([True, False, False])
    managed = flexible_load("buses", "a", "electric_bus", np.full(3, 25.0), start, np.full(3, 60.0))
    fixed = flexible_load("buses", "a", "electric_bus", np.array([25.0, 25.0, 10.0]), start, np.full(3, 60.0))
    result = solve(dataclasses.replace(base, flexible_loads=(managed,)))
    assert result.flexible_load_mw["buses"].to_numpy() == pytest.approx([25, 10, 25], rel=REL)
    assert result.objective_usd == pytest.approx(5200, rel=REL)
    assert result.summary()["electric_bus_mwh"] == pytest.approx(60, rel=REL)
    assert result.summary()["electric_bus_share"] == pytest.approx(60 / 260, rel=REL)
    unmanaged = solve(dataclasses.replace(base, flexible_loads=(fixed,)))
    assert unmanaged.flexible_load_mw["buses"].to_numpy() == pytest.approx([25, 25, 10], rel=REL)
    assert unmanaged.objective_usd == pytest.approx(5650, rel=REL)


def _two_nights(**options):
    """70 hours from midnight; nights from 22:00 to 04:00 (6 h), 100 MWh each, at most 40 MW an hour;
    the first night is cut by the study start (00:00-03:00 only) and keeps 60 MWh. Demand is 50 MW
    except 100 MW at 22:00 and 23:00, when the cheap unit (20 USD/MWh, 2 x 50 MW) is full and
    charging would need the peaker (50 USD/MWh). Optimum: nothing at 22-23, the night's 100 MWh
    in 00:00-03:00 (50 MW spare, 40 MW charger) from the cheap unit: 20 USD/MWh for all energy."""
    spec = small.grid(["a"], [small.thermal("cheap", "a", 20, 100, unit_count=2, unit_size_mw=50),
                              small.thermal("peak", "a", 50, 100)])
    hours = 70
    hour = np.arange(hours) % 24
    demand = np.where((hour == 22) | (hour == 23), 100.0, 50.0)
    base = small.inputs(spec, {"a": demand}, **options)
    in_depot = (hour >= 22) | (hour < 4)
    start = in_depot & (hour == 22)
    start[0] = True
    period = np.where(in_depot, 100.0, 0.0)
    period[:4] = 60.0
    load = flexible_load("buses", "a", "electric_bus", np.where(in_depot, 40.0, 0.0), start, period)
    return dataclasses.replace(base, flexible_loads=(load,)), demand


@pytest.mark.parametrize("options", [
    {"mode": "perfect_foresight"},
    {"mode": "rolling_horizon", "window_h": 24, "step_h": 23},
    {"mode": "rolling_horizon", "window_h": 26, "step_h": 26},
    {"mode": "rolling_horizon", "window_h": 12, "step_h": 11, "operations": "unit_commitment"},
], ids=["lp", "rolling-step-inside-night", "rolling-window-ends-inside-night", "rolling-unit-commitment"])
def test_each_night_draws_its_energy_whatever_the_windows(options):
    """Windows that keep 23, 26 or 11 hours end inside nights, so a night's energy is split between
    windows: the energy carried into the next window and the floor at a window's end must still
    give each night exactly its energy at the hand-solved optimum of perfect foresight (the cheap
    unit only: 20 USD/MWh x (demand + 60 + 100 + 100) MWh). With windows of 26 h the first window
    ends at 02:00 with two of the night's hours left (80 MWh at most): without the floor it would
    leave all 100 MWh to them and the next window would be infeasible."""
    problem, demand = _two_nights(**options)
    result = solve_dispatch(problem)
    residual = flexible_period_residual_mwh(problem, result)
    assert len(residual) == 3  # the cut first night and two whole nights
    assert np.abs(residual["residual_mwh"]).max() < 1e-6
    draw = result.flexible_load_mw["buses"].to_numpy()
    assert (draw <= 40 + 1e-6).all() and draw.sum() == pytest.approx(260, rel=REL)
    hour = np.arange(70) % 24
    assert draw[(hour == 22) | (hour == 23)] == pytest.approx(0, abs=1e-6)
    if options.get("window_h") == 26:
        assert draw[24:26].sum() >= 20 - 1e-6  # the floor at the window's end: 100 - 2 x 40
    assert result.thermal_mw["peak"].sum() == pytest.approx(0, abs=1e-6)
    assert result.objective_usd == pytest.approx(20 * (demand.sum() + 260), rel=REL)


def test_the_default_grid_carries_the_fleet_into_the_dispatch():
    """build_inputs turns the grid file's electric_buses block into one flexible load of the zone."""
    from .default_problem import default_inputs

    inputs = default_inputs(hours=slice(0, 48))
    (load,) = inputs.flexible_loads
    assert load.id == "az_main_electric_buses" and load.technology == "electric_bus"
    assert pd.Series(load.max_mw).max() == pytest.approx(1760 * 80 / 0.887 / 1000, rel=1e-12)
