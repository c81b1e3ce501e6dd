"""Quality checks of hourly weather: errors, warnings and documented corrections.

Every finding names the file, the column, the first offending rows and the likely cause.
Errors make a file unusable (``QCReport.raise_if_unusable`` raises ``WeatherError`` with all
of them); corrections are the only changes made to the data, and each is reported.

Checks: timestamps (time zone, duplicates, order, gaps, a row count that fits the calendar
year from the first hour, labels off the full hour); NaN and missing-value sentinels (never
turned into 0); negative irradiance (small night values clipped and counted, others errors);
irradiance beyond physical bounds (GHI above the extraterrestrial irradiance, DHI above GHI,
irradiance with the sun below the horizon); units that look wrong (K for C, J/m2 or kW/m2 for
W/m2, km/h for m/s, hPa for Pa, a fraction for %); implausible series (irradiance or wind that
is zero or one value all year, a wind speed or temperature stuck at one value for a day or
more, an annual mean temperature no place on Earth has, a pressure that does not fit the
elevation); an interval label that looks shifted (irradiance centred away from solar noon);
irradiance without its other components; wind given far from the hub height; TMY months taken
from different years. Every check runs; a broken time axis skips only the checks that need
the sun's position.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
import pvlib

from ..errors import Problem, WeatherError
from .data import UNITS, WeatherMeta, column_height_m, wind_speed_heights_m

__all__ = [
    "SENTINELS",
    "Finding",
    "QCReport",
    "check_weather",
    "check_hub_height",
    "tmy_years_finding",
    "first_rows",
    "minute_findings",
    "minutes_past_the_hour",
    "site_label_findings",
    "solar_noon_shift_h",
    "standard_pressure_pa",
]

SENTINELS = (-9999.0, -999.0, -99.9, -99.0, 99.9, 999.0, 999.9, 9999.0, 99999.0, 999999.0)
"""Values that weather formats use for "missing" (EPW, TMY2/3, station exports)."""

NIGHT_NEGATIVE_LIMIT_W_M2 = -10.0
"""Night irradiance between this and 0 is sensor offset (thermal loss of thermopiles) and is clipped."""

BOUND_MARGIN_W_M2 = 10.0
"""Allowance above the extraterrestrial bound for measurement and timing noise [W/m2]."""

LABEL_SHIFT_ERROR_H = 0.75
"""Irradiance centred this far from solar noon means a shifted label or time zone [h]."""

STUCK_WIND_HOURS = 24
"""A non-zero wind speed repeated this many hours in a row is a stuck sensor or a filled gap
[h] (the NSRDB TMY3 samples shipped with pvlib repeat one non-zero value for 10 h at most)."""

STUCK_TEMPERATURE_HOURS = 72
"""An air temperature repeated this many hours in a row is a stuck sensor or a filled gap [h]
(the pvlib TMY3 samples repeat one value for 24 h at most, in an Alaskan winter)."""

ANNUAL_MEAN_TEMP_C = (-60.0, 35.0)
"""Annual mean air temperatures found on Earth [C]: about -55 C at Vostok (Antarctica) to 34.4 C
at Dallol (Ethiopia), the highest recorded; a mean outside is wrong units or a filled column."""

PRESSURE_ELEVATION_TOLERANCE = 0.15
"""The median surface pressure may differ this much from the standard atmosphere at the data's
elevation [fraction]; synoptic swings are about +/-3 %, so beyond 15 % the pressure is reduced to
sea level, belongs to another elevation, or is in other units."""

HUB_HEIGHT_RATIO = 1.5
"""Wind measured further than this factor from hub height is flagged."""

IRRADIANCE = ("ghi", "dni", "dhi")

_BOUNDS = {
    "ghi": (NIGHT_NEGATIVE_LIMIT_W_M2, 1500.0),
    "dni": (NIGHT_NEGATIVE_LIMIT_W_M2, 1500.0),
    "dhi": (NIGHT_NEGATIVE_LIMIT_W_M2, 1500.0),
    "temp_air": (-70.0, 60.0),
    "wind_speed": (0.0, 75.0),
    "wind_direction": (0.0, 360.0),
    "pressure": (50_000.0, 110_000.0),
    "relative_humidity": (0.0, 100.5),
}
"""Physically plausible range of each quantity (a sentinel code lies outside it)."""


def _quantity(column: str) -> str:
    return (column_height_m(column) or (column, 0))[0]


def _sentinel_mask(column: str, values: np.ndarray) -> np.ndarray:
    """Values that are a missing-value code: in SENTINELS and outside the plausible range."""
    low, high = _BOUNDS.get(_quantity(column), (-np.inf, np.inf))
    return np.isin(values, SENTINELS) & ((values < low) | (values > high))


@dataclass(frozen=True)
class Finding:
    """One quality finding.

    Attributes
    ----------
    severity : {"error", "warning", "correction"}
    file : str
    column : str or None
    message : str
        What was found, where, what was expected and the likely cause.
    line : int or None
        Line of the file, when the finding is about one line (a reader's structural problem).
    """

    severity: Literal["error", "warning", "correction"]
    file: str
    column: str | None
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}, line {self.line}"
        where = f"{where}: {self.column}" if self.column else where
        return f"{self.severity.upper()} {where}: {self.message}"


@dataclass(frozen=True)
class QCReport:
    """Findings of a check and the frame after the documented corrections."""

    frame: pd.DataFrame = field(repr=False)
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def usable(self) -> bool:
        return not self.errors

    def notes(self, severity: str) -> tuple[str, ...]:
        return tuple(str(f).split(" ", 1)[1] for f in self.findings if f.severity == severity)

    def raise_if_unusable(self) -> None:
        """Raise ``WeatherError`` listing every error, when there is one."""
        if self.errors:
            raise WeatherError(problems=[Problem(f.file, f.message, line=f.line, field=f.column) for f in self.errors])


def first_rows(index: pd.Index, mask, limit: int = 3) -> str:
    """The first offending rows as "row N (label)", and how many there are."""
    positions = np.flatnonzero(np.asarray(mask))
    shown = ", ".join(f"row {p + 1} ({_label(index[p])})" for p in positions[:limit])
    more = f" and {len(positions) - limit} more" if len(positions) > limit else ""
    return f"{shown}{more}"


def _label(value) -> str:
    return value.isoformat() if isinstance(value, pd.Timestamp) else str(value)


def check_weather(frame: pd.DataFrame, meta: WeatherMeta, file: str, hub_height_m: float | None = None) -> QCReport:
    """Run every check on a canonical frame (data rows numbered from 1).

    Parameters
    ----------
    frame : pandas.DataFrame
        Canonical columns, hourly index labelled at interval start.
    meta : WeatherMeta
        Location of the data (for the solar geometry of the irradiance checks).
    file : str
        Name of the file, for the messages.
    hub_height_m : float, optional
        When given, wind heights are compared with it.

    Returns
    -------
    QCReport
    """
    findings: list[Finding] = []
    findings += _index_findings(frame.index, file)
    time_ok = not any(f.severity == "error" for f in findings)
    findings += _missing_findings(frame, file)
    unit_findings = _unit_findings(frame, file)
    findings += unit_findings
    bad_units = {f.column for f in unit_findings}
    if time_ok and not any(c in bad_units for c in IRRADIANCE):
        frame, irradiance = _irradiance_findings(frame, meta, file)
        findings += irradiance
    findings += _range_findings(frame, file, bad_units)
    findings += _plausibility_findings(frame, meta, file, bad_units)
    findings += _component_findings(frame, file)
    if hub_height_m is not None:
        findings += check_hub_height(frame, hub_height_m, file)
    return QCReport(frame, tuple(findings))


def _index_findings(index: pd.Index, file: str) -> list[Finding]:
    findings: list[Finding] = []

    def error(message: str) -> list[Finding]:
        findings.append(Finding("error", file, "time", message))
        return findings

    if not isinstance(index, pd.DatetimeIndex):
        return error(f"timestamps could not be read as dates (found {type(index).__name__})")
    if index.tz is None:
        return error(
            "timestamps have no time zone and none is declared; write them with a UTC offset "
            "(2032-01-01T00:00:00+04:00) or declare the zone"
        )
    if len(index) == 0:
        return error("no data rows; expected one year of hourly rows (8760, or 8784 in a leap year)")
    if index.has_duplicates:
        dup = index.duplicated(keep="first")
        error(
            f"duplicate timestamps at {first_rows(index, dup)}; likely a daylight-saving change or "
            "two files pasted together"
        )
    steps = np.diff(index.as_unit("s").asi8) / 3600.0
    backwards = steps < 0
    if backwards.any():
        error(
            f"timestamps go backwards at {first_rows(index, np.r_[False, backwards])}; expected increasing times "
            "(sort the file, or it holds several pieces)"
        )
    if findings:  # gaps and short steps would only restate a broken order
        return findings
    gaps = steps > 1
    if gaps.any():
        error(f"missing timestamps: a gap after {first_rows(index[:-1], gaps)}; expected consecutive hours")
    if (steps < 1).any():
        error(
            f"steps shorter than an hour at {first_rows(index, np.r_[False, steps < 1])}; expected hourly data "
            "(resample sub-hourly data to hourly means first)"
        )
    if findings:
        return findings
    first = index[0]
    after_a_year = first + pd.DateOffset(years=1)
    expected = round((after_a_year - first) / pd.Timedelta(hours=1))
    if len(index) == expected:
        return findings
    if len(index) in (8760, 8784):
        leap = "a leap year" if expected == 8784 else "not a leap year"
        return error(
            f"{len(index)} hourly rows from {first.isoformat()}, but the year from that hour to "
            f"{after_a_year.isoformat()} has {expected} hours (it is {leap}); expected {expected} rows "
            f"(the last {abs(len(index) - expected)} rows fall in the next year, or the dates are of another year)"
            if len(index) > expected
            else f"{len(index)} hourly rows from {first.isoformat()}, but the year from that hour to "
            f"{after_a_year.isoformat()} has {expected} hours (it is {leap}); expected {expected} rows "
            "(29 February is missing, or the dates are of another year)"
        )
    return error(
        f"{len(index)} hourly rows from {first.isoformat()}; a year has 8760 or 8784 hours, {expected} from this "
        "hour (a partial year, or several years: give one full year)"
    )


def minute_findings(index: pd.DatetimeIndex, file: str) -> list[Finding]:
    """Labels off the full hour of the file's own time zone (a run moves them to the site's hours).

    Not part of ``check_weather``: with a site, ``load.check_site_weather`` reports the move itself.
    """
    minutes = minutes_past_the_hour(index)
    if minutes == 0:
        return []
    return [
        Finding(
            "warning",
            file,
            "time",
            f"timestamps are {minutes:g} min past the hour in {index.tz}, e.g. {index[0].isoformat()}; a run "
            f"reads each label as the middle of its hour and moves it {minutes:g} min earlier to the full hour of "
            "the site's time zone (weather check --site shows it); expected labels at the start of each hour",
        )
    ]


def minutes_past_the_hour(index: pd.DatetimeIndex) -> float:
    """Minutes past the full hour shared by every label (0 when on the hour or when they differ)."""
    wall = index.tz_localize(None)  # local clock time; floor() of an aware index fails on DST hours
    offset = np.unique(np.asarray(wall - wall.floor("h")))
    if len(offset) != 1:
        return 0.0
    return float(pd.Timedelta(offset[0]) / pd.Timedelta(minutes=1))


def _missing_findings(frame: pd.DataFrame, file: str) -> list[Finding]:
    findings = []
    for column in frame.columns:
        values = frame[column].to_numpy(dtype=float)
        nan = np.isnan(values)
        if nan.any():
            findings.append(
                Finding(
                    "error",
                    file,
                    column,
                    f"{nan.sum()} missing values (NaN or empty) at {first_rows(frame.index, nan)}; "
                    "fill the gaps from another source; missing values are never read as 0",
                )
            )
        sentinel = _sentinel_mask(column, values)
        if sentinel.any():
            found = values[sentinel][0]
            findings.append(
                Finding(
                    "error",
                    file,
                    column,
                    f"{sentinel.sum()} values of {found:g} at {first_rows(frame.index, sentinel)} look like a "
                    "missing-value code, not data; replace them with real values",
                )
            )
    return findings


def _unit_findings(frame: pd.DataFrame, file: str) -> list[Finding]:
    findings = []

    def flag(column: str, message: str) -> None:
        findings.append(Finding("error", file, column, message))

    for column in frame.columns:
        values = frame[column].to_numpy(dtype=float)
        values = values[np.isfinite(values) & ~_sentinel_mask(column, values)]
        if values.size == 0:
            continue
        quantity = _quantity(column)
        median, top = float(np.median(values)), float(values.max())
        if quantity == "temp_air" and median > 150:
            flag(column, f"median {median:.1f}: looks like kelvin; expected degrees Celsius (subtract 273.15)")
        elif column in IRRADIANCE and top > 1e4:
            flag(
                column,
                f"maximum {top:.0f}: looks like an energy per hour in J/m2; expected mean power in W/m2 "
                "(divide hourly J/m2 by 3600)",
            )
        elif column in IRRADIANCE and 0 < top <= 1.5:
            flag(column, f"maximum {top:.3f}: looks like kW/m2; expected W/m2 (multiply by 1000)")
        elif quantity == "wind_speed" and values.mean() > 25:
            flag(
                column,
                f"mean {values.mean():.1f}: too high for m/s; looks like km/h (divide by 3.6) or knots",
            )
        elif column == "pressure" and median < 2000:
            unit = "hPa or mbar (multiply by 100)" if median > 500 else "kPa (multiply by 1000)"
            flag(column, f"median {median:.1f}: looks like {unit}; expected Pa")
        elif column == "relative_humidity" and top <= 1.0:
            flag(column, f"maximum {top:.2f}: looks like a fraction; expected percent (multiply by 100)")
    return findings


def _range_findings(frame: pd.DataFrame, file: str, skip: set) -> list[Finding]:
    findings = []
    for column in frame.columns:
        quantity = _quantity(column)
        if column in skip or quantity not in _BOUNDS or column in IRRADIANCE:
            continue
        low, high = _BOUNDS[quantity]
        values = frame[column].to_numpy(dtype=float)
        bad = ((values < low) | (values > high)) & ~_sentinel_mask(column, values)
        if bad.any():
            findings.append(
                Finding(
                    "error",
                    file,
                    column,
                    f"{bad.sum()} values outside {low:g}..{high:g} {UNITS[quantity]}, e.g. "
                    f"{values[bad][0]:g} at {first_rows(frame.index, bad)}; check the units and the column order",
                )
            )
    return findings


def _runs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start position and length of each run of equal consecutive values."""
    if values.size == 0:
        return np.array([], dtype=int), np.array([], dtype=int)
    change = np.r_[True, values[1:] != values[:-1]]
    starts = np.flatnonzero(change)
    lengths = np.diff(np.r_[starts, values.size])
    return starts, lengths


