"""One site's weather and production: the site-level step of a portfolio run.

A :class:`SiteRun` is a site's weather and production in one calendar year, with every warning
raised on the way; :func:`weather_years_production` is the net output of a portfolio's new
generating sites over several correlated weather years (P50/P90 runs). Both may come from a
:class:`ProductionCache` (scenario sweeps). No file is read here except through the weather
layer's readers.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from ..config import FileWeather, Portfolio, SiteSpec, SolarSite, WindSite
from ..config.load import display_path
from ..config.site import WEATHER_FORMATS
from ..dispatch import DispatchInputs, DispatchResult
from ..errors import InputError, Problem, WeatherError
from ..production.result import SiteProduction
from ..production.solar import required_weather_columns, simulate_solar
from ..production.wind import simulate_wind
from ..weather import WeatherData, load_weather, load_weather_years
from ..weather.load import SiteUse, check_weather_file, check_weather_path
from ..weather.qc import QCReport

__all__ = [
    "ProductionCache",
    "SiteRun",
    "WeatherYearsProduction",
    "about_site",
    "naming_config_files",
    "site_config_files",
    "check_weather_for_site",
    "operating_year_in",
    "run_site",
    "run_site_in_year",
    "simulate_site",
    "site_weather",
    "site_weather_problems",
    "weather_use",
    "weather_years_production",
]

_PACKAGE_DIR = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class SiteRun:
    """One site's weather and production, with every warning raised on the way."""

    spec: SiteSpec
    weather: WeatherData
    production: SiteProduction
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def corrections(self) -> tuple[str, ...]:
        """The corrections made to the site's weather (``weather.meta.corrections``), each naming the site."""
        return tuple(about_site(self.spec.id, c) for c in self.weather.meta.corrections)


def about_site(site_id: str, message: str, config_file: str | None = None) -> str:
    """``message`` naming the site ``site 'id'`` (the weather layer's messages name the file, not every one the site).

    A message that names the site already keeps its words; one that starts with the bare id
    (``id: ...``) gets the id as ``site 'id'``. With ``config_file`` (the site's config as
    shown to the user) the site is named ``site 'id' (config_file)``.
    """
    label = f"site '{site_id}'"
    named = label if config_file is None else f"{label} ({config_file})"
    if named in message:
        return message
    if label in message:
        return message.replace(label, named, 1)
    if message.startswith(f"{site_id}: "):
        return f"{named}: {message[len(site_id) + 2:]}"
    return f"{named}: {message}"


def naming_config_files(messages: Iterable[str], config_files: Mapping[str, str]) -> tuple[str, ...]:
    """``messages`` with the config file of the site each names (``site 'id'``) after the site.

    Applied where a run gathers its messages rather than where a site's run makes them, so that
    a site run stored in a production cache stays true whichever file names the same site.
    """
    out = []
    for message in messages:
        site_id = next((s for s in config_files if f"site '{s}'" in message), None)
        out.append(message if site_id is None else about_site(site_id, message, config_files[site_id]))
    return tuple(out)


def site_config_files(portfolio: Portfolio) -> dict[str, str]:
    """Site id -> its config file as shown to the user, for the portfolio's sites and the grid's reference sites."""
    files = {
        spec.id: display_path(entry.file) for entry, spec in zip(portfolio.spec.sites, portfolio.sites, strict=True)
    }
    for unit in portfolio.grid.existing_renewables:
        spec = portfolio.reference_sites.get(unit.id)
        if spec is not None:
            files.setdefault(spec.id, display_path(unit.profile.site))
    return files


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


def weather_use(spec: SiteSpec, year: int, accepted_distance_km: float | None = None) -> SiteUse:
    """What the site's production model asks of its weather in calendar ``year``.

    ``accepted_distance_km`` is the distance its weather source states (``weather.accepted_distance_km``,
    or ``--accept-distance-km`` with a file given instead).
    """
    return SiteUse(
        site=spec.id,
        location=spec.location,
        year=year,
        columns=required_weather_columns(spec) if isinstance(spec, SolarSite) else (),
        hub_height_m=spec.hub_height_m if isinstance(spec, WindSite) else None,
        accepted_distance_km=accepted_distance_km,
    )


