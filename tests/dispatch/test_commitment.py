"""Hand-solved unit-commitment cases (``operations: unit_commitment``), arithmetic in each test.

Gas is priced at 1 USD/GJ (see :mod:`.small`), so fuel [GJ] is cost [USD]. Before the first hour
every unit is online (:meth:`CommitmentState.initial`), so keeping a unit on from hour 0 needs no
start, and shutting it down is free.
"""

from __future__ import annotations

import pytest

from energy_portfolio.dispatch import solve

from . import small

REL = 1e-6

# A 100 MW unit whose fuel is 600 GJ/h at its 50 MW minimum stable level and 1,000 GJ/h at full
# load (efficiency 50 x 3.6 / 600 = 0.30 and 100 x 3.6 / 1000 = 0.36 = 3.6 / 10 GJ/MWh): incremental
# heat rate (1000 - 600) / 50 = 8 GJ/MWh, no-load fuel 600 - 8 x 50 = 200 GJ/h.
BASE_CURVE = {"load_fractions": [0.5, 1.0], "efficiencies": [0.30, 0.36]}


def _base(**units) -> dict:
    return small.thermal("base", "a", 10, 100, min_stable=0.5, part_load=BASE_CURVE, **units)


def _uc(spec, demand, **options):
    return solve(small.inputs(spec, demand, operations="unit_commitment", **options))


def test_start_cost_keeps_a_unit_on_overnight():
    # Demand 100, 50, 50, 100 MW; free wind of 50 MW in the two night hours; a peaker at 50 USD/MWh.
    # Cycling: base off at night (wind serves), restarted in hour 3: fuel 1,000 + 1,000 = 2,000 plus
    # one start. Staying on: base at 50 MW at night (wind curtailed): 1,000 + 600 + 600 + 1,000 = 3,200.
    # With a start wear of 20 USD/MW x 100 MW = 2,000 USD, cycling costs 4,000 > 3,200: it stays on.
    # With 1 USD/MW (100 USD per start) it cycles: 2,000 + 100 = 2,100 USD and one start.
    wind = small.plant("wind", "a", [0, 50, 50, 0], connection=50)
    demand = {"a": [100, 50, 50, 100]}
    peak = small.thermal("peak", "a", 50, 100)
    costly = _uc(small.grid(["a"], [_base(start_wear_usd_per_mw=20.0), peak]), demand, renewables=[wind])
    assert costly.objective_usd == pytest.approx(3200, rel=REL)
    assert costly.online_units["base"].tolist() == pytest.approx([1, 1, 1, 1])
    assert costly.starts["base"].sum() == pytest.approx(0, abs=1e-9)
    free = _uc(small.grid(["a"], [_base(start_wear_usd_per_mw=1.0), peak]), demand, renewables=[wind])
    assert free.objective_usd == pytest.approx(2100, rel=REL)
    assert free.online_units["base"].tolist() == pytest.approx([1, 0, 0, 1])
    assert free.starts["base"].sum() == pytest.approx(1)
    assert free.summary()["thermal"]["base"]["starts"] == pytest.approx(1)


def test_minimum_up_time_binds():
    # Demand 50, 100, 50, 50 MW with 50 MW of free wind in hours 0, 2 and 3. Without a minimum up
    # time the base unit is off in hour 0 (free shutdown), started for hour 1 only: 1,000 USD.
    # With min_up_h = 3 a start in hour 1 would keep it on to hour 3 at 50 MW: 1,000 + 2 x 600 =
    # 2,200; cheaper is to keep it on from before the study through hour 1 and stop it then:
    # 600 (hour 0 at 50 MW) + 1,000 = 1,600.
    wind = small.plant("wind", "a", [50, 0, 50, 50], connection=50)
    demand = {"a": [50, 100, 50, 50]}
    loose = _uc(small.grid(["a"], [_base()]), demand, renewables=[wind])
    assert loose.objective_usd == pytest.approx(1000, rel=REL)
    bound = _uc(small.grid(["a"], [_base(min_up_h=3)]), demand, renewables=[wind])
    assert bound.objective_usd == pytest.approx(1600, rel=REL)
    assert bound.online_units["base"].tolist() == pytest.approx([1, 1, 0, 0])


