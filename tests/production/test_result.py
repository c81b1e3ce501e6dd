"""Figures derived from a SiteProduction, against hand arithmetic."""

import pandas as pd
import pytest

from energy_portfolio.production.losses import waterfall_from_stages
from energy_portfolio.production.result import SiteProduction
from energy_portfolio.timeseries import hourly_year


def test_energy_capacity_factor_and_months_of_a_constant_plant():
    index = hourly_year(2032, "Asia/Baku")  # leap year: 8,784 h
    net = pd.Series(50.0, index=index)
    w = waterfall_from_stages("gross", [100.0] * len(index), [("half", net.to_numpy())])
    result = SiteProduction("x", "wind", 100.0, net, w)
    assert result.annual_energy_mwh == pytest.approx(50.0 * 8784)
    assert result.capacity_factor == pytest.approx(0.5)
    assert result.full_load_hours == pytest.approx(4392.0)
    assert result.monthly_energy_mwh.loc[2] == pytest.approx(50.0 * 29 * 24)
    assert result.monthly_energy_mwh.sum() == pytest.approx(result.annual_energy_mwh)
    summary = result.summary()
    assert summary["losses"] == {"half": pytest.approx(0.5)}
    assert len(result.yield_json()["monthly_energy_mwh"]) == 12