def _stuck_finding(
    frame: pd.DataFrame, column: str, file: str, hours: int, ignore=lambda v: False
) -> list[Finding]:
    values = frame[column].to_numpy(dtype=float)
    starts, lengths = _runs(values)
    long = [(s, n) for s, n in zip(starts, lengths, strict=True) if n >= hours and not ignore(values[s])]
    if not long:
        return []
    start, n = max(long, key=lambda run: run[1])
    index = frame.index
    where = f"row {start + 1} ({_label(index[start])}) to row {start + n} ({_label(index[start + n - 1])})"
    return [
        Finding(
            "error",
            file,
            column,
            f"the same value {values[start]:g} {UNITS[_quantity(column)]} in {n} consecutive hours, {where}"
            f"{f' and {len(long) - 1} more such runs' if len(long) > 1 else ''}; expected a series that varies "
            f"(at most {hours - 1} equal hours in a row): likely a stuck sensor or a filled gap",
        )
    ]


def standard_pressure_pa(elevation_m: float) -> float:
    """Surface pressure of the standard atmosphere at an elevation [Pa].

    References
    ----------
    ISO 2533:1975 (ICAO standard atmosphere), as ``pvlib.atmosphere.alt2pres``.
    """
    return float(pvlib.atmosphere.alt2pres(elevation_m))


