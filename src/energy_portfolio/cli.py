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