def _file_source(
    spec: SiteSpec, weather_file: Path, weather_format: str, accepted_distance_km: float | None
) -> FileWeather:
    """A weather file given instead of the site's own, checked before the spec is built.

    The site's ``weather.accepted_distance_km`` applies when the file is the site's own weather
    file and no other distance is given: the config states it for that file.
    """
    check_weather_path(weather_file)
    own = getattr(spec, "weather", None)
    if accepted_distance_km is None and isinstance(own, FileWeather) and own.path == Path(weather_file).resolve():
        accepted_distance_km = own.accepted_distance_km
    if weather_format not in WEATHER_FORMATS:
        raise WeatherError(
            f"{weather_file}: weather format {weather_format!r}; expected one of {', '.join(WEATHER_FORMATS)}"
        )
    if accepted_distance_km is not None and not accepted_distance_km > 0:
        raise InputError(f"accepted distance {accepted_distance_km:g} km; expected a distance above 0 km")
    return FileWeather(
        source="file",
        path=Path(weather_file).resolve(),
        format=weather_format,
        accepted_distance_km=accepted_distance_km,
    )


def site_weather(
    spec: SiteSpec,
    year: int,
    weather_file: Path | None = None,
    weather_format: str = "canonical",
    accepted_distance_km: float | None = None,
):
    """The site's weather for a calendar year: its own ``weather:`` source or a file given instead.

    A file given instead is accepted within ``weather.load.NEARBY_KM`` of the site, or within
    ``accepted_distance_km``; the site's own source states its accepted distance itself.
    """
    if weather_file is not None:
        source = _file_source(spec, weather_file, weather_format, accepted_distance_km)
    else:
        source = getattr(spec, "weather", None)
        if source is None:
            raise InputError(f"site '{spec.id}' names no weather source; give one with --weather FILE")
    use = weather_use(spec, year, source.accepted_distance_km)
    return load_weather(source, spec.location, year, use.hub_height_m, site=spec.id, columns=use.columns)


def check_weather_for_site(
    spec: SiteSpec,
    weather_file: Path,
    weather_format: str = "canonical",
    accepted_distance_km: float | None = None,
    operating_year: int = 1,
) -> tuple[WeatherData | None, QCReport]:
    """Every check a run of ``spec`` makes of a weather file, as a report (``weather check --site``).

    The same function as the run's (``weather.check_weather_file`` with the site's
    :class:`~energy_portfolio.weather.load.SiteUse`), so the two give the same verdict.
    """
    _model(spec)
    source = _file_source(spec, weather_file, weather_format, accepted_distance_km)
    year = spec.commissioning_year + operating_year - 1
    return check_weather_file(source.path, source.format, site=weather_use(spec, year, source.accepted_distance_km))


def site_weather_problems(site_years: Sequence[tuple[SiteSpec, int]]) -> list[Problem]:
    """What stops a run at the weather of each solar or wind site, found as the run finds it.

    Each site's weather source is loaded for its calendar year with :func:`site_weather`, the
    run's own path (the file read and checked, or the year generated from a climatology, then the
    site's rules: columns, hub height, distance, calendar, solar noon), so ``validate`` and the run
    give the same verdict. Other sites (storage) are skipped.

    Parameters
    ----------
    site_years : sequence of (SiteSpec, int)
        Each site and the calendar year a run lays its weather onto.

    Returns
    -------
    list of Problem
        Every problem of every site's weather (empty when all are usable).
    """
    problems: list[Problem] = []
    for spec, year in site_years:
        if not isinstance(spec, SolarSite | WindSite):
            continue
        try:
            site_weather(spec, year)
        except InputError as exc:
            problems += exc.problems or [Problem(f"site '{spec.id}'", str(exc))]
    return problems


def run_site(
    spec: SiteSpec,
    *,
    operating_year: int = 1,
    weather_file: Path | None = None,
    weather_format: str = "canonical",
    accepted_distance_km: float | None = None,
) -> SiteRun:
    """Weather and production of one site for one operating year.

    The weather is laid onto the calendar year ``commissioning_year + operating_year - 1``.
    Warnings from the weather and the models are collected in ``SiteRun.warnings`` for the
    caller to show (the CLI prints them; the report's manifest lists them). A weather file given
    instead of the site's own is accepted up to ``accepted_distance_km`` from the site.
    """
    _model(spec)  # refuse a battery before reading any weather
    if not 1 <= operating_year <= spec.lifetime_years:
        raise InputError(
            f"site '{spec.id}': operating year {operating_year} is outside its life; expected 1 to "
            f"lifetime_years = {spec.lifetime_years}"
        )
    year = spec.commissioning_year + operating_year - 1
    return _site_run(spec, year, operating_year, weather_file, weather_format, accepted_distance_km)


