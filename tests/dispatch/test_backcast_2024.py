"""The 2024 back-cast against what the Azerbaijan system published for 2024 (FACTS 1.2).

``sites/portfolio_2024_backcast.yaml`` runs the shipped grid file in 2024 (the fleet then in service,
the 2024 demand, the wet hydro year, Georgia's firm contract) with unit commitment and reserves, as
the default portfolio runs. Each figure below is compared with the published one, with the tolerance
and what it does and does not test: several totals follow from inputs taken from the same statistics
(demand on the generation basis is gross generation - exports + imports; the hydro budget is the
year's output; Georgia's contract is sized to the year's exports), so for those the test checks that
the dispatch delivers them; the thermal share, the solar output and the fuel and CO2 per MWh are
the model's own.

Published 2024 (FACTS 1.2, GWh): gross generation 28,394.1 = thermal 24,543.2 + hydro 3,011.0 + solar
556.3 + wind 51.1 + municipal waste 232.5; exports 1,397.5; imports 170.5.
"""

from __future__ import annotations

import pytest

from energy_portfolio.config import load_portfolio
from energy_portfolio.portfolio import run_portfolio
from tests.conftest import SITES

PUBLISHED_GWH = {"gross": 28_394.1, "thermal": 24_543.2, "hydro": 3_011.0, "solar": 556.3, "wind": 51.1,
                 "waste": 232.5, "exports": 1_397.5, "imports": 170.5}


@pytest.fixture(scope="module")
def backcast():
    return run_portfolio(load_portfolio(SITES / "portfolio_2024_backcast.yaml"))


@pytest.fixture(scope="module")
def supply_gwh(backcast):
    units = backcast.dispatch_by_unit()
    by = units.groupby("technology")["supply_mwh"].sum() / 1000.0
    return {"thermal": by["gas"], "hydro": by["hydro"], "solar": by["solar"], "wind": by["wind"]}


@pytest.mark.slow
def test_gross_generation_and_the_gas_share_of_2024(backcast, supply_gwh):
    gross = sum(supply_gwh.values())
    # Gross generation: demand (27,167 GWh, generation basis) + exports - imports. Demand is an input
    # built from these statistics, so this checks the balance closes on the right basis: within the
    # 186 GWh of exports the model does not make (below) plus the imports, 1.5 %.
    assert gross == pytest.approx(PUBLISHED_GWH["gross"], rel=0.015)
    # Gas share: the model has no waste-to-energy plant (37 MW, 232.5 GWh), so its gas fleet makes that
    # energy too; published thermal + waste = 87.3 % of gross. Within 1.5 points: what the model decides
    # is how much gas the wet hydro year, the solar fleet and the trade leave (FACTS 1.2: gas 86 % of
    # generation in Jan-Nov 2024, 93 % a year earlier).
    published = (PUBLISHED_GWH["thermal"] + PUBLISHED_GWH["waste"]) / PUBLISHED_GWH["gross"]
    assert supply_gwh["thermal"] / gross == pytest.approx(published, abs=0.015)


@pytest.mark.slow
def test_hydro_solar_and_wind_of_2024(supply_gwh):
    # Hydro: the wet-year budgets (3.0 TWh, FACTS 1.2) are an input; the dispatch must use the whole of
    # them (the water is free): within 1 % of the 3,011 GWh published.
    assert supply_gwh["hydro"] == pytest.approx(PUBLISHED_GWH["hydro"], rel=0.01)
    # Solar: the model's own yield (pvlib on each plant's synthetic typical year) of Garadagh (230 MWac)
    # and the early plants (48.2 MW). 13 %: the climatology proxy's own spread (FACTS 4a: the two
    # stations bracketing the sites differ by 18 %, half of it 9 %) plus about 4 % for the DC/AC ratios
    # FACTS does not give; the real 2024 weather was not a typical year either.
    assert supply_gwh["solar"] == pytest.approx(PUBLISHED_GWH["solar"], rel=0.13)
    # Wind is not a test of the model: the early farms' availability (0.22 in
    # sites/reference/early_wind.yaml) was derived from these 51.1 GWh, because the model's turbines
    # otherwise give a 40 % capacity factor against the 9 % the 63.5 MW fleet achieved. Only the
    # derivation is checked here.
    assert supply_gwh["wind"] == pytest.approx(PUBLISHED_GWH["wind"], rel=0.05)


