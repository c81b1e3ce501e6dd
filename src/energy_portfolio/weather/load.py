"""The weather layer's entry points: a site's hourly weather for a study year, or many years.

``load_weather`` reads a file (any format of ``WEATHER_FORMATS``) or generates the typical
year of a climatology, checks it, and lays it onto the study year in the site's time zone.
``load_weather_years`` gives distinct, correlated years of several sites for P50/P90.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..config.climatology import ClimatologySpec
from ..config.load import display_path, read_config
from ..config.site import FileWeather, Location, SyntheticWeather
from ..errors import ConfigError, Problem, WeatherError
from .calendar import to_study_year
from .data import WeatherData, WeatherMeta
from .generator import SiteRequest, generate_year
from .qc import Finding, QCReport, check_hub_height, check_weather

__all__ = [
    "READER_MODULES",
    "read_weather_file",
    "check_weather_file",
    "load_climatology",
    "synthesize",
    "load_weather",
    "load_weather_years",
]

READER_MODULES = {
    "canonical": "canonical",
    "epw": "epw",
    "pvgis_csv": "pvgis",
    "pvgis_json": "pvgis",
    "tmy3": "tmy3",
    "era5_csv": "era5",
    "era5_netcdf": "era5",
    "windpowerlib_csv": "windpowerlib_csv",
    "plain_csv": "plain_csv",
}
"""Format name (as in config ``weather.format``) -> reader module in this package."""

NEARBY_KM = 50.0
"""Weather further than this from the site is reported in the warnings."""


def read_weather_file(path: Path | str, format: str = "canonical") -> tuple[WeatherData, list[Finding]]:
    """Read a weather file into the canonical frame, converting the format's conventions.

    Parameters
    ----------
    path : path-like
    format : str
        One of ``READER_MODULES``.

    Returns
    -------
    data : WeatherData
        Index labelled at interval start, time-zone aware, in the file's own calendar.
    findings : list of Finding
        Format-specific quality findings (e.g. TMY months from different years).
    """
    if format not in READER_MODULES:
        raise WeatherError(f"{path}: unknown weather format {format!r}; expected one of {', '.join(READER_MODULES)}")
    file = display_path(path)
    if not Path(path).is_file():
        raise WeatherError(f"{file}: file not found")
    module = importlib.import_module(f".{READER_MODULES[format]}", __package__)
    return module.read(Path(path), file, format)


def check_weather_file(
    path: Path | str, format: str = "canonical", hub_height_m: float | None = None
) -> tuple[WeatherData, QCReport]:
    """Read a file and run every quality check; never raises for bad data (see the report)."""
    data, findings = read_weather_file(path, format)
    report = check_weather(data.frame, data.meta, display_path(path), hub_height_m)
    report = QCReport(report.frame, tuple(findings) + report.findings)
    meta = data.meta.with_notes(report.notes("correction"), report.notes("warning"))
    return WeatherData(report.frame, meta), report


def load_climatology(path: Path | str) -> ClimatologySpec:
    """Read a ``kind: climatology`` file (ConfigError on a bad file)."""
    return read_config(path, ("climatology",)).spec  # type: ignore[return-value]


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    return float(2 * 6371.0 * np.arcsin(np.sqrt(a)))


def _distance_warning(meta: WeatherMeta | Location, location: Location, what: str) -> list[str]:
    km = _distance_km(meta.latitude, meta.longitude, location.latitude, location.longitude)
    if np.isnan(km):
        return [f"{what}: the file names no location; make sure it is the site's weather"]
    if km <= NEARBY_KM:
        return []
    return [
        f"{what}: the weather is for {meta.latitude:g} N {meta.longitude:g} E, {km:.0f} km from the site "
        f"({location.latitude:g} N {location.longitude:g} E)"
    ]


def _synthetic_meta(path: Path, clim: ClimatologySpec, location: Location, seed: int, realisation: int) -> WeatherMeta:
    kind = "typical year" if realisation == 0 else f"year {realisation}"
    return WeatherMeta(
        latitude=location.latitude,
        longitude=location.longitude,
        elevation_m=location.elevation_m,
        timezone=location.timezone,
        source=(
            f"synthetic {kind} from climatology {path.name} ({clim.name}), seed {seed}, "
            "energy_portfolio.weather.generator (Markov daily Kt, TAG hourly, pvlib Ineichen, "
            f"{clim.solar.decomposition} decomposition)"
        ),
        original_convention="generated in local time, interval start",
    )


def synthesize(
    climatology: Path | str,
    seed: int,
    year: int,
    location: Location | None = None,
    realisation: int = 0,
) -> WeatherData:
    """One generated year of one site.

    Parameters
    ----------
    climatology : path-like
        A ``kind: climatology`` file.
    seed : int
        Seed of both the regional and the site's own random stream.
    year : int
        Calendar year of the index.
    location : Location, optional
        Where to generate (default: the climatology's location).
    realisation : int
        0 for the typical year, 1, 2, ... for distinct years.
    """
    path = Path(climatology)
    clim = load_climatology(path)
    location = location or clim.location
    frame = generate_year([SiteRequest("site", clim, location, seed)], year, realisation, seed)["site"]
    meta = _synthetic_meta(path, clim, location, seed, realisation)
    return WeatherData(frame, meta.with_notes(warnings=_distance_warning(clim.location, location, "climatology")))


@lru_cache(maxsize=16)
def _checked_file(path: Path, format: str, modified_ns: int, size: int) -> tuple[WeatherData, QCReport]:
    """Read and check a file once per content version (several sites often share one file)."""
    return check_weather_file(path, format)


def _from_file(source: FileWeather, location: Location, year: int) -> WeatherData:
    stat = Path(source.path).stat()
    data, report = _checked_file(Path(source.path), source.format, stat.st_mtime_ns, stat.st_size)
    report.raise_if_unusable()
    file = display_path(source.path)
    frame, corrections = to_study_year(data.frame, location.timezone, year, file)
    meta = data.meta.with_notes(corrections, _distance_warning(data.meta, location, file), timezone=location.timezone)
    return WeatherData(frame, meta)


def load_weather(
    source: FileWeather | SyntheticWeather, location: Location, year: int, hub_height_m: float | None = None
) -> WeatherData:
    """A site's hourly weather for one study year.

    Parameters
    ----------
    source : FileWeather or SyntheticWeather
        The ``weather:`` block of a site or demand config.
    location : Location
        The site; its time zone is the index's.
    year : int
        Study year; a typical or generated year is laid onto it, 29 February kept in leap years.
    hub_height_m : float, optional
        A wind site's hub height [m]: a warning is added when no wind column is near it.

    Returns
    -------
    WeatherData
        Canonical frame indexed by ``hourly_year(year, location.timezone)``.

    Raises
    ------
    WeatherError
        The file is unusable; the message lists every quality error.
    """
    if isinstance(source, FileWeather):
        data = _from_file(source, location, year)
        what = display_path(source.path)
    else:
        data = synthesize(source.climatology, source.seed, year, location, realisation=0)
        what = display_path(source.climatology)
    if hub_height_m is None:
        return data
    findings = check_hub_height(data.frame, hub_height_m, what)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise WeatherError(problems=[Problem(f.file, f.message, field=f.column) for f in errors])
    return WeatherData(data.frame, data.meta.with_notes(warnings=[str(f).split(" ", 1)[1] for f in findings]))


def load_weather_years(
    sources_by_site: Mapping[str, FileWeather | SyntheticWeather],
    locations: Mapping[str, Location],
    years: Sequence[int],
    group_seed: int | None = None,
) -> dict[str, list[WeatherData]]:
    """Distinct weather years of several sites, generated together so their weather correlates.

    Synthetic sources give realisations 1, 2, ... (not the typical year) laid onto ``years``,
    with the interannual spread of their climatologies and a shared regional random stream
    seeded by ``group_seed`` (default: the seed of the first synthetic source). A file source
    holds one year only: it is repeated, with a warning that it carries no year-to-year spread.

    Parameters
    ----------
    sources_by_site : mapping
        Site id -> weather source.
    locations : mapping
        Site id -> location.
    years : sequence of int
        Calendar years, one realisation each.
    group_seed : int, optional

    Returns
    -------
    dict
        Site id -> list of WeatherData, one per year.
    """
    synthetic = {k: s for k, s in sources_by_site.items() if isinstance(s, SyntheticWeather)}
    if group_seed is None and synthetic:
        group_seed = next(iter(synthetic.values())).seed
    requests = []
    for key, source in synthetic.items():
        try:
            clim = load_climatology(source.climatology)
        except ConfigError as exc:
            raise WeatherError(str(exc)) from None
        requests.append((SiteRequest(key, clim, locations[key], source.seed), Path(source.climatology)))
    out: dict[str, list[WeatherData]] = {key: [] for key in sources_by_site}
    for i, year in enumerate(years):
        frames = generate_year([r for r, _ in requests], year, i + 1, group_seed or 0) if requests else {}
        for request, path in requests:
            meta = _synthetic_meta(path, request.climatology, request.location, request.seed, i + 1)
            out[request.name].append(WeatherData(frames[request.name], meta))
    for key, source in sources_by_site.items():
        if isinstance(source, FileWeather):
            for year in years:
                data = _from_file(source, locations[key], year)
                note = (
                    f"{display_path(source.path)}: one weather year repeated for {len(years)} years; "
                    "no year-to-year spread"
                )
                out[key].append(WeatherData(data.frame, data.meta.with_notes(warnings=[note])))
    return out
