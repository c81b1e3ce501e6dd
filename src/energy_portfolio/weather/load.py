"""The weather layer's entry points: a site's hourly weather for a study year, or many years.

``load_weather`` reads a file (any format of ``WEATHER_FORMATS``) or generates the typical
year of a climatology, checks it, and lays it onto the study year in the site's time zone.
``load_weather_years`` gives distinct, correlated years of several sites for P50/P90.

``check_weather_file`` is the one place where a file's weather is judged: the file's own
checks (``qc.check_weather``) and, given a :class:`SiteUse`, the rules of the site that uses
it (the columns its model needs, the hub height, the distance from the site, the calendar of
the study year, solar noon at the site). A run calls it and raises on an error, and
``energy-portfolio weather check FILE --site SITE`` prints it, so both reach the same verdict.
"""

from __future__ import annotations

import importlib
import stat as stat_module
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..config.climatology import ClimatologySpec
from ..config.load import display_path, read_config
from ..config.site import FileWeather, Location, SyntheticWeather
from ..errors import ConfigError, WeatherError
from .calendar import to_study_year
from .data import WeatherData, WeatherMeta
from .generator import SiteRequest, generate_year
from .qc import (
    Finding,
    QCReport,
    check_hub_height,
    check_weather,
    minute_findings,
    minutes_past_the_hour,
    site_label_findings,
)

