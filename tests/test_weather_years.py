"""P50/P90 over generated weather years, carried through the dispatch (issue 8 wiring)."""

from __future__ import annotations

import collections
import json

import numpy as np
import pytest

import energy_portfolio as ep
from energy_portfolio.portfolio import generating_sites, plan_run
from energy_portfolio.portfolio import sites as portfolio_module
from energy_portfolio.report.build import build_document
from energy_portfolio.report.document import render_markdown
from energy_portfolio.report.summary import summary_document
from energy_portfolio.sweep import DiskProductionCache
from energy_portfolio.sweep.execute import warm_weather_years

from .conftest import SITES

pytestmark = pytest.mark.slow  # the default portfolio over generated weather years, end to end


@pytest.fixture(scope="module")
def result():
    # the screening variant (seconds per dispatch): each weather year is one more dispatch of the year
    portfolio = ep.with_changes(ep.load_portfolio(SITES / "portfolio_energy_only.yaml"), {"options.weather_years": 2})
    return ep.run_portfolio(portfolio)


def test_each_weather_year_is_distinct_and_dispatched(result):
    years = result.weather_years
    assert years.n_years == 2
    for site in ("caspian_offshore_wind", "fuzuli_solar"):
        energy = np.array(years.energy_mwh[site])
        assert energy[0] != energy[1]  # realisations 1 and 2 of the generator differ
        assert (np.array(years.delivered_mwh[site]) <= energy + 1e-6).all()  # delivery never exceeds output
        assert (np.array(years.revenue_usd[site]) > 0).all()


def test_p_values_come_from_the_samples(result):
    years = result.weather_years
    block = summary_document(result)["sites"]["caspian_offshore_wind"]
    sample = np.array(years.energy_mwh["caspian_offshore_wind"])
    assert block["n_weather_years"] == 2
    assert block["p50_mwh"] == pytest.approx(sample.mean(), rel=1e-12)
    # year-to-year spread: the sample standard deviation (ddof = 1) over the mean
    assert block["energy_interannual_variability_fraction"] == pytest.approx(sample.std(ddof=1) / sample.mean())
    assert block["p90_mwh"] < block["p50_mwh"] and block["p90_delivered_mwh"] <= block["p50_delivered_mwh"]
    portfolio = summary_document(result)["portfolio_p_values"]
    total = sum(np.array(v) for v in years.energy_mwh.values())
    assert portfolio["p50_mwh"] == pytest.approx(total.mean(), rel=1e-12)


def test_report_has_the_exceedance_chart(result):
    text = render_markdown(build_document(result))
    assert "## Uncertainty: P50, P90, P99" in text and "*Chart: Annual net energy of each weather year" in text


def _without_timings(summary: dict) -> str:
    summary = json.loads(json.dumps(summary))
    summary["dispatch"]["solver"].pop("seconds", None)  # wall time: the one key that differs between runs
    return json.dumps(summary, sort_keys=True)


def test_a_battery_sweep_computes_each_weather_year_once(result, tmp_path, monkeypatch):
    """Two runs sharing a cache, the second with another battery: no site-year is computed twice."""
    calls: collections.Counter[str] = collections.Counter()
    simulate = portfolio_module.simulate_site

    def counting(spec, weather, operating_year=1):
        calls[spec.id] += 1
        return simulate(spec, weather, operating_year)

    monkeypatch.setattr(portfolio_module, "simulate_site", counting)
    cold = DiskProductionCache(tmp_path)
    same = ep.run_portfolio(result.portfolio, production_cache=cold)
    warm = DiskProductionCache(tmp_path)
    bigger = ep.run_portfolio(ep.with_changes(result.portfolio, {"sites.fuzuli_bess.energy_mwh": 600}),
                              production_cache=warm)
    # new sites: the study year and each of the 2 weather years once; the existing fleet's reference sites:
    # the study year only. Without the cache the second run would double every count.
    plan = plan_run(result.portfolio)
    references = {s.spec.id for s in plan.site_years[2:]}  # 14 reference sites
    units = len(plan.reference_sites)  # 20 plants: the generic tranche's steps of a region share a reference site
    assert calls == {"caspian_offshore_wind": 3, "fuzuli_solar": 3, **dict.fromkeys(references, 1)}
    # each plant asks the cache for its reference site's production: a second plant of the same site is a hit
    assert (cold.misses, cold.hits) == (2 + len(references) + 2 * 2, units - len(references))
    assert (warm.misses, warm.hits) == (0, 2 + units + 2 * 2)
    # the system without the portfolio is the same in both runs: solved once, then read back
    assert (cold.dispatch_misses, cold.dispatch_hits, warm.dispatch_misses, warm.dispatch_hits) == (1, 0, 0, 1)
    assert bigger.dispatch.counterfactual.objective_usd == same.dispatch.counterfactual.objective_usd
    # a sweep's production task for the weather years finds the entry the runs stored (same key)
    sites = generating_sites(result.portfolio)
    assert warm_weather_years(sites, result.portfolio.spec.study_year, 2, str(tmp_path)) == 0
    # the cached run gives exactly the numbers of the run without a cache
    assert same.weather_years == result.weather_years
    assert _without_timings(summary_document(same)) == _without_timings(summary_document(result))
    assert same.warnings == result.warnings
    # the battery changes delivery, not the production the cache served
    assert bigger.weather_years.energy_mwh == result.weather_years.energy_mwh
    assert summary_document(bigger)["sites"]["fuzuli_bess"]["energy_capacity_mwh"] == 600


