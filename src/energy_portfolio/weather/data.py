"""The canonical hourly weather frame and its metadata (DESIGN.md, "Weather files").

Columns are pvlib names: ``ghi``, ``dni``, ``dhi`` [W/m2], ``temp_air`` [C], ``wind_speed``
[m/s at 10 m], ``pressure`` [Pa], ``relative_humidity`` [%]; at other heights
``wind_speed_<h>m`` [m/s], ``wind_direction_<h>m`` [deg, from, clockwise from north] and
``temp_air_<h>m`` [C]. The index is hourly, time-zone aware and labelled at interval start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import pandas as pd

from ..config.site import DATA_KINDS

__all__ = [
    "SURFACE_COLUMNS",
    "UNITS",
    "DATA_KINDS",
    "KIND_KEYS",
    "data_kind_problem",
    "WeatherMeta",
    "WeatherData",
    "height_column",
    "column_height_m",
    "is_canonical_column",
    "wind_speed_heights_m",
]

SURFACE_COLUMNS = ("ghi", "dni", "dhi", "temp_air", "wind_speed", "pressure", "relative_humidity")
"""Canonical columns without a height, in the order files are written."""

UNITS = {
    "ghi": "W/m2",
    "dni": "W/m2",
    "dhi": "W/m2",
    "temp_air": "C",
    "wind_speed": "m/s",
    "pressure": "Pa",
    "relative_humidity": "%",
    "wind_direction": "deg",
}
"""Unit of each canonical quantity (height columns share the unit of their quantity)."""

KIND_KEYS = ("irradiance_kind", "wind_kind")
"""Optional header keys of the canonical and plain CSV formats: :data:`DATA_KINDS` of the columns."""


def data_kind_problem(key: str, value: str) -> str | None:
    """Why a header's ``irradiance_kind``/``wind_kind`` value is not a data kind, or None when it is."""
    if value in DATA_KINDS:
        return None
    return f"header {key} = {value!r}; expected one of {', '.join(DATA_KINDS)}"


_HEIGHT = re.compile(r"^(wind_speed|wind_direction|temp_air)_(\d+(?:\.\d+)?)m$")


def height_column(quantity: str, height_m: float) -> str:
    """Canonical column of a quantity at a height: ``wind_speed`` at 10 m, else ``wind_speed_150m``.

    Parameters
    ----------
    quantity : {"wind_speed", "wind_direction", "temp_air"}
    height_m : float
        Height above ground or sea [m].
    """
    if quantity == "wind_speed" and height_m == 10:
        return "wind_speed"
    return f"{quantity}_{height_m:g}m"


def column_height_m(column: str) -> tuple[str, float] | None:
    """(quantity, height [m]) of a height column; ``wind_speed`` is 10 m; None otherwise."""
    if column == "wind_speed":
        return "wind_speed", 10.0
    match = _HEIGHT.match(column)
    return (match.group(1), float(match.group(2))) if match else None


def is_canonical_column(column: str) -> bool:
    """True for the columns DESIGN.md names."""
    return column in SURFACE_COLUMNS or _HEIGHT.match(column) is not None


def wind_speed_heights_m(columns) -> list[float]:
    """Heights [m] with a wind speed column, sorted."""
    heights = [h[1] for c in columns if (h := column_height_m(c)) and h[0] == "wind_speed"]
    return sorted(heights)


@dataclass(frozen=True)
class WeatherMeta:
    """Where the weather is from and what was done to it on the way in.

    Attributes
    ----------
    latitude, longitude : float
        Degrees north and east of the data [deg].
    elevation_m : float
        Above mean sea level [m].
    timezone : str
        IANA time zone of the frame's index.
    source : str
        Provenance: file and format, or generator, climatology and seed.
    original_convention : str
        Time reference and interval label of the source (e.g. "UTC, end of interval").
    corrections : tuple of str
        Every change made to the data, in words (documented, never silent).
    warnings : tuple of str
        Quality findings that did not make the data unusable.
    notes : tuple of str
        Facts a reader of the results should know that need no action (e.g. a proxy's
        distance that the site config accepts); the report's manifest lists them.
    irradiance_kind, wind_kind : str
        What the irradiance and the wind columns are made from, one of :data:`DATA_KINDS`
        (a PVGIS year has satellite irradiance and reanalysis wind); the reader's default
        for its format, the canonical header's ``irradiance_kind``/``wind_kind``, or the site
        config's ``weather.data_kind``. The P-value stack follows it.
    """

    latitude: float
    longitude: float
    elevation_m: float
    timezone: str
    source: str
    original_convention: str
    corrections: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    irradiance_kind: str = "unknown"
    wind_kind: str = "unknown"

    def __post_init__(self) -> None:
        for name in KIND_KEYS:
            if (why := data_kind_problem(name, getattr(self, name))) is not None:
                raise ValueError(f"WeatherMeta: {why}")

    def with_notes(self, corrections=(), warnings=(), notes=(), **changes) -> "WeatherMeta":
        """A copy with more corrections, warnings and notes and any field changed."""
        return replace(
            self,
            corrections=self.corrections + tuple(corrections),
            warnings=self.warnings + tuple(warnings),
            notes=self.notes + tuple(notes),
            **changes,
        )


@dataclass(frozen=True)
class WeatherData:
    """A canonical hourly weather frame and its metadata."""

    frame: pd.DataFrame = field(repr=False)
    meta: WeatherMeta
