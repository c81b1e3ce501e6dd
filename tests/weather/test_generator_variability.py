"""Day-to-day, month-to-month and year-to-year variability of generated years (issue 18).

References for the bands:
- annual GHI: Gueymard and Wilcox (2011), Solar Energy 85:1068, interannual coefficient of
  variation of annual GHI of about 2-5 % across US stations (lowest at sunny, arid sites);
- annual mean wind speed: assumption, a spread of about 4-6 % between years, the figure wind
  resource assessments commonly carry (6 % at the high end); not checked against a paper here;
- daily clearness index: pvlib's real TMY3 year of Greensboro NC, measured here;
- lag-1 autocorrelation estimated around a short segment's own mean is biased low by about
  (1 + 4 rho) / n (Kendall 1954; Marriott and Pope 1954), corrected where a band is absolute.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pvlib
import pytest
from scipy import signal

from energy_portfolio.weather.generator import (
    MONTHLY_ANOMALY_AUTOCORRELATION,
    WIND_DAILY_AUTOCORRELATION,
    SiteRequest,
    generate_year,
    monthly_anomalies,
    wind_components,
)

N_SPREAD_YEARS = 30


def _unit_ar1(rng: np.random.Generator, phi: float, n: int) -> np.ndarray:
    """A stationary unit-variance AR(1) drawn independently of the generator's own helper."""
    e = rng.standard_normal(n)
    y, _ = signal.lfilter([np.sqrt(1 - phi**2)], [1, -phi], e[1:], zi=[phi * e[0]])
    return np.concatenate([e[:1], y])


def _lag1_within_months(daily: pd.Series) -> tuple[float, float]:
    """Lag-1 correlation of daily values around their own month's mean (pairs within a month), and mean days."""
    key = [daily.index.year, daily.index.month]
    anomaly = (daily - daily.groupby(key).transform("mean")).to_numpy()
    month = (daily.index.year * 12 + daily.index.month).to_numpy()
    same = month[1:] == month[:-1]
    return float(np.corrcoef(anomaly[:-1][same], anomaly[1:][same])[0, 1]), len(daily) / len(np.unique(month))


def _kendall_corrected(r: float, n: float) -> float:
    """Invert E[r] = rho - (1 + 4 rho) / n, the bias of a lag-1 estimate around a mean of n values."""
    return (n * r + 1.0) / (n - 4.0)


def _reference_speed(frame: pd.DataFrame, height: float) -> pd.Series:
    return frame["wind_speed"] if height == 10 else frame[f"wind_speed_{height:g}m"]


def test_monthly_anomalies_closed_form():
    """Monte Carlo over 20,000 years of the monthly anomalies against their closed forms."""
    rng = np.random.default_rng(1)
    n = 20_000
    # Independent months of equal weight: each month's anomaly has std cv sqrt(12).
    flat = np.array([monthly_anomalies(rng.standard_normal(12), 0.04, np.ones(12), phi=0.0) for _ in range(n)])
    # Relative standard error of a standard deviation from 20,000 normals: 1 / sqrt(2 n) = 0.5 %; 2 % is 4 of them.
    np.testing.assert_allclose(flat.std(axis=0), 0.04 * np.sqrt(12), rtol=0.02)
    weights = np.array([60, 80, 120, 150, 190, 210, 220, 200, 150, 110, 70, 55.0])
    persistent = np.array([monthly_anomalies(rng.standard_normal(12), 0.04, weights) for _ in range(n)])
    annual = (persistent * weights).sum(axis=1) / weights.sum()
    assert annual.std() == pytest.approx(0.04, rel=0.02)  # the weighted annual total spreads by the stated CV
    lag1 = np.corrcoef(persistent[:, :-1].ravel(), persistent[:, 1:].ravel())[0, 1]
    # 220,000 pairs: standard error under 0.003; 0.015 is five of them.
    assert lag1 == pytest.approx(MONTHLY_ANOMALY_AUTOCORRELATION, abs=0.015)


