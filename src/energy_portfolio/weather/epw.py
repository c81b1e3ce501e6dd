"""EnergyPlus weather files (EPW), read by ``pvlib.iotools.read_epw``.

Conventions of the format: local standard time (the ``LOCATION`` line gives the UTC offset,
no daylight saving), hour 1..24 where hour h covers (h-1):00 to h:00 and irradiance is the
energy of that hour [Wh/m2], i.e. its mean power [W/m2]; pvlib labels each row with the start
of its hour. Missing values are coded (99.9 C, 999 %, 999999 Pa, 9999 Wh/m2, 999 m/s and
deg); they are left as they are for the QC to report, never read as numbers or zeros.
Months of a typical-year EPW may come from different years: they are put on one year.

References
----------
U.S. Department of Energy, EnergyPlus Auxiliary Programs, "Weather Converter Program",
section "EnergyPlus Weather File (EPW) Data Dictionary".
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pvlib

from ..errors import WeatherError
from .calendar import coerce_to_year
from .canonical import parse_numbers
from .data import WeatherData, WeatherMeta
from .qc import Finding, tmy_years_finding

__all__ = ["read"]

_COLUMNS = {
    "ghi": "ghi",
    "dni": "dni",
    "dhi": "dhi",
    "temp_air": "temp_air",
    "wind_speed": "wind_speed",
    "atmospheric_pressure": "pressure",
    "relative_humidity": "relative_humidity",
    "wind_direction": "wind_direction_10m",
}


_HEADER_LINES = 8
"""Lines before the first data row of an EPW file (LOCATION ... DATA PERIODS)."""


def _numbers(table: pd.DataFrame, file: str) -> pd.DataFrame:
    """The data fields as floats; every field that is not a number is reported, by column and line."""
    problems = []
    out = {}
    expected = "a number (EPW codes a missing value as 99.9, 999, 9999 or 999999, by field)"
    for column in table.columns:
        out[column], problem = parse_numbers(table[column], file, column, _HEADER_LINES + 1, expected)
        problems.extend([problem] if problem else [])
    if problems:
        raise WeatherError(problems=problems)
    return pd.DataFrame(out, index=table.index)


def read(path: Path, file: str, format: str = "epw") -> tuple[WeatherData, list[Finding]]:
    """Read an EPW file into the canonical frame (index in the file's standard time)."""
    try:
        data, meta = pvlib.iotools.read_epw(path)
    except (ValueError, KeyError, IndexError, UnicodeDecodeError) as exc:
        raise WeatherError(f"{file}: not an EPW file as the EnergyPlus data dictionary describes ({exc})") from None
    frame = _numbers(data[list(_COLUMNS)].rename(columns=_COLUMNS), file)
    leap = bool(((frame.index.month == 2) & (frame.index.day == 29)).any())
    frame, years_by_month, corrections = coerce_to_year(frame, 2032 if leap else 2031, file)
    findings = [f for f in [tmy_years_finding(file, years_by_month)] if f is not None]
    offset = float(meta["TZ"])
    weather_meta = WeatherMeta(
        latitude=float(meta["latitude"]),
        longitude=float(meta["longitude"]),
        elevation_m=float(meta["altitude"]),
        timezone=str(frame.index.tz),
        source=f"EPW file {Path(path).name} ({meta.get('city', '')}, {meta.get('country', '')}, "
        f"{meta.get('data_type', '')} {meta.get('WMO_code', '')})",
        original_convention=f"local standard time UTC{offset:+g} h, hour 1-24 ending at the hour (EPW)",
        corrections=tuple(corrections),
        # EPW years are built from a station's observations (irradiance often modelled from its cloud record)
        irradiance_kind="ground_station",
        wind_kind="ground_station",
    )
    return WeatherData(frame, weather_meta), findings