def _plausibility_findings(frame: pd.DataFrame, meta: WeatherMeta, file: str, skip: set) -> list[Finding]:
    """Series that are valid numbers but cannot be weather: constant, stuck, or impossible on average."""
    findings: list[Finding] = []
    for column in frame.columns:
        if column in skip:
            continue
        quantity = _quantity(column)
        values = frame[column].to_numpy(dtype=float)
        finite = values[np.isfinite(values)]
        if finite.size == 0:
            continue
        if quantity in ("ghi", "dni", "dhi", "wind_speed", "wind_direction", "temp_air", "relative_humidity") and (
            np.all(finite == finite[0])
        ):
            what = "zero" if finite[0] == 0 else f"{finite[0]:g} {UNITS[quantity]}"
            severity = "warning" if quantity == "relative_humidity" else "error"
            findings.append(
                Finding(
                    severity,
                    file,
                    column,
                    f"{what} in every one of the {finite.size} hours; expected a measured or modelled series "
                    "that varies: likely a placeholder, a failed sensor or a column filled by a converter",
                )
            )
            continue
        if quantity == "wind_speed":
            findings += _stuck_finding(frame, column, file, STUCK_WIND_HOURS, ignore=lambda v: v == 0)
        elif quantity == "temp_air":
            findings += _stuck_finding(frame, column, file, STUCK_TEMPERATURE_HOURS)
            low, high = ANNUAL_MEAN_TEMP_C
            mean = float(finite.mean())
            if not low <= mean <= high:
                findings.append(
                    Finding(
                        "error",
                        file,
                        column,
                        f"annual mean {mean:.1f} C; expected {low:g}..{high:g} C, the range of annual means on Earth "
                        "(Vostok to Dallol): likely wrong units (F?) or a filled column",
                    )
                )
        elif column == "pressure" and np.isfinite(meta.elevation_m):
            findings += _pressure_findings(finite, meta.elevation_m, file)
    return findings


