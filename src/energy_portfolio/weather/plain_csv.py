"""Plain CSV with its units, heights, time zone and interval label declared in its header.

Header lines before the table, ``# key: value``:

- ``latitude``, ``longitude``, ``elevation_m`` (required): where the data are;
- ``timezone`` (required when the timestamps carry no UTC offset): IANA zone of the labels;
- ``interval`` (required): ``start`` or ``end``, what each timestamp marks;
- ``time_column`` (default ``time``);
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

from ..errors import WeatherError
from .calendar import standard_time_zone
from .canonical import check_timezone, parse_times
from .data import WeatherData, WeatherMeta, height_column
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


def _header(lines: list[str], file: str) -> tuple[dict[str, str], dict[str, tuple[str, str, float | None]]]:
    keys: dict[str, str] = {}
    columns: dict[str, tuple[str, str, float | None]] = {}
    for number, line in enumerate(lines, start=1):
        body = line[1:].strip()
        if not body:
            continue
        key, _, value = body.partition(":")
        key, value = key.strip(), value.strip()
        if key != "column":
            keys[key] = value
            continue
        match = _DECLARATION.match(value)
        if not match:
            raise WeatherError(f"{file}, line {number}: {value!r}; expected 'NAME = quantity [unit]' or '... at H m'")
        quantity, unit = match["quantity"], match["unit"].strip()
        if quantity not in _KIND:
            raise WeatherError(f"{file}, line {number}: quantity {quantity!r}; expected one of {', '.join(_KIND)}")
        if unit not in CONVERSIONS[_KIND[quantity]]:
            raise WeatherError(
                f"{file}, line {number}: unit [{unit}] for {quantity}; expected one of "
                f"{', '.join(CONVERSIONS[_KIND[quantity]])}"
            )
        columns[match["name"]] = (quantity, unit, float(match["h"]) if match["h"] else None)
    return keys, columns


def _canonical_name(quantity: str, height: float | None) -> str:
    if quantity in ("wind_speed", "wind_direction", "temp_air") and height is not None:
        if quantity == "temp_air" and height == 2:
            return "temp_air"
        return height_column(quantity, height)
    if quantity == "wind_direction":
        return height_column("wind_direction", 10)
    return quantity


def _float(keys: dict[str, str], key: str, file: str) -> float:
    if key not in keys:
        raise WeatherError(f"{file}: header lacks '# {key}: ...'; a plain CSV declares its location")
    try:
        return float(keys[key])
    except ValueError:
        raise WeatherError(f"{file}: header {key} = {keys[key]!r}; expected a number") from None


def read(path: Path, file: str, format: str = "plain_csv") -> tuple[WeatherData, list[Finding]]:
    """Read a plain CSV whose header declares units, heights, time zone and interval label."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    n_header = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    keys, declared = _header(lines[:n_header], file)
    if not declared:
        raise WeatherError(f"{file}: no '# column: NAME = quantity [unit]' lines; declare each data column")
    interval = keys.get("interval")
    if interval not in ("start", "end"):
        raise WeatherError(f"{file}: header interval = {interval!r}; declare '# interval: start' or '# interval: end'")
    table = pd.read_csv(io.StringIO("\n".join(lines[n_header:])), dtype=str, keep_default_na=False)
    time_column = keys.get("time_column", "time")
    if time_column not in table.columns:
        raise WeatherError(f"{file}: no time column {time_column!r}; found {', '.join(table.columns)}")
    missing = [name for name in declared if name not in table.columns]
    if missing:
        raise WeatherError(f"{file}: declared columns {', '.join(missing)} not in the table")
    times = table[time_column].str.strip()
    zone = keys.get("timezone")
    has_offset = times.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$")
    if has_offset.all():
        index = parse_times(times, file, time_column)
    elif zone is None:
        raise WeatherError(
            f"{file}: {time_column}: timestamps such as {times.iloc[0]!r} have no UTC offset and no "
            "'# timezone: ...' line declares their zone; expected one of the two"
        )
    else:
        if (why := check_timezone(zone)) is not None:
            raise WeatherError(f"{file}: header timezone = {why}")
        try:
            naive = pd.DatetimeIndex(pd.to_datetime(times, format="ISO8601"), name="time")
        except (ValueError, TypeError) as exc:
            raise WeatherError(f"{file}: {time_column}: timestamps not readable ({exc}); expected ISO 8601") from None
        try:
            index = naive.tz_localize(zone)
        except (ValueError, TypeError) as exc:
            name, words = standard_time_zone(zone, int(naive[0].year))
            raise WeatherError(
                f"{file}: {time_column}: local times that {zone} skips or repeats at a daylight-saving change "
                f"({exc}); hourly weather such as a typical year is in standard time: declare "
                f"'# timezone: {name}' ({zone}'s standard time, {words}), or write the timestamps with a UTC offset"
            ) from None
    frame = pd.DataFrame(index=index)
    notes = []
    for name, (quantity, unit, height) in declared.items():
        raw = table[name].str.strip()
        values = pd.to_numeric(raw.replace("", np.nan), errors="coerce").to_numpy(dtype=float)
        garbage = np.isnan(values) & raw.ne("").to_numpy() & ~raw.str.lower().isin(["nan", "na"]).to_numpy()
        if garbage.any():
            row = int(np.flatnonzero(garbage)[0])
            raise WeatherError(f"{file}: {name}: value {raw.iloc[row]!r} at data row {row + 1} is not a number")
        factor, offset = CONVERSIONS[_KIND[quantity]][unit]
        frame[_canonical_name(quantity, height)] = values * factor + offset
        if (factor, offset) != (1.0, 0.0):
            notes.append(f"{file}: {name} converted from {unit}")
    if interval == "end":
        frame.index = frame.index - pd.Timedelta(hours=1)
        notes.append(f"{file}: labels moved from interval end to interval start (-1 h)")
    ignored = [c for c in table.columns if c not in declared and c != time_column]
    if ignored:
        notes.append(f"{file}: undeclared columns ignored: {', '.join(ignored)}")
    meta = WeatherMeta(
        latitude=_float(keys, "latitude", file),
        longitude=_float(keys, "longitude", file),
        elevation_m=_float(keys, "elevation_m", file),
        timezone=str(frame.index.tz),
        source=keys.get("source", f"plain CSV {Path(path).name}"),
        original_convention=f"{zone or 'UTC offsets'}, labels at interval {interval}, units as declared",
        corrections=tuple(notes),
    )
    return WeatherData(frame, meta), []
