"""LCOE, NPV, IRR and payback against hand calculations, numpy-financial and NREL PySAM."""

from __future__ import annotations

import numpy as np
import numpy_financial as npf
import pytest

from energy_portfolio.economics import (
    capital_recovery_factor,
    cost_by_year_usd,
    energy_by_year_mwh,
    internal_rate_of_return,
    lcoe_usd_per_mwh,
    npv_usd,
    payback_year,
)
from energy_portfolio.errors import InputError


def test_lcoe_matches_hand_calculation(small_economics):
    # 1 MW, 2 years at 10 %: capex 1000 USD in year 0; each year 10 USD fixed + 100 MWh x
    # 1 USD/MWh variable = 110 USD and 100 MWh.
    # PV(cost) = 1000 + 110/1.1 + 110/1.21 = 1441/1.21;  PV(energy) = 100/1.1 + 100/1.21 = 210/1.21
    # LCOE = 1441/210 USD/MWh.
    energy = energy_by_year_mwh(100.0, 0.0, 2)
    costs = cost_by_year_usd(small_economics, 1.0, energy)
    np.testing.assert_allclose(costs, [1000.0, 110.0, 110.0])
    assert lcoe_usd_per_mwh(costs, energy, 0.10) == pytest.approx(1441.0 / 210.0, rel=1e-12)


def _pysam_lcoe_usd_per_mwh(capital_usd, fcr, fixed_usd_per_year, variable_usd_per_mwh, energy_mwh):
    import PySAM.Lcoefcr as Lcoefcr

    model = Lcoefcr.new()
    model.SimpleLCOE.annual_energy = energy_mwh * 1000.0  # [kWh]
    model.SimpleLCOE.capital_cost = capital_usd  # [USD]
    model.SimpleLCOE.fixed_charge_rate = fcr
    model.SimpleLCOE.fixed_operating_cost = fixed_usd_per_year  # [USD/yr]
    model.SimpleLCOE.variable_operating_cost = variable_usd_per_mwh / 1000.0  # [USD/kWh]
    model.execute(0)
    return model.Outputs.lcoe_fcr * 1000.0  # [USD/kWh] -> [USD/MWh]


@pytest.mark.parametrize("site_name", ["solar_site", "wind_site"])
@pytest.mark.parametrize("degradation", [0.0, 0.005])
def test_lcoe_matches_pysam_lcoefcr(request, site_name, degradation):
    # SAM's simple LCOE is LCOE = (FCR * capex + fixed opex) / E + variable opex, with one
    # constant annual energy E. Our discounted-cash-flow LCOE, PV(costs) / PV(energy), is
    # the same quantity when (a) capex is one overnight amount at t = 0, (b) opex is level,
    # (c) FCR is the capital recovery factor r(1+r)^N / ((1+r)^N - 1) (no tax, depreciation
    # or financing fees, all real), and (d) E is the levelized energy PV(E_t) * CRF, which
    # is the constant energy when there is no degradation. Under these conditions the two
    # agree to rounding; the 0.5 % is the acceptance bound, and any convention
    # slip (year indexing, mid-year discounting, a kW/kWh mix-up) would exceed it by far.
    site = request.getfixturevalue(site_name)
    economics = site.economics
    capacity_mw = site.capacity_mw if site_name == "solar_site" else 1005.0
    first_year_mwh = capacity_mw * 8760 * (0.25 if site_name == "solar_site" else 0.45)
    years, rate = site.lifetime_years, economics.discount_rate_real

    energy = energy_by_year_mwh(first_year_mwh, degradation, years)
    ours = lcoe_usd_per_mwh(cost_by_year_usd(economics, capacity_mw, energy), energy, rate)

    crf = capital_recovery_factor(rate, years)
    levelized_energy_mwh = npf.npv(rate, energy) * crf
    sam = _pysam_lcoe_usd_per_mwh(
        capital_usd=economics.capex_usd_per_kw * capacity_mw * 1000.0,
        fcr=crf,
        fixed_usd_per_year=economics.fixed_opex_usd_per_kw_year * capacity_mw * 1000.0,
        variable_usd_per_mwh=economics.variable_opex_usd_per_mwh,
        energy_mwh=levelized_energy_mwh,
    )
    assert ours == pytest.approx(sam, rel=0.005)
    assert ours == pytest.approx(sam, rel=1e-9)  # in fact they agree to rounding


def test_capital_recovery_factor_closed_form():
    # r (1+r)^N / ((1+r)^N - 1) at 8 %, 30 years; 1/N without discounting.
    r, n = 0.08, 30
    assert capital_recovery_factor(r, n) == pytest.approx(r * (1 + r) ** n / ((1 + r) ** n - 1), rel=1e-12)
    assert capital_recovery_factor(0.0, 20) == pytest.approx(1 / 20)


