"""The ``energy-portfolio`` command line: parse, call the API, print; nothing else.

Exit codes (DESIGN.md): 0 success, 2 bad input, 3 infeasible or failed solve,
1 unexpected failure.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import threading
import time
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from . import __version__
from .config.load import display_path, finish_site, load_site
from .config.plausibility import operating_year_problem
from .config.validate import FileCheck, check_file
from .errors import ConfigError, DispatchError, InputError

if TYPE_CHECKING:
    from .portfolio.ranges import HeadlineMetric
    from .sweep import ScenarioSet, Sweep

EXIT_INPUT = 2
EXIT_SOLVE = 3

app = typer.Typer(
    name="energy-portfolio",
    help="Model a portfolio of renewable energy projects and what they do to a national grid.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_out = Console(highlight=False, soft_wrap=True)
_err = Console(stderr=True, highlight=False, soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        _out.print(f"energy-portfolio {__version__}")
        raise typer.Exit()


_log = logging.getLogger(__name__)

LIBRARY_LOGGERS = ("matplotlib", "PIL", "h5py", "numba", "numexpr", "fsspec", "distributed", "dask", "tornado",
                   "bokeh", "asyncio", "urllib3", "requests", "pypsa", "linopy", "highspy", "py_wake", "pvlib",
                   "windpowerlib", "xarray", "netCDF4", "cdsapi")
"""Loggers of the libraries the tool uses, kept at WARNING unless ``--debug-libs`` asks for their debug messages
(matplotlib's font manager alone logs some 220 lines at DEBUG)."""


class _StderrHandler(logging.StreamHandler):
    """A stream handler writing to ``sys.stderr`` as it is when a record comes (a test runner swaps it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:  # StreamHandler.__init__ sets it; the property ignores it
        pass


def configure_logging(verbose: bool, quiet: bool, debug_libraries: bool) -> None:
    """The tool's own log (logger ``energy_portfolio``) on stderr through rich, and the libraries' logs.

    ``--verbose`` shows the tool's stages, timings and decisions (INFO) and details (DEBUG); the
    libraries stay at WARNING (ERROR with ``--quiet``) unless ``--debug-libs`` sets them to DEBUG.
    Safe to call again in one process (each command line of the tests): the handler is replaced.
    """
    from rich.logging import RichHandler

    libraries = logging.DEBUG if debug_libraries else logging.ERROR if quiet else logging.WARNING
    logging.basicConfig(level=libraries, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger().setLevel(libraries)  # basicConfig leaves a root that already has handlers as it is
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(libraries)
    package = logging.getLogger("energy_portfolio")
    package.setLevel(logging.DEBUG if verbose or debug_libraries else libraries)
    if _err.is_terminal:
        handler: logging.Handler = RichHandler(console=_err, show_path=False, markup=False, rich_tracebacks=False,
                                               log_time_format="[%X]")
    else:  # a file or a pipe: one line per record, not padded to a terminal's width
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%H:%M:%S"))
    package.handlers[:] = [handler]
    package.propagate = False  # its records are shown once, by its own handler


@app.callback()
def main(
    ctx: typer.Context,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log the tool's stages, timings and decisions.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only results and errors.")] = False,
    debug_libs: Annotated[
        bool, typer.Option("--debug-libs", help="Also log the debug messages of the libraries (matplotlib, "
                           "dask, PyPSA, ...); implies --verbose.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Model a portfolio of renewable energy projects and what they do to a national grid."""
    configure_logging(verbose, quiet, debug_libs)
    ctx.obj = {"quiet": quiet, "verbose": verbose or debug_libs, "debug_libs": debug_libs}


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Config files (site, grid or portfolio).")],
) -> None:
    """Check config files and the files they name; exit 0 when all are valid, 2 otherwise.

    Warnings (legal but probably unintended values) are printed and do not fail the check.
    """
    failed = 0
    for path in files:
        check = check_file(path)
        if not check.problems and check.kind in ("solar", "wind", "portfolio"):
            check = replace(check, problems=_weather_problems(path, check))
        if check.problems:
            failed += 1
            count = f"{len(check.problems)} problem{'s' if len(check.problems) != 1 else ''}"
            _err.print(f"INVALID {display_path(path)}: {count}", markup=False)
            for problem in check.problems:
                _err.print(str(problem), markup=False)
        else:
            _out.print(f"OK {display_path(path)} ({check.kind})", markup=False)
        for warning in check.warnings:
            _err.print(f"warning: {warning}", markup=False)
    if failed:
        raise typer.Exit(EXIT_INPUT)


def _weather_problems(path: Path, check: FileCheck) -> list:
    """The weather problems a run of this site or portfolio would stop at (``site_weather_problems``),
    with each site's weather laid onto the year the run uses: a site's first operating year, a
    portfolio's study year (of the portfolio ``check_file`` finished, not loaded again)."""
    from .portfolio import plan_run, site_weather_problems

    if check.portfolio is not None:
        plan = plan_run(check.portfolio)
        return site_weather_problems([(s.spec, s.year) for s in plan.site_years])
    spec = load_site(path)
    return site_weather_problems([(spec, spec.commissioning_year)])


