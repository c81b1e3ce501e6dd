"""The ``energy-portfolio`` command line: parse, call the API, print; nothing else.

Exit codes (DESIGN.md): 0 success, 2 bad input, 3 infeasible or failed solve,
1 unexpected failure.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from . import __version__
from .config import validate_file
from .config.load import display_path
from .errors import DispatchError, InputError

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


@app.callback()
def main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only results and errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Model a portfolio of renewable energy projects and what they do to a national grid."""
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Config files (site, grid or portfolio).")],
) -> None:
    """Check config files and the files they name; exit 0 when all are valid, 2 otherwise."""
    failed = 0
    for path in files:
        kind, problems = validate_file(path)
        if problems:
            failed += 1
            count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
            _err.print(f"INVALID {display_path(path)}: {count}", markup=False)
            for problem in problems:
                _err.print(str(problem), markup=False)
        else:
            _out.print(f"OK {display_path(path)} ({kind})", markup=False)
    if failed:
        raise typer.Exit(EXIT_INPUT)


weather_app = typer.Typer(
    help="Weather files: make a typical year, convert a real file, check a file, fetch from PVGIS.",
    no_args_is_help=True,
)
app.add_typer(weather_app, name="weather")


@weather_app.command("synth")
def weather_synth(
    climatology: Annotated[Path, typer.Argument(help="A kind: climatology file (see weather/README.md).")],
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same file.")],
    out: Annotated[Path, typer.Option(help="Canonical CSV to write.")],
    year: Annotated[int, typer.Option(help="Calendar year of the timestamps.")] = 2032,
    years: Annotated[
        int, typer.Option(help="Number of distinct years; more than 1 writes OUT_01.csv, OUT_02.csv, ...")
    ] = 1,
) -> None:
    """Generate a typical year (or N distinct years) offline from a climatology."""
    from .weather import synthesize, write_canonical

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
) -> None:
    """Print the full quality report of a weather file; exit 2 when it is unusable."""
    from .weather import check_weather_file

    _, report = check_weather_file(file, format, hub_height_m)
    _print_report(report)
    counts = {s: sum(f.severity == s for f in report.findings) for s in ("error", "warning", "correction")}
    verdict = "UNUSABLE" if counts["error"] else "OK"
    _out.print(
        f"{verdict} {display_path(file)}: {counts['error']} errors, {counts['warning']} warnings, "
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