def _site_run(
    spec: SiteSpec,
    year: int,
    operating_year: int,
    weather_file: Path | None = None,
    weather_format: str = "canonical",
    accepted_distance_km: float | None = None,
) -> SiteRun:
    """Weather of calendar ``year`` and production in ``operating_year``, with our own warnings collected."""

    def compute() -> tuple[WeatherData, SiteProduction]:
        weather = site_weather(spec, year, weather_file, weather_format, accepted_distance_km)
        return weather, simulate_site(spec, weather, operating_year)

    (weather, production), ours = _with_our_warnings(compute)
    messages = [about_site(spec.id, m) for m in list(weather.meta.warnings) + ours]
    return SiteRun(spec, weather, production, tuple(dict.fromkeys(messages)))


def _with_our_warnings(compute: Callable[[], Any]) -> tuple[Any, list[str]]:
    """``compute()`` and the messages of the warnings our own package raised during it (not re-raised)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = compute()
    return value, [str(w.message) for w in caught if _PACKAGE_DIR in Path(w.filename).resolve().parents]


# --------------------------------------------------------------------------------------
# The whole portfolio: production of every site, dispatch with and without it, economics.
# --------------------------------------------------------------------------------------



def operating_year_in(spec: SiteSpec, study_year: int) -> int:
    """Year of operation of a site in the study year (1 = commissioning year; at least 1)."""
    return max(1, study_year - spec.commissioning_year + 1)


@dataclass(frozen=True)
class WeatherYearsProduction:
    """Net output of each new generating site in each of ``n_years`` weather years.

    Only what the weather-years dispatch and the P-values need (no weather frames, no loss
    waterfalls), so that a cache entry stays small.

    Attributes
    ----------
    net_mw : dict
        Site id -> one hourly series of net AC power per weather year [MW].
    energy_mwh : dict
        Site id -> one annual net energy per weather year [MWh].
    warnings : tuple of str
        Warnings of the weather and of the production models, in the order raised.
    """

    net_mw: dict[str, list[pd.Series]]
    energy_mwh: dict[str, list[float]]
    warnings: tuple[str, ...]


def weather_years_production(sites: Sequence[SiteSpec], year: int, n_years: int) -> WeatherYearsProduction:
    """Production of solar and wind ``sites`` in ``n_years`` distinct weather years laid on calendar ``year``.

    Each site's ``weather_years`` source (default its ``weather``) gives the years; synthetic
    sources of all ``sites`` are generated together so their weather stays correlated: a site's
    year ``i`` depends on the sources and locations of every site given, not on its own alone.
    Each site runs in its operating year of ``year``.
    """
    sources = {s.id: s.weather_years or s.weather for s in sites}
    weather = load_weather_years(sources, {s.id: s.location for s in sites}, [year] * n_years)
    net_mw: dict[str, list[pd.Series]] = {s.id: [] for s in sites}
    energy_mwh: dict[str, list[float]] = {s.id: [] for s in sites}
    notes: list[str] = []
    for i in range(n_years):
        for site in sites:
            data = weather[site.id][i]
            production, ours = _with_our_warnings(
                lambda site=site, data=data: simulate_site(site, data, operating_year_in(site, year))
            )
            notes.extend(about_site(site.id, m) for m in list(data.meta.warnings) + ours)
            net_mw[site.id].append(production.net_mw)
            energy_mwh[site.id].append(production.annual_energy_mwh)
    return WeatherYearsProduction(net_mw, energy_mwh, tuple(notes))


class ProductionCache(Protocol):
    """Where a run may find production computed before (scenario sweeps).

    ``site_run`` returns the stored :class:`SiteRun` of ``spec`` in calendar ``year`` when it
    has one, else calls ``compute()``, stores and returns its result. ``weather_years`` does
    the same for the :class:`WeatherYearsProduction` of the generating sites ``specs`` (all of
    a portfolio's, in its order: their weather years are correlated) in ``n_years`` weather
    years of calendar ``year``. ``dispatch`` does the same for the dispatch of ``inputs`` (the
    system without the portfolio, which every scenario of a sweep over the new sites shares).
    """

    def site_run(self, spec: SiteSpec, year: int, compute: Callable[[], SiteRun]) -> SiteRun: ...

    def dispatch(self, inputs: DispatchInputs, compute: Callable[[], DispatchResult]) -> DispatchResult: ...

    def weather_years(
        self,
        specs: Sequence[SiteSpec],
        year: int,
        n_years: int,
        compute: Callable[[], WeatherYearsProduction],
    ) -> WeatherYearsProduction: ...


def run_site_in_year(spec: SiteSpec, year: int, production_cache: ProductionCache | None = None) -> SiteRun:
    """Weather and production of a site in calendar ``year``, as a portfolio run of that study year makes them."""
    operating_year = operating_year_in(spec, year)
    if production_cache is not None:
        return production_cache.site_run(spec, year, lambda: _site_run(spec, year, operating_year))
    return _site_run(spec, year, operating_year)