weather_app = typer.Typer(
    help="Weather files: make a typical year, convert a real file, check a file, fetch from PVGIS.",
    no_args_is_help=True,
)
app.add_typer(weather_app, name="weather")


@weather_app.command("synth")
def weather_synth(
    climatology: Annotated[Path, typer.Argument(help="A kind: climatology file (see weather/README.md).")],
    seed: Annotated[int, typer.Option(min=0, help="Random seed (0 or more); the same seed gives the same file.")],
    out: Annotated[Path, typer.Option(help="Canonical CSV to write.")],
    year: Annotated[int, typer.Option(min=1900, max=2200, help="Calendar year of the timestamps.")] = 2032,
    years: Annotated[
        int,
        typer.Option(min=1, help="Number of distinct years (1 or more); more than 1 writes OUT_01.csv, OUT_02.csv."),
    ] = 1,
) -> None:
    """Generate a typical year (or N distinct years) offline from a climatology."""
    from .weather import synthesize, write_canonical

    if year + years - 1 > 2200:
        raise InputError(f"--year {year} --years {years} ends in {year + years - 1}; expected years up to 2200")
    if years == 1:
        written = [write_canonical(synthesize(climatology, seed, year), out)]
    else:
        written = [
            write_canonical(
                synthesize(climatology, seed, year + i, realisation=i + 1),
                out.with_name(f"{out.stem}_{i + 1:02d}{out.suffix}"),
            )
            for i in range(years)
        ]
    for path in written:
        _out.print(f"wrote {display_path(path)}", markup=False)


def _print_report(report) -> None:
    for finding in report.findings:
        (_err if finding.severity == "error" else _out).print(str(finding), markup=False)


@weather_app.command("check")
def weather_check(
    file: Annotated[Path, typer.Argument(help="Weather file.")],
    format: Annotated[str, typer.Option(help="File format (see sites/README.md, FileWeather).")] = "canonical",
    hub_height_m: Annotated[
        float | None, typer.Option("--hub-height", help="Compare the wind heights with this hub height [m].")
    ] = None,
    site: Annotated[
        Path | None,
        typer.Option(
            "--site",
            help="A solar or wind site config: apply every rule a run of that site applies (the columns its model "
            "needs, hub height, distance from the site, the calendar of its first operating year, solar noon).",
        ),
    ] = None,
    accept_distance_km: Annotated[
        float | None,
        typer.Option(
            "--accept-distance-km",
            help="With --site: accept weather this far from the site [km] (default: the site's "
            "weather.accepted_distance_km for its own file, else 50 km).",
        ),
    ] = None,
) -> None:
    """Print the full quality report of a weather file; exit 2 when it is unusable.

    With --site, the report is the one a run of that site makes (`yield SITE --weather FILE`), and
    the verdict is the same.
    """
    from .weather import check_weather_file

    if site is not None:
        from .portfolio import check_weather_for_site

        if hub_height_m is not None:
            raise InputError("--hub-height and --site: give one; a wind site's config names its hub height")
        _, report = check_weather_for_site(load_site(site), file, format, accept_distance_km)
    else:
        if accept_distance_km is not None:
            raise InputError("--accept-distance-km needs --site (the distance is measured from a site)")
        _, report = check_weather_file(file, format, hub_height_m)
    _print_report(report)
    counts = {s: sum(f.severity == s for f in report.findings) for s in ("error", "warning", "correction")}
    verdict = "UNUSABLE" if counts["error"] else "OK"
    against = f" for site {display_path(site)}" if site is not None else ""
    _out.print(
        f"{verdict} {display_path(file)}{against}: {counts['error']} errors, {counts['warning']} warnings, "
        f"{counts['correction']} corrections",
        markup=False,
    )
    if counts["error"]:
        raise typer.Exit(EXIT_INPUT)


@weather_app.command("import")
def weather_import(
    file: Annotated[Path, typer.Argument(help="Weather file in a supported format.")],
    format: Annotated[str, typer.Option(help="File format (see sites/README.md, FileWeather).")],
    out: Annotated[Path, typer.Option(help="Canonical CSV to write, e.g. weather/NAME.csv.")],
) -> None:
    """Convert a real weather file into the canonical CSV, with its provenance in the header."""
    from .weather import check_weather_file, write_canonical

    data, report = check_weather_file(file, format)
    _print_report(report)
    report.raise_if_unusable()
    _out.print(f"wrote {display_path(write_canonical(data, out))}", markup=False)


@weather_app.command("fetch")
def weather_fetch(
    latitude: Annotated[float, typer.Option(help="Degrees north.")],
    longitude: Annotated[float, typer.Option(help="Degrees east.")],
    out: Annotated[Path, typer.Option(help="Canonical CSV to write.")],
    source: Annotated[str, typer.Option(help="pvgis (typical year) or era5 (one year, needs --api-key).")] = "pvgis",
    timezone: Annotated[str, typer.Option(help="IANA time zone of the file.")] = "Asia/Baku",
    year: Annotated[int | None, typer.Option(help="Year of an ERA5 download.")] = None,
    api_key: Annotated[
        str | None, typer.Option(help="Copernicus Climate Data Store API key (ERA5).", envvar="CDS_API_KEY")
    ] = None,
    url: Annotated[str | None, typer.Option(help="Base URL of the service's API (default: the public one).")] = None,
) -> None:
    """Download a PVGIS typical year or an ERA5 year through pvlib.iotools (needs the internet)."""
    from .weather import write_canonical
    from .weather.fetch import fetch

    data = fetch(source, latitude, longitude, timezone, year=year, api_key=api_key, url=url)
    _out.print(f"wrote {display_path(write_canonical(data, out))}", markup=False)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _print_warnings(messages) -> None:
    for message in messages:
        _err.print(f"warning: {message}", markup=False)


