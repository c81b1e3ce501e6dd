"""``validate``: one file checked as a run would check it, every problem at once, never raising for bad input."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError, Problem
from .changes import scenario_problems
from .crossfile import grid_references, site_problems
from .load import _unique, load_portfolio, sweep_path_problems
from .loaded import Portfolio
from .read import SITE_KINDS, ConfigReader, read_config

__all__ = ["FileCheck", "check_file", "validate_file"]


@dataclass(frozen=True)
class FileCheck:
    """What ``validate`` found in one file.

    Attributes
    ----------
    kind : str or None
        The file's kind when it could be read.
    problems : list of Problem
        Empty when the file is valid.
    warnings : list of Problem
        Legal but probably unintended values in the file and the configs it names
        (:func:`~.plausibility.config_warnings`); they do not make the file invalid.
    portfolio : Portfolio or None
        A valid portfolio file as :func:`load_portfolio` finished it, so that ``validate`` plans
        its weather checks without loading it again; None for other kinds and invalid files.
    """

    kind: str | None
    problems: list[Problem]
    warnings: list[Problem]
    portfolio: Portfolio | None = None


def validate_file(path: Path | str) -> tuple[str | None, list[Problem]]:
    """Validate one file as the ``validate`` command does: :func:`check_file` without the warnings.

    Returns
    -------
    kind : str or None
        The file's kind when it could be read.
    problems : list of Problem
        Empty when the file is valid.
    """
    check = check_file(path)
    return check.kind, check.problems


def check_file(path: Path | str) -> FileCheck:
    """Validate one file as the ``validate`` command does, with its warnings.

    A portfolio file is validated as :func:`load_portfolio` finishes it (with every file it
    names and the cross-file checks); a grid with the files it names (reference sites, existing
    storage, weather and hourly CSVs); a site with its weather and climatology files; a sweep
    spec with its base portfolio and the field paths it varies; a scenario file with its base portfolio and
    its changes applied. Never raises for bad input.
    """
    try:
        loaded = read_config(path)
    except ConfigError as exc:
        return FileCheck(None, exc.problems, [])
    kind = loaded.spec.kind
    warnings = list(loaded.warnings)
    problems: list[Problem] = []
    portfolio = None
    if kind == "portfolio":
        portfolio, problems, warnings = _portfolio_check(path)
    elif kind == "grid":
        references, storage, found = grid_references(ConfigReader(), loaded)
        problems = _unique(found)
        warnings += [w for cfg in [*references.values(), *storage.values()] for w in cfg.warnings]
    elif kind in SITE_KINDS:
        problems = _unique(site_problems(ConfigReader(), loaded))
    elif kind == "sweep":
        try:
            problems = sweep_path_problems(loaded)[2]
        except ConfigError as exc:
            problems = exc.problems
    elif kind == "scenario":
        try:
            problems = scenario_problems(loaded)[1]
        except ConfigError as exc:
            problems = exc.problems
    return FileCheck(kind, problems, _unique(warnings), portfolio)


def _portfolio_check(path: Path | str) -> tuple[Portfolio | None, list[Problem], list[Problem]]:
    """The finished portfolio (None when invalid), its problems and its warnings and those of every file it names."""
    try:
        portfolio = load_portfolio(path)
    except ConfigError as exc:
        return None, exc.problems, []
    return portfolio, [], list(portfolio.warnings)