def test_minimum_stable_level_forces_another_unit_to_back_down():
    # Demand 150 MW. Cheap 100 MW at 10 USD/MWh (minimum 80 MW) and mid 100 MW at 20 USD/MWh with a
    # 60 MW minimum. Energy only: cheap 100 + mid 50 = 1,000 + 1,000 = 2,000 USD. With commitment
    # mid cannot run below 60 MW, so cheap backs down to 90 MW: 900 + 1,200 = 2,100 USD.
    units = [small.thermal("cheap", "a", 10, 100, min_stable=0.8), small.thermal("mid", "a", 20, 100, min_stable=0.6)]
    spec = small.grid(["a"], units)
    energy = solve(small.inputs(spec, {"a": [150]}))
    assert energy.objective_usd == pytest.approx(2000, rel=REL)
    uc = _uc(spec, {"a": [150]})
    assert uc.objective_usd == pytest.approx(2100, rel=REL)
    assert uc.thermal_mw["cheap"].iloc[0] == pytest.approx(90, rel=REL)
    assert uc.thermal_mw["mid"].iloc[0] == pytest.approx(60, rel=REL)


def test_part_load_fuel_at_sixty_percent_from_the_curve():
    # Curve of a 100 MW unit: efficiency 0.30 at 40 %, 0.34 at 60 %, 0.36 at full load. Fuel at the
    # points: 40 x 3.6 / 0.30 = 480, 60 x 3.6 / 0.34 = 635.294, 100 x 3.6 / 0.36 = 1,000 GJ/h.
    # Incremental heat rates 155.294 / 20 = 7.7647 and 364.706 / 40 = 9.1176 GJ/MWh (convex);
    # no-load fuel 480 - 7.7647 x 40 = 169.412 GJ/h. At 60 MW the unit burns 635.294 GJ/h:
    # 169.412 no-load + 465.882 incremental (7.7647 x 60).
    curve = {"load_fractions": [0.4, 0.6, 1.0], "efficiencies": [0.30, 0.34, 0.36]}
    unit = small.thermal("unit", "a", 10, 100, min_stable=0.4, part_load=curve)
    result = _uc(small.grid(["a"], [unit]), {"a": [60]})
    fuel = result.fuel_table().loc["unit"]
    assert fuel["total_gj"] == pytest.approx(60 * 3.6 / 0.34, rel=REL)
    assert fuel["no_load_gj"] == pytest.approx(480 - (60 * 3.6 / 0.34 - 480) / 20 * 40, rel=REL)
    assert fuel["start_up_gj"] == 0
    assert result.objective_usd == pytest.approx(60 * 3.6 / 0.34, rel=REL)
    thermal = result.summary()["thermal"]["unit"]
    assert thermal["average_efficiency"] == pytest.approx(0.34, rel=REL)
    assert thermal["hours_at_min_stable"] == 0


def test_relaxed_commitment_is_an_lp_with_fractional_units():
    # Two identical 50 MW units (one group) with minimum 60 %, demand 40 MW. Integer: one unit at
    # 40 MW (>= 30). Relaxed: any online count in [40/50, 40/30] serves; no-load fuel is 0 here, so
    # the cost is the same 400 USD either way, and the relaxed solve has no MIP gap.
    unit = small.thermal("pair", "a", 10, 100, min_stable=0.6, unit_count=2, unit_size_mw=50)
    spec = small.grid(["a"], [unit])
    integer = _uc(spec, {"a": [40]})
    relaxed = _uc(spec, {"a": [40]}, commitment="relaxed")
    assert integer.objective_usd == pytest.approx(400, rel=REL)
    assert relaxed.objective_usd == pytest.approx(400, rel=REL)
    assert integer.online_units["pair"].iloc[0] == pytest.approx(1)
    assert "milp" in integer.solver_method and "milp" not in relaxed.solver_method


def test_rolling_horizon_carries_units_online_and_reports_each_window():
    # Four days of 100 MW by day (hours 8-19) and 50 MW of free wind at night over 50 MW of demand,
    # start wear 2,000 USD: staying on at night costs 12 h x 600 = 7,200 USD > 2,000, so the unit
    # cycles once a day after the first night (it is online before the study, so no start on day 1
    # if it stays on; it stops at night and restarts each morning: 3 starts in 4 days when it is
    # off in the first night). Perfect foresight and 48/24 rolling windows agree on the starts.
    day = [50] * 8 + [100] * 12 + [50] * 4
    wind = small.plant("wind", "a", ([50] * 8 + [0] * 12 + [50] * 4) * 4, connection=50)
    spec = small.grid(["a"], [_base(start_wear_usd_per_mw=20.0, min_up_h=4, min_down_h=4)])
    foresight = _uc(spec, {"a": day * 4}, renewables=[wind])
    rolling = _uc(spec, {"a": day * 4}, renewables=[wind], mode="rolling_horizon", window_h=48, step_h=24)
    assert len(rolling.windows) == 3
    assert all(w.gap <= 0.005 + 1e-12 for w in rolling.windows)
    assert foresight.starts["base"].sum() == pytest.approx(4)
    assert rolling.starts["base"].sum() == pytest.approx(foresight.starts["base"].sum())
    assert rolling.objective_usd == pytest.approx(foresight.objective_usd, rel=1e-9)