@app.command("yield")
def yield_(
    site: Annotated[Path, typer.Argument(help="A solar or wind site config.")],
    weather: Annotated[
        Path | None, typer.Option("--weather", help="Weather file to use instead of the site's own.")
    ] = None,
    weather_format: Annotated[str, typer.Option("--weather-format", help="Format of --weather.")] = "canonical",
    accept_distance_km: Annotated[
        float | None,
        typer.Option(
            "--accept-distance-km",
            help="Accept --weather this far from the site [km] (default: the site's weather.accepted_distance_km "
            "for its own file, else 50 km).",
        ),
    ] = None,
    year: Annotated[int, typer.Option("--year", min=1, help="Operating year (1 = first; degradation).")] = 1,
    output: Annotated[OutputFormat, typer.Option("--format", help="table, json or csv (hourly).")] = OutputFormat.table,
) -> None:
    """One site's production: annual and monthly energy, capacity factor, loss waterfall."""
    from .portfolio import naming_config_files, run_site

    loaded = finish_site(site)  # every check validate runs on the file, before any weather is read
    spec = loaded.spec
    outside = operating_year_problem(spec, loaded.source, year)
    if outside is not None:
        raise ConfigError(problems=[outside])
    if accept_distance_km is not None and weather is None:
        raise InputError("--accept-distance-km needs --weather; the site's own weather states it in the config")
    run = run_site(
        spec,
        operating_year=year,
        weather_file=weather,
        weather_format=weather_format,
        accepted_distance_km=accept_distance_km,
    )
    _print_warnings([str(w) for w in loaded.warnings])
    named = {spec.id: display_path(site)}  # each message names the site and its config file
    _print_warnings(naming_config_files(run.warnings, named))
    for correction in naming_config_files(run.corrections, named):  # changes made to the weather before the model
        _err.print(f"note: weather corrected: {correction}", markup=False)
    result = run.production
    if output is OutputFormat.json:
        doc = {"site": spec.id, "name": spec.name, **result.yield_json()}
        _out.print(json.dumps(doc, indent=2, default=_json_default), markup=False)
    elif output is OutputFormat.csv:
        frame = result.hourly.copy()
        frame.insert(0, "net_mw", result.net_mw)
        frame.index.name = "time"
        sys.stdout.write(frame.to_csv(float_format="%.4f", date_format="%Y-%m-%dT%H:%M:%S%z"))
    else:
        _print_yield_table(spec, result)


def _json_default(value):
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def _print_yield_table(spec, result) -> None:
    from rich.table import Table

    head = Table(title=f"{spec.name} ({spec.id}), operating year {result.operating_year}", show_header=False)
    head.add_row("capacity", f"{result.capacity_mw:,.1f} MW")
    head.add_row("annual energy", f"{result.annual_energy_mwh:,.0f} MWh")
    head.add_row("capacity factor", f"{result.capacity_factor:.1%}")
    head.add_row("full-load hours", f"{result.full_load_hours:,.0f} h")
    if "specific_yield_kwh_per_kwp" in result.details:
        head.add_row("specific yield", f"{result.details['specific_yield_kwh_per_kwp']:,.0f} kWh/kWp")
    if "performance_ratio" in result.details:
        head.add_row("performance ratio", f"{result.details['performance_ratio']:.3f}")
    if "wake_loss_fraction" in result.details:
        head.add_row("wake loss", f"{result.details['wake_loss_fraction']:.1%}")
    for model, loss in result.wake_loss_fraction_by_model.items():
        head.add_row(f"  wake loss, {model}", f"{loss:.1%}")
    _out.print(head)
    months = Table(title="monthly energy")
    months.add_column("month")
    months.add_column("energy [MWh]", justify="right")
    months.add_column("capacity factor", justify="right")
    month_hours = result.net_mw.groupby(result.net_mw.index.month).size()
    for month, energy in result.monthly_energy_mwh.items():
        cf = energy / (result.capacity_mw * month_hours.get(month, 1))
        months.add_row(_MONTHS[month - 1], f"{energy:,.0f}", f"{cf:.1%}")
    _out.print(months)
    waterfall = Table(title=f"loss waterfall (from {result.waterfall.reference})")
    for column in ("step", "energy in [MWh]", "loss [%]", "energy out [MWh]"):
        waterfall.add_column(column, justify="left" if column == "step" else "right")
    waterfall.add_row(result.waterfall.reference, "", "", f"{result.waterfall.reference_mwh:,.0f}")
    for name, energy_in, fraction, energy_out in result.waterfall.rows():
        waterfall.add_row(name, f"{energy_in:,.0f}", f"{fraction:+.2%}", f"{energy_out:,.0f}")
    _out.print(waterfall)


_RUN_WORDS = {"with": "with the portfolio", "without": "without", "weather years": "in the weather years"}