def _pressure_findings(values: np.ndarray, elevation_m: float, file: str) -> list[Finding]:
    standard = standard_pressure_pa(elevation_m)
    median = float(np.median(values))
    if abs(median / standard - 1) > PRESSURE_ELEVATION_TOLERANCE:
        return [
            Finding(
                "error",
                file,
                "pressure",
                f"median {median:.0f} Pa, but the standard atmosphere at the data's elevation {elevation_m:g} m "
                f"gives {standard:.0f} Pa; expected within {PRESSURE_ELEVATION_TOLERANCE:.0%} of it: likely "
                "pressure reduced to sea level, a wrong elevation in the header, or other units",
            )
        ]
    if np.all(values == values[0]):
        return [
            Finding(
                "warning",
                file,
                "pressure",
                f"{values[0]:g} Pa in every hour (near the standard atmosphere at {elevation_m:g} m, "
                f"{standard:.0f} Pa): a filled placeholder; air density from it carries no weather variation",
            )
        ]
    return []


def _component_findings(frame: pd.DataFrame, file: str) -> list[Finding]:
    """Irradiance given only in part: a solar model needs GHI, DNI and DHI."""
    present = [c for c in IRRADIANCE if c in frame.columns]
    if not present or len(present) == len(IRRADIANCE):
        return []
    missing = [c for c in IRRADIANCE if c not in frame.columns]
    return [
        Finding(
            "warning",
            file,
            missing[0],
            f"no {' or '.join(missing)} column, while {', '.join(present)} is given; a solar site needs ghi, dni and "
            "dhi (a run of a solar site refuses this file; weather check --site shows it)",
        )
    ]