@pytest.mark.parametrize("hourly_rho", [0.90, 0.93])
def test_wind_components_reach_hourly_and_daily_persistence(hourly_rho):
    """A long simulation of the two-component process hits both lag-1 targets."""
    share, phi_fast = wind_components(hourly_rho)
    assert 0 < share < 1 and 0 <= phi_fast < hourly_rho
    rng = np.random.default_rng(2)
    hours = 24 * 40_000
    z = np.sqrt(share) * _unit_ar1(rng, np.exp(-1 / 96), hours) + np.sqrt(1 - share) * _unit_ar1(rng, phi_fast, hours)
    # 960,000 hours and 40,000 days: standard errors near 0.001 (hourly) and 0.005 (daily); bounds at 4-5 of them.
    assert np.corrcoef(z[:-1], z[1:])[0, 1] == pytest.approx(hourly_rho, abs=0.005)
    daily = z.reshape(-1, 24).mean(axis=1)
    assert np.corrcoef(daily[:-1], daily[1:])[0, 1] == pytest.approx(WIND_DAILY_AUTOCORRELATION, abs=0.02)


def test_slow_hourly_wind_keeps_one_component():
    """With hourly persistence 0.97 a single AR(1) already gives daily means lag-1 above the target."""
    assert wind_components(0.97) == (0.0, 0.97)


@pytest.fixture(scope="module")
def spread_years(climatologies):
    """Realisations 1..30 of both default sites generated together."""
    sites = [SiteRequest(n, c, c.location, 21) for n, c in climatologies.items()]
    years = [generate_year(sites, 2040 + i, i + 1, 21) for i in range(N_SPREAD_YEARS)]
    return {name: [y[name] for y in years] for name in climatologies}


@pytest.mark.parametrize("site", ["fuzuli", "offshore"])
def test_annual_spread_in_published_band(site, climatologies, spread_years):
    clim, frames = climatologies[site], spread_years[site]
    # The shipped targets sit in the published bands (module docstring).
    assert 0.02 <= clim.solar.interannual_cv <= 0.05
    assert 0.04 <= clim.wind.interannual_cv <= 0.06
    ghi = np.array([f["ghi"].sum() * 8766 / len(f) for f in frames])
    speed = np.array([_reference_speed(f, clim.wind.reference_height_m).mean() for f in frames])
    # The sample CV of 30 years has a relative standard error near 1 / sqrt(2 x 29) = 13 %:
    # 0.6-1.4 times the target is three of them; it fails if the months' anomalies cancel
    # (no persistence, wrong scaling) or add up (one anomaly for all months scaled as one month).
    assert 0.6 * clim.solar.interannual_cv < ghi.std(ddof=1) / ghi.mean() < 1.4 * clim.solar.interannual_cv
    assert 0.6 * clim.wind.interannual_cv < speed.std(ddof=1) / speed.mean() < 1.4 * clim.wind.interannual_cv


@pytest.mark.parametrize("site", ["fuzuli", "offshore"])
def test_months_vary_on_their_own_with_persistence(site, climatologies, spread_years):
    clim, frames = climatologies[site], spread_years[site]
    monthly = np.array([f["ghi"].groupby(f.index.month).sum().to_numpy() for f in frames])
    annual = monthly.sum(axis=1)
    monthly_cv = monthly.std(axis=0, ddof=1) / monthly.mean(axis=0)
    annual_cv = annual.std(ddof=1) / annual.mean()
    # One anomaly for the whole year (the old generator) gives monthly CV = annual CV; twelve
    # independent equal months give sqrt(12) = 3.5 times; persistence 0.25 between months and
    # unequal months give about 2.8. Over 30 years the ratio has a standard error near 14 %.
    assert 2.0 < monthly_cv.mean() / annual_cv < 4.0
    # assumption-level plausibility: a month's GHI varies by 5-20 % between years at mid-latitudes.
    assert 0.05 < monthly_cv.mean() < 0.20
    anomaly = monthly / monthly.mean(axis=0) - 1
    lag1 = np.corrcoef(anomaly[:, :-1].ravel(), anomaly[:, 1:].ravel())[0, 1]
    # 330 pairs of consecutive months: standard error near 0.05; 0.15 is three of them.
    assert lag1 == pytest.approx(MONTHLY_ANOMALY_AUTOCORRELATION, abs=0.15)
    speed = np.array(
        [_reference_speed(f, clim.wind.reference_height_m).groupby(f.index.month).mean().to_numpy() for f in frames]
    )
    speed_cv = speed.std(axis=0, ddof=1) / speed.mean(axis=0)
    assert 2.0 < speed_cv.mean() / clim.wind.interannual_cv < 4.0