def _duration(seconds: float) -> str:
    return f"{max(1, round(seconds))} s" if seconds < 100 else f"{round(seconds / 60)} min"


def window_status(solves: dict[str, tuple[int, int, float]], unit: str = "window") -> str:
    """The status line of dispatch solves in progress, with an estimate of the time left.

    Parameters
    ----------
    solves : dict
        Run (``"with"``, ``"without"``, ``"weather years"``, as ``run_portfolio``'s ``on_window``
        names them) -> (windows done, windows in all, seconds since the run's first window began).
    unit : str
        What a window is: ``"day"`` for a rolling horizon of one-day steps.

    Returns
    -------
    str
        E.g. ``dispatch: day 120 of 366 with the portfolio, 95 of 366 without; about 70 s left``. The runs
        solve side by side, so the time left is that of the slowest: each run's seconds per window so far
        times the windows it has left. No estimate before a run has finished its first window.
    """
    parts, left = [], []
    for i, (run, (done, total, elapsed_s)) in enumerate(solves.items()):
        parts.append(f"{unit + ' ' if i == 0 else ''}{done:,} of {total:,} {_RUN_WORDS.get(run, run)}")
        if done < total:
            left.append(elapsed_s / done * (total - done) if done else None)
    text = "dispatch: " + ", ".join(parts)
    if left and None not in left:
        text += f"; about {_duration(max(left))} left"
    return text


class _Status:
    """What the status line shows: the run's stage, and while dispatch solves run their windows and the time left.

    Callable with the name of the stage that starts (``run_portfolio``'s ``progress``); :meth:`window` is
    ``run_portfolio``'s ``on_window`` (called from the solving threads). Each stage and its seconds go to
    the log (``--verbose``); without a bar, that is all it does.
    """

    def __init__(self, bar=None, task=None, unit: str = "window") -> None:
        self._bar, self._task, self._unit = bar, task, unit
        self._stage = "starting"
        self._started: float | None = None  # clock when the current stage started
        self._solves: dict[str, tuple[int, int, float]] = {}  # run -> (done, total, clock when it started)
        self._lock = threading.Lock()

    def finish(self) -> None:
        """Log the end of the current stage with its seconds."""
        if self._started is not None:
            _log.info("stage done: %s (%.2f s)", self._stage, time.perf_counter() - self._started)
            self._started = None

    def __call__(self, name: str) -> None:
        self.finish()
        _log.info("stage: %s", name)
        self._started = time.perf_counter()
        if self._bar is None:
            self._stage = name
            return
        with self._lock:
            self._stage = name
            self._solves = {k: v for k, v in self._solves.items() if v[0] < v[1]}  # finished runs leave the line
            self._show(advance=True)

    def window(self, run: str, done: int, total: int) -> None:
        if self._bar is None or total <= 1:  # one window (perfect foresight): nothing to count
            return
        with self._lock:
            started = self._solves.get(run, (0, 0, time.perf_counter()))[2]
            self._solves[run] = (done, total, started)
            self._show()

    def _show(self, advance: bool = False) -> None:
        text = self._stage
        if self._solves:
            now = time.perf_counter()
            status = window_status({k: (d, t, now - c) for k, (d, t, c) in self._solves.items()}, self._unit)
            text = status if self._stage.startswith("dispatch") else f"{self._stage}; {status}"
        completed = self._bar.tasks[0].completed + (1 if advance else 0)
        self._bar.update(self._task, description=text, completed=min(completed, len(RUN_STAGES)))


@contextlib.contextmanager
def _progress(enabled: bool, unit: str = "window"):
    """A rich progress bar over the run's stages, on a terminal only; quiet otherwise.

    Yields a :class:`_Status`: called with the name of each stage that starts, it advances the bar;
    its ``window`` shows the dispatch's solve windows and the time left (``unit``: what a window is).
    """
    if not enabled or not _err.is_terminal:
        status = _Status()
        yield status
        status.finish()
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
               TimeElapsedColumn())
    with Progress(*columns, console=_err, transient=True) as bar:
        status = _Status(bar, bar.add_task("starting", total=len(RUN_STAGES)), unit)
        yield status
        status.finish()


def _window_unit(portfolio) -> str:
    """What one solve window of the portfolio's dispatch is, for the status line."""
    options = portfolio.spec.options.dispatch
    return "day" if options.mode == "rolling_horizon" and options.step_h == 24 else "window"


RUN_STAGES = ("demand and the existing fleet", "weather and production", "dispatch", "economics", "writing the report")


def _log_plan(portfolio) -> None:
    """The run's set-up as the config chose it (``--verbose``): study year, sites, how the dispatch is solved."""
    spec, options = portfolio.spec, portfolio.spec.options.dispatch
    _log.info("portfolio %s: study year %d, sites %s", portfolio.name, spec.study_year,
              ", ".join(f"{s.id} ({s.kind})" for s in portfolio.sites))
    horizon = ("perfect foresight (one solve of the year)" if options.mode == "perfect_foresight" else
               f"rolling horizon ({options.window_h} h windows, {options.step_h} h steps)")
    operations = options.operations.replace("_", " ")
    if options.operations == "unit_commitment":
        operations += (f" ({options.commitment}, look-ahead {options.lookahead_commitment}, "
                       f"MIP gap {options.mip_rel_gap:g})")
    _log.info("dispatch: %s, %s, reserves %s, gas priced at its %s, weather years %d", horizon, operations,
              "held" if options.hold_reserves else "not held", options.gas_price_basis.replace("_", " "),
              spec.options.weather_years)