def _geometry(index: pd.DatetimeIndex, meta: WeatherMeta) -> tuple[np.ndarray, np.ndarray]:
    """Extraterrestrial normal irradiance and the largest cos(apparent zenith) of each interval (start, middle, end).

    The apparent zenith includes refraction: the sun is seen (and beam measured) while its
    geometric centre is still up to about 0.5 deg below the horizon.
    """
    cos = []
    for minutes in (0, 30, 60):
        times = index + pd.Timedelta(minutes=minutes)
        zen = pvlib.solarposition.ephemeris(times, meta.latitude, meta.longitude)["apparent_zenith"].to_numpy()
        cos.append(np.cos(np.radians(zen)))
    extra = np.asarray(pvlib.irradiance.get_extra_radiation(index + pd.Timedelta(minutes=30)))
    return extra, np.max(cos, axis=0)


def _irradiance_findings(frame: pd.DataFrame, meta: WeatherMeta, file: str):
    present = [c for c in IRRADIANCE if c in frame.columns]
    if not present:
        return frame, []
    findings: list[Finding] = []
    extra, cos_max = _geometry(frame.index, meta)
    night = cos_max <= 0
    frame = frame.copy()
    for column in present:
        values = frame[column].to_numpy(dtype=float)
        negative = (values < 0) & ~_sentinel_mask(column, values)
        small_night = negative & night & (values >= NIGHT_NEGATIVE_LIMIT_W_M2)
        bad = negative & ~small_night
        if bad.any():
            findings.append(
                Finding(
                    "error",
                    file,
                    column,
                    f"{bad.sum()} negative values below {NIGHT_NEGATIVE_LIMIT_W_M2:g} W/m2 or in daylight, e.g. "
                    f"{values[bad][0]:g} at {first_rows(frame.index, bad)}; likely a broken sensor or a "
                    "missing-value code",
                )
            )
        if small_night.any():
            frame.loc[small_night, column] = 0.0
            findings.append(
                Finding(
                    "correction",
                    file,
                    column,
                    f"{small_night.sum()} small negative night values (>= {NIGHT_NEGATIVE_LIMIT_W_M2:g} W/m2, "
                    f"sensor offset) set to 0, first at {first_rows(frame.index, small_night, 1)}",
                )
            )
    bound = extra * np.clip(cos_max, 0, None) + BOUND_MARGIN_W_M2
    if "ghi" in frame:
        ghi = frame["ghi"].to_numpy(dtype=float)
        over = ghi > bound
        if over.any():
            findings.append(
                Finding(
                    "error",
                    file,
                    "ghi",
                    f"{over.sum()} values above the extraterrestrial irradiance, e.g. {ghi[over][0]:.0f} W/m2 "
                    f"where at most {bound[over][0]:.0f} is possible, at {first_rows(frame.index, over)}; likely "
                    "a wrong time zone or interval label, a wrong location, or wrong units",
                )
            )
        if "dhi" in frame:
            dhi = frame["dhi"].to_numpy(dtype=float)
            above = dhi > ghi + np.maximum(BOUND_MARGIN_W_M2, 0.05 * ghi)
            if above.any():
                findings.append(
                    Finding(
                        "error",
                        file,
                        "dhi",
                        f"{above.sum()} values above GHI, e.g. DHI {dhi[above][0]:.0f} > GHI {ghi[above][0]:.0f} "
                        f"W/m2 at {first_rows(frame.index, above)}; likely swapped columns",
                    )
                )
    for column in ("ghi", "dhi"):
        if column not in frame:
            continue
        values = frame[column].to_numpy(dtype=float)
        lit_night = night & (values > BOUND_MARGIN_W_M2)
        if lit_night.any():
            findings.append(
                Finding(
                    "error",
                    file,
                    column,
                    f"{lit_night.sum()} hours above {BOUND_MARGIN_W_M2:g} W/m2 while the sun is below the horizon all "
                    f"hour, e.g. {values[lit_night][0]:g} W/m2 at {first_rows(frame.index, lit_night)}; likely a wrong "
                    "time zone or interval label, a wrong location, or a stuck sensor",
                )
            )
    if "dni" in frame:
        dni = frame["dni"].to_numpy(dtype=float)
        beam_at_night = night & (dni > BOUND_MARGIN_W_M2)
        if beam_at_night.any():
            findings.append(
                Finding(
                    "error",
                    file,
                    "dni",
                    f"{beam_at_night.sum()} hours with beam irradiance while the sun is below the horizon, first "
                    f"{first_rows(frame.index, beam_at_night)}; likely a wrong time zone or interval label",
                )
            )
        over = dni > extra + BOUND_MARGIN_W_M2
        if over.any():
            findings.append(
                Finding(
                    "error",
                    file,
                    "dni",
                    f"{over.sum()} values above the extraterrestrial normal irradiance (about 1360 W/m2), "
                    f"first {first_rows(frame.index, over)}; check the units",
                )
            )
    if "ghi" in frame:
        findings += _label_findings(frame, meta, file)
    return frame, findings