def test_lcoe_rests_on_the_reported_p50(result):
    """Issue 18 item 4: with weather years the LCOE on net energy uses the reported P50, not the study year.

    Closed form for Fuzuli (degradation d, operating year k of the study year, N years at r): the first
    operating year's energy E1 = P50 / (1 - d)^(k - 1); PV(energy) = E1 / (1 + r) (1 - q^N) / (1 - q),
    q = (1 - d) / (1 + r); LCOE = (capex + fixed opex x A(r, N) + decommissioning / (1 + r)^N) / PV(energy)
    + variable opex, A the annuity factor. 1e-10 relative: the same sums in another order.
    """
    site = result.portfolio.site("fuzuli_solar")
    block = summary_document(result)["sites"]["fuzuli_solar"]
    economics, capacity_kw = site.economics, result.sites["fuzuli_solar"].production.capacity_mw * 1000
    r, d, n = economics.discount_rate_real, site.degradation_per_year, site.lifetime_years
    k = result.operating_years()["fuzuli_solar"]

    def lcoe(energy_mwh: float) -> float:
        first = energy_mwh / (1 - d) ** (k - 1)
        q = (1 - d) / (1 + r)
        energy_pv = first / (1 + r) * (1 - q**n) / (1 - q)
        fixed = economics.capex_usd_per_kw * capacity_kw + economics.fixed_opex_usd_per_kw_year * capacity_kw * (
            1 - (1 + r) ** -n) / r + economics.decommissioning_usd_per_kw * capacity_kw / (1 + r) ** n
        return fixed / energy_pv + economics.variable_opex_usd_per_mwh

    assert block["lcoe_energy_basis"] == "p50_weather_years"
    assert block["lcoe_usd_per_mwh"] == pytest.approx(lcoe(block["p50_mwh"]), rel=1e-10)
    # the study year's energy differs from the P50 of two other years, so the check can tell the bases apart
    typical = block["annual_energy_mwh"]
    assert abs(lcoe(typical) / lcoe(block["p50_mwh"]) - 1) > 1e-6
    assert summary_document(result)["portfolio_economics"]["lcoe_energy_basis"] == "p50_weather_years"


def test_the_energy_sensitivity_uses_the_p_values(result):
    """The P90 case is each site's reported P90; the portfolio's is its own (weather years give it P-values)."""
    table = result.sensitivity_table().set_index(["project", "driver"])
    summary = summary_document(result)
    for site in ("caspian_offshore_wind", "fuzuli_solar"):
        row = table.loc[(site, "energy")]
        assert row["low_input"] == pytest.approx(summary["sites"][site]["p90_mwh"], rel=1e-12)
        # NPV is linear in the energy factor (revenue and variable opex scale with it): P90 / P50 of the way
        base, low, high = row["npv_base_usd"], row["npv_low_usd"], row["npv_high_usd"]
        p50 = summary["sites"][site]["p50_mwh"]
        assert (low - base) / (row["low_input"] / p50 - 1) == pytest.approx(
            (high - base) / (row["high_input"] / p50 - 1), rel=1e-9)
    portfolio = table.loc[("portfolio", "energy")]
    assert portfolio["low_input"] == pytest.approx(summary["portfolio_p_values"]["p90_mwh"], rel=1e-12)
