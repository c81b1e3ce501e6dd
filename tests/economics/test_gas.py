"""Gas saved, its value at the domestic and export prices, and CO2 avoided."""

from __future__ import annotations

import numpy as np
import pytest

from energy_portfolio.economics import (
    co2_avoided_t,
    co2_from_gas_t,
    gas_saved_mcm,
    gas_summary,
    gas_value_usd,
    lifetime_gas_saved_bcm,
    value_gas_saved,
)
from energy_portfolio.errors import InputError


def test_gas_saved_is_exactly_the_difference_of_two_runs():
    # Two dispatch runs' gas burn (no portfolio, with portfolio); the saving must be the
    # floating-point difference itself, not a recomputation from energy.
    without, with_portfolio = 5123.456789, 4211.987654
    assert gas_saved_mcm(without, with_portfolio) == without - with_portfolio
    years_without = np.array([5100.25, 5210.5, 4999.75])
    years_with = np.array([4300.125, 4350.0, 4200.5])
    np.testing.assert_array_equal(gas_saved_mcm(years_without, years_with), years_without - years_with)


def test_gas_saved_rejects_nan_and_mismatched_years():
    with pytest.raises(InputError, match="gas_burn_with_portfolio_mcm has 1 missing"):
        gas_saved_mcm([5000.0, 5100.0], [4000.0, np.nan])
    with pytest.raises(InputError, match="expected the same years"):
        gas_saved_mcm([5000.0, 5100.0], [4000.0])


def test_values_at_the_default_prices(grid_gas):
    # 900 million m3 = 900 000 thousand m3: x 109 USD = 98.1 M USD at home (FACTS 1.6),
    # x 358 USD = 322.2 M USD exported; the export premium is the difference.
    value = value_gas_saved(900.0, grid_gas)
    assert value.domestic_value_usd == pytest.approx(98.1e6)
    assert value.export_value_usd == pytest.approx(322.2e6)
    assert value.export_premium_usd == pytest.approx(322.2e6 - 98.1e6)
    assert gas_value_usd(1.0, 100.0) == pytest.approx(100_000.0)


def test_co2_of_burnt_gas_hand_calculation(grid_gas):
    # 900e6 m3 x 34.2 MJ/m3 = 30 780 TJ; x 56.1 t/TJ (IPCC 2006, FACTS 1.7) = 1 726 758 t.
    assert co2_from_gas_t(900.0, grid_gas) == pytest.approx(1_726_758.0)
    assert value_gas_saved(900.0, grid_gas).co2_avoided_t == pytest.approx(1_726_758.0)
    assert co2_avoided_t(2.0e6, 1.5e6) == 0.5e6


def test_lifetime_totals(grid_gas):
    # 900 million m3 a year for 30 years = 27 bcm; with 0.5 %/yr less output each year,
    # sum_{t<30} 0.995^t = (1 - 0.995^30) / 0.005.
    assert lifetime_gas_saved_bcm(900.0, 30) == pytest.approx(27.0)
    factors = np.r_[0.0, 0.995 ** np.arange(30)]
    assert lifetime_gas_saved_bcm(900.0, 30, factors) == pytest.approx(0.9 * (1 - 0.995**30) / 0.005)
    summary = gas_summary(value_gas_saved(900.0, grid_gas), grid_gas, lifetime_years=30, discount_rate=0.08)
    assert summary["gas_saved_lifetime_bcm"] == pytest.approx(27.0)
    assert summary["co2_avoided_lifetime_t"] == pytest.approx(30 * 1_726_758.0)
    # Present value of a level premium: A (1 - 1.08^-30) / 0.08.
    premium = 322.2e6 - 98.1e6
    assert summary["gas_export_premium_pv_usd"] == pytest.approx(premium * (1 - 1.08**-30) / 0.08)
    assert summary["co2_factor_t_per_tj"] == 56.1