def solar_noon_shift_h(frame: pd.DataFrame, longitude: float) -> float | None:
    """Irradiance-weighted time of day minus solar noon at ``longitude`` [h]; None without irradiance.

    Labels are read as interval starts (the middle of each hour is compared); solar noon
    includes the equation of time (Spencer 1971, ``pvlib.solarposition.equation_of_time_spencer71``).
    """
    index = frame.index
    ghi = frame["ghi"].to_numpy(dtype=float)
    ghi = np.where(np.isfinite(ghi) & (ghi > 0), ghi, 0.0)
    if ghi.sum() <= 0:
        return None
    mid = index + pd.Timedelta(minutes=30)
    offset_h = (mid.tz_localize(None) - mid.tz_convert("UTC").tz_localize(None)) / pd.Timedelta(hours=1)
    eot_min = pvlib.solarposition.equation_of_time_spencer71(mid.day_of_year.to_numpy())
    solar_noon = 12.0 - longitude / 15.0 + offset_h - eot_min / 60.0
    hour = mid.hour.to_numpy() + mid.minute.to_numpy() / 60.0
    return float(np.sum(ghi * (hour - solar_noon)) / ghi.sum())


def _label_cause(shift: float) -> str:
    return (
        "labels at the end of the interval read as start (shift by -1 h)"
        if 0 < shift < 1.5
        else "labels at the start read as end (shift by +1 h)"
        if -1.5 < shift < 0
        else "a wrong time zone (UTC read as local time?) or a wrong longitude"
    )


