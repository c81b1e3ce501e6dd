"""Hand-solved trade cases: a firm export band, opportunistic prices on a market reference, and links
that may carry only renewables or named plants (issue 17, item 4). Each optimum is worked out in the
comments; the default grid's exports are compared with the published volumes of AZERBAIJAN_FACTS 1.2."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from energy_portfolio.config.portfolio import DispatchOptions
from energy_portfolio.dispatch import solve as solve_dispatch
from energy_portfolio.dispatch.solve import INTERFACES

from . import small
from .default_problem import default_inputs

# Tiny LPs solved to HiGHS' default 1e-7 tolerances on values of order 1e1..1e4 (as test_cases.py).
REL = 1e-6
JANUARY_HOURS = 744


@pytest.fixture(params=INTERFACES)
def solve(request):
    return functools.partial(solve_dispatch, interface=request.param)


def _link(**fields) -> dict:
    link = {"id": "tie", "zone": "a", "neighbour": "N", "export_capacity_mw": 100, "import_capacity_mw": 0,
            "opportunistic": {"basis": "fixed", "export_price_usd_per_mwh": 5, "import_price_usd_per_mwh": 80}}
    link.update(fields)
    return link


def _firm(band_mw: float, price: float = 60.0) -> dict:
    """A contract whose January band is ``band_mw`` (January energy = band x 744 h), nothing in other months."""
    return {"monthly_energy_mwh": [band_mw * JANUARY_HOURS] + [0.0] * 11, "price_usd_per_mwh": price}


def test_firm_band_is_served_exactly_and_earns_only_its_contract_price(solve):
    # Gas at 10 USD/MWh, demand 100 MW for two January hours, a firm band of 30 MW (22,320 MWh in
    # January over 744 h) at 60 USD/MWh and opportunistic sales at 5 (< 10: none). Gas makes 130 MW
    # each hour: cost 2 x 1,300 = 2,600 USD, firm revenue 2 x 30 x 60 = 3,600, objective -1,000.
    # The band is fixed, so the price stays the gas unit's 10 and the contract price does not matter.
    spec = small.grid(["a"], [small.thermal("gas", "a", 10, 1000)], interconnectors=[_link(firm_export=_firm(30))])
    result = solve(small.inputs(spec, {"a": [100, 100]}))
    assert result.export_mw["tie"].tolist() == pytest.approx([30, 30], rel=REL)
    assert result.export_firm_mw["tie"].tolist() == pytest.approx([30, 30], rel=REL)
    assert result.export_opportunistic_mw["tie"].tolist() == pytest.approx([0, 0], abs=1e-6)
    assert result.objective_usd == pytest.approx(-1000, rel=REL)
    assert result.price_usd_per_mwh["a"].tolist() == pytest.approx([10, 10], rel=REL)
    trade = result.trade["tie"]
    assert trade.export_firm_mwh == pytest.approx(60, rel=REL)
    assert trade.firm_revenue_usd == pytest.approx(3600, rel=REL)
    assert trade.opportunistic_revenue_usd == pytest.approx(0, abs=1e-6)
    # Opportunistic sales at 15 (> 10) fill the rest of the link above the band: 70 MW an hour.
    # Cost 2 x 200 x 10 = 4,000, revenue 3,600 + 2 x 70 x 15 = 5,700, objective -1,700.
    sells = _link(firm_export=_firm(30), opportunistic={"basis": "fixed", "export_price_usd_per_mwh": 15,
                                                        "import_price_usd_per_mwh": 80})
    result = solve(small.inputs(small.grid(["a"], [small.thermal("gas", "a", 10, 1000)], interconnectors=[sells]),
                                {"a": [100, 100]}))
    assert result.export_mw["tie"].tolist() == pytest.approx([100, 100], rel=REL)
    assert result.trade["tie"].export_opportunistic_mwh == pytest.approx(140, rel=REL)
    assert result.objective_usd == pytest.approx(-1700, rel=REL)


def test_market_reference_prices_trade_by_month(solve):
    # Two hours either side of midnight 31 January / 1 February. Reference 40 USD/MWh in January
    # and 12 in February, less a 10 USD/MWh discount: sales earn 30 (> gas 10: the link's 100 MW)
    # and then 2 (< 10: none). Cost 10 x 200 + 10 x 100 = 3,000, revenue 30 x 100, objective 0.
    market = {"basis": "market_reference", "market": "test exchange", "monthly_price_usd_per_mwh": [40] + [12] * 11,
              "export_discount_usd_per_mwh": 10, "import_premium_usd_per_mwh": 5}
    spec = small.grid(["a"], [small.thermal("gas", "a", 10, 1000)], interconnectors=[_link(opportunistic=market)])
    result = solve(small.inputs(spec, {"a": [100, 100]}, start="2031-01-31 23:00"))
    assert result.export_mw["tie"].tolist() == pytest.approx([100, 0], abs=1e-6)
    assert result.objective_usd == pytest.approx(0, abs=1e-6)
    assert result.trade["tie"].price_basis == "market_reference: test exchange"
    assert result.trade["tie"].opportunistic_revenue_usd == pytest.approx(3000, rel=REL)


def test_renewables_only_link_never_exports_more_than_the_hours_wind(solve):
    # Gas at 10, demand 100 MW, wind 50 MW then 0, a 100 MW link paying 30 USD/MWh: gas-fired
    # exports would pay (30 > 10), and an unrestricted link sells 100 MW in both hours. Carrying
    # renewables only, it sells the wind of each hour: 50 then 0. Gas: 100 + 50 - 50 = 100 MW, then
    # 100. Objective 10 x 200 - 30 x 50 = 500. The row's dual in hour 0 is -(30 - 10) = -20: the
    # premium one more MWh of wind earns abroad over the zone price.
    units = [small.thermal("gas", "a", 10, 1000)]
    price = {"basis": "fixed", "export_price_usd_per_mwh": 30, "import_price_usd_per_mwh": 80}
    wind = small.plant("wind", "a", [50.0, 0.0], connection=100.0)
    free = solve(small.inputs(small.grid(["a"], units, interconnectors=[_link(opportunistic=price)]),
                              {"a": [100, 100]}, renewables=[wind]))
    assert free.export_mw["tie"].tolist() == pytest.approx([100, 100], rel=REL)
    spec = small.grid(["a"], units, interconnectors=[_link(opportunistic=price, carries="renewables")])
    result = solve(small.inputs(spec, {"a": [100, 100]}, renewables=[wind]))
    assert result.export_mw["tie"].tolist() == pytest.approx([50, 0], abs=1e-6)
    assert result.thermal_mw["gas"].tolist() == pytest.approx([100, 100], rel=REL)
    assert result.objective_usd == pytest.approx(500, rel=REL)
    assert result.dual("trade_carries:tie").iloc[0] == pytest.approx(-20, rel=REL)
    assert np.all(result.export_mw["tie"].to_numpy() <= result.renewable_mw["wind"].to_numpy() + 1e-6)
    assert result.trade["tie"].eligible_output_mwh == pytest.approx(50, rel=REL)


def test_dedicated_site_link_carries_only_its_plant_and_nests_in_a_renewables_link(solve):
    # Demand 100, gas 10, offshore wind 80 MW and solar 60 MW in both hours. The corridor may carry
    # the offshore farm only (100 MW at 30): 80 MW, not the 100 the solar would allow. A second link
    # carrying any renewables (100 MW at 20) takes the rest of the 140 MW: 60. Gas 100 + 140 - 140 =
    # 100 MW. Objective 10 x 200 - 2 x (30 x 80 + 20 x 60) = 2,000 - 7,200 = -5,200.
    units = [small.thermal("gas", "a", 10, 1000)]
    corridor = _link(opportunistic={"basis": "fixed", "export_price_usd_per_mwh": 30, "import_price_usd_per_mwh": 80},
                     carries=["offshore"])
    green = _link(id="green", opportunistic={"basis": "fixed", "export_price_usd_per_mwh": 20,
                                             "import_price_usd_per_mwh": 80}, carries="renewables")
    plants = [small.plant("offshore", "a", [80.0, 80.0], 100.0), small.plant("solar", "a", [60.0, 60.0], 100.0)]
    result = solve(small.inputs(small.grid(["a"], units, interconnectors=[corridor, green]), {"a": [100, 100]},
                                renewables=plants))
    assert result.export_mw["tie"].tolist() == pytest.approx([80, 80], rel=REL)
    assert result.export_mw["green"].tolist() == pytest.approx([60, 60], rel=REL)
    assert result.objective_usd == pytest.approx(-5200, rel=REL)
    assert result.trade["tie"].eligible_export_share == pytest.approx(1.0, rel=REL)
    # Without the offshore farm (the counterfactual of a portfolio), the corridor carries nothing.
    without = solve(small.inputs(small.grid(["a"], units, interconnectors=[corridor, green]), {"a": [100, 100]},
                                 renewables=plants[1:]))
    assert without.export_mw["tie"].tolist() == pytest.approx([0, 0], abs=1e-6)
    assert without.trade["tie"].eligible_export_share is None


def test_restricted_trade_matches_pypsa():
    # The nested case above with a firm band on a third link, through the PyPSA export: a bus of the
    # offshore farm inside a bus of every wind and solar plant, each joined one way to the next.
    pytest.importorskip("pypsa")
    from energy_portfolio.dispatch.pypsa_export import pypsa_totals, to_pypsa

    units = [small.thermal("gas", "a", 10, 1000)]
    corridor = _link(opportunistic={"basis": "fixed", "export_price_usd_per_mwh": 30, "import_price_usd_per_mwh": 80},
                     carries=["offshore"])
    green = _link(id="green", opportunistic={"basis": "fixed", "export_price_usd_per_mwh": 20,
                                             "import_price_usd_per_mwh": 80}, carries="renewables")
    firm = _link(id="firm", firm_export=_firm(30), import_capacity_mw=50)
    plants = [small.plant("offshore", "a", [80.0, 20.0, 0.0], 100.0), small.plant("solar", "a", [60.0, 0.0, 30.0],
                                                                                100.0)]
    inputs = small.inputs(small.grid(["a"], units, interconnectors=[corridor, green, firm]), {"a": [100, 120, 90]},
                          renewables=plants)
    ours = solve_dispatch(inputs)
    network = to_pypsa(inputs)
    status, condition = network.optimize(solver_name="highs", log_to_console=False, include_objective_constant=False)
    assert (status, condition) == ("ok", "optimal")
    theirs = pypsa_totals(network, inputs)
    # Both at HiGHS' default tolerances (test_pypsa.py).
    assert theirs["objective_usd"] == pytest.approx(ours.objective_usd, rel=1e-6)
    assert theirs["export_mwh"] == pytest.approx(float(ours.export_mw.to_numpy().sum()), rel=1e-4)


def test_restriction_outside_the_link_zone_is_refused_by_the_pypsa_export():
    pytest.importorskip("pypsa")
    from energy_portfolio.dispatch.pypsa_export import to_pypsa

    units = [small.thermal("gas", "a", 10, 1000), small.thermal("gas_b", "b", 10, 1000)]
    corridor = _link(carries=["offshore"])
    spec = small.grid(["a", "b"], units, interconnectors=[corridor],
                      lines=[{"id": "ab", "from_zone": "a", "to_zone": "b", "capacity_mw": 100}])
    inputs = small.inputs(spec, {"a": [100], "b": [100]}, renewables=[small.plant("offshore", "b", [80.0], 100.0)])
    with pytest.raises(ValueError, match="plant offshore is in zone b"):
        to_pypsa(inputs)


def test_default_grid_exports_within_the_published_range_on_the_export_value_basis():
    # The default grid with the portfolio's plants (synthetic profiles) and gas at its export value
    # (the shipped portfolios' basis). FACTS 1.2: exports of 1.1 TWh (2020) to 3.25 TWh (2023), 1.4 TWh
    # in 2024. The historical links sell the firm Georgian contract (1,211 GWh) and surplus only,
    # so they stay within that range; the corridor (new in 2032) sells offshore wind when the HUPX
    # reference less the HVDC tariff beats the gas it would save at home, which is part of the year
    # only: some, but far from all, of the farm's output (its share is below one half).
    options = DispatchOptions(mode="perfect_foresight", hold_reserves=False, gas_price_basis="export_value")
    result = solve_dispatch(default_inputs(options=options))
    trade = result.trade
    historical = sum(trade[link].export_mwh for link in ("georgia", "iran", "russia"))
    assert trade["georgia"].export_firm_mwh == pytest.approx(1_211_000, rel=1e-9)
    assert 1.1e6 <= historical <= 3.25e6
    total = float(result.export_mw.to_numpy().sum())
    assert 1.1e6 <= total <= 3.25e6
    share = trade["black_sea_corridor"].eligible_export_share
    assert share is not None and 0.0 < share < 0.5