def test_rolling_horizon_reports_each_window_to_a_progress_callback():
    # Three days in 48/24 windows: 2 windows (days 1-2 keeping day 1, then days 2-3 keeping both, as
    # the last window reaches the study's end); the callback hears (0, 2) before the first and (k, 2)
    # after the k-th, in order (issue 16 item 7: what the CLI's estimate is made from).
    day = [50] * 8 + [100] * 12 + [50] * 4
    spec = small.grid(["a"], [_base(start_wear_usd_per_mw=20.0, min_up_h=4, min_down_h=4)])
    calls: list[tuple[int, int]] = []
    inputs = small.inputs(spec, {"a": day * 3}, operations="unit_commitment", mode="rolling_horizon", window_h=48,
                          step_h=24)
    result = solve(inputs, on_window=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 2), (1, 2), (2, 2)]
    assert len(result.windows) == 2


def test_lookahead_hours_are_relaxed_and_the_kept_hours_integer():
    # The same four days as above with 2 units of 60 MW: with lookahead_commitment "relaxed" each
    # window's MILP has integer units online only in the 24 hours it keeps; the stitched result is
    # integer in every hour, and here (no fractional commitment pays in the look-ahead that an
    # integer one would not) the same as with an integer look-ahead.
    import numpy as np

    from energy_portfolio.dispatch.assemble import build_lp
    from energy_portfolio.dispatch.lp import WindowState

    day = [50] * 8 + [100] * 12 + [50] * 4
    wind = small.plant("wind", "a", ([50] * 8 + [0] * 12 + [50] * 4) * 4, connection=50)
    spec = small.grid(["a"], [_base(unit_count=2, unit_size_mw=50.0, capacity_mw=100.0,
                                    start_wear_usd_per_mw=20.0, min_up_h=4, min_down_h=4)])
    options = {"mode": "rolling_horizon", "window_h": 48, "step_h": 24}
    relaxed = _uc(spec, {"a": day * 4}, renewables=[wind], **options)
    integer = _uc(spec, {"a": day * 4}, renewables=[wind], lookahead_commitment="integer", **options)
    online = relaxed.online_units["base"].to_numpy()
    np.testing.assert_array_equal(online, np.round(online))
    assert relaxed.objective_usd == pytest.approx(integer.objective_usd, rel=1e-9)
    # the integrality of one window: the first 24 hours of "online" integer, the next 24 not
    two_days = small.plant("wind", "a", ([50] * 8 + [0] * 12 + [50] * 4) * 2, connection=50)
    inputs = small.inputs(spec, {"a": day * 2}, renewables=[two_days], operations="unit_commitment")
    lp = build_lp(inputs, WindowState(np.zeros(0), np.zeros(0), [], None, 24))
    block = lp.blocks["online"]
    flags = lp.integrality[block.start: block.start + 48]
    assert flags[:24].all() and not flags[24:].any()


def test_the_absolute_mip_gap_is_the_fraction_of_the_demand_at_the_cheapest_unit():
    """Closed form: 0.5 % x (100 + 200 + 300 MWh) x 30 USD/MWh (the cheaper of 30 and 50) = 90 USD; the
    wind available does not lower it (it scales the gap to the cost of demand, not the net objective)."""
    from energy_portfolio.dispatch.solve import mip_abs_gap_usd

    spec = small.grid(["a"], [small.thermal("cheap", "a", 30.0, 400.0),
                                          small.thermal("dear", "a", 50.0, 400.0)])
    window = small.inputs(spec, {"a": [100.0, 200.0, 300.0]}, renewables=[small.plant("w", "a", [50, 50, 50], 50)],
                          operations="unit_commitment", mip_rel_gap=0.005)
    assert mip_abs_gap_usd(window) == pytest.approx(0.005 * 600.0 * 30.0, rel=1e-12)
