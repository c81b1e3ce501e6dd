"""One-at-a-time sensitivity of NPV and LCOE, against closed forms of the cash flows.

The hand-sized site: 10 MW at 1000 USD/kW (capex C = 10 M USD), fixed opex 20 USD/kW/yr
(F = 200 000 USD/yr), variable opex v = 3 USD/MWh, 20 years at 8 % real, no degradation, a PPA at
50 USD/MWh, 30 000 MWh a year net and 27 000 MWh delivered. With A = (1 - 1.08^-20) / 0.08 (the
annuity factor): LCOE = (C + F A) / (E A) + v and NPV = -C + (50 - v) D A - F A. Each case below is
that closed form at the moved input. The tolerances are 1e-12 relative: the same sums taken in
another order (numpy_financial.npv against the annuity formula).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from energy_portfolio.config.portfolio import SensitivityOptions
from energy_portfolio.config.site import Economics
from energy_portfolio.economics import EnergyRange, ProjectInputs, energy_range, sensitivity
from energy_portfolio.errors import InputError

C, F, V, E, D, PPA, N = 10e6, 200_000.0, 3.0, 30_000.0, 27_000.0, 50.0, 20


def _annuity(rate: float, years: int = N) -> float:
    return (1 - (1 + rate) ** -years) / rate


A = _annuity(0.08)


def _solar(rate: float = 0.08) -> ProjectInputs:
    economics = Economics(capex_usd_per_kw=1000.0, fixed_opex_usd_per_kw_year=20.0, variable_opex_usd_per_mwh=V,
                          discount_rate_real=rate, ppa_price_usd_per_mwh=PPA)
    return ProjectInputs(economics, capacity_mw=10.0, lifetime_years=N, degradation_per_year=0.0,
                         net_energy_mwh=E, delivered_mwh=D, market_revenue_usd=D * 40.0, commissioning_year=2030)


def _battery() -> ProjectInputs:
    economics = Economics(capex_usd_per_kwh=200.0, fixed_opex_usd_per_kw_year=10.0, variable_opex_usd_per_mwh=0.0,
                          discount_rate_real=0.08)
    return ProjectInputs(economics, capacity_mw=5.0, lifetime_years=N, degradation_per_year=0.0,
                         net_energy_mwh=6_000.0, delivered_mwh=6_000.0, market_revenue_usd=150_000.0,
                         energy_capacity_mwh=20.0, commissioning_year=2030)


OPTIONS = SensitivityOptions()  # capex -+20 %, rate -+2 points, P90/P10, price -+20 %
SOLAR_RANGE = EnergyRange(100.0, 90.0, 110.0)  # P90 / P50 = 0.9


def _npv(rate: float = 0.08, capex: float = C, energy: float = 1.0, price: float = PPA) -> float:
    return -capex + (price - V) * D * energy * _annuity(rate) - F * _annuity(rate)


@pytest.fixture(scope="module")
def table():
    return sensitivity({"solar": _solar(), "bess": _battery()}, OPTIONS, {"solar": SOLAR_RANGE},
                       exclude_energy_of=["bess"]).table


def _row(table, project, driver):
    rows = table[(table["project"] == project) & (table["driver"] == driver)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_the_base_case_is_the_closed_form(table):
    row = _row(table, "solar", "capex")
    assert row["npv_base_usd"] == pytest.approx(_npv(), rel=1e-12)
    assert row["lcoe_base_usd_per_mwh"] == pytest.approx((C + F * A) / (E * A) + V, rel=1e-12)


def test_lcoe_and_npv_are_linear_in_capex(table):
    row = _row(table, "solar", "capex")
    assert (row["low_case"], row["high_case"]) == ("-20 %", "+20 %")
    assert (row["low_input"], row["high_input"]) == pytest.approx((0.8 * C, 1.2 * C), rel=1e-12)
    assert row["lcoe_high_usd_per_mwh"] == pytest.approx((1.2 * C + F * A) / (E * A) + V, rel=1e-12)
    assert row["lcoe_low_usd_per_mwh"] == pytest.approx((0.8 * C + F * A) / (E * A) + V, rel=1e-12)
    # capex is paid at t = 0, undiscounted: the NPV moves by exactly 20 % of it, either way
    assert row["npv_high_usd"] - row["npv_base_usd"] == pytest.approx(-0.2 * C, rel=1e-9)
    assert row["npv_low_usd"] - row["npv_base_usd"] == pytest.approx(0.2 * C, rel=1e-9)


def test_npv_is_symmetric_in_price_and_the_lcoe_does_not_move(table):
    row = _row(table, "solar", "price")
    assert (row["low_input"], row["high_input"]) == (0.8, 1.2)
    assert row["npv_high_usd"] == pytest.approx(_npv(price=1.2 * PPA), rel=1e-12)
    assert row["npv_low_usd"] == pytest.approx(_npv(price=0.8 * PPA), rel=1e-12)
    assert row["npv_high_usd"] - row["npv_base_usd"] == pytest.approx(row["npv_base_usd"] - row["npv_low_usd"],
                                                                      rel=1e-9)
    assert row["lcoe_low_usd_per_mwh"] == row["lcoe_high_usd_per_mwh"] == row["lcoe_base_usd_per_mwh"]


def test_discount_rate_moves_by_two_points(table):
    row = _row(table, "solar", "discount_rate")
    assert (row["low_input"], row["high_input"]) == pytest.approx((0.06, 0.10), rel=1e-12)
    assert (row["low_case"], row["high_case"]) == ("-2 points", "+2 points")
    assert row["npv_low_usd"] == pytest.approx(_npv(rate=0.06), rel=1e-12)
    assert row["npv_high_usd"] == pytest.approx(_npv(rate=0.10), rel=1e-12)
    assert row["lcoe_high_usd_per_mwh"] == pytest.approx(C / (E * _annuity(0.10)) + F / E + V, rel=1e-12)


def test_the_p90_case_is_the_npv_with_energy_scaled_by_p90_over_p50(table):
    row = _row(table, "solar", "energy")
    assert (row["low_case"], row["high_case"], row["low_input"], row["high_input"]) == ("P90", "P10", 90.0, 110.0)
    assert row["npv_low_usd"] == pytest.approx(_npv(energy=0.9), rel=1e-12)
    assert row["npv_high_usd"] == pytest.approx(_npv(energy=1.1), rel=1e-12)
    assert row["lcoe_low_usd_per_mwh"] == pytest.approx((C + F * A) / (0.9 * E * A) + V, rel=1e-12)


def test_storage_has_no_energy_row_and_the_portfolio_adds_up(table):
    assert list(dict.fromkeys(table["project"])) == ["solar", "bess", "portfolio"]
    assert list(table[table["project"] == "bess"]["driver"]) == ["capex", "discount_rate", "price"]
    assert list(table[table["project"] == "portfolio"]["driver"]) == ["capex", "discount_rate", "energy", "price"]
    battery_capex = 200.0 * 20.0 * 1000.0
    capex = _row(table, "portfolio", "capex")
    assert capex["high_input"] == pytest.approx(1.2 * (C + battery_capex), rel=1e-12)
    # both start in the same year: the capex of both moves the portfolio's NPV undiscounted
    assert capex["npv_high_usd"] - capex["npv_base_usd"] == pytest.approx(-0.2 * (C + battery_capex), rel=1e-9)
    # without P-values of its own, the portfolio puts the solar site at its own P90; the battery is unchanged
    energy = _row(table, "portfolio", "energy")
    assert (energy["low_input"], energy["high_input"]) == (90.0, 110.0)
    assert energy["npv_low_usd"] - energy["npv_base_usd"] == pytest.approx(_npv(energy=0.9) - _npv(), rel=1e-9)


def test_the_portfolio_energy_case_uses_its_own_p_values_when_it_has_them():
    whole = EnergyRange(100.0, 95.0, 105.0)
    table = sensitivity({"solar": _solar(), "bess": _battery()}, OPTIONS, {"solar": SOLAR_RANGE}, whole,
                        exclude_energy_of=["bess"]).table
    energy = _row(table, "portfolio", "energy")
    assert (energy["low_input"], energy["high_input"]) == (95.0, 105.0)
    assert energy["npv_low_usd"] - energy["npv_base_usd"] == pytest.approx(_npv(energy=0.95) - _npv(), rel=1e-9)
    assert _row(table, "solar", "energy")["npv_low_usd"] == pytest.approx(_npv(energy=0.9), rel=1e-12)


def test_a_rate_below_the_range_stops_at_zero():
    table = sensitivity({"solar": _solar(rate=0.01)}, OPTIONS, {}).table
    row = _row(table, "solar", "discount_rate")
    assert row["low_input"] == 0.0
    # at 0 % the NPV is the plain sum of the cash flows
    assert row["npv_low_usd"] == pytest.approx(-C + ((PPA - V) * D - F) * N, rel=1e-12)
    assert "energy" not in set(table["driver"])  # no energy range given


def test_energy_range_is_the_normal_exceedance_level():
    # z(0.9) = 1.2815516 (standard normal tables): P90 = P50 (1 - 1.2815516 sigma), P10 its mirror.
    rng = energy_range(1000.0, 0.1, 0.9)
    assert (rng.low_case, rng.high_case) == ("P90", "P10")
    assert rng.low_mwh == pytest.approx(1000.0 * (1 - 1.2815516 * 0.1), rel=1e-7)
    assert rng.high_mwh == pytest.approx(1000.0 * (1 + 1.2815516 * 0.1), rel=1e-7)
    assert energy_range(1000.0, 0.1, 0.99).low_case == "P99"
    assert energy_range(1000.0, 0.9, 0.9).low_mwh == 0.0  # a normal approximation below 0 stops at 0
    with pytest.raises(InputError, match="positive P50"):
        energy_range(0.0, 0.1, 0.9)


def test_sensitivity_refuses_ranges_of_unknown_sites():
    with pytest.raises(InputError, match="energy ranges name \\['wind'\\]"):
        sensitivity({"solar": _solar()}, OPTIONS, {"wind": SOLAR_RANGE})


def test_undefined_figures_are_nan():
    # a battery without revenue has no NPV
    bare = ProjectInputs(_battery().economics, capacity_mw=5.0, lifetime_years=N, degradation_per_year=0.0,
                         net_energy_mwh=6_000.0, delivered_mwh=6_000.0, energy_capacity_mwh=20.0)
    row = _row(sensitivity({"bess": bare}, OPTIONS, {}).table, "bess", "price")
    assert math.isnan(row["npv_low_usd"]) and np.isfinite(row["lcoe_low_usd_per_mwh"])


def test_one_projects_rows_by_driver():
    result = sensitivity({"solar": _solar(), "bess": _battery()}, OPTIONS, {"solar": SOLAR_RANGE},
                         exclude_energy_of=["bess"])
    bess = result.of("bess")
    assert list(bess.index) == ["capex", "discount_rate", "price"] and "project" not in bess.columns
    with pytest.raises(KeyError, match="'wind' has no sensitivity rows"):
        result.of("wind")