@pytest.mark.slow
def test_trade_of_2024(backcast):
    m = backcast.metrics()
    firm_gwh = m["dispatch.trade.georgia.export_firm_mwh"] / 1000.0
    exports_gwh = m["dispatch.export_mwh"] / 1000.0
    # Georgia's firm contract (1,211 GWh: 2024's exports x Georgia's share, FACTS 1.2/1.8) is served in
    # full; the other 186 GWh of 2024 (Iran, Russia, Nakhchivan-Turkiye) were sold at prices the grid
    # file puts below every gas unit's cost (no price is published), so the model exports no more.
    assert firm_gwh == pytest.approx(1_211.0, rel=1e-6)
    assert firm_gwh <= exports_gwh <= PUBLISHED_GWH["exports"] * 1.05
    # Imports: 170.5 GWh in 2024, balancing and Nakhchivan's supply from Iran and Turkiye (the exclave
    # is not modelled); the grid file prices imports above every gas unit (120 USD/MWh), so the model
    # imports almost nothing. The test holds the model to no more than the published imports.
    assert m["dispatch.import_mwh"] / 1000.0 <= PUBLISHED_GWH["imports"]


@pytest.mark.slow
def test_fuel_and_co2_per_mwh_of_2024(backcast, supply_gwh):
    m = backcast.metrics()
    gross_mwh = sum(supply_gwh.values()) * 1000.0
    # CO2 per MWh generated, combustion only: Electricity Maps gives 431 g/kWh for 2024 on a lifecycle
    # basis (FACTS 1.7), which for gas counts about 490 g/kWh against about 370-400 g at the stack
    # (IPCC AR5 lifecycle medians), and the official project statements use 0.40-0.45 t/MWh for the grid
    # margin. The fleet average must sit below both: 0.33-0.43 t/MWh.
    assert 0.33 <= m["dispatch.co2_t"] / gross_mwh <= 0.43
    # Gas per MWh of thermal output between the best CCGT in service in 2024, Shimal at 52.7 % (200 m3/MWh
    # at 34.2 MJ/m3), and the steam units at 35.6 % (296 m3/MWh; FACTS 1.5); start-up fuel included.
    per_mwh = m["dispatch.gas_burn_mcm"] * 1e6 / (supply_gwh["thermal"] * 1000.0)
    assert 3.6 / 0.527 / 0.0342 <= per_mwh <= 3.6 / 0.356 / 0.0342
    # Garadagh's gas saved per MWh against the official claim, 110 million m3 per 500 GWh = 220 m3/MWh
    # (FACTS 1.7), which implies a displaced plant of 48 % efficiency. The model displaces the units at
    # the margin (the gas engines at 40 % and part-loaded units), so it finds more: the test holds it
    # inside the fleet's physical range, between Shimal's 200 and the steam units' 296 m3/MWh.
    assert 200.0 <= m["dispatch.gas_saved_m3_per_mwh"] <= 296.0


@pytest.mark.slow
def test_the_2024_fleet_and_peak(backcast):
    grid = backcast.portfolio.study_grid
    # FACTS 1.1 and 1.5: no Mingachevir CCGT before 2025, no battery before 2026; Garadagh is the portfolio.
    assert "mingachevir_ccgt" not in [u.id for u in grid.thermal_units]
    assert grid.existing_storage == ()
    assert [u.id for u in grid.existing_renewables] == ["early_solar", "early_wind"]
    thermal_mw = sum(u.capacity_mw for u in grid.thermal_units)
    # FACTS 1.1: the end-2024 total less the renewables including hydro
    assert thermal_mw == pytest.approx(8_415 - 1_792.6, rel=0.001)
    # The peak: grown back from the 2025 record (4,871 MW, FACTS 1.3) on the central path, 3.5 %/yr.
    peak = backcast.dispatch.demand_mw.to_numpy().sum(axis=1).max()
    assert peak == pytest.approx(4_871 / 1.035, rel=1e-6)
