"""Hourly time axes: construction and checks.

Convention (DESIGN.md, Time): a time-zone-aware hourly ``DatetimeIndex`` whose labels mark
the **start** of each interval; power values are interval means and energy values interval
totals. Leap years keep 29 February.
"""

from __future__ import annotations

import pandas as pd

from .errors import InputError

__all__ = ["INTERVAL_LABEL", "hourly_year", "check_hourly_index", "hours_in_year"]

INTERVAL_LABEL = "start"
"""Every hourly index in the package labels its intervals by their start."""


def hourly_year(year: int, timezone: str) -> pd.DatetimeIndex:
    """The hours of one calendar year in a time zone, labelled at interval start.

    Parameters
    ----------
    year : int
        Calendar year.
    timezone : str
        IANA time zone, e.g. ``Asia/Baku``.

    Returns
    -------
    pandas.DatetimeIndex
        8,760 or 8,784 hourly labels (fewer or more across DST changes, where the zone has them).
    """
    start = pd.Timestamp(year=year, month=1, day=1, tz=timezone)
    end = pd.Timestamp(year=year + 1, month=1, day=1, tz=timezone)
    return pd.date_range(start, end, freq="h", inclusive="left", name="time")


def hours_in_year(year: int) -> int:
    """8,784 for leap years, 8,760 otherwise."""
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 8784 if leap else 8760


def check_hourly_index(index: pd.Index, what: str) -> None:
    """Check that an index is time-zone aware, hourly, unique and increasing.

    Parameters
    ----------
    index : pandas.Index
        The index to check.
    what : str
        What the index belongs to (a file name or a series name), for the message.

    Raises
    ------
    InputError
        Naming ``what``, the first offending label and what was expected.
    """
    if not isinstance(index, pd.DatetimeIndex):
        raise InputError(f"{what}: expected a DatetimeIndex, found {type(index).__name__}")
    if index.tz is None:
        raise InputError(f"{what}: timestamps have no time zone; expected time-zone-aware timestamps")
    if index.has_duplicates:
        first = index[index.duplicated()][0]
        raise InputError(f"{what}: duplicate timestamp {first.isoformat()}; expected unique hours")
    if len(index) > 1:
        steps = index[1:] - index[:-1]
        bad = steps != pd.Timedelta(hours=1)
        if bad.any():
            i = int(bad.argmax())
            raise InputError(
                f"{what}: step from {index[i].isoformat()} to {index[i + 1].isoformat()} is "
                f"{steps[i]}; expected consecutive hours in increasing order"
            )