def _log_solve(label: str, dispatch) -> None:
    windows = dispatch.windows
    gaps = [w.gap for w in windows]
    gap = f", largest MIP gap {max(gaps):.3%}" if gaps and max(gaps) > 0 else ""
    _log.info("dispatch %s: %s, %s in %.2f s over %d solve window%s%s", label, dispatch.solver_method,
              dispatch.solver_status, dispatch.solver_seconds, dispatch.n_windows,
              "" if dispatch.n_windows == 1 else "s", gap)
    for key, seconds in dispatch.timings_s.items():
        _log.debug("dispatch %s: %s %.2f s", label, key, seconds)


def _log_run(result, cache=None) -> None:
    """What a run did and decided (``--verbose``): each site's production and seconds, the solves, P-values."""
    timings = result.timings_s
    for site_id, run in result.sites.items():
        production = run.production
        seconds = timings.get(f"production:{site_id}")
        took = f" in {seconds:.2f} s" if seconds is not None else ""
        _log.info("site %s: %.0f GWh, capacity factor %.1f %%%s; weather: %s", site_id,
                  production.annual_energy_mwh / 1e3, production.capacity_factor * 100, took,
                  run.weather.meta.source.split(",")[0])
        if "wake_model" in production.details:
            by_model = production.wake_loss_fraction_by_model
            _log.info("site %s: wake model %s (the config's)%s", site_id, production.details["wake_model"],
                      "; wake loss by model: " + ", ".join(f"{m} {f * 100:.1f} %" for m, f in by_model.items())
                      if by_model else "")
    if result.reference_sites:
        _log.info("existing fleet: %d reference sites run", len(result.reference_sites))
    _log_solve("with the portfolio", result.dispatch)
    if result.dispatch.counterfactual is not None:
        _log_solve("without the portfolio", result.dispatch.counterfactual)
    for site_id, values in result.p_values.items():
        if values.get("p50_mwh") is not None:
            _log.info("P-values %s: P50 %.0f GWh, P90 %.0f GWh", site_id, values["p50_mwh"] / 1e3,
                      values["p90_mwh"] / 1e3)
    for note in result.notes:
        _log.info("note: %s", note)
    if cache is not None and hasattr(cache, "hits"):
        _log.info("production cache: %d productions reused, %d computed; the dispatch without the portfolio %s",
                  cache.hits, cache.misses, "reused" if cache.dispatch_hits else "computed")
    _log.info("seconds by stage: %s", ", ".join(f"{k} {v:.2f}" for k, v in timings.items() if ":" not in k))


def _portfolio_result(path: Path, quiet: bool):
    from .config import load_portfolio
    from .portfolio import run_portfolio

    portfolio = load_portfolio(path)
    _log_plan(portfolio)
    with _progress(not quiet, _window_unit(portfolio)) as step:
        result = run_portfolio(portfolio, progress=step, on_window=step.window)
        step.finish()
    _log_run(result)
    return result


def _solver_block(result) -> dict:
    """The manifest's solver entry: status, seconds and method of the dispatch with the portfolio, and
    each solve window's hours, MIP gap reached and seconds, with and without the portfolio."""
    system = result.system()

    def windows(dispatch) -> list[dict]:
        return [{"start_hour": w.start_hour, "hours": w.hours, "kept_hours": w.kept_hours, "mip_gap": w.gap,
                 "mip_gap_usd": w.gap_usd, "mip_abs_gap_usd": w.abs_gap_usd, "seconds": w.seconds}
                for w in dispatch.windows]

    block = {"status": system.solver_status, "seconds": system.solver_seconds, "method": system.solver_method,
             "windows": windows(result.dispatch)}
    if result.dispatch.counterfactual is not None:
        block["windows_without_portfolio"] = windows(result.dispatch.counterfactual)
    return block


@dataclass(frozen=True)
class _ScenarioRun:
    """What ``report --scenarios`` runs besides the central case: the set, its sweep and its folder."""

    scenario_set: ScenarioSet
    sweep: Sweep
    metrics: tuple[HeadlineMetric, ...]
    folder: Path


def _scenario_run(loaded, folder: Path, work: Path | None) -> _ScenarioRun:
    """Read and check a scenario folder against the portfolio, and its working folder, before any computation."""
    from .portfolio.ranges import headline_metrics
    from .sweep import load_scenario_set, scenario_sweep
    from .sweep.folder import check_sweep_target

    scenario_set = load_scenario_set(folder, base=loaded.path)
    metrics = headline_metrics(loaded)
    sweep = scenario_sweep(scenario_set, tuple(m.path for m in metrics), f"{loaded.name}_scenarios")
    work = work if work is not None else Path("sweeps") / sweep.spec.name
    check_sweep_target(work, sweep.spec.name)
    return _ScenarioRun(scenario_set, sweep, metrics, work)


