"""The canonical weather CSV of DESIGN.md: reader and writer.

Format: ``#``-comment header lines ``# key: value`` (``latitude``, ``longitude``,
``elevation_m``, ``timezone``, ``source``, ``interval`` required; ``original_convention``,
``correction`` and ``warning`` optional and repeatable for the last two), then a ``time``
column in ISO 8601 with a UTC offset and the canonical columns of ``weather.data``.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import WeatherError
from .data import UNITS, WeatherData, WeatherMeta, column_height_m, is_canonical_column
from .qc import Finding

__all__ = ["read", "read_canonical", "write_canonical", "format_canonical", "parse_times"]

_REQUIRED = ("latitude", "longitude", "elevation_m", "timezone", "source", "interval")
_DECIMALS = {
    "ghi": 1,
    "dni": 1,
    "dhi": 1,
    "temp_air": 2,
    "wind_speed": 2,
    "wind_direction": 1,
    "pressure": 0,
    "relative_humidity": 1,
}
_OFFSET = re.compile(r"(?:Z|[+-]\d\d:?\d\d)$")


def parse_times(values: pd.Series, file: str, column: str = "time") -> pd.DatetimeIndex:
    """ISO 8601 timestamps with a UTC offset into a UTC index; naive or unreadable ones are errors."""
    text = values.astype(str).str.strip()
    naive = ~text.str.contains(_OFFSET)
    if naive.any():
        row = int(np.flatnonzero(naive.to_numpy())[0])
        raise WeatherError(
            f"{file}: {column}: timestamp {text.iloc[row]!r} at data row {row + 1} has no UTC offset; "
            "expected ISO 8601 with an offset such as 2032-01-01T00:00:00+04:00"
        )
    try:
        return pd.DatetimeIndex(pd.to_datetime(text, format="ISO8601", utc=True), name="time")
    except (ValueError, TypeError) as exc:
        raise WeatherError(
            f"{file}: {column}: unreadable timestamp ({exc}); expected ISO 8601 with an offset"
        ) from None


def _header(lines: list[str], file: str) -> dict[str, list[str]]:
    header: dict[str, list[str]] = {}
    for number, line in enumerate(lines, start=1):
        body = line[1:].strip()
        if not body:
            continue
        if ":" not in body:
            raise WeatherError(f"{file}, line {number}: header line {line!r}; expected '# key: value'")
        key, value = body.split(":", 1)
        header.setdefault(key.strip(), []).append(value.strip())
    missing = [k for k in _REQUIRED if k not in header]
    if missing:
        raise WeatherError(
            f"{file}: header lacks {', '.join(missing)}; a canonical weather file starts with "
            f"'# key: value' lines for {', '.join(_REQUIRED)}"
        )
    return header


def _number(header: dict[str, list[str]], key: str, file: str) -> float:
    try:
        return float(header[key][0])
    except ValueError:
        raise WeatherError(f"{file}: header {key} = {header[key][0]!r}; expected a number") from None


def read_canonical(path: Path | str, file: str | None = None) -> WeatherData:
    """Read a canonical weather CSV.

    Parameters
    ----------
    path : path-like
    file : str, optional
        Name of the file in messages (default: the path).

    Returns
    -------
    WeatherData
        Index in the header's time zone, labelled at interval start (an ``interval: end`` file
        is shifted by one hour, which is recorded as a correction).

    Raises
    ------
    WeatherError
        Header missing or malformed, naive timestamps, unknown or non-numeric columns.
    """
    file = file or str(path)
    text = Path(path).read_text(encoding="utf-8")
    lines = text.splitlines()
    n_header = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    header = _header(lines[:n_header], file)
    try:
        table = pd.read_csv(io.StringIO("\n".join(lines[n_header:])), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise WeatherError(f"{file}: table unreadable after the header: {exc}") from None
    if "time" not in table.columns:
        raise WeatherError(f"{file}: no 'time' column; found {', '.join(table.columns)}")
    unknown = [c for c in table.columns if c != "time" and not is_canonical_column(c)]
    if unknown:
        raise WeatherError(
            f"{file}: unknown columns {', '.join(unknown)}; expected ghi, dni, dhi, temp_air, wind_speed, "
            "pressure, relative_humidity, wind_speed_<h>m, wind_direction_<h>m, temp_air_<h>m"
        )
    timezone = header["timezone"][0]
    index = parse_times(table["time"], file).tz_convert(timezone)
    data = {}
    for column in table.columns.drop("time"):
        raw = table[column].str.strip()
        values = pd.to_numeric(raw.replace("", np.nan), errors="coerce")
        bad = values.isna() & raw.ne("") & ~raw.str.lower().isin(["nan", "na"])
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise WeatherError(f"{file}: {column}: value {raw.iloc[row]!r} at data row {row + 1} is not a number")
        data[column] = values.to_numpy(dtype=float)
    frame = pd.DataFrame(data, index=index)
    interval = header["interval"][0]
    corrections = list(header.get("correction", []))
    if interval == "end":
        frame.index = frame.index - pd.Timedelta(hours=1)
        corrections.append(f"{file}: labels moved from interval end to interval start (-1 h)")
    elif interval != "start":
        raise WeatherError(f"{file}: header interval = {interval!r}; expected start or end")
    meta = WeatherMeta(
        latitude=_number(header, "latitude", file),
        longitude=_number(header, "longitude", file),
        elevation_m=_number(header, "elevation_m", file),
        timezone=timezone,
        source=header["source"][0],
        original_convention=header.get("original_convention", [f"{timezone}, interval {interval}"])[0],
        corrections=tuple(corrections),
        warnings=tuple(header.get("warning", [])),
    )
    return WeatherData(frame, meta)


def read(path: Path, file: str, format: str = "canonical") -> tuple[WeatherData, list[Finding]]:
    """Reader entry point for ``weather.load.read_weather_file``; no format-specific findings."""
    return read_canonical(path, file), []


def _decimals(column: str) -> int:
    quantity = (column_height_m(column) or (column, 0))[0]
    return _DECIMALS[quantity]


def format_canonical(data: WeatherData) -> str:
    """The canonical CSV text of a weather frame (values rounded to the file's resolution)."""
    meta = data.meta
    lines = [
        f"# latitude: {meta.latitude:g}",
        f"# longitude: {meta.longitude:g}",
        f"# elevation_m: {meta.elevation_m:g}",
        f"# timezone: {meta.timezone}",
        f"# source: {meta.source}",
        "# interval: start",
        f"# original_convention: {meta.original_convention}",
    ]
    lines += [f"# correction: {c}" for c in meta.corrections]
    lines += [f"# warning: {w}" for w in meta.warnings]
    units = ", ".join(f"{c} [{UNITS[(column_height_m(c) or (c, 0))[0]]}]" for c in data.frame.columns)
    lines.append(f"# units: {units}")
    out = pd.DataFrame(index=range(len(data.frame)))
    out["time"] = [t.isoformat() for t in data.frame.index]
    for column in data.frame.columns:
        values = np.round(data.frame[column].to_numpy(dtype=float), _decimals(column)) + 0.0  # no -0.0
        if column.startswith("wind_direction"):
            values = np.mod(values, 360.0)
        out[column] = values.astype(int) if _decimals(column) == 0 else values
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, lineterminator="\n")
    return "\n".join(lines) + "\n" + buffer.getvalue()


def write_canonical(data: WeatherData, path: Path | str) -> Path:
    """Write the canonical CSV; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(format_canonical(data), encoding="utf-8")
    return path
