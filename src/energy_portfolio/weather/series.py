"""Hourly series from CSV files in the canonical time format (demand, capacity-factor profiles).

The file has ``#`` comment lines, a ``time`` column (ISO 8601 with UTC offset, labels at
interval start) and numeric columns; one column is read and laid onto the study year.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..config.load import display_path
from ..errors import InputError
from ..timeseries import check_hourly_index
from .calendar import to_study_year
from .canonical import parse_times
from .qc import minutes_past_the_hour

__all__ = ["read_hourly_column"]


def read_hourly_column(
    path: Path | str, column: str, timezone: str, year: int, notes: list[str] | None = None
) -> pd.Series:
    """One numeric column of an hourly CSV, on calendar ``year`` in ``timezone``.

    Labels a fixed number of minutes past the hour (e.g. :30) are read as interval midpoints and
    moved to the full hour; that, and every correction made to lay the data onto ``year``, is
    said in ``notes`` (one line each, naming the file), so the run's warnings show it.

    Parameters
    ----------
    path : path-like
        The CSV file.
    column : str
        Column to read.
    timezone : str
        Study time zone.
    year : int
        Study year; a full year of another calendar year is laid onto it.
    notes : list of str, optional
        Where the corrections are said (the run's warnings).

    Raises
    ------
    InputError
        Naming the file, the column and the first bad row.
    """
    file = display_path(path)
    try:
        frame = pd.read_csv(path, comment="#")
    except (OSError, ValueError) as exc:
        raise InputError(f"{file}: cannot read as CSV: {exc}") from None
    for needed in ("time", column):
        if needed not in frame.columns:
            raise InputError(f"{file}: no column '{needed}'; found {', '.join(map(str, frame.columns))}")
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = values.isna()
    if bad.any():
        row = int(bad.to_numpy().argmax())
        raise InputError(
            f"{file}: {column}: value {frame[column].iloc[row]!r} at data row {row + 1} is not a number; "
            "expected a number in every hour (gaps are not filled)"
        )
    index = parse_times(frame["time"], file)
    check_hourly_index(index, file)
    said = [] if notes is None else notes
    minutes = minutes_past_the_hour(index.tz_convert(timezone))
    if minutes:
        index = index - pd.Timedelta(minutes=minutes)
        said.append(f"{file}: {column}: labels {minutes:g} min past the hour of {timezone} were moved {minutes:g} "
                    "min earlier to the full hour (read as interval midpoints); if they mark the start of each "
                    f"interval, this series runs {minutes:g} min early: check the source's time convention")
    series = pd.Series(values.to_numpy(dtype=float), index=index, name=column)
    laid, corrections = to_study_year(series.to_frame(), timezone, year, file)
    said.extend(f"{file}: {column}: {c}" if not c.startswith(file) else c for c in corrections)
    return laid[column]
