"""The LP as components on a builder (issue 14, items 4 and 5): storage of several technologies,
duals of inequality rows, and the shape of the component builders. Optima worked out by hand."""

from __future__ import annotations

import ast
import dataclasses
import functools
import inspect
from pathlib import Path

import numpy as np
import pytest

import energy_portfolio.dispatch.components as components
from energy_portfolio.dispatch import Storage
from energy_portfolio.dispatch import solve as solve_dispatch
from energy_portfolio.dispatch.solve import INTERFACES

from . import small

# As in test_cases.py: HiGHS' default 1e-7 tolerances on values of order 1e2..1e4.
REL = 1e-6
DISPATCH = Path(components.__file__).resolve().parents[1]


@pytest.fixture(params=INTERFACES)
def solve(request):
    """Through both ways of calling HiGHS (highspy and scipy.optimize)."""
    return functools.partial(solve_dispatch, interface=request.param)


def _pumped_hydro() -> Storage:
    """A PHS-like store: 80 % round trip (0.8 x 1.0), 200 MWh, pumps 60 MW, generates 100 MW,
    a natural inflow of 400 MWh in the first hour, starts empty."""
    return Storage(
        id="phs", zone="a", charge_power_mw=60.0, discharge_power_mw=100.0, energy_mwh=200.0,
        charge_efficiency=0.8, discharge_efficiency=1.0, soc_min_fraction=0.0, soc_max_fraction=1.0,
        initial_soc_fraction=0.0, standing_loss_per_hour=0.0, cycle_limit_per_year=None,
        discharge_cost_usd_per_mwh=0.5, technology="phs", inflow_mw=np.array([400.0, 0.0, 0.0]),
    )


def _two_stores_case():
    # Gas: cheap at 10 USD/MWh (1000 MW), mid at 30 (300 MW), peak at 50 (1000 MW); demand
    # 500, 1500, 1200 MW. Two stores from the one storage builder:
    # - phs (above): 400 MWh flow in during hour 0, but it holds 200 MWh and generates at most
    #   100 MW. Every MWh it generates is worth at least 10 - 0.5 > 0, so it generates 100 MW in
    #   each hour (300 MWh in all); to have 200 MWh for hours 1 and 2 it must end hour 0 full, so
    #   400 - 100 - 200 = 100 MWh are spilled in hour 0. SoC 200, 100, 0. It never pumps
    #   (it is full when power is cheap).
    # - bess: 50 MW / 50 MWh, 0.9 each way (81 % round trip), 1 USD/MWh to discharge, starts
    #   empty: charges 50 MW in hour 0 (45 MWh stored) and discharges 40.5 MW in hour 1, the
    #   dearest hour (0.81 x (50 - 1) = 39.69 > 10 per MWh charged).
    # Gas: hour 0: 500 + 50 - 100 = 450 MW cheap (price 10); hour 1: 1500 - 100 - 40.5 = 1359.5 =
    # 1000 cheap + 300 mid + 59.5 peak (price 50); hour 2: 1200 - 100 = 1100 = 1000 cheap + 100 mid
    # (price 30). Cost: 4,500 + (10,000 + 9,000 + 2,975) + (10,000 + 3,000) + 40.5 x 1 + 300 x 0.5
    # = 39,665.5 USD.
    spec = small.grid(["a"], [small.thermal("cheap", "a", 10, 1000), small.thermal("mid", "a", 30, 300),
                              small.thermal("peak", "a", 50, 1000)])
    return small.inputs(spec, {"a": [500, 1500, 1200]}, batteries=[_pumped_hydro(), small.battery("bess")])