def _run_scenarios(plan: _ScenarioRun, ctx: typer.Context, scheduler: str | None, workers: int):
    """Run the scenarios that change something (a sweep); their production cache is shared with the central run."""
    from .sweep import production_cache, run_sweep

    quiet = ctx.obj.get("quiet", False) if ctx.obj else False
    if not (ctx.obj and ctx.obj.get("debug_libs")):  # distributed sets its own level when imported
        logging.getLogger("distributed").setLevel(logging.ERROR if quiet else logging.WARNING)

    def announce(start) -> None:
        if not quiet:
            _err.print(_sweep_start_line(plan.sweep.spec.name, start, scheduler), markup=False)

    with _sweep_progress(not quiet) as update:
        result = run_sweep(plan.sweep, plan.folder, scheduler=scheduler, workers=workers, progress=update,
                           on_start=announce)
    for row in result.table[result.table["status"] == "failed"].itertuples(index=False):
        _err.print(f"failed: scenario {row.scenario_id}: {row.error}", markup=False)
    return result, production_cache(plan.folder)


@app.command()
def report(
    ctx: typer.Context,
    portfolio: Annotated[Path, typer.Argument(help="Portfolio config.")] = Path("sites/portfolio.yaml"),
    out: Annotated[Path | None, typer.Option("--out", help="Report folder (default reports/<name>/).")] = None,
    scenarios: Annotated[Path | None, typer.Option(
        "--scenarios", help="Folder of scenario files (kind: scenario) of this portfolio: run them too and give "
        "each headline figure as a range across them.")] = None,
    scenarios_out: Annotated[Path | None, typer.Option(
        "--scenarios-out", help="Working folder of the scenario runs (default sweeps/<name>_scenarios/); "
        "a re-run resumes it.")] = None,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="Run the scenarios on the dask scheduler at this address (tcp://HOST:8786).")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Worker processes for the scenarios.")] = 2,
) -> None:
    """Full run (production, dispatch, economics); writes the report folder. With --scenarios, also the
    named scenarios, shown as ranges around this portfolio (the central case)."""
    clock = time.perf_counter()
    from .config import load_portfolio
    from .portfolio import run_portfolio
    from .report.build import production_charts
    from .report.files import report_files
    from .report.manifest import build_manifest
    from .report.writers import check_report_target, report_lock, write_report_folder

    import_seconds = time.perf_counter() - clock
    quiet = ctx.obj.get("quiet", False) if ctx.obj else False
    loaded = load_portfolio(portfolio)
    out_dir = out if out is not None else Path("reports") / loaded.name
    check_report_target(out_dir)  # before any computation: a folder that is not ours is refused at once
    plan = _scenario_run(loaded, scenarios, scenarios_out) if scenarios is not None else None
    _log_plan(loaded)
    with report_lock(out_dir):
        sweep_result, cache = _run_scenarios(plan, ctx, scheduler, workers) if plan else (None, None)
        with _progress(not quiet, _window_unit(loaded)) as step:
            charts = []  # the production charts, rendered while the dispatch solves
            chart_seconds = []

            def render(runs) -> None:
                started = time.perf_counter()
                charts.append(production_charts(runs))
                chart_seconds.append(time.perf_counter() - started)

            result = run_portfolio(loaded, progress=step, on_production=render, on_window=step.window,
                                   production_cache=cache)
            step.finish()
            _log_run(result, cache)
            step("writing the report")
            clock = time.perf_counter()
            comparison = None
            if plan is not None:
                from .sweep import compare_scenarios

                comparison = compare_scenarios(plan.scenario_set, plan.sweep, sweep_result.table, result.metrics(),
                                               plan.metrics)
            files = report_files(result, charts[0], comparison)
            timings = {"imports": import_seconds, **result.timings_s, "report_site_charts": sum(chart_seconds),
                       "report": time.perf_counter() - clock}
            manifest = build_manifest(
                portfolio=loaded.name,
                inputs=result.input_files,
                solver=_solver_block(result),
                warnings=result.warnings,
                corrections=result.corrections,
                notes=result.notes,
                timings_s=timings,
                files=files,
                root=Path.cwd(),
            )
            folder = write_report_folder(out_dir, files, manifest)
            _log.info("report: %d files in %s", len(files), display_path(folder))
    for message in result.warnings:
        _err.print(f"warning: {message}", markup=False)
    if not quiet:
        from .report.build import key_figures

        for label, value in key_figures(result):
            _out.print(f"{label}: {value}", markup=False)
    if plan is not None:
        _out.print(f"{sweep_result.status_line} besides the central case; scenario runs in "
                   f"{display_path(plan.folder)}", markup=False)
    _out.print(f"report written to {display_path(folder)}", markup=False)
    if sweep_result is not None and sweep_result.failed:
        raise typer.Exit(EXIT_SOLVE)


