"""Hourly demand of a zone: a documented synthetic shape, or a series read from a file.

The synthetic shape (:func:`synthetic_demand_mw`) is built in four steps, each an assumption
stated here because no hourly load data for Azerbaijan is public (FACTS 1.3, "Not found"):

1. **Daily profile** (fraction of the daily peak against local hour): a periodic monotone cubic
   (PCHIP) through the knots night minimum at 04:00 (FACTS 1.3), morning ramp at 08:00 (55 % of
   the way from the minimum to the peak), the afternoon peak at ``peak_hour`` (1.0), a small dip
   half-way to the shoulder (3 points below it), the evening shoulder at ``evening_shoulder_hour``
   and back to the minimum at 04:00. PCHIP keeps the knots as the extremes (no overshoot).
2. **Weekend**: Saturday and Sunday are multiplied by ``weekend_factor``.
3. **Temperature**: the profile is multiplied by ``1 + cooling + heating`` where
   ``cooling = cooling_fraction_per_c * max(T - cooling_threshold_c, 0)`` uses the hourly air
   temperature (air conditioning follows the afternoon heat) and
   ``heating = heating_fraction_per_c * max(heating_threshold_c - T_day, 0) * w(h)`` uses the daily
   mean temperature and an evening weight ``w(h) = 0.5 + exp(-((h - shoulder) / 2.5)^2 / 2)``
   (electric heating adds winter evening peaks, FACTS 1.3).
4. **Scaling**: per calendar year an affine map ``a + b * shape`` makes the mean equal to
   ``annual energy / hours_in_year`` and the maximum equal to the peak exactly, both of that
   year on the chosen growth path (``SyntheticDemand.in_year``: base-year figures grown at the
   path's energy and peak rates). An affine map is the only two-parameter scaling that matches
   both figures without iteration; it keeps the timing of every peak and trough. When the peak
   grows faster than the energy the load factor falls and the map stretches the shape (deeper
   night troughs relative to the peak); a year whose figures would drive the trough to zero or
   below is refused.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.interpolate import PchipInterpolator

from ..config.grid import FileDemand, SyntheticDemand
from ..errors import InputError
from ..timeseries import check_hourly_index, hours_in_year

__all__ = ["NIGHT_MINIMUM_HOUR", "daily_profile", "scale_to_energy_and_peak", "synthetic_demand_mw", "file_demand_mw"]

NIGHT_MINIMUM_HOUR = 4
"""Local hour of the daily minimum (FACTS 1.3: about 04:00)."""
_MORNING_HOUR = 8
_MORNING_RAMP_FRACTION = 0.55
_SHOULDER_DIP = 0.03
_EVENING_WIDTH_H = 2.5


def daily_profile(spec: SyntheticDemand, hour_of_day) -> np.ndarray:
    """The daily load profile as a fraction of the daily peak.

    Parameters
    ----------
    spec : SyntheticDemand
        Peak hour, night minimum, evening shoulder hour and height.
    hour_of_day : array-like
        Local hour of the interval start, 0..23 (fractions allowed) [h].

    Returns
    -------
    numpy.ndarray
        Fraction of the daily peak [0..1]; 1 at ``peak_hour``, ``night_minimum_fraction`` at 04:00.

    References
    ----------
    Knots from AZERBAIJAN_FACTS 1.3; interpolation: Fritsch and Carlson (1980), "Monotone piecewise
    cubic interpolation", SIAM J. Numer. Anal. 17(2), doi:10.1137/0717021, as
    ``scipy.interpolate.PchipInterpolator``.
    """
    peak_h, shoulder_h = spec.peak_hour, spec.evening_shoulder_hour
    if not NIGHT_MINIMUM_HOUR + 4 < peak_h < shoulder_h - 1:
        raise InputError(
            f"demand: peak_hour = {peak_h}, evening_shoulder_hour = {shoulder_h}; the synthetic shape expects "
            f"{_MORNING_HOUR} < peak_hour < evening_shoulder_hour - 1 (an afternoon peak before an evening shoulder)"
        )
    low, shoulder = spec.night_minimum_fraction, spec.evening_shoulder_fraction
    morning = low + _MORNING_RAMP_FRACTION * (1.0 - low)
    dip = max(low, shoulder - _SHOULDER_DIP)
    start = NIGHT_MINIMUM_HOUR
    x = [shoulder_h - 24, start, _MORNING_HOUR, peak_h, (peak_h + shoulder_h) / 2, shoulder_h, start + 24, 32]
    y = [shoulder, low, morning, 1.0, dip, shoulder, low, morning]
    curve = PchipInterpolator(x, y)
    hours = np.asarray(hour_of_day, dtype=float)
    return curve(np.where(hours < start, hours + 24.0, hours))


def _evening_weight(spec: SyntheticDemand, hours: np.ndarray) -> np.ndarray:
    distance = np.abs((hours - spec.evening_shoulder_hour + 12.0) % 24.0 - 12.0)
    return 0.5 + np.exp(-0.5 * (distance / _EVENING_WIDTH_H) ** 2)


def synthetic_demand_mw(
    spec: SyntheticDemand, temp_air_c: pd.Series, zone: str = "zone", path: str = "central"
) -> pd.Series:
    """Hourly demand from the documented synthetic shape (module docstring), scaled per calendar year.

    Parameters
    ----------
    spec : SyntheticDemand
        The zone's demand block of the grid config.
    path : {"low", "central", "high"}
        The growth path (the portfolio's ``options.demand_path``): each calendar year is scaled to
        ``spec.in_year(year, path)``, its annual energy [MWh] and peak [MW].
    temp_air_c : pandas.Series
        Hourly air temperature [C] on a time-zone-aware index labelled at the interval start,
        covering whole calendar years in that time zone (the scaling is per year; slice the
        result for a shorter study).
    zone : str
        Zone id, for messages.

    Returns
    -------
    pandas.Series
        Demand [MW] on the index of ``temp_air_c``, named ``demand_mw``.

    Raises
    ------
    InputError
        Missing temperatures, a partial calendar year, or figures that cannot be matched.
    """
    what = f"zone {zone}: demand temperature"
    check_hourly_index(temp_air_c.index, what)
    temps = temp_air_c.to_numpy(dtype=float)
    if np.isnan(temps).any():
        first = temp_air_c.index[np.isnan(temps)][0]
        raise InputError(f"{what}: missing air temperature at {first.isoformat()}; expected a value every hour")
    index = temp_air_c.index
    hours = np.asarray(index.hour + index.minute / 60.0, dtype=float)
    weekend = np.where(index.day_of_week >= 5, spec.weekend_factor, 1.0)
    daily_mean_c = temp_air_c.groupby(index.normalize()).transform("mean").to_numpy(dtype=float)
    cooling = spec.cooling_fraction_per_c * np.maximum(temps - spec.cooling_threshold_c, 0.0)
    heating = spec.heating_fraction_per_c * np.maximum(spec.heating_threshold_c - daily_mean_c, 0.0)
    shape = daily_profile(spec, hours) * weekend * (1.0 + cooling + heating * _evening_weight(spec, hours))
    demand = np.empty_like(shape)
    years = np.asarray(index.year)
    for year in np.unique(years):
        in_year = years == year
        n = int(in_year.sum())
        if n != hours_in_year(int(year)):
            raise InputError(
                f"{what}: {n} hours in {year}; the synthetic demand is scaled per calendar year and expects "
                f"{hours_in_year(int(year))} hours (give whole years and slice the result)"
            )
        energy_mwh, peak_mw = spec.in_year(int(year), path)
        scaled = scale_to_energy_and_peak(shape[in_year], energy_mwh, peak_mw)
        if scaled.min() <= 0.0:
            growth = getattr(spec.growth_paths, path)
            raise InputError(
                f"zone {zone}: demand peak {peak_mw:.0f} MW with annual energy {energy_mwh:.0f} MWh in {year} "
                f"({path} path: energy {growth.energy_growth_fraction_per_year:.1%}/yr, peak "
                f"{growth.peak_growth_fraction_per_year:.1%}/yr) drives the synthetic shape below zero; expected a "
                "lower peak growth, a higher energy growth or a flatter shape"
            )
        demand[in_year] = scaled
    return pd.Series(demand, index=index, name="demand_mw")


def scale_to_energy_and_peak(shape: np.ndarray, energy_mwh: float, peak_mw: float) -> np.ndarray:
    """The affine map ``a + b * shape`` whose sum is ``energy_mwh`` and whose maximum is ``peak_mw``.

    Parameters
    ----------
    shape : numpy.ndarray
        Hourly values of a shape, not all equal [any unit].
    energy_mwh : float
        Total of the result over its hours [MWh] (hourly values are MW over one hour).
    peak_mw : float
        Maximum of the result [MW], above the mean ``energy_mwh / len(shape)``.

    Returns
    -------
    numpy.ndarray
        ``mean + (peak - mean) (shape - shape.mean()) / (shape.max() - shape.mean())`` [MW]: the
        mean and the maximum are matched exactly (to rounding); the minimum follows.
    """
    mean_mw = energy_mwh / len(shape)
    slope = (peak_mw - mean_mw) / (shape.max() - shape.mean())
    return mean_mw + slope * (shape - shape.mean())


def file_demand_mw(spec: FileDemand, demand_mw: pd.Series, index: pd.DatetimeIndex, zone: str = "zone") -> pd.Series:
    """Hourly demand read from a file, aligned to the study hours and optionally rescaled.

    Parameters
    ----------
    spec : FileDemand
        The zone's demand block (``path`` is used in messages only; reading is the caller's job).
    demand_mw : pandas.Series
        The ``spec.column`` of the file [MW], on a time-zone-aware hourly index.
    index : pandas.DatetimeIndex
        The study hours.
    zone : str
        Zone id, for messages.

    Returns
    -------
    pandas.Series
        Demand [MW] on ``index``; when ``spec.annual_energy_mwh`` is set, each calendar year is
        multiplied by one factor so that its total equals ``annual_energy_mwh`` pro rata to the hours
        of that year present.

    Raises
    ------
    InputError
        Naming the file, column and the first missing, NaN or negative hour.
    """
    what = f"{spec.path}, column {spec.column} (zone {zone})"
    check_hourly_index(demand_mw.index, what)
    aligned = demand_mw.reindex(index)
    values = aligned.to_numpy(dtype=float, copy=True)
    if np.isnan(values).any():
        first = index[np.isnan(values)][0]
        raise InputError(f"{what}: no demand value for {first.isoformat()}; expected a value for every study hour")
    if (values < 0).any():
        first = index[values < 0][0]
        raise InputError(f"{what}: negative demand {aligned[first]:g} MW at {first.isoformat()}; expected >= 0")
    if spec.annual_energy_mwh is not None:
        years = np.asarray(index.year)
        for year in np.unique(years):
            in_year = years == year
            target = spec.annual_energy_mwh * in_year.sum() / hours_in_year(int(year))
            total = values[in_year].sum()
            if total <= 0:
                raise InputError(f"{what}: demand in {year} sums to zero; cannot rescale to annual_energy_mwh")
            values[in_year] *= target / total
    return pd.Series(values, index=index, name="demand_mw")
