"""Wiring of the layers: specs + weather -> production -> dispatch -> economics -> result.

This is the one module that connects the layers (DESIGN.md). It holds no physics and reads
no files itself: weather readers, the production models, the dispatch LP and the economics
functions do the work; this module passes plain specs, frames and arrays between them.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

from .config import FileWeather, SiteSpec, SolarSite, WindSite
from .errors import InputError
from .production.result import SiteProduction
from .production.solar import simulate_solar
from .production.wind import simulate_wind
from .weather import WeatherData, load_weather

__all__ = ["SiteRun", "simulate_site", "site_weather", "run_site"]

_PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class SiteRun:
    """One site's weather and production, with every warning raised on the way."""

    spec: SiteSpec
    weather: WeatherData
    production: SiteProduction
    warnings: tuple[str, ...] = field(default_factory=tuple)


def simulate_site(spec: SiteSpec, weather: WeatherData, operating_year: int = 1) -> SiteProduction:
    """Run the production model the site's kind names (solar: pvlib chain; wind: windpowerlib + PyWake)."""
    return _model(spec)(spec, weather.frame, operating_year)


def _model(spec: SiteSpec):
    if isinstance(spec, SolarSite):
        return simulate_solar
    if isinstance(spec, WindSite):
        return simulate_wind
    raise InputError(
        f"site '{spec.id}' is a {spec.kind} site: it has no weather-driven production model; "
        "yield works on solar and wind sites (a battery's use comes from the dispatch)"
    )


def site_weather(spec: SiteSpec, year: int, weather_file: Path | None = None, weather_format: str = "canonical"):
    """The site's weather for a calendar year: its own ``weather:`` source or a file given instead."""
    if weather_file is not None:
        source = FileWeather(source="file", path=Path(weather_file).resolve(), format=weather_format)
    else:
        source = getattr(spec, "weather", None)
        if source is None:
            raise InputError(f"site '{spec.id}' names no weather source; give one with --weather FILE")
    return load_weather(source, spec.location, year)


def run_site(
    spec: SiteSpec,
    *,
    operating_year: int = 1,
    weather_file: Path | None = None,
    weather_format: str = "canonical",
) -> SiteRun:
    """Weather and production of one site for one operating year.

    The weather is laid onto the calendar year ``commissioning_year + operating_year - 1``.
    Warnings from the weather and the models are collected in ``SiteRun.warnings`` for the
    caller to show (the CLI prints them; the report's manifest lists them).
    """
    _model(spec)  # refuse a battery before reading any weather
    year = spec.commissioning_year + operating_year - 1
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        weather = site_weather(spec, year, weather_file, weather_format)
        production = simulate_site(spec, weather, operating_year)
    ours = [str(w.message) for w in caught if _PACKAGE_DIR in Path(w.filename).resolve().parents]
    messages = list(weather.meta.warnings) + ours
    return SiteRun(spec, weather, production, tuple(dict.fromkeys(messages)))