@app.command()
def dispatch(
    ctx: typer.Context,
    portfolio: Annotated[Path, typer.Argument(help="Portfolio config.")] = Path("sites/portfolio.yaml"),
) -> None:
    """Grid dispatch only (with and without the portfolio); prints the summary."""
    from rich.table import Table

    quiet = ctx.obj.get("quiet", False) if ctx.obj else False
    result = _portfolio_result(portfolio, quiet)
    _print_warnings(result.warnings)
    d = result.system()
    table = Table(title=f"dispatch of {result.portfolio.name}, {len(result.index)} h", show_header=False)
    rows = [
        ("demand", f"{d.demand_mwh / 1e6:,.3f} TWh"),
        ("electric buses (on top of demand)", f"{d.electric_bus_mwh / 1e3:,.1f} GWh ({d.electric_bus_share:.2%})"),
        ("renewable share (incl. hydro)", f"{d.renewable_share:.1%}"),
        ("curtailment", f"{d.curtailment_mwh:,.0f} MWh"),
        ("unserved energy", f"{d.unserved_mwh:,.0f} MWh"),
        ("exports", f"{d.export_mwh / 1e6:,.3f} TWh"),
        ("gas burn", f"{d.gas_burn_mcm:,.0f} million m3"),
        ("gas saved by the portfolio", f"{d.gas_saved_mcm:,.0f} million m3"),
        ("CO2", f"{d.co2_t / 1e6:,.3f} Mt"),
        ("CO2 avoided", f"{d.co2_avoided_t / 1e3:,.0f} kt"),
        ("storage charge / discharge", f"{d.storage_charge_mwh:,.0f} / {d.storage_discharge_mwh:,.0f} MWh"),
        ("storage equivalent full cycles", f"{d.storage_equivalent_full_cycles:,.0f}"),
        ("objective", f"{d.objective_usd / 1e6:,.1f} M USD"),
        ("solver", f"{d.solver_status} in {d.solver_seconds:.2f} s"),
    ]
    for label, value in rows:
        table.add_row(label, value)
    _out.print(table)


@app.command("export-pypsa")
def export_pypsa(
    ctx: typer.Context,
    portfolio: Annotated[Path, typer.Argument(help="Portfolio config.")] = Path("sites/portfolio.yaml"),
    out: Annotated[Path, typer.Option("--out", help="NetCDF file to write (.nc).")] = Path("network.nc"),
) -> None:
    """Write the same dispatch problem as a PyPSA network (NetCDF)."""
    from .config import load_portfolio
    from .dispatch.pypsa_export import to_pypsa
    from .portfolio import prepare_dispatch

    quiet = ctx.obj.get("quiet", False) if ctx.obj else False
    if out.exists() and out.suffix != ".nc":
        raise InputError(f"{out}: expected a .nc file name; refusing to overwrite a file of another kind")
    with _progress(not quiet) as step:
        prepared = prepare_dispatch(load_portfolio(portfolio), step)
        step("building the PyPSA network")
        network = to_pypsa(prepared.inputs)
    out.parent.mkdir(parents=True, exist_ok=True)
    network.export_to_netcdf(str(out))
    _out.print(f"PyPSA network written to {display_path(out)}", markup=False)


class CompareFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    html = "html"


@app.command()
def compare(
    ctx: typer.Context,
    configs: Annotated[list[Path], typer.Argument(help="Two or more site or portfolio configs.")],
    output: Annotated[CompareFormat, typer.Option("--format", help="table, json, csv or html.")] = CompareFormat.table,
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file instead of printing.")] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="List every figure, also those that do not change (table and html).")
    ] = False,
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write the comparison as a self-contained HTML page here.")
    ] = None,
) -> None:
    """What differs between site or portfolio configs: the fields, then the figures that change.

    Figures are grouped by site, system and economics, with units; a difference within the figure's
    numerical tolerance (solver round-off, the MIP gap of unit commitment) shows as no change.
    """
    from .compare import compare_configs, comparison_tables, render_comparison

    if len(configs) < 2:
        raise InputError("compare needs at least two configs")
    quiet = ctx.obj.get("quiet", False) if ctx.obj else False
    with _progress(not quiet) as step:
        comparison = compare_configs(configs, progress=step)
    logging.getLogger(__name__).info("compare: computed %s; reused %s", comparison.computed, comparison.reused)
    pages = {html: _comparison_html(comparison, show_all)} if html is not None else {}
    if output is CompareFormat.html:
        text = _comparison_html(comparison, show_all)
    elif output is CompareFormat.table and out is None:
        text = None
    else:
        text = render_comparison(comparison, output.value, show_all)
    if text is not None and out is not None:
        pages[out] = text
    for path, page in pages.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page, encoding="utf-8")
        _out.print(f"comparison written to {display_path(path)}", markup=False)
    if out is None and text is not None:
        sys.stdout.write(text)
    elif out is None:
        for item in comparison_tables(comparison, show_all):
            _out.print(item)


def _comparison_html(comparison, show_all: bool) -> str:
    """The comparison's HTML page (report.comparison), from the comparison's frame."""
    from .report.comparison import ComparisonInputs, comparison_document
    from .report.document import render_html

    differences = tuple((d.path, tuple("-" if v is None else str(v) for v in d.values))
                        for d in comparison.differences)
    return render_html(comparison_document(ComparisonInputs(
        comparison.names, differences, comparison.table, comparison.tolerance_note, show_all)))


