"""Hand-solved small dispatch cases (issue 6, Validation). Each optimum is worked out in the comments."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from energy_portfolio.dispatch import solve as solve_dispatch
from energy_portfolio.dispatch.solve import INTERFACES
from energy_portfolio.errors import DispatchError

from . import small

# HiGHS solves these tiny LPs to its default 1e-7 feasibility/optimality tolerances on values
# of order 1e2..1e4, so hand values agree to 1e-6 relative.
REL = 1e-6


@pytest.fixture(params=INTERFACES)
def solve(request):
    """Every hand-solved case through both ways of calling HiGHS (highspy and scipy.optimize)."""
    return functools.partial(solve_dispatch, interface=request.param)


def test_two_hour_battery_arbitrage(solve):
    # Unit cheap costs 10 USD/MWh (1,000 MW), peaker 50. Demand 100 MW then 1,100 MW, so the
    # price is 10 in hour 0 and 50 in hour 1. The 50 MW / 50 MWh battery (eta 0.9 each way,
    # empty at the start, 1 USD/MWh discharge cost) charges its full 50 MW (45 MWh stored) and
    # discharges 45 x 0.9 = 40.5 MWh. Profit = 50 x 40.5 - 10 x 50 - 1 x 40.5 = 1,484.5 USD, i.e.
    # spread-based value 50 x (50 x 0.81) - 10 x 50 less the wear cost.
    spec = small.grid(["a"], [small.thermal("cheap", "a", 10, 1000), small.thermal("peak", "a", 50, 1000)])
    base = solve(small.inputs(spec, {"a": [100, 1100]}))
    with_battery = solve(small.inputs(spec, {"a": [100, 1100]}, batteries=[small.battery()]))
    assert base.objective_usd == pytest.approx(100 * 10 + 1000 * 10 + 100 * 50, rel=REL)
    assert base.objective_usd - with_battery.objective_usd == pytest.approx(1484.5, rel=REL)
    assert with_battery.charge_mw["bess"].tolist() == pytest.approx([50.0, 0.0], abs=1e-6)
    assert with_battery.discharge_mw["bess"].tolist() == pytest.approx([0.0, 40.5], abs=1e-6)
    assert with_battery.price_usd_per_mwh["a"].tolist() == pytest.approx([10.0, 50.0], rel=REL)
    storage = with_battery.summary()["storage"]
    assert storage["equivalent_full_cycles"] == pytest.approx(40.5 / 50.0, rel=REL)


def test_congested_line_splits_zone_prices_and_curtailment_causes(solve):
    # North: demand 100, a wind plant with 400 MW available behind a 350 MW connection, gas at
    # 10. South: demand 500, gas at 50. The 200 MW line north -> south is full: north uses
    # 100 + 200 = 300 MW of wind (price 0: wind is marginal), south burns 300 MW at 50
    # (price 50). Curtailed 100 MW: 50 above the connection, 50 for want of line capacity.
    spec = small.grid(
        ["north", "south"],
        [small.thermal("gas_n", "north", 10, 1000), small.thermal("gas_s", "south", 50, 1000)],
        lines=[{"id": "tie", "from_zone": "north", "to_zone": "south", "capacity_mw": 200}],
    )
    wind = small.plant("wind", "north", [400.0], connection=350.0)
    result = solve(small.inputs(spec, {"north": [100], "south": [500]}, renewables=[wind]))
    assert result.objective_usd == pytest.approx(300 * 50, rel=REL)
    assert result.line_flow_mw["tie"].iloc[0] == pytest.approx(200, rel=REL)
    assert result.price_usd_per_mwh.iloc[0].tolist() == pytest.approx([0.0, 50.0], abs=1e-6)
    assert result.curtailment_connection_mw["wind"].iloc[0] == pytest.approx(50, rel=REL)
    assert result.curtailment_congestion_mw["wind"].iloc[0] == pytest.approx(50, rel=REL)
    assert result.curtailment_oversupply_mw["wind"].iloc[0] == pytest.approx(0, abs=1e-6)


def test_hydro_budget_binds(solve):
    # Four hours of 100 MW; gas at 30; hydro 100 MW with a budget of 150 MWh over the four hours
    # (annual 328,500 MWh x 4 / 8,760 h of 2031). Hydro gives exactly 150 MWh, gas the other
    # 250 MWh at 30 USD/MWh = 7,500 USD, and the price stays 30 (the water value) every hour.
    hydro = {"id": "hydro", "zone": "a", "capacity_mw": 100, "annual_energy_mwh": 328500, "min_output_mw": 0}
    spec = small.grid(["a"], [small.thermal("gas", "a", 30, 1000)], hydro=[hydro])
    result = solve(small.inputs(spec, {"a": [100, 100, 100, 100]}))
    assert result.hydro_mw["hydro"].sum() == pytest.approx(150, rel=REL)
    assert result.objective_usd == pytest.approx(7500, rel=REL)
    assert result.price_usd_per_mwh["a"].tolist() == pytest.approx([30.0] * 4, rel=REL)


def test_unserved_energy_at_voll_and_infeasible_without_it(solve):
    # 300 MW of demand against 200 MW of gas at 20: 100 MW unserved at 1,000 USD/MWh, objective
    # 200 x 20 + 100 x 1,000 = 104,000 USD, price = VOLL. Without unserved energy the LP is
    # infeasible and the error names the zone and the hour short of supply.
    spec = small.grid(["a"], [small.thermal("gas", "a", 20, 200)], voll=1000.0)
    result = solve(small.inputs(spec, {"a": [150, 300]}))
    assert result.unserved_mw["a"].tolist() == pytest.approx([0.0, 100.0], abs=1e-6)
    assert result.objective_usd == pytest.approx(150 * 20 + 200 * 20 + 100 * 1000, rel=REL)
    assert result.price_usd_per_mwh["a"].tolist() == pytest.approx([20.0, 1000.0], rel=REL)
    with pytest.raises(DispatchError, match=r"zone a is short of supply in 1 hour\(s\): 2031-01-01T01:00:00\+04:00"):
        solve(small.inputs(spec, {"a": [150, 300]}, allow_unserved=False))


def test_rolling_horizon_equals_perfect_foresight_when_foresight_does_not_matter(solve):
    # Four identical days; the battery starts empty and the daily price pattern (gas at 10 up
    # to 1,000 MW, 50 above) makes it fill overnight and empty in the evening peak every day,
    # so a 48 h window stepping 24 h sees everything that matters: same cost as one solve.
    day = [600] * 6 + [900] * 10 + [1040] * 4 + [800] * 4
    spec = small.grid(["a"], [small.thermal("cheap", "a", 10, 1000), small.thermal("peak", "a", 50, 1000)])
    bess = small.battery(power_mw=40.0, energy_mwh=120.0)
    foresight = solve(small.inputs(spec, {"a": day * 4}, batteries=[bess]))
    rolling = solve(
        small.inputs(spec, {"a": day * 4}, batteries=[bess], mode="rolling_horizon", window_h=48, step_h=24)
    )
    assert rolling.n_windows == 3  # 0-48 and 24-72 keep a day each; 48-96 keeps its two days
    assert rolling.objective_usd == pytest.approx(foresight.objective_usd, rel=1e-9)
    assert rolling.discharge_mw["bess"].sum() == pytest.approx(foresight.discharge_mw["bess"].sum(), rel=1e-6)


def test_rolling_horizon_carries_the_hydro_budget(solve):
    # A 4-day hydro budget of 480 MWh (annual x 96 / 8,760) in 48 h windows stepping 24 h: each
    # window may use the remaining budget x its share of the remaining hours, so hydro uses it
    # all by the end and never more.
    hydro = {"id": "hydro", "zone": "a", "capacity_mw": 100, "annual_energy_mwh": 43800, "min_output_mw": 1}
    spec = small.grid(["a"], [small.thermal("gas", "a", 30, 1000)], hydro=[hydro])
    demand = {"a": list(np.tile(np.linspace(100, 200, 24), 4))}
    rolling = solve(small.inputs(spec, demand, mode="rolling_horizon", window_h=48, step_h=24))
    foresight = solve(small.inputs(spec, demand))
    assert rolling.hydro_mw["hydro"].sum() == pytest.approx(480, rel=REL)
    assert rolling.objective_usd == pytest.approx(foresight.objective_usd, rel=1e-9)


def test_unit_commitment_minimum_stable_level_with_milp(solve):
    # 50 MW of demand; the cheap unit (10 USD/MWh, 100 MW) has a 60 % minimum stable level and
    # nowhere to put the extra 10 MW, so with unit commitment it stays off and the 50 USD/MWh
    # unit serves: 2,500 USD. As an LP (no commitment) the cheap unit serves: 500 USD.
    units = [small.thermal("cheap", "a", 10, 100, min_stable=0.6), small.thermal("peak", "a", 50, 100)]
    spec = small.grid(["a"], units)
    lp = solve(small.inputs(spec, {"a": [50]}))
    uc = solve(small.inputs(spec, {"a": [50]}, operations="unit_commitment"))
    assert lp.objective_usd == pytest.approx(500, rel=REL)
    assert uc.objective_usd == pytest.approx(2500, rel=REL)
    assert uc.thermal_mw["cheap"].iloc[0] == pytest.approx(0, abs=1e-6)


def test_shared_connection_limits_plant_and_battery_together(solve):
    # A 150 MW wind plant shares a 100 MW connection with a 50 MW / 50 MWh battery (eta 0.9 each
    # way); demand is 300 MW in both hours, gas at 40 serves the rest. Hour 0: wind 150, the
    # battery charges the 50 MW the connection cannot take (45 MWh stored), export 100. Hour 1:
    # no wind, the battery discharges 45 x 0.9 = 40.5 MW. Gas = 200 + 259.5 MWh at 40 plus
    # 40.5 MWh of discharge at 1 USD/MWh = 18,420.5 USD (without the battery: 20,000 USD).
    spec = small.grid(["a"], [small.thermal("gas", "a", 40, 1000)])
    wind = small.plant("wind", "a", [150.0, 0.0], connection=150.0)
    bess = small.battery(coupled_plant="wind", shared_connection_mw=100.0)
    result = solve(small.inputs(spec, {"a": [300, 300]}, renewables=[wind], batteries=[bess]))
    export = result.renewable_mw["wind"] + result.discharge_mw["bess"] - result.charge_mw["bess"]
    assert export.max() <= 100 + 1e-6
    assert result.charge_mw["bess"].iloc[0] == pytest.approx(50, rel=REL)
    assert result.objective_usd == pytest.approx((200 + 259.5) * 40 + 40.5, rel=REL)
    # Nothing is curtailed: the battery absorbs what the shared connection cannot take.
    assert result.curtailment_connection_mw["wind"].iloc[0] == pytest.approx(0, abs=1e-6)


def test_hourly_frame_and_summary_keys(solve):
    spec = small.grid(["a"], [small.thermal("cheap", "a", 10, 1000), small.thermal("peak", "a", 50, 1000)])
    result = solve(small.inputs(spec, {"a": [100, 1100]}, batteries=[small.battery()]))
    frame = result.hourly_frame()
    assert frame.shape[0] == 2
    assert frame["price_usd_per_mwh:a"].tolist() == pytest.approx([10.0, 50.0], rel=REL)
    assert frame["soc_mwh:bess"].tolist() == pytest.approx([45.0, 0.0], abs=1e-6)
    # DESIGN.md summary.json, dispatch block: these keys must be present.
    summary = result.summary()
    for key in (
        "demand_mwh",
        "renewable_share",
        "curtailment_mwh",
        "unserved_mwh",
        "export_mwh",
        "gas_burn_mcm",
        "gas_saved_mcm",
        "co2_t",
        "co2_avoided_t",
        "objective_usd",
        "storage",
        "solver",
    ):
        assert key in summary
    assert set(summary["storage"]) >= {"charge_mwh", "discharge_mwh", "equivalent_full_cycles"}
    assert set(summary["solver"]) >= {"status", "seconds"}
    # Gas: thermal output (100 + 50 charging) + (1,100 - 40.5) = 1,209.5 MWh at 10 GJ/MWh, 36 MJ/m3.
    assert summary["gas_burn_mcm"] == pytest.approx((100 + 50 + 1100 - 40.5) * 10 * 1e3 / 36 / 1e6, rel=REL)


def test_must_run_oversupply_is_reported_after_a_retry_without_presolve(solve):
    # Hydro must run at 100 MW but the zone only takes 60 MW and nothing else can absorb the
    # rest: infeasible whatever the presolve; the error names the zone and the hour.
    hydro = {"id": "hydro", "zone": "a", "capacity_mw": 200, "annual_energy_mwh": 1_000_000, "min_output_mw": 100}
    spec = small.grid(["a"], [small.thermal("gas", "a", 30, 1000)], hydro=[hydro])
    with pytest.raises(
        DispatchError, match=r"\(also with presolve off\).*zone a has must-run output \(hydro minimum\) above every use"
    ):
        solve(small.inputs(spec, {"a": [150, 60]}))


def test_counterfactual_on_two_threads_equals_the_serial_solves():
    """The two solves are independent: running them on threads must not change a number."""
    from energy_portfolio.dispatch.solve import solve_with_counterfactual

    from .default_problem import default_inputs

    inputs = default_inputs(hours=slice(0, 24 * 14))
    serial = solve_with_counterfactual(inputs, parallel=False)
    threaded = solve_with_counterfactual(inputs, parallel=True)
    assert threaded.objective_usd == serial.objective_usd
    assert threaded.gas_saved_mcm == serial.gas_saved_mcm
    assert threaded.counterfactual.objective_usd == serial.counterfactual.objective_usd


def test_solving_prints_nothing_to_standard_output():
    """HiGHS prints a banner from C++ on its first instance in a process; the CLI's stdout must stay clean.

    A fresh process is needed (the banner comes once per process), so the check runs one.
    """
    root = Path(__file__).resolve().parents[2]
    code = (
        "from tests.dispatch import small\n"
        "from energy_portfolio.dispatch import solve\n"
        "spec = small.grid(['a'], [small.thermal('gas', 'a', 10, 1000)])\n"
        "solve(small.inputs(spec, {'a': [100, 200]}))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), str(root / "src")])}
    done = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True)
    assert done.stdout == ""


def test_gas_price_basis_moves_the_merit_order(solve):
    # One gas unit (heat rate 10 GJ/MWh, no O&M) and a 20 USD/MWh import for 100 MW of demand.
    # On the tariff (36 USD per 1,000 m3 at 36 MJ/m3 = 1 USD/GJ) gas costs 10 USD/MWh and serves:
    # 1,000 USD, price 10. On the export value (100 USD per 1,000 m3 = 2.78 USD/GJ) gas costs
    # 27.8 USD/MWh, so the import serves: 2,000 USD, price 20, no gas burnt.
    link = {"id": "tie", "zone": "a", "neighbour": "N", "export_capacity_mw": 0, "import_capacity_mw": 1000,
            "export_price_usd_per_mwh": 0, "import_price_usd_per_mwh": 20}
    spec = small.grid(["a"], [small.thermal("gas", "a", 10, 1000)], interconnectors=[link])
    tariff = solve(small.inputs(spec, {"a": [100]}))
    export = solve(small.inputs(spec, {"a": [100]}, gas_price_basis="export_value"))
    assert tariff.objective_usd == pytest.approx(1000, rel=REL)
    assert tariff.price_usd_per_mwh["a"].iloc[0] == pytest.approx(10, rel=REL)
    assert export.objective_usd == pytest.approx(2000, rel=REL)
    assert export.price_usd_per_mwh["a"].iloc[0] == pytest.approx(20, rel=REL)
    assert export.thermal_mw["gas"].iloc[0] == pytest.approx(0, abs=1e-6)


def test_hydro_ramp_limit_spreads_the_peak(solve):
    # Three hours, demand 100, 400, 100 MW; cheap gas 10 USD/MWh up to 200 MW, peaker 50. Hydro
    # 300 MW with 200 MWh over the three hours (annual 584,000 MWh x 3 / 8,760 h of 2031).
    # Without a ramp limit all 200 MWh go into hour 1 and displace the peaker: cost 14,000 - 200 x 50
    # = 4,000 USD (14,000 = 100 x 10 + (200 x 10 + 200 x 50) + 100 x 10 without hydro).
    # With ramp_mw_per_h = 100: h1 <= h0 + 100 and h1 <= h2 + 100, h0 + h1 + h2 <= 200; the value
    # 50 h1 + 10 (h0 + h2) is largest at h0 = h2 = a, h1 = a + 100, 3a + 100 = 200: a = 100/3,
    # h1 = 400/3, value 50 x 400/3 + 10 x 200/3 = 22,000/3, cost 14,000 - 22,000/3 = 20,000/3 USD.
    # Dual check: y_up = y_down = 40/3, y_budget = 70/3 (h1: 40/3 + 40/3 + 70/3 = 50; h0: 70/3 - 40/3
    # = 10), 100 x 80/3 + 200 x 70/3 = 22,000/3: so one MW/h more ramp in hour 1 saves 40/3 USD.
    hydro = {"id": "hydro", "zone": "a", "capacity_mw": 300, "annual_energy_mwh": 584000, "min_output_mw": 0}
    units = [small.thermal("cheap", "a", 10, 200), small.thermal("peak", "a", 50, 1000)]
    free = solve(small.inputs(small.grid(["a"], units, hydro=[hydro]), {"a": [100, 400, 100]}))
    assert free.objective_usd == pytest.approx(4000, rel=REL)
    ramped = solve(small.inputs(small.grid(["a"], units, hydro=[{**hydro, "ramp_mw_per_h": 100}]),
                                {"a": [100, 400, 100]}))
    assert ramped.hydro_mw["hydro"].tolist() == pytest.approx([100 / 3, 400 / 3, 100 / 3], rel=REL)
    assert ramped.objective_usd == pytest.approx(20000 / 3, rel=REL)
    assert ramped.dual("hydro_ramp:hydro:up").iloc[1] == pytest.approx(-40 / 3, rel=REL)
    assert ramped.dual("hydro_ramp:hydro:down").iloc[2] == pytest.approx(-40 / 3, rel=REL)


def test_rolling_horizon_keeps_the_hydro_ramp_across_windows(solve):
    # A daily demand swing of 100 -> 300 MW against cheap gas (10, 200 MW) and a peaker (50): the
    # 60 MW hydro with a 5 MW/h ramp follows the peaks as far as its ramp allows. In 48 h windows
    # stepping 24 h, each window's first hour is tied to the last kept hour of the one before, so
    # the stitched series never steps by more than 5 MW (the post-solve check would raise).
    hydro = {"id": "hydro", "zone": "a", "capacity_mw": 60, "annual_energy_mwh": 262800, "min_output_mw": 0,
             "ramp_mw_per_h": 5}
    spec = small.grid(["a"], [small.thermal("cheap", "a", 10, 200), small.thermal("peak", "a", 50, 1000)],
                      hydro=[hydro])
    demand = {"a": list(np.tile(np.r_[np.full(12, 100.0), np.full(12, 300.0)], 4))}
    rolling = solve(small.inputs(spec, demand, mode="rolling_horizon", window_h=48, step_h=24))
    steps = np.abs(np.diff(rolling.hydro_mw["hydro"].to_numpy()))
    assert steps.max() <= 5 + 1e-6
    assert steps.max() == pytest.approx(5, rel=REL)


def _pumped_hydro(**overrides):
    """A 40 MW pumped-hydro plant with 20 MWh/h of January inflow (14,880 MWh / 744 h), empty at the start."""
    from energy_portfolio.config import PumpedHydroSite

    fields = {
        "kind": "pumped_hydro", "id": "phs", "name": "phs", "commissioning_year": 2031, "lifetime_years": 50,
        "location": {"latitude": 40.8, "longitude": 47.1, "elevation_m": 400, "timezone": "Asia/Baku"},
        "pump_power_mw": 40, "turbine_power_mw": 40, "energy_mwh": 200, "pump_efficiency": 0.8,
        "turbine_efficiency": 0.9, "soc_min_fraction": 0.0, "soc_max_fraction": 1.0, "initial_soc": 0.0,
        "standing_loss_per_hour": 0.0, "availability": 1.0, "grid_connection_mw": 40,
        "inflow": {"source": "monthly", "monthly_mwh": [14880] * 12}, "min_release_mw": 5,
        "economics": {"capex_usd_per_kw": 2000, "fixed_opex_usd_per_kw_year": 20, "variable_opex_usd_per_mwh": 0,
                      "discount_rate_real": 0.08},
    }
    fields.update(overrides)
    return PumpedHydroSite.model_validate(fields)


def test_pumped_hydro_stores_its_inflow_for_the_peak_hours(solve):
    # Demand 100, 250, 250, 100 MW; cheap gas 40 USD/MWh up to 200 MW, peaker 50: prices 40, 50, 50, 40.
    # The plant (40 MW each way, pump 0.8, turbine 0.9, wear 1 USD/MWh) gets 20 MWh/h of inflow (stored
    # energy) and must release 5 MW of it every hour. A stored MWh is worth 0.9 x (50 - 1) = 44.1 USD in
    # a peak hour and 0.9 x (40 - 1) = 35.1 off-peak; pumping at 40 for the peak returns only
    # 0.8 x 0.9 x 50 = 36 USD, so the plant never pumps. Hour 0 turbines only its minimum release
    # (5 x 0.9 = 4.5 MW) and stores 15; hours 1-2 turbine the 15 + 20 + 20 = 55 stored MWh: 49.5 MWh,
    # under 40 MW each hour; hour 3 turbines its own 20 (18 MW). Discharge 72 MWh = 0.9 x 80.
    # Cost without the plant: 2 x 100 x 40 + 2 x (200 x 40 + 50 x 50) = 29,000 USD. With it:
    # 95.5 x 40 + 82 x 40 + 400 x 40 + (100 - 49.5) x 50 + 72 x 1 = 25,697 USD.
    # The minimum release costs 0.9 x (50 - 40) = 9 USD per stored MWh in hour 0: the dual of
    # min_release:phs there is -9 (one MWh less to release lowers the cost by 9).
    from energy_portfolio.config.portfolio import DispatchOptions
    from energy_portfolio.dispatch import storage_from_site

    units = [small.thermal("cheap", "a", 40, 200), small.thermal("peak", "a", 50, 1000)]
    spec = small.grid(["a"], units)
    demand = {"a": [100, 250, 250, 100]}
    index = small.inputs(spec, demand).index
    store = storage_from_site(_pumped_hydro(), "a", DispatchOptions(mode="perfect_foresight"), index)
    assert store.technology == "pumped_hydro"
    assert store.inflow_mw.tolist() == pytest.approx([20.0] * 4)
    result = solve(small.inputs(spec, demand, batteries=[store]))
    discharge = result.discharge_mw["phs"].to_numpy()
    assert result.charge_mw["phs"].sum() == pytest.approx(0.0, abs=1e-6)
    assert discharge[0] == pytest.approx(4.5, rel=REL)
    assert discharge[1] + discharge[2] == pytest.approx(49.5, rel=REL)
    assert discharge[3] == pytest.approx(18.0, rel=REL)
    assert result.objective_usd == pytest.approx(25697.0, rel=REL)
    assert result.price_usd_per_mwh["a"].tolist() == pytest.approx([40.0, 50.0, 50.0, 40.0], rel=REL)
    assert result.dual("min_release:phs").iloc[0] == pytest.approx(-9.0, rel=REL)
    options = DispatchOptions(mode="perfect_foresight")
    unbound = storage_from_site(_pumped_hydro(min_release_mw=0), "a", options, index)
    free = solve(small.inputs(spec, demand, batteries=[unbound]))
    # Without the minimum release all 60 MWh stored by hour 2 go to the peak: 45 USD less.
    assert result.objective_usd - free.objective_usd == pytest.approx(45.0, rel=REL)
