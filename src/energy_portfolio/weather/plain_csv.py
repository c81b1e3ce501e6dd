"""Plain CSV with its units, heights, time zone and interval label declared in its header.

Header lines before the table, ``# key: value``:

- ``latitude``, ``longitude``, ``elevation_m`` (required): where the data are;
- ``timezone`` (required when the timestamps carry no UTC offset): IANA zone of the labels;
- ``interval`` (required): ``start`` or ``end``, what each timestamp marks;
- ``time_column`` (default ``time``);
- ``irradiance_kind``, ``wind_kind`` (default ``unknown``): what the columns are made from, one of
  ``weather.data.DATA_KINDS`` (``on_site_measurement`` for a mast or pyranometer at the site); the
  P-value uncertainty stack follows it;
- ``column`` (one line per data column): ``NAME = quantity [unit]`` or
  ``NAME = quantity [unit] at H m`` with quantity one of ``ghi``, ``dni``, ``dhi``,
  ``temp_air``, ``wind_speed``, ``wind_direction``, ``pressure``, ``relative_humidity``.

Units converted on read: irradiance W/m2, kW/m2, Wh/m2 (hourly energy = mean W/m2), J/m2
(hourly); temperature C, K, F; speed m/s, km/h, knots, mph; pressure Pa, hPa, mbar, kPa;
humidity %, fraction; direction deg. Columns not declared are ignored and listed in the notes.
Example: ``# column: T_amb = temp_air [K]`` and ``# column: WS80 = wind_speed [km/h] at 80 m``.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import Problem, WeatherError
from .calendar import standard_time_zone
from .canonical import check_timezone, collect, parse_local_times, parse_numbers
from .data import KIND_KEYS, WeatherData, WeatherMeta, data_kind_problem, height_column
from .qc import Finding

__all__ = ["read", "CONVERSIONS"]

CONVERSIONS = {
    "irradiance": {"W/m2": (1.0, 0.0), "kW/m2": (1000.0, 0.0), "Wh/m2": (1.0, 0.0), "J/m2": (1 / 3600.0, 0.0)},
    "temperature": {"C": (1.0, 0.0), "K": (1.0, -273.15), "F": (5 / 9, -32 * 5 / 9)},
    "speed": {"m/s": (1.0, 0.0), "km/h": (1 / 3.6, 0.0), "knots": (0.514444, 0.0), "mph": (0.44704, 0.0)},
    "pressure": {"Pa": (1.0, 0.0), "hPa": (100.0, 0.0), "mbar": (100.0, 0.0), "kPa": (1000.0, 0.0)},
    "humidity": {"%": (1.0, 0.0), "fraction": (100.0, 0.0)},
    "direction": {"deg": (1.0, 0.0)},
}
"""Unit -> (factor, offset) to the canonical unit: canonical = value * factor + offset."""

_KIND = {
    "ghi": "irradiance",
    "dni": "irradiance",
    "dhi": "irradiance",
    "temp_air": "temperature",
    "wind_speed": "speed",
    "wind_direction": "direction",
    "pressure": "pressure",
    "relative_humidity": "humidity",
}
_DECLARATION = re.compile(
    r"^\s*(?P<name>.+?)\s*=\s*(?P<quantity>\w+)\s*\[(?P<unit>[^\]]+)\](?:\s*at\s*(?P<h>[\d.]+)\s*m)?\s*$"
)


def _header(
    lines: list[str], file: str, problems: list[Problem]
) -> tuple[dict[str, str], dict[str, tuple[str, str, float | None]], dict[str, int]]:
    """The header's keys, its column declarations and the line of each key; every bad declaration in ``problems``."""
    keys: dict[str, str] = {}
    key_lines: dict[str, int] = {}
    columns: dict[str, tuple[str, str, float | None]] = {}
    for number, line in enumerate(lines, start=1):
        body = line[1:].strip()
        if not body:
            continue
        key, _, value = body.partition(":")
        key, value = key.strip(), value.strip()
        if key != "column":
            keys[key] = value
            key_lines[key] = number
            continue
        if (declared := _declaration(value, file, number, problems)) is not None:
            columns[declared[0]] = declared[1]
    return keys, columns, key_lines


def _declaration(
    value: str, file: str, line: int, problems: list[Problem]
) -> tuple[str, tuple[str, str, float | None]] | None:
    """``NAME = quantity [unit] at H m`` as (name, (quantity, unit, height)), or None with its problem."""
    match = _DECLARATION.match(value)
    if not match:
        problems.append(Problem(file, f"{value!r}; expected 'NAME = quantity [unit]' or '... at H m'", line=line))
        return None
    quantity, unit = match["quantity"], match["unit"].strip()
    if quantity not in _KIND:
        problems.append(Problem(file, f"quantity {quantity!r}; expected one of {', '.join(_KIND)}", line=line))
        return None
    if unit not in CONVERSIONS[_KIND[quantity]]:
        problems.append(
            Problem(
                file,
                f"unit [{unit}] for {quantity}; expected one of {', '.join(CONVERSIONS[_KIND[quantity]])}",
                line=line,
            )
        )
        return None
    return match["name"], (quantity, unit, float(match["h"]) if match["h"] else None)


def _canonical_name(quantity: str, height: float | None) -> str:
    if quantity in ("wind_speed", "wind_direction", "temp_air") and height is not None:
        if quantity == "temp_air" and height == 2:
            return "temp_air"
        return height_column(quantity, height)
    if quantity == "wind_direction":
        return height_column("wind_direction", 10)
    return quantity


