"""Reserves co-optimised with energy (issue 15, part 2): hand-solved cases with their arithmetic.

Units: ``small.thermal(id, zone, cost, capacity)`` costs ``cost`` USD/MWh; ramp limits are set on
the dispatch dataclass (MW/min per unit, one unit per group) and a product's activation time turns
them into the most a unit can provide (ramp x activation).
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace

import numpy as np
import pytest

from energy_portfolio.config.load import load_grid
from energy_portfolio.dispatch import ReserveProduct
from energy_portfolio.dispatch import solve as solve_dispatch
from energy_portfolio.dispatch.assemble import build_lp
from energy_portfolio.dispatch.components import COMPONENTS, add_reserves
from energy_portfolio.dispatch.lp import LpBuilder, WindowState, energy_budgets
from energy_portfolio.dispatch.solve import INTERFACES, _start_soc
from energy_portfolio.errors import DispatchError

from ..conftest import SITES
from . import small

REL = 1e-6  # as in test_cases.py: HiGHS' default 1e-7 tolerances on values of order 1e2..1e4


@pytest.fixture(params=INTERFACES)
def solve(request):
    """Through both ways of calling HiGHS (highspy and scipy.optimize)."""
    return functools.partial(solve_dispatch, interface=request.param)


def _ramp_limited(inputs, **ramps):
    """Give thermal units ramp-up rates [MW/min] by id."""
    units = tuple(replace(u, ramp_up_mw_per_min=ramps.get(u.id)) for u in inputs.thermal_units)
    return replace(inputs, thermal_units=units)


def _cheap_and_peak(demand, reserve_mw, batteries=()):
    # Cheap: 10 USD/MWh, 1,000 MW, ramps 10 MW/min; peak: 50 USD/MWh, 1,000 MW, ramps 5 MW/min.
    # With a 10-minute activation, cheap can hold 100 MW of up reserve and peak 50 MW.
    spec = small.grid(["a"], [small.thermal("cheap", "a", 10, 1000), small.thermal("peak", "a", 50, 1000)])
    inputs = _ramp_limited(small.inputs(spec, {"a": demand}, batteries=batteries), cheap=10.0, peak=5.0)
    product = ReserveProduct("afrr", "up", activation_min=10.0, sustain_h=0.25, requirement_mw=reserve_mw)
    return replace(inputs, reserves=(product,))


def test_reserve_makes_the_cheap_unit_hold_back_and_prices_the_opportunity_cost(solve):
    # One hour, demand 1,100 MW, 140 MW of up reserve. Energy only: cheap 1,000, peak 100, no
    # headroom on cheap, so the reserve needs cheap to back down: peak holds its ramp limit 50,
    # cheap holds 140 - 50 = 90, so cheap runs 1,000 - 90 = 910 and peak 1,100 - 910 = 190.
    # Cost = 910 x 10 + 190 x 50 = 18,600 USD (energy only: 1,000 x 10 + 100 x 50 = 15,000).
    # One more MW of reserve: cheap backs down 1, peak runs 1 more: 50 - 10 = 40 USD/MW/h.
    # One more MW of demand: peak, 50 USD/MWh.
    result = solve(_cheap_and_peak([1100], 140.0))
    assert result.thermal_mw.iloc[0].tolist() == pytest.approx([910.0, 190.0], rel=REL)
    assert result.objective_usd == pytest.approx(18_600.0, rel=REL)
    assert result.reserve_price_usd_per_mw_h["afrr:up"].iloc[0] == pytest.approx(40.0, rel=REL)
    assert result.price_usd_per_mwh["a"].iloc[0] == pytest.approx(50.0, rel=REL)
    held = result.reserve_mw["afrr:up"]
    assert held[("thermal", "cheap")].iloc[0] == pytest.approx(90.0, rel=REL)
    assert held[("thermal", "peak")].iloc[0] == pytest.approx(50.0, rel=REL)
    assert result.reserve_requirement_mw["afrr:up"].iloc[0] == pytest.approx(140.0, rel=REL)
    summary = result.summary()["reserves"]["afrr:up"]
    assert summary["mean_price_usd_per_mw_h"] == pytest.approx(40.0, rel=REL)
    assert summary["share_by_provider_kind"] == pytest.approx({"thermal": 1.0})


def test_battery_earns_the_reserve_price_instead_of_arbitrage(solve):
    # The two-hour arbitrage case of test_cases.py (demand 100 then 1,100; prices 10 and 50; the
    # 50 MW / 50 MWh battery, eta 0.9 each way, empty, 1 USD/MWh discharge cost) with the 140 MW
    # up reserve above (sustain 15 min = 0.25 h) in both hours.
    # Hour 0: cheap runs ~100 MW, its 100 MW and peak's 50 MW cover 140: reserve price 0.
    # Hour 1: each MW the battery holds saves cheap's backing down, 40 USD, and needs 0.25 / 0.9 =
    # 0.2778 MWh stored at the start and the end of the hour, i.e. 0.2778 / 0.9 = 0.3086 MWh
    # charged at 10 USD: net 40 - 3.09 = 36.91 USD/MW. Each MW discharged saves 50 - 1 and costs
    # 1 / 0.81 MWh charged at 10: net 36.65 USD/MW. Discharge and reserve share the 50 MW
    # (discharge - charge + up <= 50), so the battery holds 50 MW of reserve and discharges
    # nothing: it charges 50 x 0.3086 = 15.432 MWh (13.889 MWh stored) in hour 0.
    # Cheap holds 140 - 50 - 50 = 40 in hour 1: cheap 960, peak 140; hour 0 cheap 115.432.
    # Cost = 115.432 x 10 + 960 x 10 + 140 x 50 = 17,754.32 USD.
    result = solve(_cheap_and_peak([100, 1100], 140.0, batteries=[small.battery()]))
    charged = 50 * 0.25 / 0.9 / 0.9
    assert result.discharge_mw["bess"].tolist() == pytest.approx([0.0, 0.0], abs=1e-6)
    assert result.charge_mw["bess"].tolist() == pytest.approx([charged, 0.0], rel=REL)
    assert result.soc_mwh["bess"].iloc[1] == pytest.approx(50 * 0.25 / 0.9, rel=REL)
    held = result.reserve_mw["afrr:up"][("storage", "bess")]
    assert held.tolist() == pytest.approx([0.0, 50.0], abs=1e-6)
    price = result.reserve_price_usd_per_mw_h["afrr:up"]
    assert price.tolist() == pytest.approx([0.0, 40.0], abs=1e-6)
    assert result.objective_usd == pytest.approx(10 * (100 + charged) + 960 * 10 + 140 * 50, rel=REL)
    # Its reserve revenue: price x MW = 40 x 50 = 2,000 USD; energy bought: 15.432 x 10 USD.
    assert float((price * held).sum()) == pytest.approx(2000.0, rel=REL)
    # Without the reserve the same battery does arbitrage (charges 50, discharges 40.5 MW).
    energy_only = solve(replace(_cheap_and_peak([100, 1100], 140.0, batteries=[small.battery()]), reserves=()))
    assert energy_only.discharge_mw["bess"].iloc[1] == pytest.approx(40.5, rel=REL)


def test_largest_infeed_follows_the_new_plant_and_vanishes_without_it(solve):
    # Three 500 MW gas groups (10, 50, 80 USD/MWh; the largest thermal infeed is one group, 500 MW),
    # demand 900 MW, a new wind plant behind a 1,000 MW connection with 700, 200, 600 MW
    # available. Headroom is ample (1,500 - 900 >= 700), so all wind is dispatched and the FCR
    # (up only here) is max(500, wind): 700, 500, 600 MW. Without the plant: 500 MW every hour.
    spec = small.grid(["a"], [small.thermal("g1", "a", 10, 500), small.thermal("g2", "a", 50, 500),
                              small.thermal("g3", "a", 80, 500)])
    wind = small.plant("wind", "a", [700.0, 200.0, 600.0], connection=1000.0, new=True)
    inputs = small.inputs(spec, {"a": [900, 900, 900]}, renewables=[wind])
    inputs = replace(inputs, reserves=(ReserveProduct("fcr", "up", 0.5, 0.25, largest_infeed=True),))
    result = solve(inputs)
    assert result.renewable_mw["wind"].tolist() == pytest.approx([700.0, 200.0, 600.0], rel=REL)
    assert result.reserve_requirement_mw["fcr:up"].tolist() == pytest.approx([700.0, 500.0, 600.0], rel=REL)
    assert result.reserve_mw["fcr:up"].sum(axis=1).tolist() == pytest.approx([700.0, 500.0, 600.0], rel=REL)
    without = solve(inputs.without_new())
    assert without.reserve_requirement_mw["fcr:up"].tolist() == pytest.approx([500.0] * 3, rel=REL)


def test_requirement_above_every_provider_is_reported_with_the_product_and_hours(solve):
    spec = small.grid(["a"], [small.thermal("gas", "a", 10, 1000)])
    inputs = small.inputs(spec, {"a": [100, 100]})
    inputs = replace(inputs, reserves=(ReserveProduct("mfrr", "symmetric", 12.5, 1.0, requirement_mw=5000.0),))
    with pytest.raises(DispatchError, match=re.escape("reserve mfrr:up needs more than all providers can hold "
                                                      "(1000 MW) in 2 hour(s)")):
        solve(inputs)


def _lp(inputs, components):
    state = WindowState(_start_soc(inputs, False), np.full(len(inputs.storage), np.nan), energy_budgets(inputs))
    builder = LpBuilder(inputs.hours)
    for add in components:
        add(builder, inputs, state)
    return builder.build()


def test_no_reserves_gives_the_identical_lp():
    # The energy-only LP (every component but reserves) and the LP with an empty reserves list.
    spec = small.grid(["a"], [small.thermal("cheap", "a", 10, 1000), small.thermal("peak", "a", 50, 1000)])
    inputs = small.inputs(spec, {"a": [100, 1100, 600]}, batteries=[small.battery()])
    before = _lp(inputs, [c for c in COMPONENTS if c is not add_reserves])
    after = _lp(inputs, COMPONENTS)
    for name in ("c", "b_ub", "b_eq", "lower", "upper"):
        assert np.array_equal(getattr(before, name), getattr(after, name)), name
    for name in ("a_ub", "a_eq"):
        a, b = getattr(before, name), getattr(after, name)
        assert a.shape == b.shape and (a != b).nnz == 0, name
    assert before.blocks == after.blocks and list(before.rows) == list(after.rows)
    assert build_lp(inputs, WindowState(_start_soc(inputs, False), np.full(1, np.nan), energy_budgets(inputs))).rows \
        == after.rows


def test_storage_sustain_energy_limits_the_reserve_of_a_small_store(solve):
    # One hour, cyclic 50 MW / 10 MWh battery (eta 0.9 each way, SoC 0..1): a 1-hour up product
    # needs up x 1 / 0.9 MWh in store at the start and the end of the hour; cyclic and idle, the
    # SoC s is constant and at most 10 MWh, so the battery holds at most 10 x 0.9 = 9 MW. The
    # 20 MW requirement is then met by 9 MW from the battery and 11 MW from gas headroom: gas
    # (10 USD/MWh, 100 MW, ramp 1.1 MW/min x 10 min = 11 MW) runs the 50 MW demand.
    spec = small.grid(["a"], [small.thermal("gas", "a", 10, 100)])
    bess = small.battery(energy_mwh=10.0, initial_soc_fraction=None)
    inputs = _ramp_limited(small.inputs(spec, {"a": [50]}, batteries=[bess]), gas=1.1)
    inputs = replace(inputs, reserves=(ReserveProduct("mfrr", "up", 10.0, 1.0, requirement_mw=20.0),))
    result = solve(inputs)
    held = result.reserve_mw["mfrr:up"]
    assert held[("storage", "bess")].iloc[0] == pytest.approx(9.0, rel=REL)
    assert held[("thermal", "gas")].iloc[0] == pytest.approx(11.0, rel=REL)
    assert result.soc_mwh["bess"].iloc[0] == pytest.approx(10.0, rel=REL)


def test_shipped_default_products_load_and_convert(tmp_path):
    # The default products are shipped commented out in sites/azerbaijan_grid.yaml; uncommented they
    # load and give six product-directions (fcr up and down, afrr and mfrr up and down).
    text = (SITES / "azerbaijan_grid.yaml").read_text()
    head, block = text.split("reserves:\n") if "\nreserves:\n" in text else text.split("# reserves:\n")
    body = "\n".join(line[2:] if line.startswith("# ") else line for line in block.splitlines())
    path = SITES / "_reserves_test_grid.yaml"
    path.write_text(head + "reserves:\n" + body + "\n")
    try:
        grid = load_grid(path)
    finally:
        path.unlink()
    assert [r.id for r in grid.reserves] == ["fcr", "afrr_up", "afrr_down", "mfrr_up", "mfrr_down"]
    from energy_portfolio.dispatch.convert import reserve_from_spec

    products = [reserve_from_spec(r) for r in grid.reserves]
    assert sum(len(p.directions) for p in products) == 6
    assert products[0].largest_infeed and products[0].sustain_h == pytest.approx(0.25)


def test_a_reserve_requirement_forces_a_second_unit_online_at_its_minimum_stable_level():
    # Unit commitment: one group of 2 units of 100 MW (minimum stable 40 MW each), fuel curve of
    # test_commitment.py (no-load 200 GJ/h per online unit at 1 USD/GJ, incremental 8 GJ/MWh), 80 MW
    # of demand in each of 3 hours, both units online before the study, no start costs.
    # Without reserve: one unit carries 80 MW (no-load 200 + 8 x 80 = 840 USD/h) and the other is shut
    # (a second unit would add 200 USD/h of no-load): 1 unit online.
    # With 50 MW of up reserve and no other provider: one unit online has 100 - 80 = 20 MW of
    # headroom, too little; two units have 200 - 80 = 120 MW, so both stay online, each at its 40 MW
    # minimum stable level: cost 2 x 200 + 8 x 80 = 1,040 USD/h, 200 USD/h more.
    curve = {"load_fractions": [0.4, 1.0], "efficiencies": [40 * 3.6 / (200 + 8 * 40), 100 * 3.6 / (200 + 8 * 100)]}
    unit = small.thermal("gas", "a", 10, 200, min_stable=0.4, unit_count=2, unit_size_mw=100.0, part_load=curve,
                         variable_om_usd_per_mwh=0.0)
    spec = small.grid(["a"], [unit])
    inputs = small.inputs(spec, {"a": [80, 80, 80]}, operations="unit_commitment")
    inputs = replace(inputs, gas=replace(inputs.gas, tariff_usd_per_gj=1.0, export_value_usd_per_gj=1.0))
    alone = solve_dispatch(inputs)
    assert alone.online_units["gas"].tolist() == pytest.approx([1, 1, 1])
    assert alone.objective_usd == pytest.approx(3 * 840, rel=REL)
    product = ReserveProduct("afrr", "up", activation_min=5.0, sustain_h=0.25, requirement_mw=50.0)
    held = solve_dispatch(replace(inputs, reserves=(product,)))
    assert held.online_units["gas"].tolist() == pytest.approx([2, 2, 2])
    assert held.thermal_mw["gas"].tolist() == pytest.approx([80, 80, 80])  # two units at 40 MW each
    assert held.objective_usd == pytest.approx(3 * 1040, rel=REL)
    assert held.reserve_mw["afrr:up"].to_numpy().sum(axis=1) == pytest.approx([50, 50, 50])


def test_holding_cost_adds_to_the_objective_and_to_the_reserve_price(solve):
    # The case of the first test with a holding cost of 0.015 USD/MW/h for thermal providers (the
    # shipped grid file's value): the dispatch is unchanged (the cost is far below the 40 USD/MW/h
    # opportunity cost), the 140 MW held add 140 x 0.015 = 2.1 USD, and one more MW of reserve costs
    # 40 + 0.015 USD/MW/h.
    inputs = _cheap_and_peak([1100], 140.0)
    product = replace(inputs.reserves[0], holding_cost_usd_per_mw_h=(("thermal", 0.015), ("storage", 0.012)))
    result = solve(replace(inputs, reserves=(product,)))
    assert result.thermal_mw.iloc[0].tolist() == pytest.approx([910.0, 190.0], rel=REL)
    assert result.objective_usd == pytest.approx(18_600.0 + 2.1, rel=REL)
    assert result.reserve_price_usd_per_mw_h["afrr:up"].iloc[0] == pytest.approx(40.015, rel=REL)


def test_holding_costs_order_equally_cheap_providers(solve):
    # One hour, demand 100 MW: cheap runs 100 MW and can turn down all of it; peak is off; the 50 MW
    # / 50 MWh battery is empty and idle (charging for nothing to come costs 10 USD/MWh), so it can
    # hold 50 MW of downward reserve (charge headroom 50 MW; sustain 0.25 h x 0.9 = 11.25 MWh of room).
    # 80 MW of downward reserve costs no energy either way; only the holding costs decide:
    # storage at 0.012 < thermal 0.015 USD/MW/h: battery 50, cheap 30: 1,000 + 0.6 + 0.45 = 1,001.05;
    # storage at 0.02 > thermal: cheap holds all 80: 1,000 + 80 x 0.015 = 1,001.2.
    spec = small.grid(["a"], [small.thermal("cheap", "a", 10, 1000), small.thermal("peak", "a", 50, 1000)])
    inputs = small.inputs(spec, {"a": [100]}, batteries=(small.battery("bess", "a"),))
    for storage_cost, battery_mw, objective in ((0.012, 50.0, 1001.05), (0.02, 0.0, 1001.2)):
        product = ReserveProduct("afrr", "down", activation_min=5.0, sustain_h=0.25, requirement_mw=80.0,
                                 holding_cost_usd_per_mw_h=(("thermal", 0.015), ("storage", storage_cost)))
        result = solve(replace(inputs, reserves=(product,)))
        held = result.reserve_mw["afrr:down"]
        assert held[("storage", "bess")].iloc[0] == pytest.approx(battery_mw, abs=1e-6)
        assert held[("thermal", "cheap")].iloc[0] == pytest.approx(80.0 - battery_mw, abs=1e-6)
        assert result.objective_usd == pytest.approx(objective, rel=1e-9)


def test_a_pooled_provision_is_split_within_each_plants_headroom():
    # Two hydro plants of 100 MW (minimum 10 MW) running at 80 and 40 MW: upward headroom 20 and
    # 60 MW. A pooled 40 MW is split in proportion, 10 and 30 MW; downward headroom 70 and 30 MW,
    # a pooled 50 MW is split 35 and 15 MW. Each plant holds at most its headroom whenever the pool
    # holds at most the sum, for any pooled amount and outputs (random cases below).
    from energy_portfolio.dispatch.components.reserves import split_pooled
    from energy_portfolio.dispatch.system import HydroPlant

    plants = tuple(HydroPlant(i, "a", capacity_mw=100.0, min_output_mw=10.0, annual_energy_mwh=1.0) for i in "xy")
    fake = replace(small.inputs(small.grid(["a"], [small.thermal("g", "a", 10, 100)]), {"a": [50]}), hydro=plants)
    output = np.array([[80.0], [40.0]])
    assert split_pooled(fake, "hydro", "up", np.array([40.0]), output)[:, 0] == pytest.approx([10.0, 30.0])
    assert split_pooled(fake, "hydro", "down", np.array([50.0]), output)[:, 0] == pytest.approx([35.0, 15.0])
    rng = np.random.default_rng(1)
    for _ in range(200):
        output = rng.uniform(10.0, 100.0, size=(2, 5))
        headroom = 100.0 - output
        pooled = rng.uniform(0.0, 1.0, 5) * headroom.sum(axis=0)
        split = split_pooled(fake, "hydro", "up", pooled, output)
        assert np.all(split <= headroom + 1e-9) and split.sum(axis=0) == pytest.approx(pooled)
