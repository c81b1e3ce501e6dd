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

import io
from datetime import timedelta, timezone
from pathlib import Path

import pandas as pd
import pvlib

from ..errors import Problem, WeatherError
from .calendar import coerce_to_year
from .canonical import cells_problem, collect, parse_formatted_times, parse_numbers
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
_HEADER = ("USAF", "Name", "State", "TZ", "latitude", "longitude", "altitude")
"""Fields of the first line (users manual, table 1-1)."""
_RAW = {
    "GHI (W/m^2)": "Wh/m2",
    "DNI (W/m^2)": "Wh/m2",
    "DHI (W/m^2)": "Wh/m2",
    "Dry-bulb (C)": "C",
    "Wspd (m/s)": "m/s",
    "Pressure (mbar)": "mbar",
    "RHum (%)": "%",
    "Wdir (degrees)": "degrees",
}
"""The data fields read (users manual, table 1-2) and their units."""
_DATE, _TIME = "Date (MM/DD/YYYY)", "Time (HH:MM)"
_FIRST_LINE = 3
"""File line of data row 1 (after the station line and the line of field names)."""


def _layout_problems(path: Path, file: str) -> list[Problem]:
    """Every structural problem of a TMY3 file: station line, missing fields, dates, hours, text in numbers.

    Checked before pvlib reads the file, which stops at the first problem and names no line.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    if len(lines) < 2:
        return [Problem(file, "fewer than two lines; expected a station line, a line of field names and 8760 rows")]
    problems = []
    station = lines[0].split(",")
    if len(station) != len(_HEADER):
        problems.append(Problem(file, f"station line has {len(station)} fields; expected {', '.join(_HEADER)}", line=1))
    for name, value in list(zip(_HEADER, station, strict=False))[3:]:
        try:
            float(value)
        except ValueError:
            problems.append(Problem(file, f"station {name} = {value!r}; expected a number", line=1, field=name))
    table = pd.read_csv(io.StringIO("\n".join(lines[1:])), dtype=str, keep_default_na=False)
    missing = [c for c in (_DATE, _TIME, *_RAW) if c not in table.columns]
    if missing:
        problems.append(Problem(file, f"no fields {', '.join(missing)}; expected the TMY3 fields of NREL's users "
                                "manual (table 1-2)", line=2))
    if _DATE in table.columns:
        collect(problems, parse_formatted_times, table[_DATE], file, _DATE, _FIRST_LINE, "%m/%d/%Y",
                "a date MM/DD/YYYY such as 01/31/1988")
    if _TIME in table.columns:
        text = table[_TIME].str.strip()
        hour = pd.to_numeric(text.str.extract(r"^(\d\d):00$")[0], errors="coerce")
        bad = (hour.isna() | (hour < 1) | (hour > 24)).to_numpy()
        why = "is not an hour ending 01:00..24:00; expected HH:00"
        problems.extend(p for p in [cells_problem(text, bad, file, _TIME, _FIRST_LINE, "time", why)] if p)
    for column in (c for c in _RAW if c in table.columns):
        _, problem = parse_numbers(table[column], file, column, _FIRST_LINE, f"a number in {_RAW[column]}")
        problems.extend([problem] if problem else [])
    return problems


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
    """Read a TMY3 CSV into the canonical frame (index in the file's standard time).

    Raises
    ------
    WeatherError
        Listing every structural problem at once (station line, missing fields, unreadable
        dates and hours, text in number fields), each with its line.
    """
    try:
        problems = _layout_problems(path, file)
        if not problems:
            data, meta = pvlib.iotools.read_tmy3(path, map_variables=True)
    except (ValueError, KeyError, IndexError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise WeatherError(f"{file}: not a TMY3 file as NREL's users manual describes ({exc})") from None
    if problems:
        raise WeatherError(problems=problems)
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
        # TMY3 (Wilcox and Marion 2008, NREL/TP-581-43156): irradiance of the NSRDB 1991-2005,
        # mostly modelled from satellite images (SUNY) or the station's cloud cover (METSTAT);
        # wind measured at the station
        irradiance_kind="satellite",
        wind_kind="ground_station",
    )
    return WeatherData(frame, weather_meta), findings