@pytest.mark.parametrize("site", ["fuzuli", "offshore"])
def test_wind_daily_persistence(site, climatologies, spread_years):
    clim, frames = climatologies[site], spread_years[site]
    daily = pd.concat([_reference_speed(f, clim.wind.reference_height_m).resample("D").mean() for f in frames])
    r, days = _lag1_within_months(daily)
    rho = _kendall_corrected(r, days)
    # Issue 18's band for daily mean wind speed, lag 1: 0.4-0.8. 30 x 12 months of pairs give a
    # standard error near 0.015 on r; the generator aims at 0.5 or more (offshore's slow hourly
    # persistence alone gives about 0.63), and the Weibull transform lowers it a little.
    assert 0.4 < rho < 0.8
    assert rho > WIND_DAILY_AUTOCORRELATION - 0.08


def test_daily_clearness_persistence_matches_real_tmy3(greensboro_tmy3):
    """Day-to-day statistics of 20 generated Greensboro years against pvlib's real TMY3 year.

    A TMY3 year strings together real months, so within a month consecutive days are real
    consecutive days: their lag-1 correlation and spread are real weather's.
    """
    clim, ghi = greensboro_tmy3
    site = SiteRequest("g", clim, clim.location, 4)
    frames = [generate_year([site], 2031, i + 1, 4)["g"] for i in range(20)]
    h0 = None
    kts = []
    for frame in frames:
        if h0 is None:
            mid = frame.index + pd.Timedelta(minutes=30)
            zen = pvlib.solarposition.get_solarposition(mid, clim.location.latitude, clim.location.longitude)["zenith"]
            extra = pvlib.irradiance.get_extra_radiation(mid).to_numpy()
            h0 = pd.Series(extra * np.clip(np.cos(np.radians(zen.to_numpy())), 0, None), index=frame.index)
            h0 = h0.resample("D").sum()
        kts.append((frame["ghi"].resample("D").sum() / h0).set_axis(h0.index + pd.DateOffset(years=len(kts))))
    real = ghi.copy()
    real.index = frames[0].index
    kt_real = real.resample("D").sum() / h0
    kt_gen = pd.concat(kts)
    r_real, _ = _lag1_within_months(kt_real)
    r_gen, days = _lag1_within_months(kt_gen)
    print(f"daily Kt lag-1 within months: real {r_real:.3f}, generated {r_gen:.3f}")
    # Issue 18's band for the lag-1 autocorrelation of daily clearness: 0.2-0.5, a property of the
    # process, so the within-month estimate is bias-corrected first (about +0.07 here).
    assert 0.2 < _kendall_corrected(r_gen, days) < 0.5
    # Real against generated, same estimator (same bias). One real year has 330 within-month
    # pairs: standard error of r near 0.05; 20 generated years near 0.012; 0.12 is 2.4 of the
    # combined. (Aguiar et al.'s chains persist a little less than this real year: 0.21 vs 0.31.)
    assert r_gen == pytest.approx(r_real, abs=0.12)
    std_real = kt_real.groupby(kt_real.index.month).std().mean()
    std_gen = kt_gen.groupby([kt_gen.index.year, kt_gen.index.month]).std().mean()
    # Within-month std of daily Kt (real about 0.15): 12 real months of ~30 persistent days give
    # a standard error near 0.01 on their mean; 0.03 is three.
    assert std_gen == pytest.approx(std_real, abs=0.03)


def test_distinct_years_are_reproducible_and_vary_by_month(climatologies):
    clim = climatologies["fuzuli"]
    site = SiteRequest("a", clim, clim.location, 5)
    one = generate_year([site], 2033, 3, 5)["a"]
    pd.testing.assert_frame_equal(one, generate_year([site], 2033, 3, 5)["a"])
    other = generate_year([site], 2033, 4, 5)["a"]
    expected = np.asarray(clim.solar.monthly_ghi_kwh_m2)
    for frame in (one, other):
        ratio = frame["ghi"].groupby(frame.index.month).sum().to_numpy() / 1000 / expected
        # Month-by-month ratios to the climatology: with one factor for the whole year they
        # would all be equal (spread under 1 % from February's days); here each month has its own.
        assert ratio.std() > 0.03
    assert not np.allclose(one["ghi"], other["ghi"])