def _label_findings(frame: pd.DataFrame, meta: WeatherMeta, file: str) -> list[Finding]:
    """Compare the irradiance-weighted time of day with solar noon at the data's own longitude."""
    return _noon_shift_finding(
        frame, meta.longitude, file,
        lambda shift, direction: f"irradiance is centred {abs(shift):.1f} h {direction} solar noon (expected "
        f"within {LABEL_SHIFT_ERROR_H} h with labels at interval start); likely {_label_cause(shift)}",
    )


def _noon_shift_finding(frame: pd.DataFrame, longitude: float, file: str, describe) -> list[Finding]:
    """An error when the irradiance-weighted time of day is more than ``LABEL_SHIFT_ERROR_H`` from
    solar noon at ``longitude``; ``describe(shift_h, "after" | "before")`` words it."""
    shift = solar_noon_shift_h(frame, longitude)
    if shift is None or abs(shift) < LABEL_SHIFT_ERROR_H:
        return []
    return [Finding("error", file, "time", describe(shift, "after" if shift > 0 else "before"))]


def site_label_findings(frame: pd.DataFrame, longitude: float, site: str, file: str) -> list[Finding]:
    """The same comparison once the data lie on the site's hours, with the site's longitude.

    ``site`` names the site in the message ("site 'fuzuli_solar'").
    """
    if "ghi" not in frame:
        return []
    return _noon_shift_finding(
        frame, longitude, file,
        lambda shift, direction: f"on the hours of {site} ({frame.index.tz}), the irradiance is centred "
        f"{abs(shift):.1f} h {direction} the site's solar noon (longitude {longitude:g}); expected within "
        f"{LABEL_SHIFT_ERROR_H} h: the sun of this weather does not rise and set with the site's: likely weather "
        "of another longitude or time zone, or a shifted interval label",
    )


def check_hub_height(frame: pd.DataFrame, hub_height_m: float, file: str) -> list[Finding]:
    """Warn when no wind speed column is near the hub height (within a factor 1.5).

    Parameters
    ----------
    frame : pandas.DataFrame
        Canonical columns.
    hub_height_m : float
        Hub height [m].
    file : str
    """
    heights = wind_speed_heights_m(frame.columns)
    if not heights:
        return [Finding("error", file, "wind_speed", f"no wind speed column; hub height {hub_height_m:g} m needs one")]
    nearest = min(heights, key=lambda h: abs(np.log(h / hub_height_m)))
    ratio = max(nearest / hub_height_m, hub_height_m / nearest)
    if ratio <= HUB_HEIGHT_RATIO:
        return []
    return [
        Finding(
            "warning",
            file,
            "wind_speed" if nearest == 10 else f"wind_speed_{nearest:g}m",
            f"the nearest wind height is {nearest:g} m, far from the hub height {hub_height_m:g} m: "
            "extrapolating by a shear law adds large uncertainty; give wind at or near hub height",
        )
    ]


def tmy_years_finding(file: str, years_by_month: dict[int, int]) -> Finding | None:
    """A warning when a typical year's months come from different years (they are stitched)."""
    years = set(years_by_month.values())
    if len(years) <= 1:
        return None
    listed = ", ".join(f"{pd.Timestamp(2000, m, 1):%b} {y}" for m, y in sorted(years_by_month.items()))
    return Finding(
        "warning",
        file,
        "time",
        f"typical-year months come from {len(years)} different years ({listed}); months are stitched at their "
        "boundaries and laid onto the study year",
    )
