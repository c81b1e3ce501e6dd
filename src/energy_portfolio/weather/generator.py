"""Offline typical-year generator: hourly weather from a monthly climatology.

Solar: daily clearness index from the Markov transition matrices of Aguiar, Collares-Pereira
and Conde (1988), hourly clearness index from the TAG model (Aguiar and Collares-Pereira,
1992), bounded by pvlib's Ineichen clear sky with pvlib's Linke turbidity climatology, split
into DNI and DHI by the pvlib decomposition model the climatology names. Air temperature:
monthly means with a diurnal cycle (larger on clear days) and an AR(1) anomaly. Wind: a
Gaussian AR(1) process mapped onto the monthly Weibull distribution (a Gaussian copula, so the
hourly lag-1 autocorrelation hits its target), a diurnal cycle, a direction from the sector
distribution and power-law shear to other heights. Pressure and relative humidity follow.

Realisation 0 is the typical year: its monthly GHI and mean wind speed equal the
climatology's (as a Meteonorm-style typical year does). Realisations 1, 2, ... are distinct
years: each month's GHI and mean wind speed carry their own anomaly, an AR(1) process across
the months of the year scaled so that the annual totals spread by the climatology's
``interannual_cv`` (``monthly_anomalies``). Day to day, the Markov chain gives the clearness
index its persistence, and the wind's Gaussian process is the sum of a synoptic component
(days) and a fast one (hours) so that daily mean speeds persist as well as hourly ones
(``wind_components``).
Sites generated together draw their random anomalies partly from one shared regional stream
(``regional_weather_correlation``), so their weather stays correlated. All randomness comes
from ``numpy.random.Generator`` seeded by (seed, realisation): the same inputs give the same
numbers.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import pvlib
from numpy.polynomial.hermite_e import hermegauss
from scipy import optimize, signal, special

from ..config.climatology import ClimatologySpec
from ..config.site import Location
from ..timeseries import hourly_year
from .clearness import daily_clearness_index, tag_mean_std, tag_phi
from .data import SURFACE_COLUMNS, height_column

__all__ = [
    "SiteRequest",
    "generate_year",
    "weibull_copula_rho",
    "draw_shape_for",
    "scale_under_cap",
    "monthly_anomalies",
    "wind_components",
]

_DAYS_IN_CLIMATOLOGY_MONTH = np.array([31, 28.25, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
"""Days behind a monthly climatological total (February averaged over leap cycles)."""

_SYNOPTIC_PHI = float(np.exp(-1.0 / 96.0))
"""Hourly persistence of synoptic swings (pressure, the wind's slow part): e-folding time of 4 days (assumption)."""

MONTHLY_ANOMALY_AUTOCORRELATION = 0.25
"""Lag-1 correlation of consecutive months' anomalies of GHI and of mean wind speed [-].

assumption: monthly anomalies of cloudiness and of wind persist only weakly from one month to
the next (large-scale patterns such as blocking last weeks, rarely months); 0.25 is between
independence (0) and the persistence of seasonal circulation indices. Not measured here.
"""

WIND_DAILY_AUTOCORRELATION = 0.5
"""Lag-1 autocorrelation of daily mean wind speed, at least [-].

assumption: synoptic systems pass every 3-7 days, so daily means correlate 0.4-0.7 from one day
to the next (issue 18's band); pvlib's two real TMY3 files give 0.31 (Greensboro) and 0.39 (Sand
Point) for daily mean 10 m speeds within a month, so 0.5 sits at the band's low end. Brown, Katz
and Murphy (1984), J. Climate Appl. Meteor. 23:1184, model hourly speeds as an AR process on
transformed speeds, as this generator does at the hourly scale.
"""

_LAPSE_RATE_K_PER_M = 0.0065
"""Standard-atmosphere lapse rate (ISO 2533:1975) for temperature at other heights [K/m]."""

_TEMPERATURE_PEAK_SOLAR_HOUR = 15.0
"""Local solar hour of the daily temperature maximum (typical of the mid-afternoon peak)."""


@dataclass(frozen=True)
class SiteRequest:
    """One site to generate: its climatology, where it is and its own seed.

    Attributes
    ----------
    name : str
        Site key; also salts the site's local random stream.
    climatology : ClimatologySpec
    location : Location
        Where the weather is generated (geometry, clear sky, time zone).
    seed : int
        Seed of the site's local random stream.
    """

    name: str
    climatology: ClimatologySpec
    location: Location
    seed: int


def generate_year(sites: list[SiteRequest], year: int, realisation: int, group_seed: int) -> dict[str, pd.DataFrame]:
    """Hourly weather of several sites for one calendar year.

    Parameters
    ----------
    sites : list of SiteRequest
        Sites generated together; they share the regional random stream.
    year : int
        Calendar year of the index (29 February kept in leap years).
    realisation : int
        0 for the typical year (monthly means as the climatology), 1, 2, ... for distinct years.
    group_seed : int
        Seed of the shared regional stream.

    Returns
    -------
    dict
        Site name -> canonical frame (see ``weather.data``), index in the site's time zone.
    """
    common = np.random.default_rng([group_seed, realisation, 0])
    draws = _Draws.of(common, year)
    out = {}
    for site in sites:
        local = np.random.default_rng([site.seed, realisation, 1, zlib.crc32(site.name.encode())])
        out[site.name] = _generate_site(site, year, realisation, draws, _Draws.of(local, year))
    return out


@dataclass(frozen=True)
class _Draws:
    """Standard normal numbers for every stochastic component of one year."""

    kt_daily: np.ndarray
    tag: np.ndarray
    temperature: np.ndarray
    wind: np.ndarray
    direction: np.ndarray
    pressure: np.ndarray
    monthly: np.ndarray
    wind_synoptic: np.ndarray

    @classmethod
    def of(cls, rng: np.random.Generator, year: int) -> "_Draws":
        hours = 8784 + 48  # room for any time zone's year (DST adds an hour)
        return cls(
            kt_daily=rng.standard_normal(367),
            tag=rng.standard_normal(hours),
            temperature=rng.standard_normal(hours),
            wind=rng.standard_normal(hours),
            direction=rng.standard_normal(hours),
            pressure=rng.standard_normal(hours),
            monthly=rng.standard_normal(24),  # GHI then wind, one per month
            wind_synoptic=rng.standard_normal(hours),
        )


def _mix(common: np.ndarray, local: np.ndarray, rho: float, n: int) -> np.ndarray:
    """Standard normals correlated ``rho`` with the regional stream."""
    return rho * common[:n] + np.sqrt(1.0 - rho**2) * local[:n]


def _ar1(innovations: np.ndarray, phi) -> np.ndarray:
    """Unit-variance AR(1): y_t = phi y_{t-1} + sqrt(1 - phi^2) e_t, started stationary."""
    phi_arr = np.broadcast_to(np.asarray(phi, dtype=float), innovations.shape)
    if np.all(phi_arr == phi_arr[0]):
        p = float(phi_arr[0])
        rest, _ = signal.lfilter([np.sqrt(1.0 - p**2)], [1.0, -p], innovations[1:], zi=[p * innovations[0]])
        return np.concatenate([innovations[:1], rest])
    y = np.empty_like(innovations)
    y[0] = innovations[0]
    scale = np.sqrt(1.0 - phi_arr**2)
    for t in range(1, len(innovations)):
        y[t] = phi_arr[t] * y[t - 1] + scale[t] * innovations[t]
    return y


def monthly_anomalies(z: np.ndarray, annual_cv: float, weights, phi: float = MONTHLY_ANOMALY_AUTOCORRELATION):
    """Relative anomaly of each month, persistent across months, with a given annual spread.

    a_m = s y_m with y the unit-variance AR(1) of ``z`` (lag-1 ``phi``) over January..December.
    The year's weighted total sum_m w_m (1 + a_m) then has the standard deviation
    s sqrt(w' R w) with R_ij = phi^|i-j|, so s = annual_cv / sqrt(w' R w) gives the annual
    coefficient of variation ``annual_cv`` (weights normalised to sum 1).

    Parameters
    ----------
    z : numpy.ndarray
        Twelve standard normals.
    annual_cv : float
        Wanted standard deviation of the weighted annual total / its mean [fraction].
    weights : array-like
        Each month's share of the annual total (e.g. its climatological GHI) [any unit].
    phi : float
        Lag-1 correlation of consecutive months' anomalies [-].

    Returns
    -------
    numpy.ndarray
        Twelve relative anomalies [fraction], floored at -0.9 (a month keeps a tenth of its mean).
    """
    w = np.asarray(weights, dtype=float)
    w = w / w.sum()
    lags = np.abs(np.subtract.outer(np.arange(12), np.arange(12)))
    std = annual_cv / np.sqrt(w @ (phi**lags) @ w)
    return np.maximum(std * _ar1(np.asarray(z, dtype=float), phi), -0.9)


def _block_moments(phi: float, hours: int = 24) -> tuple[float, float]:
    """Variance of a sum of ``hours`` values of a unit AR(1), and covariance with the next sum."""
    lag = np.arange(-(hours - 1), hours)
    variance = float(((hours - np.abs(lag)) * phi ** np.abs(lag)).sum())
    d = np.arange(1, 2 * hours)
    covariance = float(((hours - np.abs(d - hours)) * phi**d).sum())
    return variance, covariance


@lru_cache(maxsize=32)
def wind_components(hourly_rho: float, daily_target: float = WIND_DAILY_AUTOCORRELATION) -> tuple[float, float]:
    """Synoptic variance share and fast-component persistence of the wind's Gaussian process.

    The process is sqrt(w) S + sqrt(1 - w) F with S, F independent unit AR(1) processes of hourly
    lag-1 ``_SYNOPTIC_PHI`` (e-folding 4 days) and phi_f. Its hourly lag-1 is
    w phi_s + (1 - w) phi_f = ``hourly_rho`` (kept, so the hourly persistence stays on target);
    the lag-1 correlation of its daily means is
    (w C_s + (1 - w) C_f) / (w V_s + (1 - w) V_f), with V, C the variance of a 24-hour sum and
    its covariance with the next one (closed sums of phi^|lag|). w is solved by Brent for that
    daily correlation to equal ``daily_target``. When one component already persists that long
    (slow hourly persistence, as offshore), w = 0: the process is the single AR(1) it was. The
    target holds for the Gaussian process; the Weibull transform of the speeds lowers
    correlations a little (by under 0.02 at these shapes, see ``weibull_copula_rho``).

    Parameters
    ----------
    hourly_rho : float
        Lag-1 autocorrelation of the hourly Gaussian process (from ``weibull_copula_rho``) [-].
    daily_target : float
        Wanted lag-1 autocorrelation of its daily means [-].

    Returns
    -------
    w, phi_f : float
        Share of the variance in the synoptic component [-], lag-1 of the fast component [-].
    """
    phi_s = _SYNOPTIC_PHI

    def fast(w: float) -> float:
        return max((hourly_rho - w * phi_s) / (1.0 - w), 0.0)

    def daily(w: float) -> float:
        (vs, cs), (vf, cf) = _block_moments(phi_s), _block_moments(fast(w))
        return (w * cs + (1.0 - w) * cf) / (w * vs + (1.0 - w) * vf)

    w_max = min(hourly_rho / phi_s, 1.0) - 1e-9  # above it the fast component would need phi_f < 0
    if daily(0.0) >= daily_target or daily(w_max) <= daily_target:
        return 0.0, hourly_rho
    w = float(optimize.brentq(lambda x: daily(x) - daily_target, 0.0, w_max))
    return w, fast(w)


def _geometry(latitude: float, longitude: float, elevation_m: float, timezone: str, year: int) -> pd.DataFrame:
    """Solar geometry at interval midpoints, extraterrestrial and Ineichen clear-sky GHI.

    In a zone without daylight saving, the geometry of a reference year with the same number
    of days (2031 or 2032) is laid onto ``year``: the sun's position on a calendar date moves
    by under 0.2 deg of declination across the four-year leap cycle, well inside the
    hour-to-hour noise of generated weather, and a 30-year run then computes it twice.
    """
    index = hourly_year(year, timezone)
    offsets = {t.utcoffset() for t in index[[0, len(index) // 2, -1]]}
    if len(offsets) > 1:
        return _geometry_of_year(latitude, longitude, elevation_m, timezone, year)
    reference = 2032 if len(index) == 8784 else 2031
    return _geometry_of_year(latitude, longitude, elevation_m, timezone, reference).set_axis(index)


@lru_cache(maxsize=32)
def _geometry_of_year(latitude: float, longitude: float, elevation_m: float, timezone: str, year: int) -> pd.DataFrame:
    """Geometry of one calendar year (cached): apparent zenith at the midpoints."""
    index = hourly_year(year, timezone)
    mid = index + pd.Timedelta(minutes=30)
    solpos = pvlib.solarposition.get_solarposition(mid, latitude, longitude, altitude=elevation_m, method="nrel_numpy")
    location = pvlib.location.Location(latitude, longitude, timezone, elevation_m)
    turbidity = pvlib.clearsky.lookup_linke_turbidity(mid, latitude, longitude)
    clear = location.get_clearsky(mid, model="ineichen", solar_position=solpos, linke_turbidity=turbidity)
    dni_extra = pvlib.irradiance.get_extra_radiation(mid)
    # Apparent (refracted) zenith: the sun counts as up when it is seen, as pvlib's clear sky and
    # the solar model take it; the geometric one would leave dark hours the models call sunny.
    zenith = solpos["apparent_zenith"].to_numpy()
    cos_zenith = np.cos(np.radians(zenith))
    frame = pd.DataFrame(
        {
            "zenith": zenith,
            "cos_zenith": cos_zenith,
            "extra_horizontal": np.asarray(dni_extra) * np.clip(cos_zenith, 0.0, None),
            "clearsky_ghi": np.minimum(clear["ghi"].to_numpy(), np.asarray(dni_extra) * np.clip(cos_zenith, 0, None)),
        },
        index=index,
    )
    return frame


def scale_under_cap(values, caps, groups, targets, iterations: int = 50):
    """Scale each group of values by one factor so that the capped values sum to the target.

    Finds f_g with sum over group g of min(f_g * values, caps) = targets[g] by bisection (the
    capped sum is monotonic in f). A target above the sum of the caps gives the caps.

    Parameters
    ----------
    values, caps : numpy.ndarray
        Non-negative values and their upper bounds, same shape.
    groups : numpy.ndarray of int
        Group number (0..G-1) of each value.
    targets : numpy.ndarray
        Target sum of each group.

    Returns
    -------
    numpy.ndarray
        The scaled and capped values.
    """
    n_groups = len(targets)
    total = np.bincount(groups, values, minlength=n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(values > 0, caps / values, 0.0)
        high = np.where(total > 0, targets / total, 0.0)
    np.maximum.at(high, groups, ratio)  # at the largest cap/value ratio every value sits at its cap
    high = high + 1e-9
    low = np.zeros(n_groups)
    for _ in range(iterations):
        mid = 0.5 * (low + high)
        capped = np.bincount(groups, np.minimum(values * mid[groups], caps), minlength=n_groups)
        too_low = capped < targets
        low = np.where(too_low, mid, low)
        high = np.where(too_low, high, mid)
    return np.minimum(values * high[groups], caps)


def _month_groups(index: pd.DatetimeIndex) -> np.ndarray:
    return index.month.to_numpy() - 1


def _day_groups(index: pd.DatetimeIndex) -> np.ndarray:
    days = index.tz_localize(None).normalize()
    return pd.factorize(days)[0]


def _solar(site: SiteRequest, geo: pd.DataFrame, anomaly: float, z_daily: np.ndarray, z_hourly: np.ndarray):
    """GHI [W/m2] and daily clearness index per hour."""
    clim = site.climatology.solar
    index = geo.index
    month = _month_groups(index)
    day = _day_groups(index)
    n_days = day.max() + 1
    extra = geo["extra_horizontal"].to_numpy()
    days_this_year = np.bincount(month, minlength=12) / 24.0
    monthly_target_wh = (
        np.asarray(clim.monthly_ghi_kwh_m2) * 1000.0 / _DAYS_IN_CLIMATOLOGY_MONTH * days_this_year * (1.0 + anomaly)
    )
    monthly_extra = np.bincount(month, extra, minlength=12)
    monthly_kt = monthly_target_wh / monthly_extra
    day_month = np.zeros(n_days, dtype=int)
    day_month[day] = month
    uniforms = special.ndtr(z_daily[:n_days])
    daily_kt = daily_clearness_index(monthly_kt[day_month], uniforms, kt_start=float(monthly_kt[0]))
    kt_of_hour = daily_kt[day]
    sun = geo["cos_zenith"].to_numpy() > 0.0
    sin_el = np.where(sun, geo["cos_zenith"].to_numpy(), 1.0)
    mean, std = tag_mean_std(kt_of_hour, sin_el)
    y = _ar1(z_hourly[: len(index)], tag_phi(kt_of_hour))
    cap = geo["clearsky_ghi"].to_numpy()
    kt_clear = np.where(extra > 0, cap / np.maximum(extra, 1e-9), 1.0)
    kt_hourly = _truncated(mean, std, y, 0.0, kt_clear)
    ghi = np.where(sun, kt_hourly * extra, 0.0)
    daily_target = daily_kt * np.bincount(day, extra, minlength=n_days)
    ghi = scale_under_cap(ghi, cap, day, daily_target)
    ghi = scale_under_cap(ghi, cap, month, monthly_target_wh)
    return ghi, kt_of_hour, monthly_kt[month]


def _truncated(mean, std, y, low, high):
    """Values of N(mean, std) truncated to [low, high], taken at the quantile of the unit normal y.

    TAG's hourly clearness index is a truncated Gaussian between 0 and the clear-sky index
    (Aguiar and Collares-Pereira 1992). Mapping the AR(1) value's probability Phi(y) into the
    truncated range keeps the hour-to-hour ranks (so the persistence) and never piles values
    on the bounds, as clipping would (clipping gave daylight hours of exactly zero GHI).
    """
    std = np.maximum(std, 1e-9)
    lower = special.ndtr((low - mean) / std)
    upper = special.ndtr((high - mean) / std)
    p = lower + special.ndtr(y) * np.maximum(upper - lower, 0.0)
    value = mean + std * special.ndtri(np.clip(p, 1e-12, 1 - 1e-12))
    return np.clip(value, low, high)


def _decompose(model: str, ghi: np.ndarray, geo: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """DNI and DHI [W/m2] from GHI by the named pvlib.irradiance model."""
    mid = geo.index + pd.Timedelta(minutes=30)
    ghi_s = pd.Series(ghi, index=mid)
    zenith = pd.Series(geo["zenith"].to_numpy(), index=mid)
    parts = getattr(pvlib.irradiance, model)(ghi_s, zenith, mid)
    dni = np.asarray(parts["dni"], dtype=float)
    cos_z = np.clip(geo["cos_zenith"].to_numpy(), 0.0, None)
    dark = (ghi <= 0) | (cos_z <= 0)
    dni = np.where(np.isnan(dni) & dark, 0.0, dni)  # some models give NaN without sun; any other NaN stays
    dni = np.clip(dni, 0.0, None)
    dni = np.where(ghi > 0, np.minimum(dni, ghi / np.maximum(cos_z, 1e-6)), 0.0)
    dhi = ghi - dni * cos_z  # closure: ghi = dhi + dni cos(zenith)
    return dni, np.clip(dhi, 0.0, None)


def _solar_hour(index: pd.DatetimeIndex, longitude: float) -> np.ndarray:
    offset_h = np.array([t.utcoffset().total_seconds() / 3600.0 for t in index[[0, -1]]])
    hour = index.hour.to_numpy() + 0.5
    return (hour - offset_h.mean() + longitude / 15.0) % 24.0


def _smooth_monthly(index: pd.DatetimeIndex, monthly: np.ndarray) -> np.ndarray:
    """Hourly values interpolated between mid-month points, shifted so each month keeps its mean."""
    month = _month_groups(index)
    doy = index.day_of_year.to_numpy() - 1 + index.hour.to_numpy() / 24.0
    mids = np.array([15.0, 45.0, 74.0, 105.0, 135.0, 166.0, 196.0, 227.0, 258.0, 288.0, 319.0, 349.0])
    x = np.concatenate([mids - 365.0, mids, mids + 365.0])
    y = np.tile(np.asarray(monthly, dtype=float), 3)
    values = np.interp(doy, x, y)
    counts = np.bincount(month, minlength=12)
    shift = np.asarray(monthly) - np.bincount(month, values, minlength=12) / counts
    return values + shift[month]


def _temperature(site, index, kt_ratio, z):
    clim = site.climatology.temperature
    month = _month_groups(index)
    base = _smooth_monthly(index, np.asarray(clim.monthly_mean_c))
    half_range = 0.5 * np.asarray(clim.monthly_diurnal_range_c)[month] * np.clip(kt_ratio, 0.5, 1.5)
    shape = np.cos(2.0 * np.pi * (_solar_hour(index, site.location.longitude) - _TEMPERATURE_PEAK_SOLAR_HOUR) / 24.0)
    noise = clim.noise_std_c * _ar1(z, clim.noise_autocorrelation_hourly)
    return base + half_range * shape + noise, base


@lru_cache(maxsize=32)
def weibull_copula_rho(k: float, target: float) -> float:
    """Lag-1 correlation of a Gaussian AR(1) that gives ``target`` after the Weibull transform.

    The correlation of g(Z1), g(Z2) for standard normals with correlation rho is
    sum_n c_n^2 rho^n / sum_n c_n^2 with the Hermite coefficients c_n = E[g(Z) He_n(Z)] / sqrt(n!)
    (Mehler's expansion); g maps a normal to a Weibull(k) quantile. Solved for rho by Brent.

    Parameters
    ----------
    k : float
        Weibull shape [-].
    target : float
        Wanted lag-1 autocorrelation of the wind speed [-].
    """
    nodes, weights = hermegauss(120)
    weights = weights / weights.sum()
    g = (-np.log(special.ndtr(-nodes))) ** (1.0 / k)  # Weibull quantile of Phi(z) via the survival form
    coeffs = []
    for n in range(1, 40):
        he = np.polynomial.hermite_e.hermeval(nodes, [0] * n + [1])
        coeffs.append((weights * g * he).sum() ** 2 / special.factorial(n))
    c2 = np.array(coeffs)
    powers = np.arange(1, 40)
    return float(optimize.brentq(lambda r: (c2 * r**powers).sum() / c2.sum() - target, 0.0, 0.99999))


def _weibull_cv(k: float) -> float:
    """Coefficient of variation of a Weibull distribution of shape k."""
    g1, g2 = special.gamma(1.0 + 1.0 / k), special.gamma(1.0 + 2.0 / k)
    return float(np.sqrt(g2 / g1**2 - 1.0))


@lru_cache(maxsize=32)
def draw_shape_for(k: float, diurnal_amplitude: float) -> float:
    """Weibull shape to draw with so that, times a diurnal factor 1 + a cos(.), the shape is ``k``.

    For independent factors (1 + CV^2) multiplies: 1 + CV_k^2 = (1 + CV_draw^2)(1 + a^2 / 2),
    solved for the draw's shape by Brent (method of moments).
    """
    cv_draw = np.sqrt((1.0 + _weibull_cv(k) ** 2) / (1.0 + diurnal_amplitude**2 / 2.0) - 1.0)
    return float(optimize.brentq(lambda x: _weibull_cv(x) - cv_draw, k * 0.9, 20.0))


def _wind(site, index, anomaly, z_speed, z_synoptic, z_dir):
    clim = site.climatology.wind
    month = _month_groups(index)
    k_draw = draw_shape_for(clim.weibull_k, clim.diurnal_amplitude_fraction)
    rho = weibull_copula_rho(k_draw, clim.hourly_autocorrelation)
    share, phi_fast = wind_components(rho)
    z = np.sqrt(share) * _ar1(z_synoptic, _SYNOPTIC_PHI) + np.sqrt(1.0 - share) * _ar1(z_speed, phi_fast)
    shape_draw = (-np.log(special.ndtr(-z))) ** (1.0 / k_draw)
    hour = index.hour.to_numpy() + 0.5
    diurnal = 1.0 + clim.diurnal_amplitude_fraction * np.cos(2.0 * np.pi * (hour - clim.diurnal_peak_hour) / 24.0)
    speed = shape_draw * diurnal
    target = np.asarray(clim.monthly_mean_m_s) * (1.0 + anomaly)
    speed = speed * (target / (np.bincount(month, speed, minlength=12) / np.bincount(month, minlength=12)))[month]
    frequencies = np.asarray(clim.direction_sector_frequencies, dtype=float)
    frequencies = frequencies / frequencies.sum()
    width = 360.0 / len(frequencies)
    edges = -0.5 * width + width * np.arange(len(frequencies) + 1)
    cdf = np.concatenate([[0.0], np.cumsum(frequencies)])
    direction = np.interp(special.ndtr(_ar1(z_dir, clim.hourly_autocorrelation)), cdf, edges) % 360.0
    return speed, direction


def _relative_humidity(index, temp_c, base_c, monthly_rh):
    """Relative humidity [%] holding each month's mean dew point (Magnus formula, Alduchov & Eskridge 1996)."""
    a, b = 17.625, 243.04
    month = _month_groups(index)
    rh_m = np.asarray(monthly_rh, dtype=float)[month] / 100.0
    gamma = np.log(rh_m) + a * base_c / (b + base_c)
    dew = b * gamma / (a - gamma)
    rh = 100.0 * np.exp(a * dew / (b + dew) - a * temp_c / (b + temp_c))
    return np.clip(rh, 1.0, 100.0)


def _generate_site(site: SiteRequest, year: int, realisation: int, common: _Draws, local: _Draws) -> pd.DataFrame:
    clim = site.climatology
    loc = site.location
    geo = _geometry(loc.latitude, loc.longitude, loc.elevation_m, loc.timezone, year)
    index = geo.index
    n = len(index)
    rho = clim.regional_weather_correlation
    monthly = _mix(common.monthly, local.monthly, rho, 24) if realisation > 0 else np.zeros(24)
    hours = np.bincount(_month_groups(index), minlength=12)
    ghi_anomaly = monthly_anomalies(monthly[:12], clim.solar.interannual_cv, clim.solar.monthly_ghi_kwh_m2)
    wind_weights = np.asarray(clim.wind.monthly_mean_m_s) * hours  # the annual mean speed weighs months by hours
    wind_anomaly = monthly_anomalies(monthly[12:], clim.wind.interannual_cv, wind_weights)
    ghi, daily_kt, monthly_kt = _solar(
        site, geo, ghi_anomaly, _mix(common.kt_daily, local.kt_daily, rho, 367), _mix(common.tag, local.tag, rho, n)
    )
    dni, dhi = _decompose(clim.solar.decomposition, ghi, geo)
    temp, base = _temperature(site, index, daily_kt / monthly_kt, _mix(common.temperature, local.temperature, rho, n))
    speed_ref, direction = _wind(
        site,
        index,
        wind_anomaly,
        _mix(common.wind, local.wind, rho, n),
        _mix(common.wind_synoptic, local.wind_synoptic, rho, n),
        _mix(common.direction, local.direction, rho, n),
    )
    pressure = clim.surface_pressure_pa + clim.pressure_std_pa * _ar1(
        _mix(common.pressure, local.pressure, rho, n), _SYNOPTIC_PHI
    )
    columns = {
        "ghi": ghi,
        "dni": dni,
        "dhi": dhi,
        "temp_air": temp,
        "wind_speed": speed_ref * (10.0 / clim.wind.reference_height_m) ** clim.wind.shear_exponent,
        "pressure": pressure,
        "relative_humidity": _relative_humidity(index, temp, base, clim.relative_humidity_percent),
    }
    for height in sorted(clim.wind.output_heights_m):
        if height == 10.0:
            continue
        columns[height_column("wind_speed", height)] = (
            speed_ref * (height / clim.wind.reference_height_m) ** clim.wind.shear_exponent
        )
        columns[height_column("wind_direction", height)] = direction
        columns[height_column("temp_air", height)] = temp - _LAPSE_RATE_K_PER_M * (height - 2.0)
    frame = pd.DataFrame(columns, index=index)
    return frame[[*SURFACE_COLUMNS, *[c for c in frame.columns if c not in SURFACE_COLUMNS]]]
