"""Multi-height weather CSV in windpowerlib's layout (two header rows: variable, height).

Layout (windpowerlib's ``ModelChain`` example weather file): the first header row names the
variable (``wind_speed`` [m/s], ``temperature`` [K], ``pressure`` [Pa], ``roughness_length``
[m], optionally ``wind_direction`` [deg]), the second its height [m]; the first column holds
time-zone-aware timestamps. Hourly values are taken as means of the hour starting at the label.

Conversions on read: K -> C; temperature at 2 m becomes ``temp_air``, at other heights
``temp_air_<h>m``; pressure (any height, the lowest taken) ``pressure``; wind speed at 10 m
``wind_speed``, else ``wind_speed_<h>m``; roughness length is dropped (the wind model takes
shear from the heights). The file names no location: latitude and longitude are NaN and the
irradiance checks do not apply (there is no irradiance).

References
----------
Haas, S. et al. windpowerlib - a Python library to model wind power plants (2024).
https://doi.org/10.5281/zenodo.824267 ; example file ``weather.csv`` and ``get_weather_data``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import Problem, WeatherError
from ..units import kelvin_to_celsius
from .canonical import collect, parse_numbers, parse_times
from .data import WeatherData, WeatherMeta, height_column
from .qc import Finding

__all__ = ["read"]

_UNITS = {"wind_speed": "m/s", "temperature": "K", "pressure": "Pa", "roughness_length": "m", "wind_direction": "deg"}
"""Variables of the first header row and their units (windpowerlib's)."""
_FIRST_LINE = 3
"""File line of data row 1 (after the variable and height rows)."""


def _height(variable: str, text: str, file: str, problems: list[Problem]) -> float | None:
    """A height of the second header row [m], or None with its problem."""
    try:
        return float(text)
    except ValueError:
        problems.append(
            Problem(file, f"height {text!r} of {variable} in the second header row; expected a number of metres",
                    line=2)
        )
        return None


def read(path: Path, file: str, format: str = "windpowerlib_csv") -> tuple[WeatherData, list[Finding]]:
    """Read a windpowerlib-style CSV into the canonical frame.

    Raises
    ------
    WeatherError
        Listing every structural problem at once: unknown variables and unreadable heights in
        the two header rows, unreadable timestamps and text in number fields, each with its line.
    """
    try:
        table = pd.read_csv(path, header=[0, 1], index_col=0, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError, ValueError) as exc:
        raise WeatherError(f"{file}: unreadable windpowerlib CSV ({exc})") from None
    problems: list[Problem] = []
    index = collect(problems, parse_times, pd.Series(table.index), file, "first column", _FIRST_LINE)
    columns: dict[str, np.ndarray] = {}
    notes = []
    pressure_heights = []
    for variable, height_text in table.columns:
        if variable not in _UNITS:
            problems.append(
                Problem(file, f"unknown variable {variable!r} in the first header row; expected {', '.join(_UNITS)}",
                        line=1)
            )
            continue
        height = _height(variable, height_text, file, problems)
        values, problem = parse_numbers(
            table[(variable, height_text)], file, f"{variable} at {height_text} m", _FIRST_LINE,
            f"a number in {_UNITS[variable]}",
        )
        problems.extend([problem] if problem else [])
        if height is None or problem is not None:
            continue
        if variable == "temperature":
            columns["temp_air" if height == 2 else height_column("temp_air", height)] = kelvin_to_celsius(values)
        elif variable == "pressure":
            pressure_heights.append((height, values))
        elif variable == "wind_speed":
            columns[height_column("wind_speed", height)] = values
        elif variable == "wind_direction":
            columns[height_column("wind_direction", height)] = values
        else:
            notes.append(f"{file}: roughness_length at {height:g} m dropped")
    if problems:
        raise WeatherError(problems=problems)
    if pressure_heights:
        columns["pressure"] = min(pressure_heights, key=lambda p: p[0])[1]
    frame = pd.DataFrame(columns, index=index)
    meta = WeatherMeta(
        latitude=np.nan,
        longitude=np.nan,
        elevation_m=np.nan,
        timezone="UTC",
        source=f"windpowerlib-style CSV {path.name}",
        original_convention="time-zone-aware labels taken as interval start; temperature in K (windpowerlib)",
        corrections=(f"{file}: temperature K -> C", *notes),
    )
    return WeatherData(frame, meta), []
