"""P50/P90 over generated weather years, carried through the dispatch (issue 8 wiring)."""

from __future__ import annotations

import numpy as np
import pytest

import energy_portfolio as ep
from energy_portfolio.report.build import build_document
from energy_portfolio.report.document import render_markdown

from .conftest import SITES


@pytest.fixture(scope="module")
def result():
    portfolio = ep.with_changes(ep.load_portfolio(SITES / "portfolio.yaml"), {"options.weather_years": 2})
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
    block = result.summary["sites"]["caspian_offshore_wind"]
    sample = np.array(years.energy_mwh["caspian_offshore_wind"])
    assert block["n_weather_years"] == 2
    assert block["p50_mwh"] == pytest.approx(sample.mean(), rel=1e-12)
    # year-to-year spread: the sample standard deviation (ddof = 1) over the mean
    assert block["energy_interannual_variability_fraction"] == pytest.approx(sample.std(ddof=1) / sample.mean())
    assert block["p90_mwh"] < block["p50_mwh"] and block["p90_delivered_mwh"] <= block["p50_delivered_mwh"]
    portfolio = result.summary["portfolio_p_values"]
    total = sum(np.array(v) for v in years.energy_mwh.values())
    assert portfolio["p50_mwh"] == pytest.approx(total.mean(), rel=1e-12)


def test_report_has_the_exceedance_chart(result):
    text = render_markdown(build_document(result))
    assert "## Uncertainty: P50, P90, P99" in text and "*Chart: Annual net energy of each weather year" in text
