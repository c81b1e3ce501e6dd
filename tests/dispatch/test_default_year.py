"""The default full-year problem (sites/azerbaijan_grid.yaml, the portfolio's sites, synthetic profiles).

The references here are the published figures of AZERBAIJAN_FACTS that the default grid is built
from, and accounting identities; the optimum itself is checked against PyPSA in test_pypsa.py.
"""

from __future__ import annotations

import pytest

from energy_portfolio.dispatch import solve_with_counterfactual

from .default_problem import default_inputs


@pytest.fixture(scope="module")
def year():
    return solve_with_counterfactual(default_inputs())


def test_full_year_solves_and_passes_the_checks(year):
    summary = year.summary()
    assert year.solver_status == "optimal"
    assert len(year.index) == 8784  # 2032 is a leap year
    # Demand is scaled exactly to the grid file's 2032 figure on the central path: FACTS 1.2's
    # 27.17 TWh of 2024 grown 2 %/yr for 8 years (31.83 TWh).
    assert summary["demand_mwh"] == pytest.approx(27_167_100 * 1.02**8, rel=1e-9)
    assert summary["unserved_mwh"] == pytest.approx(0.0, abs=1e-3)
    # The historical links (Georgia, Iran, Russia) export the firm Georgian contract (1,211 GWh, FACTS
    # 1.2/1.8) and surplus sold below every gas unit's cost: within the 1.2-3.3 TWh of FACTS 1.2
    # (2024: 1.4 TWh; 2023: 3.25). The Black Sea corridor (new in 2032) carries offshore wind only,
    # here on the tariff gas basis, where selling the farm's output abroad beats saving cheap gas.
    historical = sum(summary["trade"][link]["export_mwh"] for link in ("georgia", "iran", "russia"))
    assert summary["trade"]["georgia"]["export_firm_mwh"] == pytest.approx(1_211_000, rel=1e-9)
    assert 1.2e6 <= historical < 3.3e6
    corridor = summary["trade"]["black_sea_corridor"]
    assert corridor["export_mwh"] <= corridor["eligible_output_mwh"] + 1e-3
    # Gas burn: FACTS 1.2 has 24.5 TWh of thermal output in 2024, about 6-7 bcm at the fleet's
    # efficiencies; with the 8 GW of wind and solar and the new CCGT the year must burn less than that,
    # and every MWh of thermal output burns between the new CCGT's 193 m3 (54.6 %) and the steam units'
    # 296 m3 (35.6 %) at 34.2 MJ/m3 (FACTS 1.5, 1.6), start-up and no-load fuel aside (energy-only here).
    thermal_mwh = year.thermal_mw.to_numpy().sum()
    assert summary["gas_burn_mcm"] < 7_000
    assert 3.6 / 0.546 / 0.0342 - 1e-6 <= summary["gas_burn_mcm"] * 1e6 / thermal_mwh <= 3.6 / 0.356 / 0.0342 + 1e-6


def test_gas_saved_and_co2_avoided_are_consistent(year):
    summary = year.summary()
    thermal_reduction_mwh = year.counterfactual.thermal_mw.to_numpy().sum() - year.thermal_mw.to_numpy().sum()
    assert thermal_reduction_mwh > 0
    # Every MWh of thermal output avoided was made by some unit whose heat rate lies between the
    # new CCGT's (54.6 %: 6.59 GJ/MWh = 193 m3/MWh at 34.2 MJ/m3) and the steam units' (35.6 %:
    # 296 m3/MWh), so the gas saved per MWh avoided must lie in that range (FACTS 1.5, 1.6).
    per_mwh_m3 = summary["gas_saved_mcm"] * 1e6 / thermal_reduction_mwh
    assert 3.6 / 0.546 / 0.0342 - 1e-6 <= per_mwh_m3 <= 3.6 / 0.356 / 0.0342 + 1e-6
    # CO2 avoided follows gas saved through the fixed emission factor: 56.1 t/TJ x 34.2 MJ/m3.
    assert summary["co2_avoided_t"] == pytest.approx(summary["gas_saved_mcm"] * 1e6 * 34.2e-6 * 56.1, rel=1e-9)


def test_market_value_and_storage_summary(year):
    summary = year.summary()
    for plant in ("caspian_offshore_wind", "fuzuli_solar", "existing_solar", "existing_wind"):
        value = summary["plants"][plant]
        assert value["capture_price_usd_per_mwh"] > 0
        assert 0.5 < value["capture_rate"] < 1.5
    storage = summary["storage"]
    # Losses: every MWh discharged cost more than one MWh charged (eta = 0.87 round trip).
    assert storage["discharge_mwh"] < storage["charge_mwh"]
    assert storage["equivalent_full_cycles"] <= 365 + 1e-6  # the battery's cycle limit
