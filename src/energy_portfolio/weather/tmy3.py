"""NSRDB TMY3 files, read by ``pvlib.iotools.read_tmy3``.

Conventions of the format: local standard time (the header gives the UTC offset), each row
labelled at the **end** of its hour (``01:00`` covers 00:00-01:00; pvlib keeps that label),
irradiance as the energy of the hour [Wh/m2], pressure in mbar, months from different years.
On read, labels move to the interval start (-1 h), pressure becomes Pa, and the months are put
on one non-leap year.

References
----------
Wilcox, S., Marion, W. (2008). Users Manual for TMY3 Data Sets. NREL/TP-581-43156.
https://doi.org/10.2172/928611
"""

from __future__ import annotations

from datetime import timedelta, timezone
from pathlib import Path

import pandas as pd
import pvlib

from ..errors import WeatherError
from .calendar import coerce_to_year
from .data import WeatherData, WeatherMeta
from .qc import Finding, tmy_years_finding

__all__ = ["read"]

_COLUMNS = {
    "ghi": "ghi",
    "dni": "dni",
    "dhi": "dhi",
    "temp_air": "temp_air",
    "wind_speed": "wind_speed",
    "pressure": "pressure",
    "relative_humidity": "relative_humidity",
    "wind_direction": "wind_direction_10m",
}
PA_PER_MBAR = 100.0


def _interval_start(data: pd.DataFrame, utc_offset_h: float) -> pd.DatetimeIndex:
    """Start of each row's hour from the file's own date and hour-ending columns.

    Built from the raw columns rather than pvlib's index, which places "02/28/1996 24:00" on
    1 March in leap years; here it is 28 February 23:00-24:00.
    """
    date = pd.to_datetime(data["Date (MM/DD/YYYY)"], format="%m/%d/%Y")
    hour_ending = data["Time (HH:MM)"].str.slice(0, 2).astype(int)
    start = date + pd.to_timedelta(hour_ending - 1, unit="h")
    return pd.DatetimeIndex(start).tz_localize(timezone(timedelta(hours=utc_offset_h))).rename("time")


def read(path: Path, file: str, format: str = "tmy3") -> tuple[WeatherData, list[Finding]]:
    """Read a TMY3 CSV into the canonical frame (index in the file's standard time)."""
    try:
        data, meta = pvlib.iotools.read_tmy3(path, map_variables=True)
    except (ValueError, KeyError, IndexError, UnicodeDecodeError) as exc:
        raise WeatherError(f"{file}: not a TMY3 file as NREL's users manual describes ({exc})") from None
    frame = data[list(_COLUMNS)].rename(columns=_COLUMNS).astype(float)
    frame["pressure"] = frame["pressure"] * PA_PER_MBAR
    frame.index = _interval_start(data, float(meta["TZ"]))
    frame, years_by_month, corrections = coerce_to_year(frame, 2031, file)
    corrections = [f"{file}: labels moved from interval end to interval start (-1 h)", *corrections]
    findings = [f for f in [tmy_years_finding(file, years_by_month)] if f is not None]
    weather_meta = WeatherMeta(
        latitude=float(meta["latitude"]),
        longitude=float(meta["longitude"]),
        elevation_m=float(meta["altitude"]),
        timezone=str(frame.index.tz),
        source=f"TMY3 file {Path(path).name} (USAF {meta.get('USAF')}, {str(meta.get('Name', '')).strip(chr(34))})",
        original_convention=f"local standard time UTC{float(meta['TZ']):+g} h, labels at interval end, "
        "pressure in mbar (TMY3)",
        corrections=tuple(corrections),
    )
    return WeatherData(frame, weather_meta), findings
