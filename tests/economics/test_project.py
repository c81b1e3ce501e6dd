"""A site's and the portfolio's lifetime economics, and their summary.json keys."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import numpy as np
import pytest

from energy_portfolio.config.site import Economics
from energy_portfolio.economics import (
    economics_summary,
    evaluate_portfolio,
    evaluate_project,
    p_values,
    p_values_summary,
    present_value_usd,
)
from energy_portfolio.errors import InputError

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "energy_portfolio" / "economics"


def _economics(**extra) -> Economics:
    fields = dict(capex_usd_per_kw=1000.0, fixed_opex_usd_per_kw_year=20.0, variable_opex_usd_per_mwh=3.0)
    fields.update(extra)
    fields.setdefault("discount_rate_real", 0.08)
    return Economics(**fields)


def test_solar_site_npv_against_a_year_by_year_sum(solar_site):
    # Fuzuli under its PPA (35.4 USD/MWh), 0.5 %/yr degradation, 8 % real, 30 years:
    # NPV = -capex + sum_t (35.4 D_t - fixed opex) / 1.08^t with D_t = D_1 0.995^(t-1).
    delivered = 520_000.0
    project = evaluate_project(
        solar_site.economics,
        capacity_mw=solar_site.capacity_mw,
        lifetime_years=solar_site.lifetime_years,
        degradation_per_year=solar_site.degradation_per_year,
        net_energy_mwh=540_000.0,
        delivered_mwh=delivered,
        commissioning_year=solar_site.commissioning_year,
    )
    expected = -199.2e6 + sum((35.4 * delivered * 0.995 ** (t - 1) - 3.6e6) / 1.08**t for t in range(1, 31))
    assert project.ppa.npv_usd == pytest.approx(expected, rel=1e-10)
    assert project.primary is project.ppa and project.market is None
    assert project.start_year == 2027 and project.lifetime_years == 30


def test_lcoe_on_net_and_delivered_energy():
    # Both LCOEs share the fixed costs; variable opex (3 USD/MWh) is paid on the energy of
    # each basis, so (LCOE - 3) x PV(energy) is the same present value of fixed costs.
    project = evaluate_project(
        _economics(),
        capacity_mw=10.0,
        lifetime_years=20,
        degradation_per_year=0.004,
        net_energy_mwh=30_000.0,
        delivered_mwh=27_000.0,
        market_revenue_usd=27_000.0 * 55.0,
    )
    rate = 0.08
    fixed_pv = present_value_usd(np.r_[10e6, np.full(20, 200_000.0)], rate)
    net_pv = present_value_usd(project.net_energy_by_year_mwh, rate)
    delivered_pv = present_value_usd(project.delivered_by_year_mwh, rate)
    assert (project.lcoe_usd_per_mwh - 3.0) * net_pv == pytest.approx(fixed_pv, rel=1e-12)
    assert (project.lcoe_delivered_usd_per_mwh - 3.0) * delivered_pv == pytest.approx(fixed_pv, rel=1e-12)
    assert project.lcoe_delivered_usd_per_mwh > project.lcoe_usd_per_mwh
    summary = economics_summary(project)
    # Market revenue degrades like the output, so the levelized market value is the
    # first year's capture price, 55 USD/MWh.
    assert summary["market_value_usd_per_mwh"] == pytest.approx(55.0, rel=1e-12)
    assert summary["revenue_basis"] == "market"
    assert summary["npv_usd"] == summary["npv_market_usd"]
    assert summary["payback_year"] is None  # no commissioning year given


def test_portfolio_adds_cash_flows_by_calendar_year():
    a = evaluate_project(
        _economics(ppa_price_usd_per_mwh=60.0),
        capacity_mw=1.0,
        lifetime_years=3,
        degradation_per_year=0.0,
        net_energy_mwh=3000.0,
        delivered_mwh=3000.0,
        market_revenue_usd=100_000.0,
        commissioning_year=2030,
    )
    b = evaluate_project(
        _economics(discount_rate_real=0.10),
        capacity_mw=3.0,
        lifetime_years=2,
        degradation_per_year=0.0,
        net_energy_mwh=500.0,
        delivered_mwh=400.0,
        market_revenue_usd=50_000.0,
        commissioning_year=2032,
    )
    portfolio = evaluate_portfolio({"a": a, "b": b}, exclude_energy_of=["b"])
    # a: construction 2029, operates 2030-2032; b: construction 2031, operates 2032-2033.
    assert portfolio.start_year == 2029
    np.testing.assert_allclose(
        portfolio.cost_by_year_usd,
        [1e6, 29_000.0, 29_000.0 + 3e6, 29_000.0 + 61_200.0, 61_200.0],
    )
    np.testing.assert_allclose(portfolio.net_energy_by_year_mwh, [0, 3000, 3000, 3000, 0])  # b excluded
    # Capex-weighted rate: (1 M x 8 % + 3 M x 10 %) / 4 M = 9.5 %.
    assert portfolio.discount_rate == pytest.approx(0.095)
    # Market: both at market; own basis: a at its PPA (180 000 USD/yr), b at market.
    np.testing.assert_allclose(portfolio.market.revenue_by_year_usd, [0, 1e5, 1e5, 1.5e5, 5e4])
    np.testing.assert_allclose(portfolio.own_basis.revenue_by_year_usd, [0, 1.8e5, 1.8e5, 2.3e5, 5e4])
    assert portfolio.primary is portfolio.own_basis
    with pytest.raises(InputError, match="not sites of the portfolio"):
        evaluate_portfolio({"a": a}, exclude_energy_of=["c"])


def test_summary_is_json_with_null_for_undefined(wind_site):
    # The default offshore wind farm at a low market price never pays back: IRR and payback
    # are undefined and appear as null, with the reason beside the IRR.
    project = evaluate_project(
        wind_site.economics,
        capacity_mw=1005.0,
        lifetime_years=wind_site.lifetime_years,
        degradation_per_year=wind_site.degradation_per_year,
        net_energy_mwh=3.9e6,
        delivered_mwh=3.7e6,
        market_revenue_usd=0.0,
        commissioning_year=wind_site.commissioning_year,
    )
    energy = p_values([3.8e6, 4.0e6, 3.9e6, 3.7e6], {"resource_measurement": 0.05})
    summary = economics_summary(project) | p_values_summary(energy=energy)
    text = json.dumps(summary, allow_nan=False)
    assert summary["irr"] is None and "outflows" in summary["irr_note"]
    assert summary["payback_year"] is None and summary["npv_ppa_usd"] is None
    for key in ("lcoe_usd_per_mwh", "npv_usd", "p50_mwh", "p90_mwh", "irr", "payback_year"):
        assert f'"{key}"' in text
    assert summary["p50_mwh"] == pytest.approx(3.85e6)


def test_economics_imports_no_other_model_layer():
    # DESIGN.md: economics takes arrays and specs; it never reads weather or calls the
    # production or dispatch models (import-linter checks siblings; this checks weather too).
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                assert not any(layer in module for layer in ("weather", "production", "dispatch")), path


def test_a_battery_that_never_discharges_has_no_lcoe_but_an_npv():
    """Zero lifetime energy: the LCOE is undefined (None), the cash flows are still valued."""
    from energy_portfolio.config.site import Economics
    from energy_portfolio.economics import economics_summary, evaluate_project

    economics = Economics(capex_usd_per_kwh=181, fixed_opex_usd_per_kw_year=9, variable_opex_usd_per_mwh=0,
                          discount_rate_real=0.08)
    project = evaluate_project(economics, capacity_mw=125, lifetime_years=15, degradation_per_year=0.0,
                               net_energy_mwh=0.0, delivered_mwh=0.0, market_revenue_usd=0.0,
                               energy_capacity_mwh=250)
    summary = economics_summary(project)
    assert summary["lcoe_usd_per_mwh"] is None and summary["lcoe_delivered_usd_per_mwh"] is None
    # capex 181 USD/kWh x 250,000 kWh = 45.25 M USD now, 9 USD/kW-yr x 125,000 kW for 15 years at 8 %
    annuity = (1 - 1.08 ** -15) / 0.08
    assert summary["npv_usd"] == pytest.approx(-(45.25e6 + 1.125e6 * annuity), rel=1e-9)


def test_storage_fade_by_hand():
    # Calendar 1 %/yr and 0.0033 % per cycle at 300 cycles a year: 1 - 0.99 x (1 - 0.0099) = 0.019801
    # a year. Usable energy at the start of year y is 0.980199 ** (y - 1); it reaches 80 % when
    # (y - 1) >= ln 0.8 / ln 0.980199 = 11.157, so in operating year 13, within a 15-year life;
    # year 15 starts at 0.980199 ** 14 = 0.7559 of nameplate (the reduced energy the economics carry).
    from energy_portfolio.economics import storage_fade

    fade = storage_fade(0.01, 0.000033, 300.0, 15, 0.8)
    assert fade.annual_fade == pytest.approx(1 - 0.99 * (1 - 0.0099), rel=1e-12)
    assert fade.end_of_life_operating_year == 13
    assert fade.end_of_life_within_lifetime
    assert fade.usable_energy_fraction_by_year[-1] == pytest.approx(0.980199 ** 14, rel=1e-9)
    assert storage_fade(0.01, 0.0, 0.0, 15, 0.8).end_of_life_operating_year == 24  # ln 0.8 / ln 0.99 = 22.2
    assert storage_fade(0.0, 0.0, 0.0, 15, 0.8).end_of_life_operating_year is None