def _location(keys: dict[str, str], key_lines: dict[str, int], file: str, problems: list[Problem]) -> dict[str, float]:
    """Latitude, longitude and elevation from the header (NaN with a problem when missing or not a number)."""
    out = {}
    for key in ("latitude", "longitude", "elevation_m"):
        out[key] = np.nan
        if key not in keys:
            problems.append(Problem(file, f"header lacks '# {key}: ...'; a plain CSV declares its location"))
            continue
        try:
            out[key] = float(keys[key])
        except ValueError:
            problems.append(Problem(file, f"header {key} = {keys[key]!r}; expected a number", line=key_lines[key]))
    return out


def _times(
    table: pd.DataFrame, time_column: str, zone: str | None, file: str, first_line: int, problems: list[Problem]
) -> pd.DatetimeIndex | None:
    """The time column: UTC offsets, or local times of the declared ``zone`` (None with its problems)."""
    times = table[time_column].str.strip()
    if zone is None and not times.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$").all():
        problems.append(
            Problem(
                file,
                f"timestamps such as {times.iloc[0]!r} have no UTC offset and no '# timezone: ...' line declares "
                "their zone; expected one of the two",
                line=first_line,
                field=time_column,
            )
        )
        return None
    try:
        return collect(problems, parse_local_times, times, file, zone or "UTC", time_column, first_line)
    except (ValueError, TypeError) as exc:  # a local time the zone skips or repeats
        name, words = standard_time_zone(zone, int(times.iloc[0][:4]))
        problems.append(
            Problem(
                file,
                f"local times that {zone} skips or repeats at a daylight-saving change ({exc}); hourly weather such "
                f"as a typical year is in standard time: declare '# timezone: {name}' ({zone}'s standard time, "
                f"{words}), or write the timestamps with a UTC offset",
                field=time_column,
            )
        )
        return None


def read(path: Path, file: str, format: str = "plain_csv") -> tuple[WeatherData, list[Finding]]:
    """Read a plain CSV whose header declares units, heights, time zone and interval label.

    Raises
    ------
    WeatherError
        Listing every structural problem at once: header declarations, keys and location,
        time zone, missing columns, unreadable timestamps and text in number fields, each with
        its line.
    """
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise WeatherError(f"{file}: not a UTF-8 text file (byte {exc.start}); expected a plain CSV") from None
    n_header = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    problems: list[Problem] = []
    keys, declared, key_lines = _header(lines[:n_header], file, problems)
    if not declared:
        problems.append(Problem(file, "no '# column: NAME = quantity [unit]' lines; declare each data column"))
    interval = keys.get("interval")
    if interval not in ("start", "end"):
        problems.append(
            Problem(file, f"header interval = {interval!r}; declare '# interval: start' or '# interval: end'",
                    line=key_lines.get("interval"))
        )
    location = _location(keys, key_lines, file, problems)
    kinds = {k: keys.get(k, "unknown") for k in KIND_KEYS}
    for key, value in kinds.items():
        if (why := data_kind_problem(key, value)) is not None:
            problems.append(Problem(file, why, line=key_lines[key]))
            kinds[key] = "unknown"
    zone = keys.get("timezone")
    if zone is not None and (why := check_timezone(zone)) is not None:
        problems.append(Problem(file, f"header timezone = {why}", line=key_lines["timezone"]))
        zone = "UTC"
    body = "\n".join(lines[n_header:])
    if not body.strip():
        problems.append(
            Problem(file, "no table after the header; expected a line of column names and one row per hour")
        )
        raise WeatherError(problems=problems)
    try:
        table = pd.read_csv(io.StringIO(body), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as exc:
        problems.append(Problem(file, f"table unreadable after the header: {exc}"))
        raise WeatherError(problems=problems) from None
    names_line, first_line = n_header + 1, n_header + 2
    time_column = keys.get("time_column", "time")
    index = None
    if time_column not in table.columns:
        problems.append(
            Problem(file, f"no time column {time_column!r}; found {', '.join(table.columns)}", line=names_line)
        )
    else:
        index = _times(table, time_column, zone, file, first_line, problems)
    missing = [name for name in declared if name not in table.columns]
    if missing:
        problems.append(Problem(file, f"declared columns {', '.join(missing)} not in the table", line=names_line))
    columns = {}
    notes = []
    for name, (quantity, unit, height) in declared.items():
        if name in missing:
            continue
        values, problem = parse_numbers(table[name], file, name, first_line, f"a number in {unit}")
        problems.extend([problem] if problem else [])
        factor, offset = CONVERSIONS[_KIND[quantity]][unit]
        columns[_canonical_name(quantity, height)] = values * factor + offset
        if (factor, offset) != (1.0, 0.0):
            notes.append(f"{file}: {name} converted from {unit}")
    if problems:
        raise WeatherError(problems=problems)
    frame = pd.DataFrame(columns, index=index)
    if interval == "end":
        frame.index = frame.index - pd.Timedelta(hours=1)
        notes.append(f"{file}: labels moved from interval end to interval start (-1 h)")
    ignored = [c for c in table.columns if c not in declared and c != time_column]
    if ignored:
        notes.append(f"{file}: undeclared columns ignored: {', '.join(ignored)}")
    meta = WeatherMeta(
        latitude=location["latitude"],
        longitude=location["longitude"],
        elevation_m=location["elevation_m"],
        timezone=str(frame.index.tz),
        source=keys.get("source", f"plain CSV {Path(path).name}"),
        original_convention=f"{zone or 'UTC offsets'}, labels at interval {interval}, units as declared",
        corrections=tuple(notes),
        **kinds,
    )
    return WeatherData(frame, meta), []
