"""Synthetic and file demand (dispatch.demand)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from energy_portfolio.config.grid import FileDemand
from energy_portfolio.config.load import load_grid
from energy_portfolio.dispatch import file_demand_mw, synthetic_demand_mw
from energy_portfolio.dispatch.demand import daily_profile
from energy_portfolio.errors import InputError
from energy_portfolio.timeseries import hourly_year

from .default_problem import SITES, temperature_c


@pytest.fixture(scope="module")
def spec():
    return load_grid(SITES / "azerbaijan_grid.yaml").zones[0].demand


@pytest.fixture(scope="module")
def demand(spec):
    return synthetic_demand_mw(spec, temperature_c(hourly_year(2032, "Asia/Baku"), seed=2032))


def test_scaled_exactly_to_annual_energy_and_peak(spec, demand):
    energy, peak = spec.in_year(2032, "central")
    assert demand.sum() == pytest.approx(energy, rel=1e-12)
    assert demand.max() == pytest.approx(peak, rel=1e-12)


@pytest.mark.parametrize("path", ["low", "central", "high"])
def test_each_path_meets_its_grown_energy_and_peak_together(spec, path):
    """The study year's figures are the base years' grown at the path's own rates (closed form,
    computed here from the grid file's numbers), and the hourly series meets both at once although
    the load factor falls from 0.66 (2024) to about 0.58 (2032). Tolerance 1e-9 relative: the affine
    scaling matches the sum and the maximum exactly up to floating-point summation over 8,784 hours."""
    growth = getattr(spec.growth_paths, path)
    years = 2032 - spec.energy_base_year
    energy = spec.base_annual_energy_mwh * (1 + growth.energy_growth_fraction_per_year) ** years
    peak = spec.base_peak_mw * (1 + growth.peak_growth_fraction_per_year) ** (2032 - spec.peak_base_year)
    assert spec.in_year(2032, path) == pytest.approx((energy, peak), rel=1e-15)
    demand = synthetic_demand_mw(spec, temperature_c(hourly_year(2032, "Asia/Baku"), seed=2032), path=path)
    assert demand.sum() == pytest.approx(energy, rel=1e-9)
    assert demand.max() == pytest.approx(peak, rel=1e-9)
    assert demand.min() > 0
    # FACTS 1.3 bounds the annual load factor at 0.57-0.66; every path stays inside it in 2032
    assert 0.57 <= demand.mean() / demand.max() <= 0.66


def test_the_base_year_is_the_published_2024_demand(spec):
    """FACTS 1.2: gross generation 28,394.1 GWh - exports 1,397.5 + imports 170.5 = 27,167.1 GWh
    (generation basis); the base peak is the 2025 record of FACTS 1.3, so the 2025 peak is 4,871 MW
    on every path."""
    for path in ("low", "central", "high"):
        assert spec.in_year(2024, path)[0] == pytest.approx((28_394.1 - 1_397.5 + 170.5) * 1e3, rel=1e-12)
        assert spec.in_year(2025, path)[1] == 4871


def test_each_calendar_year_is_scaled_to_its_own_figures(spec):
    """A two-year series: each year meets its own grown energy and peak (the growth is per year)."""
    index = hourly_year(2031, "Asia/Baku").append(hourly_year(2032, "Asia/Baku"))
    demand = synthetic_demand_mw(spec, temperature_c(index, seed=1), path="high")
    for year in (2031, 2032):
        part = demand[demand.index.year == year]
        energy, peak = spec.in_year(year, "high")
        assert part.sum() == pytest.approx(energy, rel=1e-9) and part.max() == pytest.approx(peak, rel=1e-9)


def test_summer_afternoon_peak_and_winter_evening_shoulder(spec, demand):
    # FACTS 1.3: the annual peak is a summer afternoon (record at 15:00 in August); winter days
    # peak in the evening shoulder (19-21 h) when electric heating adds load.
    peak_time = demand.idxmax()
    assert peak_time.month in (6, 7, 8) and 13 <= peak_time.hour <= 16
    january = demand[demand.index.month == 1]
    mean_by_hour = january.groupby(january.index.hour).mean()
    assert 19 <= mean_by_hour.idxmax() <= 21
    # Daily minimum at about 04:00 at 0.6-0.65 of the daily peak (FACTS 1.3), within +-0.05.
    daily = demand.resample("D").agg(["min", "max"])
    assert (daily["min"] / daily["max"]).mean() == pytest.approx(0.625, abs=0.05)
    assert demand.groupby(demand.index.hour).mean().idxmin() in (3, 4, 5)


def test_daily_profile_keeps_its_knots(spec):
    # PCHIP does not overshoot: the knots are the extremes of the profile.
    hours = np.arange(0, 24, 0.25)
    profile = daily_profile(spec, hours)
    assert profile.max() == pytest.approx(1.0) and hours[profile.argmax()] == spec.peak_hour
    assert profile.min() == pytest.approx(spec.night_minimum_fraction) and hours[profile.argmin()] == 4


def test_weekends_are_lower(spec):
    flat = pd.Series(15.0, index=hourly_year(2031, "Asia/Baku"))
    demand = synthetic_demand_mw(spec, flat)
    weekend = demand[demand.index.day_of_week >= 5].groupby(lambda t: t.hour).mean()
    weekday = demand[demand.index.day_of_week < 5].groupby(lambda t: t.hour).mean()
    assert (weekend < weekday).all()


def test_partial_year_and_missing_temperature_are_errors(spec):
    index = hourly_year(2031, "Asia/Baku")
    with pytest.raises(InputError, match=r"8000 hours in 2031.*expects 8760"):
        synthetic_demand_mw(spec, pd.Series(10.0, index=index[:8000]))
    temps = pd.Series(10.0, index=index)
    temps.iloc[100] = np.nan
    with pytest.raises(InputError, match="missing air temperature at 2031-01-05T04:00:00"):
        synthetic_demand_mw(spec, temps)


def test_file_demand_is_aligned_rescaled_and_checked(tmp_path):
    csv = tmp_path / "load.csv"
    csv.write_text("time,load\n")
    spec = FileDemand.model_validate({"type": "file", "path": str(csv), "column": "load", "annual_energy_mwh": 8760})
    index = hourly_year(2031, "Asia/Baku")
    values = pd.Series(np.linspace(1, 3, len(index)), index=index)
    scaled = file_demand_mw(spec, values, index)
    assert scaled.sum() == pytest.approx(8760)
    assert scaled.iloc[-1] / scaled.iloc[0] == pytest.approx(3.0)
    with pytest.raises(InputError, match=r"load.csv, column load .*no demand value for 2031-12-31T23:00:00"):
        file_demand_mw(spec, values.iloc[:-1], index)
    negative = values.copy()
    negative.iloc[5] = -1
    with pytest.raises(InputError, match="negative demand -1 MW at 2031-01-01T05:00:00"):
        file_demand_mw(spec, negative, index)


def test_a_peak_growth_that_drives_the_shape_below_zero_is_refused(spec):
    """Peak growing 15 %/yr against flat energy: by 2032 the load factor is about 0.2, and the affine
    scaling would need negative night demand; the message names the year, the path and its rates."""
    paths = spec.growth_paths.model_copy(update={"high": spec.growth_paths.high.model_copy(
        update={"energy_growth_fraction_per_year": 0.0, "peak_growth_fraction_per_year": 0.15})})
    steep = spec.model_copy(update={"growth_paths": paths})
    with pytest.raises(InputError, match=r"in 2032 \(high path: energy 0.0%/yr, peak 15.0%/yr\) drives the synthetic"):
        synthetic_demand_mw(steep, temperature_c(hourly_year(2032, "Asia/Baku"), seed=2032), path="high")
