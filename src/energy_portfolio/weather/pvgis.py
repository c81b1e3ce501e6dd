"""PVGIS typical meteorological year (TMY), CSV and JSON as PVGIS serves them.

Read by ``pvlib.iotools.read_pvgis_tmy``. Conventions of the format: timestamps in UTC, one
hour per row labelled at the start of the hour (``20120101:0000``), each month taken from a
different year (``months_selected``), no 29 February. On read, the months are put on one
non-leap year (the months keep their order; the QC warns that they are stitched), and the
index stays in UTC: ``load_weather`` converts it to the site's time zone and study year.

References
----------
Huld, T., Paietta, E., Zangheri, P., Pascua, I. P. (2018). Assembling typical meteorological
year data sets for building energy performance using reanalysis and satellite-based data.
Atmosphere 9(2), 53. https://doi.org/10.3390/atmos9020053
"""

from __future__ import annotations

import json
from pathlib import Path

import pvlib

from ..errors import WeatherError
from .calendar import coerce_to_year
from .data import WeatherData, WeatherMeta
from .qc import Finding, tmy_years_finding

__all__ = ["read", "from_pvlib_tmy", "COERCED_YEAR"]

COERCED_YEAR = 2031
"""A non-leap year that holds the stitched months of a TMY."""

_COLUMNS = {
    "ghi": "ghi",
    "dni": "dni",
    "dhi": "dhi",
    "temp_air": "temp_air",
    "wind_speed": "wind_speed",
    "wind_direction": "wind_direction_10m",
    "pressure": "pressure",
    "relative_humidity": "relative_humidity",
}


def _location(meta: dict) -> tuple[float, float, float]:
    inputs = meta.get("inputs", {})
    where = inputs.get("location", inputs)
    return float(where["latitude"]), float(where["longitude"]), float(where["elevation"])


def from_pvlib_tmy(data, meta: dict, file: str, source: str) -> tuple[WeatherData, list[Finding]]:
    """The canonical frame from what ``pvlib.iotools`` returns for a PVGIS TMY (mapped names).

    Parameters
    ----------
    data : pandas.DataFrame
        pvlib's frame (UTC index, pvlib column names).
    meta : dict
        pvlib's metadata (``inputs`` with the location, ``months_selected``).
    file : str
        Name for the messages.
    source : str
        Provenance written to the metadata.
    """
    missing = [c for c in ("ghi", "dni", "dhi", "temp_air", "wind_speed") if c not in data.columns]
    if missing:
        raise WeatherError(f"{file}: PVGIS TMY lacks {', '.join(missing)}; found {', '.join(map(str, data.columns))}")
    try:
        latitude, longitude, elevation = _location(meta)
    except (KeyError, TypeError, ValueError):
        raise WeatherError(f"{file}: no latitude, longitude and elevation in the PVGIS metadata") from None
    years_by_month = {int(m["month"]): int(m["year"]) for m in meta.get("months_selected", [])}
    frame = data[[c for c in _COLUMNS if c in data.columns]].rename(columns=_COLUMNS).astype(float)
    frame, _, corrections = coerce_to_year(frame.tz_convert("UTC"), COERCED_YEAR, file)
    findings = [f for f in [tmy_years_finding(file, years_by_month)] if f is not None]
    weather_meta = WeatherMeta(
        latitude=latitude,
        longitude=longitude,
        elevation_m=elevation,
        timezone="UTC",
        source=source,
        original_convention="UTC, labels at interval start, months from different years (PVGIS TMY)",
        corrections=tuple(corrections),
    )
    return WeatherData(frame, weather_meta), findings


def read(path: Path, file: str, format: str) -> tuple[WeatherData, list[Finding]]:
    """Read a PVGIS TMY file (``format`` ``pvgis_csv`` or ``pvgis_json``)."""
    kind = "csv" if format == "pvgis_csv" else "json"
    try:
        data, meta = pvlib.iotools.read_pvgis_tmy(path, pvgis_format=kind, map_variables=True)
    except (ValueError, KeyError, IndexError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise WeatherError(
            f"{file}: not a PVGIS TMY {kind.upper()} file as PVGIS serves it ({type(exc).__name__}: {exc})"
        ) from None
    return from_pvlib_tmy(data, meta, file, f"PVGIS TMY {kind.upper()} file {Path(path).name}")
