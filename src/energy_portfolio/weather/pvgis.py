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

import io
import json
from pathlib import Path

import pandas as pd
import pvlib

from ..errors import Problem, WeatherError
from .calendar import coerce_to_year
from .canonical import cells_problem, collect, parse_formatted_times, parse_numbers
from .data import WeatherData, WeatherMeta
from .qc import Finding, tmy_years_finding

__all__ = ["read", "from_pvlib_tmy", "COERCED_YEAR"]

COERCED_YEAR = 2031
"""A non-leap year that holds the stitched months of a TMY."""
HOURS = 8760
"""Rows of a PVGIS TMY (a non-leap year; pvlib reads exactly these)."""
_TIME = "time(UTC)"
_NEEDED = (_TIME, "T2m", "G(h)", "Gb(n)", "Gd(h)", "WS10m")
"""PVGIS columns the canonical frame needs (time, temperature, the three irradiances, wind speed)."""

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
        # PVGIS 5 TMY: irradiance from PVGIS-SARAH (satellite), temperature and wind from ERA5
        irradiance_kind="satellite",
        wind_kind="reanalysis",
    )
    return WeatherData(frame, weather_meta), findings


def _records_problems(table: pd.DataFrame, file: str, names_line: int | None, first_line: int | None) -> list[Problem]:
    """The hourly records' problems: missing columns, unreadable times, text in numbers."""
    problems = []
    missing = [c for c in _NEEDED if c not in table.columns]
    if missing:
        problems.append(
            Problem(file, f"no {', '.join(missing)} columns; found {', '.join(map(str, table.columns))}; expected "
                    f"the PVGIS TMY columns {', '.join(_NEEDED)}, RH, SP, WD10m", line=names_line)
        )
    if _TIME in table.columns:
        collect(problems, parse_formatted_times, table[_TIME], file, _TIME, first_line, "%Y%m%d:%H%M",
                "YYYYMMDD:HHMM in UTC such as 20110101:0000")
    for column in table.columns.drop(_TIME, errors="ignore"):
        _, problem = parse_numbers(table[column], file, str(column), first_line, "a number")
        problems.extend([problem] if problem else [])
    return problems


def _csv_problems(text: str, file: str) -> list[Problem]:
    """Every structural problem of a PVGIS TMY CSV (location lines, months table, hourly table), by line.

    The layout is the one pvlib reads: three location lines, an optional irradiance time offset,
    ``month,year`` and twelve months, the column names, then exactly ``HOURS`` rows.
    """
    lines = text.splitlines()
    problems = []
    for number, key in enumerate(("latitude", "longitude", "elevation"), start=1):
        line = lines[number - 1] if len(lines) >= number else ""
        try:
            float(line.partition(":")[2])
        except ValueError:
            problems.append(Problem(file, f"{line!r}; expected e.g. '{key.capitalize()} (...): 40.750'", line=number,
                                    field=key))
    months_header = 4 if len(lines) > 3 and lines[3].startswith("Irradiance Time Offset") else 3
    months = pd.Series([line.partition(",")[2].split(",")[0] for line in lines[months_header + 1:months_header + 13]])
    years = pd.to_numeric(months, errors="coerce")
    bad = (years.isna() | (years % 1 != 0)).to_numpy()
    why = "is not a year; expected 12 lines 'month,year' after the location"
    problems.extend(p for p in [cells_problem(months, bad, file, "year", months_header + 2, "year", why)] if p)
    names_line = months_header + 14
    body = lines[names_line - 1:names_line + HOURS]
    table = pd.read_csv(io.StringIO("\n".join(body)), dtype=str, keep_default_na=False)
    if len(table) < HOURS:
        problems.append(Problem(file, f"{len(table)} hourly rows; expected {HOURS}", line=names_line))
    return problems + _records_problems(table, file, names_line, names_line + 1)


def _json_problems(src, file: str) -> list[Problem]:
    """Every structural problem of a PVGIS TMY JSON: missing parts, location, hourly records (by record)."""
    problems = []
    parts = {}
    for path in (("meta", "inputs"), ("inputs", "location"), ("outputs", "months_selected"), ("outputs", "tmy_hourly")):
        node = src
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        parts[path] = node
        if node is None:
            why = "missing: not a PVGIS TMY JSON file as PVGIS serves it (meta, inputs, outputs)"
            problems.append(Problem(file, why, field=".".join(path)))
    location = parts[("inputs", "location")]
    for key in ("latitude", "longitude", "elevation"):
        value = location.get(key) if isinstance(location, dict) else 0.0
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(Problem(file, f"{value!r}; expected a number", field=f"inputs.location.{key}"))
    records = parts[("outputs", "tmy_hourly")]
    if records is not None:
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            problems.append(Problem(file, "expected a list of hourly records", field="outputs.tmy_hourly"))
        else:
            problems.extend(_records_problems(pd.DataFrame(records), file, None, None))
    return problems


def read(path: Path, file: str, format: str) -> tuple[WeatherData, list[Finding]]:
    """Read a PVGIS TMY file (``format`` ``pvgis_csv`` or ``pvgis_json``)."""
    kind = "csv" if format == "pvgis_csv" else "json"
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
        problems = _csv_problems(text, file) if kind == "csv" else _json_problems(json.loads(text), file)
        if not problems:
            buffer = io.BytesIO(raw) if kind == "csv" else io.StringIO(text)
            data, meta = pvlib.iotools.read_pvgis_tmy(buffer, pvgis_format=kind, map_variables=True)
    except json.JSONDecodeError as exc:
        why = f"not JSON ({exc.msg}); expected a PVGIS TMY JSON file"
        raise WeatherError(problems=[Problem(file, why, line=exc.lineno)]) from None
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, UnicodeDecodeError) as exc:
        raise WeatherError(
            f"{file}: not a PVGIS TMY {kind.upper()} file as PVGIS serves it ({type(exc).__name__}: {exc})"
        ) from None
    if problems:
        raise WeatherError(problems=problems)
    return from_pvlib_tmy(data, meta, file, f"PVGIS TMY {kind.upper()} file {Path(path).name}")