def test_npv_of_a_level_annuity():
    # -C + A (1 - (1+r)^-N) / r, the annuity formula, and numpy-financial on the same flows.
    capital, annual, r, n = 1000.0, 120.0, 0.07, 15
    flows = np.r_[-capital, np.full(n, annual)]
    closed_form = -capital + annual * (1 - (1 + r) ** -n) / r
    assert npv_usd(flows, r) == pytest.approx(closed_form, rel=1e-12)
    assert npv_usd(flows, r) == pytest.approx(npf.npv(r, flows), rel=1e-12)


def test_irr_of_a_two_year_project_closed_form():
    # -100 + 60 x + 60 x^2 = 0 with x = 1/(1+IRR): x = (-60 + sqrt(60^2 + 4*60*100)) / 120.
    flows = [-100.0, 60.0, 60.0]
    x = (-60 + np.sqrt(60**2 + 4 * 60 * 100)) / 120
    result = internal_rate_of_return(flows)
    assert result.defined and result.reason == ""
    assert result.rate == pytest.approx(1 / x - 1, rel=1e-10)
    assert result.rate == pytest.approx(npf.irr(flows), rel=1e-12)
    assert npv_usd(flows, result.rate) == pytest.approx(0.0, abs=1e-9)


def test_irr_matches_numpy_financial_on_constructed_flows():
    rng = np.random.default_rng(8)
    for _ in range(20):
        flows = np.r_[-rng.uniform(500, 2000), rng.uniform(50, 300, size=int(rng.integers(5, 31)))]
        ours = internal_rate_of_return(flows)
        assert ours.rate == pytest.approx(npf.irr(flows), rel=1e-12)
        assert npv_usd(flows, ours.rate) == pytest.approx(0.0, abs=1e-6 * abs(flows[0]))


def test_irr_undefined_without_sign_change():
    for flows, word in (([-100.0, -10.0, -5.0], "outflows"), ([0.0, 10.0, 5.0], "inflows"), ([0.0, 0.0], "zero")):
        result = internal_rate_of_return(flows)
        assert result.rate is None
        assert word in result.reason


def test_irr_undefined_with_two_rates():
    # -100 + 230 x - 132 x^2 = 0 has x = 240/264 and 220/264, i.e. IRRs of 10 % and 20 %;
    # numpy-financial returns only the one closest to zero, we refuse and list both.
    flows = [-100.0, 230.0, -132.0]
    result = internal_rate_of_return(flows)
    assert result.rate is None
    assert "10.00%" in result.reason and "20.00%" in result.reason
    assert npf.irr(flows) == pytest.approx(0.10)


def test_irr_undefined_without_a_real_root():
    # -100 + 150 x - 60 x^2 has a negative discriminant (150^2 - 4*60*100 < 0).
    result = internal_rate_of_return([-100.0, 150.0, -60.0])
    assert result.rate is None
    assert "no real rate" in result.reason


def test_payback_year():
    # Cumulative: -100, -70, -40, -10, 20, 10 -> repaid from the end of year 4 on.
    assert payback_year([-100.0, 30, 30, 30, 30, -10]) == 4
    # Cumulative: -100, -40, 10, -10: repaid in year 2 but not at the end -> never.
    assert payback_year([-100.0, 60, 50, -20]) is None
    assert payback_year([-100.0, 10, 10]) is None
    # Discounted at 10 %: -100, -45.5, +4.1 -> year 2; at 25 %: -100, -52, -13.6 -> never.
    assert payback_year([-100.0, 60, 60], discount_rate=0.10) == 2
    assert payback_year([-100.0, 60, 60], discount_rate=0.25) is None


def test_lcoe_rejects_bad_input(small_economics):
    energy = energy_by_year_mwh(100.0, 0.0, 3)
    costs = cost_by_year_usd(small_economics, 1.0, energy)
    with pytest.raises(InputError, match="energy_by_year_mwh has 3 missing"):
        lcoe_usd_per_mwh(costs, [0.0, np.nan, np.nan, np.nan], 0.1)
    with pytest.raises(InputError, match="sums to 0"):
        lcoe_usd_per_mwh(costs, np.zeros(4), 0.1)
    with pytest.raises(InputError, match="expected the same years"):
        lcoe_usd_per_mwh(costs, energy[:-1], 0.1)


def test_irr_with_decommissioning_keeps_the_non_negative_root():
    # -1000, 8 x 200, then a 100 decommissioning cost: two sign changes. The NPV is zero at
    # the project's IRR (about 10.7 %) and again at about -67 % (x = 1/(1+r) near 3).
    # The cumulative flow changes sign once, so the non-negative IRR is unique (Norstrom)
    # and is the one reported; numpy-financial's root closest to zero is the same.
    flows = np.r_[-1000.0, np.full(8, 200.0), -100.0]
    result = internal_rate_of_return(flows)
    assert result.rate == pytest.approx(npf.irr(flows), rel=1e-10)
    assert 0.0 < result.rate < 0.2
    assert npv_usd(flows, result.rate) == pytest.approx(0.0, abs=1e-6)
    assert "negative rates" in result.reason
