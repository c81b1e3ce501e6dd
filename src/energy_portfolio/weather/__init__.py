"""Weather: readers (one module per format), quality checks, the typical-year generator.

Public API: ``load_weather``, ``load_weather_years``, ``WeatherData``, ``WeatherMeta``,
``read_weather_file``, ``check_weather_file``, ``synthesize``, ``write_canonical``,
``read_canonical``.
"""

from .canonical import read_canonical, write_canonical
from .data import WeatherData, WeatherMeta
from .load import (
    check_weather_file,
    load_climatology,
    load_weather,
    load_weather_years,
    read_weather_file,
    synthesize,
)
from .series import read_hourly_column

__all__ = [
    "WeatherData",
    "WeatherMeta",
    "check_weather_file",
    "load_climatology",
    "load_weather",
    "load_weather_years",
    "read_canonical",
    "read_hourly_column",
    "read_weather_file",
    "synthesize",
    "write_canonical",
]