__all__ = [
    "NEARBY_KM",
    "READER_MODULES",
    "SiteUse",
    "check_site_weather",
    "check_weather_path",
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
"""Weather further than this from the site is refused unless the site's weather source states the
distance it accepts (``accepted_distance_km``) [km]. Gridded sources place a site within half a
cell of its grid point (ERA5: 0.25 deg, about 28 km; satellite irradiance: a few km), and solar
time moves by 4 min per degree of longitude (85 km at 40 N): weather from further away is
another place's, which a config may choose as a proxy but must say so."""


@dataclass(frozen=True)
class SiteUse:
    """What a site asks of its weather beyond the file's own checks.

    Attributes
    ----------
    site : str or None
        Site id, for the messages (None: "the site").
    location : Location
        Where the site is; its time zone is the study axis.
    year : int
        Calendar year the weather is laid onto.
    columns : tuple of str
        Columns the site's production model needs.
    hub_height_m : float or None
        A wind site's hub height [m].
    accepted_distance_km : float or None
        The distance from the site the config accepts for this weather [km]; None: ``NEARBY_KM``.
    """

    site: str | None
    location: Location
    year: int
    columns: tuple[str, ...] = ()
    hub_height_m: float | None = None
    accepted_distance_km: float | None = None

    @property
    def label(self) -> str:
        """The site in messages: "site 'fuzuli_solar'" or "the site"."""
        return "the site" if self.site is None else f"site '{self.site}'"


def check_weather_path(path: Path | str) -> Path:
    """The path of a weather file, refused (``WeatherError``) unless it is an existing regular file."""
    file = display_path(path)
    try:
        mode = Path(path).stat().st_mode
    except FileNotFoundError:
        raise WeatherError(f"{file}: file not found") from None
    except OSError as exc:
        raise WeatherError(f"{file}: cannot read the file ({exc.strerror or exc})") from None
    if not stat_module.S_ISREG(mode):
        kind = (
            "a directory"
            if stat_module.S_ISDIR(mode)
            else "a device"
            if stat_module.S_ISCHR(mode) or stat_module.S_ISBLK(mode)
            else "a pipe"
            if stat_module.S_ISFIFO(mode)
            else "not a regular file"
        )
        raise WeatherError(f"{file}: {kind}; expected a weather file (a regular file of one of the weather formats)")
    return Path(path)


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

    Raises
    ------
    WeatherError
        Not a regular file, an unknown format, or a file its reader cannot read (every
        structural problem the reader finds, at once).
    """
    if format not in READER_MODULES:
        raise WeatherError(f"{path}: unknown weather format {format!r}; expected one of {', '.join(READER_MODULES)}")
    file = display_path(path)
    check_weather_path(path)
    module = importlib.import_module(f".{READER_MODULES[format]}", __package__)
    return module.read(Path(path), file, format)


def _strip_file(message: str, file: str) -> str:
    for prefix in (f"{file}: ", f"{file}, "):
        if message.startswith(prefix):
            return message[len(prefix):]
    return message


def _reader_findings(exc: WeatherError, file: str) -> list[Finding]:
    """A reader's structural problems as error findings."""
    if exc.problems:
        return [Finding("error", p.file, p.field, p.message, p.line) for p in exc.problems]
    return [Finding("error", file, None, _strip_file(str(exc), file))]


def _check_file(path: Path, format: str) -> tuple[WeatherData | None, QCReport]:
    file = display_path(path)
    try:
        data, findings = read_weather_file(path, format)
    except WeatherError as exc:
        return None, QCReport(pd.DataFrame(), tuple(_reader_findings(exc, file)))
    report = check_weather(data.frame, data.meta, file)
    report = QCReport(report.frame, tuple(findings) + report.findings)
    meta = data.meta.with_notes(report.notes("correction"), report.notes("warning"))
    return WeatherData(report.frame, meta), report


@lru_cache(maxsize=16)
def _checked_file(path: Path, format: str, modified_ns: int, size: int) -> tuple[WeatherData | None, QCReport]:
    """Read and check a file once per content version (several sites often share one file)."""
    return _check_file(path, format)


def check_weather_file(
    path: Path | str, format: str = "canonical", hub_height_m: float | None = None, site: SiteUse | None = None
) -> tuple[WeatherData | None, QCReport]:
    """Read a file and run every check; never raises for bad data (see the report).

    Parameters
    ----------
    path : path-like
    format : str
        One of ``READER_MODULES``.
    hub_height_m : float, optional
        Compare the wind heights with this hub height [m] (a ``site`` brings its own).
    site : SiteUse, optional
        Apply the site's rules too (``check_site_weather``) and lay the data onto its study year.

    Returns
    -------
    data : WeatherData or None
        The corrected data (on the site's study year with ``site``); None when the reader could not
        read the file (the report says why).
    report : QCReport
        Every finding of the reader, the file's checks and the site's rules.

    Raises
    ------
    WeatherError
        Only when there is no regular file to read, or the format is unknown.
    """
    if format not in READER_MODULES:
        raise WeatherError(f"{path}: unknown weather format {format!r}; expected one of {', '.join(READER_MODULES)}")
    check_weather_path(path)
    file = display_path(path)
    stat = Path(path).stat()
    data, report = _checked_file(Path(path).resolve(), format, stat.st_mtime_ns, stat.st_size)
    if hub_height_m is not None and data is not None:
        extra = check_hub_height(data.frame, hub_height_m, file)
        report = QCReport(report.frame, report.findings + tuple(extra))
        data = WeatherData(data.frame, data.meta.with_notes(warnings=_notes(extra, "warning")))
    if data is None:
        return data, report
    if site is None:
        extra = minute_findings(data.frame.index, file) if report.usable else []
        report = QCReport(report.frame, report.findings + tuple(extra))
        return WeatherData(data.frame, data.meta.with_notes(warnings=_notes(extra, "warning"))), report
    return _with_site(data, report, site, file)


def _notes(findings: Sequence[Finding], severity: str) -> tuple[str, ...]:
    return tuple(str(f).split(" ", 1)[1] for f in findings if f.severity == severity)


def _with_site(data: WeatherData, report: QCReport, site: SiteUse, file: str) -> tuple[WeatherData | None, QCReport]:
    laid, findings, notes = check_site_weather(data, site, file, lay=report.usable)
    report = QCReport(report.frame if laid is None else laid.frame, report.findings + tuple(findings))
    if laid is None:
        return None, report
    meta = laid.meta.with_notes(_notes(findings, "correction"), _notes(findings, "warning"), notes)
    return WeatherData(laid.frame, meta), report


def check_site_weather(
    data: WeatherData, site: SiteUse, file: str, lay: bool = True, origin: Location | None = None
) -> tuple[WeatherData | None, list[Finding], list[str]]:
    """The rules a site applies to weather that passed the file's own checks.

    The columns its model needs; wind near the hub height; the distance from the site (refused
    beyond ``site.accepted_distance_km``, or ``NEARBY_KM`` when the config states none);
    labels off the full hour of the site's time zone (moved to it, with a correction and a
    warning); the calendar of the study year (``calendar.to_study_year``); the irradiance
    centred on the site's solar noon once on the site's hours.

    Parameters
    ----------
    data : WeatherData
        The file's data (any calendar), or a generated year already on the study year.
    site : SiteUse
    file : str
        Name of the file (or climatology), for the messages.
    lay : bool
        Lay the data onto the study year (False when the data are unusable anyway, or generated on it).
    origin : Location, optional
        Where the weather is from, when not ``data.meta``'s location (a climatology's).

    Returns
    -------
    data : WeatherData or None
        On the study year in the site's time zone; None when not laid.
    findings : list of Finding
    notes : list of str
        Facts for the manifest (an accepted distance).
    """
    findings: list[Finding] = []
    frame = data.frame
    missing = [c for c in site.columns if c not in frame.columns]
    if missing:
        findings.append(
            Finding(
                "error",
                file,
                ", ".join(missing),
                f"no {' or '.join(missing)} column; {site.label} needs {', '.join(site.columns)} "
                f"(found {', '.join(map(str, frame.columns)) or 'no columns'})",
            )
        )
    if site.hub_height_m is not None:
        findings += check_hub_height(frame, site.hub_height_m, file)
    distance, notes = _distance_findings(origin or data.meta, site, file)
    findings += distance
    if not lay:
        return None, findings, notes
    minutes = minutes_past_the_hour(frame.index.tz_convert(site.location.timezone))
    if minutes:
        frame = frame.set_axis(frame.index - pd.Timedelta(minutes=minutes))
        findings += _minute_findings(minutes, site, file)
    try:
        laid, corrections = to_study_year(frame, site.location.timezone, site.year, file)
    except WeatherError as exc:
        return None, findings + _reader_findings(exc, file), notes
    findings += [Finding("correction", file, None, _strip_file(c, file)) for c in corrections]
    findings += site_label_findings(laid, site.location.longitude, site.label, file)
    meta = data.meta.with_notes(timezone=site.location.timezone)
    return WeatherData(laid, meta), findings, notes


def _minute_findings(minutes: float, site: SiteUse, file: str) -> list[Finding]:
    zone = site.location.timezone
    return [
        Finding(
            "correction",
            file,
            "time",
            f"labels {minutes:g} min past the hour of {zone} moved {minutes:g} min earlier to the full hour, reading "
            "each as the middle of its hour",
        ),
        Finding(
            "warning",
            file,
            "time",
            f"{site.label}: timestamps {minutes:g} min past the hour were moved {minutes:g} min earlier to the "
            f"hours of {zone} (read as interval midpoints); if they mark the start of each interval, this weather "
            f"runs {minutes:g} min early: check the source's time convention",
        ),
    ]


def load_climatology(path: Path | str) -> ClimatologySpec:
    """Read a ``kind: climatology`` file (ConfigError on a bad file)."""
    return read_config(path, ("climatology",)).spec  # type: ignore[return-value]


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    return float(2 * 6371.0 * np.arcsin(np.sqrt(a)))


def _where(latitude: float, longitude: float) -> str:
    return f"{abs(latitude):g} {'N' if latitude >= 0 else 'S'} {abs(longitude):g} {'E' if longitude >= 0 else 'W'}"


def _distance_findings(meta: WeatherMeta | Location, site: SiteUse, file: str) -> tuple[list[Finding], list[str]]:
    """Weather beyond the accepted distance is refused; an accepted proxy's distance is a note."""
    location = site.location
    km = _distance_km(meta.latitude, meta.longitude, location.latitude, location.longitude)
    if np.isnan(km):
        return [Finding("warning", file, None, f"the file names no location; make sure it is the weather of "
                        f"{site.label}")], []
    accepted = site.accepted_distance_km
    limit = NEARBY_KM if accepted is None else max(accepted, NEARBY_KM)
    where = (
        f"the weather is for {_where(meta.latitude, meta.longitude)}, {km:.0f} km from {site.label} "
        f"({_where(location.latitude, location.longitude)})"
    )
    if km <= NEARBY_KM:
        return [], []
    if km <= limit:
        return [], [f"{file}: {where}, within the {accepted:g} km its config accepts (weather.accepted_distance_km)"]
    if accepted is None:
        reason = (
            f"expected weather within {NEARBY_KM:g} km of the site (beyond the nearest grid point of gridded sources "
            "such as ERA5): this is another place's weather; if it is meant as a proxy, state the distance in the "
            f"site's weather block, e.g. accepted_distance_km: {np.ceil(km / 10) * 10:.0f} (or yield "
            "--accept-distance-km), with a comment saying why"
        )
    else:
        reason = (
            f"more than the {accepted:g} km the config accepts (weather.accepted_distance_km); expected the weather "
            "the config meant: check the file and the site's location"
        )
    return [Finding("error", file, None, f"{where}; {reason}")], []


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
        irradiance_kind="synthetic_climatology",
        wind_kind="synthetic_climatology",
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
    data = _generate(path, clim, seed, year, location or clim.location, realisation)
    if location is None:
        return data
    refused, notes = _distance_findings(clim.location, SiteUse(None, location, year), "climatology")
    return WeatherData(data.frame, data.meta.with_notes(warnings=[f.message for f in refused], notes=notes))


def _generate(path: Path, clim: ClimatologySpec, seed: int, year: int, location: Location, realisation: int):
    if seed < 0:
        raise WeatherError(f"{display_path(path)}: seed {seed}; expected a whole number of 0 or more")
    if not 1900 <= year <= 2200:
        raise WeatherError(f"{display_path(path)}: year {year}; expected a calendar year between 1900 and 2200")
    frame = generate_year([SiteRequest("site", clim, location, seed)], year, realisation, seed)["site"]
    return WeatherData(frame, _synthetic_meta(path, clim, location, seed, realisation))


def _climatology(path: Path | str) -> ClimatologySpec:
    try:
        return load_climatology(path)
    except ConfigError as exc:
        raise WeatherError(str(exc)) from None


def load_weather(
    source: FileWeather | SyntheticWeather,
    location: Location,
    year: int,
    hub_height_m: float | None = None,
    *,
    site: str | None = None,
    columns: Sequence[str] = (),
) -> WeatherData:
    """A site's hourly weather for one study year, after every check ``check_weather_file`` makes.

    Parameters
    ----------
    source : FileWeather or SyntheticWeather
        The ``weather:`` block of a site or demand config (its ``accepted_distance_km`` applies).
    location : Location
        The site; its time zone is the index's.
    year : int
        Study year; a typical or generated year is laid onto it, 29 February kept in leap years.
    hub_height_m : float, optional
        A wind site's hub height [m]: a warning is added when no wind column is near it.
    site : str, optional
        Site id, for the messages.
    columns : sequence of str
        Columns the site's production model needs (an error names those missing).

    Returns
    -------
    WeatherData
        Canonical frame indexed by ``hourly_year(year, location.timezone)``.

    Raises
    ------
    WeatherError
        The weather is unusable for this site; the message lists every error.
    """
    use = SiteUse(site, location, year, tuple(columns), hub_height_m, source.accepted_distance_km)
    if isinstance(source, FileWeather):
        data, report = check_weather_file(source.path, source.format, site=use)
        report.raise_if_unusable()
        assert data is not None
        if source.data_kind is None:
            return data
        return replace(data, meta=data.meta.with_notes(irradiance_kind=source.data_kind, wind_kind=source.data_kind))
    path = Path(source.climatology)
    clim = _climatology(path)
    data = _generate(path, clim, source.seed, year, location, 0)
    return _checked_synthetic(data, clim, use, display_path(path))


def _checked_synthetic(data: WeatherData, clim: ClimatologySpec, use: SiteUse, file: str) -> WeatherData:
    """A generated year (already on the site's hours) under the site's rules; the distance from its climatology."""
    _, findings, notes = check_site_weather(data, use, file, lay=False, origin=clim.location)
    report = QCReport(data.frame, tuple(findings))
    report.raise_if_unusable()
    return WeatherData(data.frame, data.meta.with_notes(warnings=_notes(findings, "warning"), notes=notes))


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
    notes: dict[str, list[str]] = {}
    for key, source in synthetic.items():
        clim = _climatology(source.climatology)
        use = SiteUse(key, locations[key], years[0], accepted_distance_km=source.accepted_distance_km)
        refused, notes[key] = _distance_findings(clim.location, use, display_path(source.climatology))
        QCReport(pd.DataFrame(), tuple(refused)).raise_if_unusable()
        requests.append((SiteRequest(key, clim, locations[key], source.seed), Path(source.climatology)))
    out: dict[str, list[WeatherData]] = {key: [] for key in sources_by_site}
    for i, year in enumerate(years):
        frames = generate_year([r for r, _ in requests], year, i + 1, group_seed or 0) if requests else {}
        for request, path in requests:
            meta = _synthetic_meta(path, request.climatology, request.location, request.seed, i + 1)
            out[request.name].append(WeatherData(frames[request.name], meta.with_notes(notes=notes[request.name])))
    for key, source in sources_by_site.items():
        if isinstance(source, FileWeather):
            for year in years:
                data = load_weather(source, locations[key], year, site=key)
                note = (
                    f"{display_path(source.path)}: one weather year repeated for {len(years)} years; "
                    "no year-to-year spread"
                )
                out[key].append(WeatherData(data.frame, data.meta.with_notes(warnings=[note])))
    return out
