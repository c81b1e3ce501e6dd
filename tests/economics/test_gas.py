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
    lifetime_present_value,
    lifetime_total,
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


def test_present_value_of_a_level_stream_is_the_annuity_factor():
    # Annuity factor (1 - 1.05^-25) / 0.05 = 14.0939 (compound-interest tables, 25 years at 5 %);
    # the tables give 4 decimals, hence the 5e-5 tolerance.
    assert lifetime_present_value(1.0, 25, 0.05) == pytest.approx(14.0939, abs=5e-5)
    assert lifetime_present_value(900.0, 25, 0.05) == pytest.approx(900.0 * (1 - 1.05**-25) / 0.05, rel=1e-12)
    # At 0 % the present value is the undiscounted total.
    assert lifetime_present_value(900.0, 25, 0.0) == pytest.approx(lifetime_total(900.0, 25), rel=1e-12)


def test_present_value_of_a_degrading_stream_is_a_geometric_sum():
    # v sum_{t=1..N} (1-d)^(t-1) / (1+r)^t = v / (1+r) (1 - q^N) / (1 - q), q = (1-d)/(1+r).
    factors = np.r_[0.0, 0.995 ** np.arange(30)]
    q = 0.995 / 1.06
    expected = 100.0 / 1.06 * (1 - q**30) / (1 - q)
    assert lifetime_present_value(100.0, 30, 0.06, factors) == pytest.approx(expected, rel=1e-12)
    # the construction year (index 0) saves nothing, as in lifetime_total, whatever it is given
    assert lifetime_present_value(100.0, 30, 0.06, np.r_[1.0, factors[1:]]) == pytest.approx(expected, rel=1e-12)
    with pytest.raises(InputError, match="expected lifetime_years \\+ 1 = 31"):
        lifetime_present_value(100.0, 30, 0.06, factors[:-1])


def test_gas_summary_discounts_value_and_quantities_at_the_stated_rate(grid_gas):
    # 900 million m3 a year for 30 years at 5 %: annuity factor (1 - 1.05^-30) / 0.05 = 15.3725.
    value = value_gas_saved(900.0, grid_gas)
    summary = gas_summary(value, grid_gas, lifetime_years=30, discount_rate=0.05)
    factor = (1 - 1.05**-30) / 0.05
    assert summary["gas_discount_rate_real"] == 0.05
    assert summary["gas_saved_domestic_value_pv_usd"] == pytest.approx(98.1e6 * factor, rel=1e-12)
    assert summary["gas_saved_export_value_pv_usd"] == pytest.approx(322.2e6 * factor, rel=1e-12)
    assert summary["gas_export_premium_pv_usd"] == pytest.approx((322.2e6 - 98.1e6) * factor, rel=1e-12)
    assert summary["gas_saved_lifetime_discounted_bcm"] == pytest.approx(0.9 * factor, rel=1e-12)
    assert summary["co2_avoided_lifetime_discounted_t"] == pytest.approx(1_726_758.0 * factor, rel=1e-12)
    # the undiscounted keys stay as they were
    assert summary["gas_saved_lifetime_bcm"] == pytest.approx(27.0)
    # without a rate, every discounted key is there and None
    plain = gas_summary(value, grid_gas, lifetime_years=30)
    discounted = [k for k in summary if "_pv_" in k or "_discounted_" in k or k == "gas_discount_rate_real"]
    assert len(discounted) == 6 and all(plain[k] is None for k in discounted)
