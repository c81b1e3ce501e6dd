"""Cash flows per year: degradation, capex, opex, decommissioning, PPA and market revenue."""

from __future__ import annotations

import numpy as np
import pytest

from energy_portfolio.config.site import Economics
from energy_portfolio.economics import (
    capex_usd,
    cost_by_year_usd,
    degradation_factors,
    energy_by_year_mwh,
    market_revenue_usd,
    ppa_revenue_by_year_usd,
    revenue_by_year_usd,
)
from energy_portfolio.errors import InputError


def test_energy_degrades_geometrically():
    # 0.5 %/yr: year t produces (1 - 0.005)^(t-1) of year 1; year 0 is construction.
    energy = energy_by_year_mwh(1000.0, 0.005, 4)
    np.testing.assert_allclose(energy, [0.0, 1000.0, 995.0, 990.025, 985.074875], rtol=1e-12)
    np.testing.assert_array_equal(degradation_factors(0.0, 3), [0.0, 1.0, 1.0, 1.0])


def test_costs_of_the_default_solar_site(solar_site):
    # Fuzuli: 240 MW x 830 USD/kW = 199.2 M USD; 240 MW x 15 USD/kW/yr = 3.6 M USD a year.
    energy = energy_by_year_mwh(500_000.0, solar_site.degradation_per_year, solar_site.lifetime_years)
    costs = cost_by_year_usd(solar_site.economics, solar_site.capacity_mw, energy)
    assert costs.size == solar_site.lifetime_years + 1
    assert costs[0] == pytest.approx(199.2e6)
    np.testing.assert_allclose(costs[1:], 3.6e6)  # variable opex is 0 at Fuzuli


def test_battery_capex_per_kwh(battery_site):
    # FACTS 2.6: 181 USD/kWh x 250 MWh = 45.25 M USD; 0 USD/kW on the power rating.
    assert capex_usd(battery_site.economics, battery_site.capacity_mw, battery_site.energy_mwh) == pytest.approx(
        45.25e6
    )
    with pytest.raises(InputError, match="energy_capacity_mwh"):
        capex_usd(battery_site.economics, battery_site.capacity_mw)


def test_decommissioning_in_the_last_year():
    economics = Economics(
        capex_usd_per_kw=1000.0,
        fixed_opex_usd_per_kw_year=10.0,
        variable_opex_usd_per_mwh=2.0,
        discount_rate_real=0.08,
        decommissioning_usd_per_kw=50.0,
    )
    costs = cost_by_year_usd(economics, 2.0, [0.0, 100.0, 100.0, 100.0])
    # 2 MW: capex 2 M; opex 20 000 + 200 a year; decommissioning 100 000 in year 3.
    np.testing.assert_allclose(costs, [2e6, 20_200.0, 20_200.0, 120_200.0])


def test_ppa_revenue_with_escalation():
    economics = Economics(
        capex_usd_per_kw=1000.0,
        fixed_opex_usd_per_kw_year=10.0,
        variable_opex_usd_per_mwh=0.0,
        discount_rate_real=0.08,
        ppa_price_usd_per_mwh=40.0,
        ppa_escalation_per_year=0.01,
    )
    revenue = ppa_revenue_by_year_usd(economics, [0.0, 100.0, 100.0, 50.0])
    np.testing.assert_allclose(revenue, [0.0, 4000.0, 4040.0, 50 * 40 * 1.01**2])


def test_ppa_revenue_needs_a_price(small_economics):
    with pytest.raises(InputError, match="ppa_price_usd_per_mwh is not given"):
        ppa_revenue_by_year_usd(small_economics, [0.0, 1.0])


def test_market_revenue_is_the_hourly_sum():
    # Three hours: 10 MWh at 30, 20 at 50, a battery charging 5 MWh at 20 (a cost).
    assert market_revenue_usd([10.0, 20.0, -5.0], [30.0, 50.0, 20.0]) == pytest.approx(300 + 1000 - 100)
    revenue = revenue_by_year_usd(1200.0, 0.01, 2)
    np.testing.assert_allclose(revenue, [0.0, 1200.0, 1188.0])


def test_market_revenue_rejects_nan_and_mismatched_hours():
    with pytest.raises(InputError, match=r"price_usd_per_mwh has 1 missing or infinite values \(first at index 1"):
        market_revenue_usd([1.0, 2.0], [30.0, np.nan])
    with pytest.raises(InputError, match="delivered_mwh has 3 hours but price_usd_per_mwh has 2"):
        market_revenue_usd([1.0, 2.0, 3.0], [30.0, 40.0])


def test_energy_by_year_rejects_bad_input():
    with pytest.raises(InputError, match=r"degradation_per_year = 1\.5"):
        energy_by_year_mwh(100.0, 1.5, 10)
    with pytest.raises(InputError, match=r"lifetime_years = 2\.5"):
        energy_by_year_mwh(100.0, 0.0, 2.5)
    with pytest.raises(InputError, match="first_year_mwh = nan"):
        energy_by_year_mwh(float("nan"), 0.0, 10)


def test_cost_by_year_requires_no_energy_in_the_construction_year(small_economics):
    with pytest.raises(InputError, match=r"energy_by_year_mwh\[0\] = 5"):
        cost_by_year_usd(small_economics, 1.0, [5.0, 100.0])