@contextlib.contextmanager
def _sweep_progress(enabled: bool):
    """A rich progress bar of scenarios done and failed with the time taken and left, on a terminal only."""
    if not enabled or not _err.is_terminal:
        yield lambda done, failed, total: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("scenarios"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[failed]} failed"),
               TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn())
    with Progress(*columns, console=_err, transient=True) as bar:
        task = bar.add_task("sweep", total=None, failed=0)

        def update(done: int, failed: int, total: int) -> None:
            bar.update(task, completed=done, total=total, failed=failed)

        yield update


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _sweep_start_line(name: str, start, scheduler: str | None) -> str:
    """The sweep's first line: how many scenarios, how many to run where, and how long at the earlier pace."""
    where = f"the cluster at {scheduler}" if scheduler else \
        f"{start.workers} worker{'s' if start.workers != 1 else ''}" if start.workers else "the given cluster"
    done = [f"{start.finished} finished earlier"] if start.finished else []
    done += [f"{start.failed} invalid"] if start.failed else []
    line = f"sweep {name}: {start.total} scenarios, {start.to_run} to run on {where}"
    line += f" ({', '.join(done)})" if done else ""
    if not start.to_run:
        return line
    if start.estimate_s is not None:
        return line + (f"; about {_duration(start.estimate_s)} at the pace of the earlier ones "
                       f"({_duration(start.seconds_per_scenario)} each)")
    return line + "; the time left is estimated once the first scenarios finish"


@app.command()
def sweep(
    ctx: typer.Context,
    spec: Annotated[Path, typer.Argument(help="Sweep spec (kind: sweep).")],
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Address of a dask scheduler, e.g. tcp://HOST:8786.")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Output folder (default sweeps/<name>/).")] = None,
    workers: Annotated[int, typer.Option("--workers", help="Worker processes of the local cluster.")] = 2,
    max_scenarios: Annotated[
        int, typer.Option("--max-scenarios", min=1, help="Refuse a sweep of more scenarios than this.")
    ] = 10_000,
) -> None:
    """Scenario sweep on a local or an existing dask cluster; resumes an interrupted run in the same folder."""
    from .config.metrics import dispatch_tolerance
    from .report.document import render_html, render_markdown
    from .report.sweep import SweepReportInputs, sweep_document
    from .report.writers import report_lock, write_files_atomic
    from .sweep import load_sweep, run_sweep
    from .sweep.folder import check_sweep_target, writing

    quiet = ctx.obj.get("quiet", False) if ctx.obj else False
    if not (ctx.obj and ctx.obj.get("debug_libs")):  # distributed sets its own level when imported
        logging.getLogger("distributed").setLevel(logging.ERROR if quiet else logging.WARNING)
    loaded = load_sweep(spec, max_scenarios=max_scenarios)  # the size is checked before the scenarios expand
    out_dir = out if out is not None else Path("sweeps") / loaded.spec.name
    check_sweep_target(out_dir, loaded.spec.name)  # before any computation: a folder that is not ours is refused

    def announce(start) -> None:
        if not quiet:
            _err.print(_sweep_start_line(loaded.spec.name, start, scheduler), markup=False)

    with contextlib.ExitStack() as stack:
        with writing(out_dir):
            stack.enter_context(report_lock(out_dir))
        update = stack.enter_context(_sweep_progress(not quiet))
        result = run_sweep(loaded, out_dir, scheduler=scheduler, workers=workers, progress=update, on_start=announce)
        s = loaded.spec
        tolerance = dispatch_tolerance(loaded.portfolio.spec.options.dispatch)  # what ranks equal: noise
        doc = sweep_document(SweepReportInputs(s.name, s.description, result.table, loaded.parameters, s.metrics,
                                               s.rank_by, s.rank_order, s.best, tolerance))
        with writing(out_dir):
            write_files_atomic(out_dir, {"report.html": render_html(doc), "report.md": render_markdown(doc)})
    skipped = f" ({result.skipped} found finished by an earlier run)" if result.skipped else ""
    _out.print(f"{result.status_line}{skipped}; results in {display_path(out_dir)}", markup=False)
    for row in result.table[result.table["status"] == "failed"].itertuples(index=False):
        _err.print(f"failed: scenario {row.scenario_id}: {row.error}", markup=False)
    if result.failed:
        raise typer.Exit(EXIT_SOLVE)


def run() -> None:
    """Console-script entry point: map errors to the exit codes of DESIGN.md."""
    from typer.exceptions import TyperException

    try:
        code = app(standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        _err.print("aborted", markup=False)
        sys.exit(130)
    except TyperException as exc:  # usage errors, printed as click prints them
        exc.show()
        sys.exit(getattr(exc, "exit_code", EXIT_INPUT))
    except InputError as exc:
        _err.print(str(exc), markup=False)
        sys.exit(EXIT_INPUT)
    except DispatchError as exc:
        _err.print(str(exc), markup=False)
        sys.exit(EXIT_SOLVE)
    except Exception as exc:
        _err.print(f"unexpected failure: {type(exc).__name__}: {exc}", markup=False)
        _err.print("run with --verbose and report it with the command you ran", markup=False)
        logging.getLogger(__name__).debug("traceback", exc_info=True)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


def entry_point() -> None:
    """The program's entry point (console script and ``python -m``): :func:`run`, then exit.

    When the command is done every file is written and closed and every worker pool and
    cluster is shut down, so the process leaves without the interpreter's teardown of the
    scientific stack (about 0.5 s of a report run). In-process callers use :func:`run`.
    """
    try:
        run()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
