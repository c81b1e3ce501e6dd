"""Lay a year of hourly weather onto a calendar year of the study (DESIGN.md, Time).

A typical meteorological year (TMY) or a generated year has no calendar of its own, and a
file in UTC spills a few hours into the neighbouring year once converted to local time. Each
hour is matched to the study year by its local (month, day, hour); 29 February is kept in
leap years (filled from 28 February when the source lacks it) and dropped otherwise. Every
such change is returned as a correction in words.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import WeatherError
from ..timeseries import hourly_year

__all__ = ["to_study_year", "standard_time_zone"]


def standard_time_zone(timezone: str, year: int) -> tuple[str, str]:
    """A fixed-offset zone with the standard time of ``timezone`` and that offset in words.

    Returns ``("Etc/GMT+5", "UTC-5")`` for America/New_York; a zone of a half-hour offset has no
    ``Etc/GMT`` name and is suggested as its offset only.
    """
    times = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="MS", tz=timezone)
    offsets = [t.utcoffset() - t.dst() for t in times if t.dst() is not None]
    hours = (offsets[0] if offsets else times[0].utcoffset()) / pd.Timedelta(hours=1)
    words = f"UTC{hours:+g}"
    if hours != int(hours):
        return words, words
    name = "UTC" if hours == 0 else f"Etc/GMT{-int(hours):+d}"  # the sign of Etc/GMT zones is inverted
    return name, words


def _has_daylight_saving(timezone: str, year: int) -> bool:
    """True when the zone's UTC offset changes during the year."""
    months = pd.date_range(f"{year}-01-01", periods=12, freq="MS", tz=timezone)
    return len({t.utcoffset() for t in months}) > 1


def _daylight_saving_error(timezone: str, year: int, what: str) -> WeatherError:
    wall = hourly_year(year, timezone).tz_localize(None)
    twice = wall[wall.duplicated()]
    shown = f" (local hour {twice[0]:%m-%d %H:%M} occurs twice, another not at all)" if len(twice) else ""
    name, words = standard_time_zone(timezone, year)
    return WeatherError(
        f"{what}: the site's time zone {timezone} has daylight-saving time in {year}{shown}; typical-year "
        "weather and the study's hourly axis are in standard "
        f"time; expected a time zone without daylight saving: give the site "
        + (f"{name} ({timezone}'s standard time, {words})" if name != words else f"a zone that keeps {words} all year")
    )


def _keys(index: pd.DatetimeIndex) -> np.ndarray:
    return (index.month.to_numpy() * 100 + index.day.to_numpy()) * 100 + index.hour.to_numpy()


def to_study_year(frame: pd.DataFrame, timezone: str, year: int, what: str) -> tuple[pd.DataFrame, list[str]]:
    """Convert to ``timezone`` and lay the hours onto calendar ``year``.

    Parameters
    ----------
    frame : pandas.DataFrame
        One year of hourly data with a time-zone-aware index labelled at interval start.
    timezone : str
        IANA time zone of the study.
    year : int
        Study year.
    what : str
        Name of the source, for messages.

    Returns
    -------
    frame : pandas.DataFrame
        Indexed by ``hourly_year(year, timezone)``.
    corrections : list of str

    Raises
    ------
    WeatherError
        When hours of the study year are missing from the source, or ``timezone`` has
        daylight-saving time (the study axis and typical years are in standard time).
    """
    if _has_daylight_saving(timezone, year):
        raise _daylight_saving_error(timezone, year, what)
    local = frame.tz_convert(timezone)
    corrections: list[str] = []
    keys = _keys(local.index)
    if pd.Index(keys).has_duplicates:
        first = local.index[pd.Index(keys).duplicated()][0]
        raise WeatherError(
            f"{what}: more than one value for local hour {first:%m-%d %H:%M}; expected one year of hourly data "
            "(a file spanning several years must be split into single years)"
        )
    target = hourly_year(year, timezone)
    target_keys = _keys(target)
    position = pd.Index(keys).get_indexer(target_keys)
    missing = position < 0
    leap_day = (target.month == 2) & (target.day == 29)
    fill = missing & leap_day
    if fill.any():
        position[fill] = pd.Index(keys).get_indexer(target_keys[fill] - 100)  # same hour of 28 February
        corrections.append(f"{what}: 29 February {year} filled with the hours of 28 February (the source has none)")
    missing = position < 0
    if missing.any():
        hours = target[missing]
        raise WeatherError(
            f"{what}: {missing.sum()} hours of {year} have no data, first {hours[0].isoformat()}; "
            "expected a full year of hourly data"
        )
    dropped = len(keys) - len(set(position.tolist()))
    if dropped:
        extra = ~np.isin(np.arange(len(keys)), position)
        if (((local.index.month == 2) & (local.index.day == 29)) == extra).all():
            corrections.append(f"{what}: 29 February dropped: {year} is not a leap year")
        else:
            corrections.append(f"{what}: {dropped} hours outside the calendar of {year} dropped")
    source_years = sorted(set(local.index.year))
    if source_years != [year]:
        corrections.append(
            f"{what}: hours of {', '.join(map(str, source_years))} (local time {timezone}) laid onto {year} "
            "by month, day and hour"
        )
    out = local.iloc[position].set_axis(target)
    return out, corrections


def coerce_to_year(frame: pd.DataFrame, year: int, what: str) -> tuple[pd.DataFrame, dict[int, int], list[str]]:
    """Put a typical year whose months come from different years onto one year.

    Parameters
    ----------
    frame : pandas.DataFrame
        Hourly data, time-zone aware, labelled at interval start; months may carry different years.
    year : int
        The year to put every timestamp on (a leap year when the data hold 29 February).
    what : str
        Name of the source, for messages.

    Returns
    -------
    frame : pandas.DataFrame
        Sorted by the new timestamps.
    years_by_month : dict
        Month -> source year (the year of the month's first hour).
    corrections : list of str
    """
    index = frame.index
    years_by_month = {int(m): int(index[index.month == m].year[0]) for m in sorted(set(index.month))}
    # The last hour of 31 December may carry the next year when labels were shifted; use
    # (month, day, hour) of each row, which is unique within one typical year.
    naive = index.tz_localize(None)
    moved = pd.to_datetime(
        {"year": year, "month": naive.month, "day": naive.day, "hour": naive.hour}
    ).to_numpy()
    out = frame.set_axis(pd.DatetimeIndex(moved).tz_localize(index.tz).rename("time")).sort_index()
    corrections = []
    if set(index.year) != {year}:
        corrections.append(
            f"{what}: timestamps of years {', '.join(map(str, sorted(set(index.year))))} put on {year} "
            "month by month (a typical year)"
        )
    return out, years_by_month, corrections