def test_two_storage_technologies_in_one_hand_case(solve):
    result = solve(_two_stores_case())
    assert result.objective_usd == pytest.approx(39665.5, rel=REL)
    assert result.discharge_mw["phs"].tolist() == pytest.approx([100.0, 100.0, 100.0], abs=1e-6)
    assert result.charge_mw["phs"].tolist() == pytest.approx([0.0, 0.0, 0.0], abs=1e-6)
    assert result.spill_mw["phs"].tolist() == pytest.approx([100.0, 0.0, 0.0], abs=1e-6)
    assert result.soc_mwh["phs"].tolist() == pytest.approx([200.0, 100.0, 0.0], abs=1e-6)
    assert result.charge_mw["bess"].tolist() == pytest.approx([50.0, 0.0, 0.0], abs=1e-6)
    assert result.discharge_mw["bess"].tolist() == pytest.approx([0.0, 40.5, 0.0], abs=1e-6)
    assert result.price_usd_per_mwh["a"].tolist() == pytest.approx([10.0, 50.0, 30.0], rel=REL)
    # Each store carries its own technology label into the results.
    assert result.storage_technology == {"phs": "phs", "bess": "battery"}
    assert result.technology["phs"] == "phs"
    assert "spill_mw:phs" in result.hourly_frame().columns
    assert list(result.spill_mw.columns) == ["phs"]  # only stores with an inflow spill


def test_two_storage_technologies_match_pypsa():
    # The export maps the inflow to a free Generator on the store's bus (spill at zero cost) and
    # labels the Store with its technology; PyPSA finds the same optimum (tolerance: test_pypsa.py).
    pytest.importorskip("pypsa")
    from energy_portfolio.dispatch.pypsa_export import pypsa_totals, to_pypsa

    inputs = _two_stores_case()
    network = to_pypsa(inputs)
    assert network.stores.carrier.to_dict() == {"phs": "phs", "bess": "battery"}
    status, condition = network.optimize(solver_name="highs", log_to_console=False, include_objective_constant=False)
    assert (status, condition) == ("ok", "optimal")
    assert pypsa_totals(network, inputs)["objective_usd"] == pytest.approx(39665.5, rel=1e-6)


def test_shared_connection_dual_is_the_rent_of_the_connection(solve):
    # The shared-connection case of test_cases.py with a 60 MW battery, so that its charge (50 MW)
    # is set by the shared connection and not by its own power limit (a unique dual).
    # Hour 0: wind 150 behind a 100 MW shared connection; the battery takes the other 50 MW. One
    # MW more of shared connection would send 1 MWh more to the grid at the zone price 40 instead
    # of storing it, which is worth 0.9 x 0.9 x (40 - 1) = 31.59 in hour 1 (gas at 40 displaced,
    # 1 USD/MWh discharge cost). So the connection's rent in hour 0 is 40 - 31.59 = 8.41 USD/MWh,
    # and the dual of `plant + discharge - charge <= 100` (objective change per MW more) is -8.41.
    # Hour 1: 40.5 MW through the connection, not binding: dual 0; the reverse direction never binds.
    spec = small.grid(["a"], [small.thermal("gas", "a", 40, 1000)])
    wind = small.plant("wind", "a", [150.0, 0.0], connection=150.0)
    bess = small.battery(power_mw=60.0, coupled_plant="wind", shared_connection_mw=100.0)
    result = solve(small.inputs(spec, {"a": [300, 300]}, renewables=[wind], batteries=[bess]))
    assert result.charge_mw["bess"].tolist() == pytest.approx([50.0, 0.0], abs=1e-6)
    assert result.objective_usd == pytest.approx((200 + 259.5) * 40 + 40.5, rel=REL)
    assert result.dual("shared_connection:bess").tolist() == pytest.approx([-8.41, 0.0], abs=1e-6)
    assert result.dual("shared_connection:bess:reverse").tolist() == pytest.approx([0.0, 0.0], abs=1e-6)
    # The balance duals are the prices; the stored energy is worth 0.9 x (40 - 1) = 35.1 USD/MWh.
    assert result.dual("balance:a").tolist() == pytest.approx(result.price_usd_per_mwh["a"].tolist(), abs=1e-9)
    assert result.price_usd_per_mwh["a"].tolist() == pytest.approx([40.0, 40.0], rel=REL)
    assert result.dual("soc:bess").tolist() == pytest.approx([-35.1, -35.1], abs=1e-6)
    assert list(result.duals("shared_connection").columns) == [
        "shared_connection:bess", "shared_connection:bess:reverse"
    ]


