"""The default full-year dispatch problem with synthetic profiles built here (tests and benchmarks).

The grid, the battery and the connection limits come from the shipped configs in ``sites/``; the
hourly inputs that the production models would supply are stand-ins made with numpy:

- air temperature: the Baku monthly means and diurnal ranges of
  ``weather/absheron_offshore_climatology.yaml`` interpolated by day, a cosine diurnal cycle peaking
  at 15:00 and a smoothed day-to-day anomaly (sd 2.5 C);
- solar: the cosine of the solar zenith angle (Cooper declination, hour angle from local solar
  time) at 39.6 N, 47.1 E, times a daily clearness drawn from a beta distribution, scaled so
  that the capacity factor is near FACTS 4a's 23 % for trackers and 18 % for the fixed fleet;
- wind: an AR(1) hourly speed process with Weibull-like margins (mean 9 m/s offshore, 7.5 m/s
  onshore) through a generic cubic power curve (cut-in 3, rated 12, cut-out 25 m/s).

These are not models of the sites: the tests use them only as plausible hourly inputs.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from energy_portfolio.config.grid import ExistingRenewable, GridSpec
from energy_portfolio.config.load import load_grid, load_site
from energy_portfolio.config.portfolio import DispatchOptions
from energy_portfolio.dispatch import (
    DispatchInputs,
    battery_from_site,
    build_inputs,
    renewable_from_capacity_factor,
    renewable_from_power,
    synthetic_demand_mw,
)
from energy_portfolio.timeseries import hourly_year

ROOT = Path(__file__).resolve().parents[2]
SITES = ROOT / "sites"
MONTHLY_MEAN_C = np.array([4.0, 4.5, 7.0, 12.5, 18.0, 23.0, 26.0, 26.0, 21.5, 16.0, 10.5, 6.5])
MONTHLY_RANGE_C = np.array([5, 5, 6, 7, 7, 8, 8, 8, 7, 6, 5, 5], dtype=float)
MID_MONTH_DOY = np.array([15, 46, 75, 106, 136, 167, 197, 228, 259, 289, 320, 350], dtype=float)


def _by_day(monthly: np.ndarray, day_of_year: np.ndarray) -> np.ndarray:
    x = np.concatenate([MID_MONTH_DOY - 365, MID_MONTH_DOY, MID_MONTH_DOY + 365])
    return np.interp(day_of_year, x, np.tile(monthly, 3))


def temperature_c(index: pd.DatetimeIndex, seed: int) -> pd.Series:
    rng = np.random.default_rng(seed)
    doy = index.day_of_year.to_numpy()
    days = (index.normalize() - index[0].normalize()).days.to_numpy()
    anomaly = pd.Series(rng.normal(0, 2.5, days.max() + 3)).rolling(3, min_periods=1).mean().to_numpy()
    diurnal = np.cos(2 * np.pi * (index.hour.to_numpy() - 15) / 24)
    return pd.Series(
        _by_day(MONTHLY_MEAN_C, doy) + _by_day(MONTHLY_RANGE_C, doy) / 2 * diurnal + anomaly[days],
        index=index,
        name="temp_air_c",
    )


def solar_capacity_factor(index: pd.DatetimeIndex, seed: int, target: float) -> pd.Series:
    rng = np.random.default_rng(seed)
    doy = index.day_of_year.to_numpy()
    declination = np.radians(23.45) * np.sin(2 * np.pi * (284 + doy) / 365)
    solar_hour = index.hour.to_numpy() + 0.5 + (47.1 - 60.0) / 15.0
    hour_angle = np.radians(15.0 * (solar_hour - 12.0))
    lat = np.radians(39.6)
    cos_zenith = np.sin(lat) * np.sin(declination) + np.cos(lat) * np.cos(declination) * np.cos(hour_angle)
    days = (index.normalize() - index[0].normalize()).days.to_numpy()
    clearness = rng.beta(5, 1.5, days.max() + 1)[days]
    raw = np.clip(cos_zenith, 0, None) ** 0.6 * clearness
    return pd.Series(np.clip(raw * target / raw.mean(), 0, 1), index=index)


def wind_capacity_factor(index: pd.DatetimeIndex, seed: int, mean_m_s: float) -> pd.Series:
    rng = np.random.default_rng(seed)
    n = len(index)
    shocks = rng.normal(0, np.sqrt(1 - 0.97**2), n)
    ar = np.empty(n)
    ar[0] = shocks[0]
    for t in range(1, n):
        ar[t] = 0.97 * ar[t - 1] + shocks[t]
    # Gaussian to Rayleigh (Weibull k = 2) margins through the normal CDF.
    from scipy.stats import norm

    uniform = norm.cdf(ar)
    speed = mean_m_s / 0.886 * np.sqrt(-np.log(1 - np.clip(uniform, 1e-12, 1 - 1e-12)))
    cf = np.clip((speed**3 - 27.0) / (12.0**3 - 27.0), 0, 1)
    cf[speed >= 25.0] = 0.0
    return pd.Series(cf, index=index)


def _fleet_by_technology(grid: GridSpec) -> dict[str, ExistingRenewable]:
    """The grid's wind and solar in service, lumped into one plant per technology (``existing_solar``,
    ``existing_wind``): this problem gives every plant of a technology the same synthetic profile, so
    one column per technology is the same dispatch with fewer variables."""
    out = {}
    for technology in ("solar", "wind"):
        units = [u for u in grid.existing_renewables if u.technology == technology]
        out[technology] = units[0].model_copy(
            update={"id": f"existing_{technology}", "capacity_mw": sum(u.capacity_mw for u in units)}
        )
    return out


def default_inputs(
    year: int = 2032,
    options: DispatchOptions | None = None,
    hours: slice | None = None,
    allow_unserved: bool = True,
    n_years: int = 1,
) -> DispatchInputs:
    """The default grid, portfolio sites and battery with synthetic hourly profiles.

    ``n_years`` consecutive calendar years from ``year`` (each with its own weather draw), then
    the hours ``hours`` of them when given.
    """
    grid = load_grid(SITES / "azerbaijan_grid.yaml")
    wind_site = load_site(SITES / "caspian_offshore_wind.yaml")
    solar_site = load_site(SITES / "fuzuli_solar.yaml")
    bess = load_site(SITES / "fuzuli_bess.yaml")
    # as sites/portfolio_energy_only.yaml
    options = options or DispatchOptions(mode="perfect_foresight", hold_reserves=False)
    existing = _fleet_by_technology(grid.in_year(year))
    pieces: dict[str, list[pd.Series]] = {k: [] for k in ("demand", "wind", "solar", "old_solar", "old_wind")}
    for y in range(year, year + n_years):
        full = hourly_year(y, "Asia/Baku")
        pieces["demand"].append(synthetic_demand_mw(grid.zones[0].demand, temperature_c(full, seed=y)))
        pieces["wind"].append(wind_capacity_factor(full, y + 1, 9.0) * 1005.0)
        pieces["solar"].append(solar_capacity_factor(full, y + 2, 0.23) * 250.0)
        pieces["old_solar"].append(solar_capacity_factor(full, y + 3, 0.18))
        pieces["old_wind"].append(wind_capacity_factor(full, y + 4, 7.5))
    series = {k: pd.concat(v) for k, v in pieces.items()}
    index = series["demand"].index if hours is None else series["demand"].index[hours]
    plants = [
        renewable_from_power(
            wind_site.id, "az_main", "wind", series["wind"], wind_site.grid_connection_mw, new=True, index=index
        ),
        renewable_from_power(
            solar_site.id, "az_main", "solar", series["solar"], solar_site.grid_connection_mw, new=True, index=index
        ),
        renewable_from_capacity_factor(existing["solar"], series["old_solar"], index=index),
        renewable_from_capacity_factor(existing["wind"], series["old_wind"], index=index),
    ]
    batteries = [battery_from_site(bess, "az_main", options)]
    inputs = build_inputs(grid, {"az_main": series["demand"].reindex(index)}, plants, batteries, options)
    return replace(inputs, allow_unserved=allow_unserved)
