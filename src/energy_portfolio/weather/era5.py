"""ERA5 single-level hourly data at a point, as CSV or NetCDF from the Copernicus Climate Data Store.

pvlib.iotools only downloads ERA5 (``get_era5``, which needs an account); files are read here.
Variables (ERA5 short names, SI units): ``u10``, ``v10``, ``u100``, ``v100`` wind components
[m/s]; ``t2m`` 2 m temperature [K]; ``d2m`` 2 m dew point [K]; ``sp`` surface pressure [Pa];
``ssrd`` surface solar radiation downwards and ``fdir`` total-sky direct solar radiation at
the surface (on the horizontal) [J/m2], accumulated over the hour that **ends** at
``valid_time``. Time is UTC (``valid_time``, or ``time`` in older files).

Conversions on read: accumulations / 3600 s -> mean irradiance [W/m2] of the hour, labelled
at its start (-1 h); instantaneous values at the end of each hour stand for that hour (the
same -1 h); K -> C; (u, v) -> speed and the direction the wind comes from; DHI = GHI - fdir and
DNI = fdir / cos(zenith at the middle of the hour), 0 when the sun is below 85 deg zenith
(beam on the horizontal is then negligible); relative humidity from t2m and d2m (Magnus).

References
----------
Hersbach, H. et al. (2020). The ERA5 global reanalysis. Q. J. R. Meteorol. Soc. 146,
1999-2049. https://doi.org/10.1002/qj.3803 ; ECMWF, "ERA5: data documentation", section
"Mean rates and accumulations".
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pvlib

from ..errors import Problem, WeatherError
from ..units import kelvin_to_celsius
from .canonical import collect, parse_local_times, parse_numbers
from .data import WeatherData, WeatherMeta, height_column
from .qc import Finding

__all__ = ["read", "from_era5_frame", "wind_from_components", "ERA5_VARIABLES", "SECONDS_PER_HOUR"]

SECONDS_PER_HOUR = 3600.0
ERA5_VARIABLES = ("ssrd", "fdir", "t2m", "d2m", "sp", "u10", "v10", "u100", "v100")
"""ERA5 short names the reader converts."""
_MIN_COS_ZENITH = float(np.cos(np.radians(85.0)))


def wind_from_components(u_m_s, v_m_s) -> tuple[np.ndarray, np.ndarray]:
    """Speed [m/s] and meteorological direction [deg, where the wind comes from, clockwise from north].

    ``u`` is the eastward and ``v`` the northward component: a wind from the north has v < 0
    and direction 0 (WMO convention, ECMWF IFS documentation).
    """
    u = np.asarray(u_m_s, dtype=float)
    v = np.asarray(v_m_s, dtype=float)
    speed = np.hypot(u, v)
    direction = np.mod(np.degrees(np.arctan2(-u, -v)), 360.0)
    return speed, direction


def _relative_humidity(temp_c, dew_c):
    a, b = 17.625, 243.04  # Magnus coefficients, Alduchov and Eskridge (1996)
    return np.clip(100.0 * np.exp(a * dew_c / (b + dew_c) - a * temp_c / (b + temp_c)), 0.0, 100.0)


_CSV_FIRST_LINE = 2
"""File line of data row 1 of an ERA5 CSV (after the line of column names)."""


def _read_csv(path: Path, file: str) -> tuple[pd.DataFrame, float, float]:
    """The variables of a CDS ERA5 CSV (UTC index) and its grid point; every structural problem at once."""
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise WeatherError(f"{file}: unreadable ERA5 CSV ({exc})") from None
    problems: list[Problem] = []
    time_column = "valid_time" if "valid_time" in table.columns else "time"
    index = None
    if time_column not in table.columns:
        problems.append(
            Problem(file, f"no valid_time column; found {', '.join(table.columns)} (expected a CDS ERA5 CSV)", line=1)
        )
    else:
        index = collect(problems, parse_local_times, table[time_column], file, "UTC", time_column, _CSV_FIRST_LINE)
    columns = {}
    for column in table.columns.drop(time_column, errors="ignore"):
        expected = "a number in the variable's ERA5 unit (K, Pa, J/m2, m/s; degrees for coordinates)"
        columns[column], problem = parse_numbers(table[column], file, column, _CSV_FIRST_LINE, expected)
        problems.extend([problem] if problem else [])
    point = {}
    for axis in ("latitude", "longitude"):
        values = columns.pop(axis, np.array([np.nan]))
        distinct = np.unique(values[~np.isnan(values)])
        if len(distinct) > 1:
            problems.append(
                Problem(file, f"{len(distinct)} different values; expected the time series of one grid point (split "
                        "the file by point)", field=axis)
            )
        point[axis] = float(distinct[0]) if len(distinct) else np.nan
    problems.extend(_point_problems(list(columns), point["latitude"], point["longitude"], file))
    if problems:
        raise WeatherError(problems=problems)
    return pd.DataFrame(columns, index=index), point["latitude"], point["longitude"]


def _point_problems(variables: list[str], lat: float, lon: float, file: str) -> list[Problem]:
    """What ERA5 point data lack for the conversion: the variables it needs, the grid point."""
    problems = []
    missing = [c for c in ("ssrd", "t2m") if c not in variables]
    if missing:
        problems.append(
            Problem(
                file,
                f"lacks ERA5 variables {', '.join(missing)}; found {', '.join(variables)} (expected short names "
                "ssrd, fdir, t2m, d2m, sp, u10, v10, u100, v100)",
            )
        )
    if np.isnan(lat) or np.isnan(lon):
        problems.append(Problem(file, "no latitude and longitude in the file; expected the CDS point coordinates"))
    return problems


def _read_netcdf(path: Path, file: str) -> tuple[pd.DataFrame, float, float]:
    import xarray as xr

    try:
        dataset = xr.open_dataset(path)
    except (OSError, ValueError) as exc:
        raise WeatherError(f"{file}: unreadable NetCDF ({exc})") from None
    with dataset:
        time_name = "valid_time" if "valid_time" in dataset.coords else "time"
        problems = []
        if time_name not in dataset.coords:
            problems.append(Problem(file, "no valid_time or time coordinate; expected an ERA5 NetCDF from the CDS"))
        several = {d: n for d, n in dataset.sizes.items() if d != time_name and n > 1}
        if several:
            problems.append(
                Problem(
                    file,
                    f"dimensions {', '.join(f'{d} ({n})' for d, n in several.items())} hold more than one value; "
                    "expected one grid point (select it, e.g. with xarray's sel(..., method='nearest'), and merge "
                    "ERA5T 'expver' versions first)",
                )
            )
        if problems:
            raise WeatherError(problems=problems)
        squeeze = {d: 0 for d in dataset.dims if d != time_name}
        point = dataset.isel(squeeze) if squeeze else dataset
        lat = float(point["latitude"]) if "latitude" in point.coords else np.nan
        lon = float(point["longitude"]) if "longitude" in point.coords else np.nan
        names = [v for v in point.data_vars if point[v].dims == (time_name,)]
        raw = pd.DataFrame({v: point[v].to_numpy().astype(float) for v in names})
        raw.index = pd.DatetimeIndex(pd.to_datetime(point[time_name].to_numpy()), name="time").tz_localize("UTC")
    return raw, lat, lon


def _to_canonical(raw: pd.DataFrame, lat: float, lon: float, file: str) -> pd.DataFrame:
    """Canonical columns from ERA5 short names in SI units, index at valid_time (UTC)."""
    index = raw.index - pd.Timedelta(hours=1)
    out = pd.DataFrame(index=index)
    out["ghi"] = raw["ssrd"].to_numpy() / SECONDS_PER_HOUR
    if "fdir" in raw:
        mid = index + pd.Timedelta(minutes=30)
        zenith = pvlib.solarposition.get_solarposition(mid, lat, lon)["zenith"].to_numpy()
        cos_zenith = np.cos(np.radians(zenith))
        beam_horizontal = raw["fdir"].to_numpy() / SECONDS_PER_HOUR
        out["dni"] = np.where(cos_zenith > _MIN_COS_ZENITH, beam_horizontal / np.maximum(cos_zenith, 1e-6), 0.0)
        out["dhi"] = out["ghi"] - np.where(cos_zenith > _MIN_COS_ZENITH, beam_horizontal, 0.0)
    out["temp_air"] = kelvin_to_celsius(raw["t2m"].to_numpy())
    for height in (10, 100):
        u, v = f"u{height}", f"v{height}"
        if u in raw and v in raw:
            speed, direction = wind_from_components(raw[u], raw[v])
            out[height_column("wind_speed", height)] = speed
            out[height_column("wind_direction", height)] = direction
    if "sp" in raw:
        out["pressure"] = raw["sp"].to_numpy()
    if "d2m" in raw:
        dew_c = kelvin_to_celsius(raw["d2m"].to_numpy())
        out["relative_humidity"] = _relative_humidity(out["temp_air"].to_numpy(), dew_c)
    return out


def from_era5_frame(raw: pd.DataFrame, lat: float, lon: float, file: str, source: str) -> WeatherData:
    """Canonical weather from ERA5 short-name columns (SI units, UTC ``valid_time`` index).

    Parameters
    ----------
    raw : pandas.DataFrame
        Columns among ``ERA5_VARIABLES``, as the CDS serves them (K, Pa, J/m2, m/s).
    lat, lon : float
        The grid point [deg].
    file : str
        Name for the messages.
    source : str
        Provenance written to the metadata.
    """
    if problems := _point_problems(list(raw.columns), lat, lon, file):
        raise WeatherError(problems=problems)
    frame = _to_canonical(raw, lat, lon, file)
    meta = WeatherMeta(
        latitude=lat,
        longitude=lon,
        elevation_m=np.nan,  # not in ERA5 point files
        timezone="UTC",
        source=source,
        original_convention="UTC; accumulations over the hour ending at valid_time; instantaneous values at valid_time",
        corrections=(
            f"{file}: labels moved to the start of each hour (-1 h); J/m2 per hour -> W/m2; K -> C; "
            "u/v -> speed and direction; DNI and DHI from ssrd and fdir",
        ),
        irradiance_kind="reanalysis",
        wind_kind="reanalysis",
    )
    return WeatherData(frame, meta)


def read(path: Path, file: str, format: str) -> tuple[WeatherData, list[Finding]]:
    """Read ERA5 point data (``format`` ``era5_csv`` or ``era5_netcdf``) into the canonical frame (UTC)."""
    raw, lat, lon = _read_netcdf(path, file) if format == "era5_netcdf" else _read_csv(path, file)
    return from_era5_frame(raw, lat, lon, file, f"ERA5 single levels ({format}) file {path.name}"), []
