"""The canonical weather CSV of DESIGN.md: reader and writer.

Format: ``#``-comment header lines ``# key: value`` (``latitude``, ``longitude``,
``elevation_m``, ``timezone``, ``source``, ``interval`` required; ``original_convention``,
``irradiance_kind`` and ``wind_kind`` (``weather.data.DATA_KINDS``, default ``unknown``),
``correction`` and ``warning`` optional and repeatable for the last two), then a ``time``
column in ISO 8601 with a UTC offset and the canonical columns of ``weather.data``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import re
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from ..errors import Problem, WeatherError
from .data import KIND_KEYS, UNITS, WeatherData, WeatherMeta, column_height_m, data_kind_problem, is_canonical_column
from .qc import Finding

__all__ = [
    "read",
    "read_canonical",
    "write_canonical",
    "format_canonical",
    "parse_times",
    "parse_naive_times",
    "parse_local_times",
    "parse_numbers",
    "parse_formatted_times",
    "cells_problem",
    "collect",
    "check_timezone",
]

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
_MISSING = ("", "nan", "na")
"""Cell texts read as a missing value (NaN), which the checks report; any other text must be a number."""
_EXAMPLE_LOCAL = "2032-01-01T00:00:00"
_EXAMPLE = _EXAMPLE_LOCAL + "+04:00"
T = TypeVar("T")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def _line(first_line: int | None, row: int) -> int | None:
    return None if first_line is None else first_line + row


def _rows(text: pd.Series, mask: np.ndarray, limit: int = 3) -> str:
    positions = np.flatnonzero(mask)
    shown = ", ".join(f"{text.iloc[p]!r} at data row {p + 1}" for p in positions[:limit])
    return shown + (f" and {len(positions) - limit} more" if len(positions) > limit else "")


def _date_problem(stamp: str) -> str | None:
    """Why the date of an ISO 8601 stamp does not exist (29 February of a non-leap year), else None."""
    match = _DATE.match(stamp)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    if not 1 <= month <= 12:
        return f"month {month} does not exist"
    try:
        dt.date(year, month, day)
    except ValueError:
        if (month, day) == (2, 29):
            return f"29 February does not exist in {year}, which is not a leap year"
        return f"{calendar.month_name[month]} {year} has no day {day}"
    return None


def parse_times(
    values: pd.Series, file: str, column: str = "time", first_line: int | None = None
) -> pd.DatetimeIndex:
    """ISO 8601 timestamps with a UTC offset into a UTC index.

    Every naive, impossible (29 February of a non-leap year) or unreadable timestamp is
    reported at once, with its data row (and file line when ``first_line``, the line of data
    row 1, is given).
    """
    text = values.astype(str).str.strip()
    naive = ~text.str.contains(_OFFSET).to_numpy()
    parsed = pd.to_datetime(text.where(~naive), format="ISO8601", utc=True, errors="coerce")
    unreadable = np.asarray(pd.isna(parsed)) & ~naive
    if not naive.any() and not unreadable.any():
        return pd.DatetimeIndex(parsed, name="time")
    problems = []
    if naive.any():
        first = int(np.flatnonzero(naive)[0])
        problems.append(
            Problem(
                file,
                f"timestamp {_rows(text, naive)} has no UTC offset; expected ISO 8601 with an offset such as "
                + _EXAMPLE,
                line=_line(first_line, first),
                field=column,
            )
        )
    problems.extend(_unreadable(text, unreadable, file, column, first_line, "with an offset such as " + _EXAMPLE))
    raise WeatherError(problems=problems)


def parse_naive_times(
    values: pd.Series, file: str, column: str = "time", first_line: int | None = None
) -> pd.DatetimeIndex:
    """ISO 8601 timestamps without a UTC offset into a naive index (local times the caller places).

    Every impossible, unreadable or offset-carrying timestamp is reported at once, as in
    :func:`parse_times`.
    """
    text = values.astype(str).str.strip()
    offset = text.str.contains(_OFFSET).to_numpy()
    parsed = pd.to_datetime(text.where(~offset), format="ISO8601", errors="coerce")
    unreadable = np.asarray(pd.isna(parsed)) & ~offset
    if not offset.any() and not unreadable.any():
        return pd.DatetimeIndex(parsed, name="time")
    problems = []
    if offset.any():
        problems.append(
            Problem(
                file,
                f"timestamp {_rows(text, offset)} has a UTC offset where others have none; expected one form in "
                "every row",
                line=_line(first_line, int(np.flatnonzero(offset)[0])),
                field=column,
            )
        )
    problems.extend(_unreadable(text, unreadable, file, column, first_line, "such as " + _EXAMPLE_LOCAL))
    raise WeatherError(problems=problems)


def parse_local_times(
    values: pd.Series, file: str, zone: str, column: str = "time", first_line: int | None = None
) -> pd.DatetimeIndex:
    """Timestamps that all carry a UTC offset (a UTC index), or none (local times of ``zone``).

    Every unreadable timestamp is reported at once, as in :func:`parse_times`. Localising in a
    zone with daylight saving raises pandas' ``ValueError`` for a skipped or repeated hour.
    """
    if values.astype(str).str.strip().str.contains(_OFFSET).all():
        return parse_times(values, file, column, first_line)
    return parse_naive_times(values, file, column, first_line).tz_localize(zone)


def _unreadable(
    text: pd.Series, unreadable: np.ndarray, file: str, column: str, first_line: int | None, form: str
) -> list[Problem]:
    """Problems of the timestamps ``unreadable`` marks: dates that do not exist, then other text (``form``
    says what was expected)."""
    reasons = {int(i): _date_problem(text.iloc[i]) for i in np.flatnonzero(unreadable)}
    impossible = np.zeros(len(text), dtype=bool)
    impossible[[i for i, why in reasons.items() if why]] = True
    problems = []
    if impossible.any():
        first = int(np.flatnonzero(impossible)[0])
        problems.append(
            Problem(
                file,
                f"timestamp {_rows(text, impossible)}: the date does not exist: {reasons[first]}; expected dates of "
                "the calendar (a typical year written on a non-leap year has no 29 February)",
                line=_line(first_line, first),
                field=column,
            )
        )
    other = unreadable & ~impossible
    if other.any():
        first = int(np.flatnonzero(other)[0])
        problems.append(
            Problem(
                file,
                f"timestamp {_rows(text, other)} is not readable; expected ISO 8601 {form}",
                line=_line(first_line, first),
                field=column,
            )
        )
    return problems


def parse_numbers(
    raw: pd.Series, file: str, column: str, first_line: int | None, expected: str
) -> tuple[np.ndarray, Problem | None]:
    """A column of cells as floats, and the problem of its cells that are not numbers (None if none).

    An empty cell, ``NaN`` or ``NA`` is a missing value (NaN, which the checks report); any
    other text that is not a number is listed (the first three, with their data rows) in one
    problem at the line of the first.

    Parameters
    ----------
    raw : pandas.Series
        The cells, as text or as the numbers a parser already made.
    file, column : str
        Where, for the message.
    first_line : int or None
        File line of data row 1 (None: data rows only).
    expected : str
        What a cell should hold, for the message (e.g. "a number in W/m2").
    """
    text = raw.astype(str).str.strip()
    values = pd.to_numeric(text.where(~text.str.lower().isin(_MISSING)), errors="coerce")
    bad = (values.isna() & ~text.str.lower().isin(_MISSING)).to_numpy()
    problem = cells_problem(text, bad, file, column, first_line, "value", f"is not a number; expected {expected}")
    return values.to_numpy(dtype=float), problem


def parse_formatted_times(
    values: pd.Series, file: str, column: str, first_line: int | None, format: str, expected: str
) -> pd.DatetimeIndex:
    """Timestamps written in one ``strptime`` format (a format's own layout) into a naive index.

    Every timestamp that does not read is reported at once (the first three, with their data
    rows, at the line of the first); ``expected`` says the layout in the message.
    """
    text = values.astype(str).str.strip()
    parsed = pd.to_datetime(text, format=format, errors="coerce")
    bad = np.asarray(pd.isna(parsed))
    why = f"is not readable; expected {expected}"
    if problem := cells_problem(text, bad, file, column, first_line, "timestamp", why):
        raise WeatherError(problems=[problem])
    return pd.DatetimeIndex(parsed, name="time")


def cells_problem(
    text: pd.Series, bad: np.ndarray, file: str, column: str, first_line: int | None, noun: str, why: str
) -> Problem | None:
    """One problem for the cells ``bad`` marks (the first three with their data rows, at the line of the first)."""
    if not bad.any():
        return None
    return Problem(
        file, f"{noun} {_rows(text, bad)} {why}", line=_line(first_line, int(np.flatnonzero(bad)[0])), field=column
    )


def collect(problems: list[Problem], parse: Callable[..., T], *args, **kwargs) -> T | None:
    """``parse(*args, **kwargs)``, or None with its ``WeatherError``'s problems added to ``problems``.

    Lets a reader go on after a structural problem and report every one at once. ``parse`` must
    raise with ``problems`` (a bare message is raised on).
    """
    try:
        return parse(*args, **kwargs)
    except WeatherError as exc:
        if not exc.problems:
            raise
        problems.extend(exc.problems)
        return None


def check_timezone(name: str) -> str | None:
    """Why ``name`` is not a time zone this package can use, else None."""
    try:
        zoneinfo.ZoneInfo(name)
        return None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        pass
    try:
        pd.Timestamp("2000-01-01", tz=name)  # a fixed offset such as UTC-05:00, as the readers of TMY files write
    except (ValueError, TypeError, KeyError):
        return (
            f"{name!r} is not an IANA time zone name; expected e.g. Asia/Baku, UTC, or a fixed offset such as "
            "Etc/GMT-4 (UTC+4; the sign of Etc/GMT zones is inverted)"
        )
    return None


def _header(lines: list[str], file: str, problems: list[Problem]) -> dict[str, list[str]]:
    header: dict[str, list[str]] = {}
    for number, line in enumerate(lines, start=1):
        body = line[1:].strip()
        if not body:
            continue
        if ":" not in body:
            problems.append(Problem(file, f"header line {line!r}; expected '# key: value'", line=number))
            continue
        key, value = body.split(":", 1)
        header.setdefault(key.strip(), []).append(value.strip())
    missing = [k for k in _REQUIRED if k not in header]
    if missing:
        problems.append(
            Problem(
                file,
                f"header lacks {', '.join(missing)}; a canonical weather file starts with '# key: value' lines for "
                f"{', '.join(_REQUIRED)}",
            )
        )
    return header


def _header_line(lines: list[str], key: str) -> int | None:
    return next((i for i, line in enumerate(lines, start=1) if line[1:].split(":", 1)[0].strip() == key), None)


def _number(header: dict[str, list[str]], key: str, file: str, lines: list[str], problems: list[Problem]) -> float:
    if key not in header:
        return np.nan
    try:
        value = float(header[key][0])
    except ValueError:
        value = np.nan
    if not np.isfinite(value):
        problems.append(
            Problem(file, f"header {key} = {header[key][0]!r}; expected a number", line=_header_line(lines, key))
        )
    return value


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
        Listing every structural problem at once: header keys missing or malformed, an unknown
        time zone, naive, impossible or unreadable timestamps, unknown or non-numeric columns,
        no data rows.
    """
    file = file or str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise WeatherError(
            f"{file}: not a UTF-8 text file (byte {exc.start}); expected a canonical weather CSV"
        ) from None
    lines = text.splitlines()
    n_header = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    problems: list[Problem] = []
    header_lines = lines[:n_header]
    header = _header(header_lines, file, problems)
    timezone = header.get("timezone", ["UTC"])[0]
    if (why := check_timezone(timezone)) is not None:
        problems.append(Problem(file, f"header timezone = {why}", line=_header_line(header_lines, "timezone")))
        timezone = "UTC"
    interval = header.get("interval", ["start"])[0]
    if interval not in ("start", "end"):
        line = _header_line(header_lines, "interval")
        problems.append(Problem(file, f"header interval = {interval!r}; expected start or end", line=line))
    numbers = {k: _number(header, k, file, header_lines, problems) for k in ("latitude", "longitude", "elevation_m")}
    kinds = {k: header.get(k, ["unknown"])[0] for k in KIND_KEYS}
    for key, value in kinds.items():
        if (why := data_kind_problem(key, value)) is not None:
            problems.append(Problem(file, why, line=_header_line(header_lines, key)))
            kinds[key] = "unknown"
    body = "\n".join(lines[n_header:])
    if not body.strip():
        problems.append(
            Problem(file, "no table after the header; expected a line of column names (time, ghi, ...) and one "
                    "row per hour (8760, or 8784 in a leap year)")
        )
        raise WeatherError(problems=problems)
    try:
        table = pd.read_csv(io.StringIO(body), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        problems.append(Problem(file, f"table unreadable after the header: {exc}"))
        raise WeatherError(problems=problems) from None
    first_data_line = n_header + 2  # the column names are on line n_header + 1
    if table.empty:
        problems.append(
            Problem(file, "no data rows after the column names; expected one row per hour (8760, or 8784 in a leap "
                    "year)", line=n_header + 1)
        )
    if "time" not in table.columns:
        problems.append(Problem(file, f"no 'time' column; found {', '.join(table.columns)}", line=n_header + 1))
    unknown = [c for c in table.columns if c != "time" and not is_canonical_column(c)]
    if unknown:
        problems.append(
            Problem(
                file,
                f"unknown columns {', '.join(unknown)}; expected ghi, dni, dhi, temp_air, wind_speed, pressure, "
                "relative_humidity, wind_speed_<h>m, wind_direction_<h>m, temp_air_<h>m",
                line=n_header + 1,
            )
        )
    index = None
    if "time" in table.columns and not table.empty:
        index = collect(problems, parse_times, table["time"], file, first_line=first_data_line)
        index = None if index is None else index.tz_convert(timezone)
    data = {}
    for column in table.columns.drop("time", errors="ignore"):
        if column in unknown:
            continue
        expected = (f"a number in {UNITS[_quantity(column)]} (an empty cell or NaN for a missing value, which the "
                    "checks report)")
        data[column], problem = parse_numbers(table[column], file, column, first_data_line, expected)
        problems.extend([problem] if problem else [])
    if problems:
        raise WeatherError(problems=problems)
    frame = pd.DataFrame(data, index=index)
    corrections = list(header.get("correction", []))
    if interval == "end":
        frame.index = frame.index - pd.Timedelta(hours=1)
        corrections.append(f"{file}: labels moved from interval end to interval start (-1 h)")
    meta = WeatherMeta(
        latitude=numbers["latitude"],
        longitude=numbers["longitude"],
        elevation_m=numbers["elevation_m"],
        timezone=timezone,
        source=header["source"][0],
        original_convention=header.get("original_convention", [f"{timezone}, interval {interval}"])[0],
        corrections=tuple(corrections),
        warnings=tuple(header.get("warning", [])),
        **kinds,
    )
    return WeatherData(frame, meta)


def _quantity(column: str) -> str:
    return (column_height_m(column) or (column, 0))[0]


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
        f"# irradiance_kind: {meta.irradiance_kind}",
        f"# wind_kind: {meta.wind_kind}",
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