def test_hydro_budget_dual_and_rolling_horizon_stitching(solve):
    # Hydro (100 MW, 2000 MWh for the year, pro rata 2000 x 4 / 8760 = 0.913 MWh over these 4 h)
    # displaces gas at 30: one MWh more of budget saves 30 USD, so the budget's dual is -30 in
    # every hour it covers. Rolling horizon (2-hour windows, 1 hour kept) stitches the kept hours:
    # the balance duals are still the prices, every hour has a budget dual of -30.
    hydro = {"id": "dam", "zone": "a", "capacity_mw": 100, "annual_energy_mwh": 2000, "min_output_mw": 0}
    spec = small.grid(["a"], [small.thermal("gas", "a", 30, 1000)], hydro=[hydro])
    for mode in ("perfect_foresight", "rolling_horizon"):
        options = {"window_h": 2, "step_h": 1} if mode == "rolling_horizon" else {}
        result = solve(small.inputs(spec, {"a": [200, 200, 200, 200]}, mode=mode, **options))
        assert result.dual("budget:hydro:dam:2031").tolist() == pytest.approx([-30.0] * 4, abs=1e-6)
        assert result.dual("balance:a").tolist() == pytest.approx([30.0] * 4, abs=1e-6)


def _functions(module_path: Path):
    tree = ast.parse(module_path.read_text())
    return [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]


def test_component_builders_are_small_and_free_of_config():
    # One small function per component kind: each under 60 lines (source, docstring included).
    for add in components.COMPONENTS:
        assert len(inspect.getsource(add).splitlines()) < 60, add.__name__
    for path in sorted((DISPATCH / "components").glob("*.py")):
        for node in _functions(path):
            assert node.end_lineno - node.lineno + 1 < 60, f"{path.name}: {node.name}"
    # The LP, the components, the checks, the results and the export read no config object.
    files = [DISPATCH / name for name in ("lp.py", "assemble.py", "checks.py", "result.py", "pypsa_export.py",
                                          "solve.py", "inputs.py", "system.py")]
    files += sorted((DISPATCH / "components").glob("*.py"))
    for path in files:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                module = ("." * node.level) + (node.module or "")
                assert "config" not in module.split("."), f"{path.name} imports {module}"
            elif isinstance(node, ast.Import):
                assert not any("config" in alias.name.split(".") for alias in node.names), path.name
    # build_lp itself is a loop over the components.
    from energy_portfolio.dispatch.assemble import build_lp

    assert len(inspect.getsource(build_lp).splitlines()) < 30


def test_monthly_shape_spreads_the_annual_and_the_scenario_budgets():
    # 1,200 MWh a year with shape 0.05 (Jan) and 0.15 (Feb) ...: the January budget is 60 MWh and the
    # February one 180; the 'dry' year (600 MWh) keeps the shape: 30 and 90. A study of the last
    # 24 h of January and the first 24 h of February gets 24/744 and 24/672 of each month's budget.
    from energy_portfolio.dispatch.lp import energy_budgets

    shape = [0.05, 0.15] + [0.08] * 10
    hydro = {"id": "h", "zone": "a", "capacity_mw": 10, "annual_energy_mwh": 1200, "monthly_shape": shape,
             "scenarios_annual_energy_mwh": {"dry": 600}, "min_output_mw": 0, "ramp_mw_per_h": 2}
    spec = small.grid(["a"], [small.thermal("gas", "a", 30, 100)], hydro=[hydro])
    base = small.inputs(spec, {"a": [5.0] * 48}, start="2031-01-31")
    assert base.hydro[0].monthly_energy_mwh[:2] == pytest.approx((60.0, 180.0))
    assert base.hydro[0].ramp_mw_per_h == 2
    limits = [b.limit_mwh for b in energy_budgets(base)]
    assert limits == pytest.approx([60 * 24 / 744, 180 * 24 / 672])
    dry = dataclasses.replace(base, hydro_scenario="dry")
    assert [b.limit_mwh for b in energy_budgets(dry)] == pytest.approx([30 * 24 / 744, 90 * 24 / 672])
