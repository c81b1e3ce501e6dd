"""Named scenarios: a folder of scenario files run against one base portfolio, and their ranges.

``energy-portfolio report --scenarios scenarios/`` reads every ``*.yaml`` of the folder
(``kind: scenario``, :class:`~energy_portfolio.config.scenario.ScenarioSpec`), runs the scenarios
that change something as a sweep (:func:`.execute.run_sweep`: dask, one production per distinct
site, resumable), and the central case (the base portfolio) in full for the report. Each headline
figure is then given as the range across the scenarios with the central value marked, and the
scenario that moves it furthest from the central value.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..config import Portfolio, read_config
from ..config.changes import field_value, scenario_problems
from ..config.load import display_path
from ..config.sweep import SweepSpec
from ..errors import ConfigError, InputError, Problem
from ..portfolio.ranges import HeadlineMetric, ScenarioCase, ScenarioComparison
from .scenarios import MAX_SCENARIOS, Scenario, Sweep, scenario_id

__all__ = ["NamedScenario", "ScenarioSet", "compare_scenarios", "load_scenario_set", "scenario_sweep"]


@dataclass(frozen=True)
class NamedScenario:
    """One scenario file: its name, the assumption it changes, and the field changes."""

    name: str
    description: str
    central: bool
    changes: dict[str, Any]
    path: Path


@dataclass(frozen=True)
class ScenarioSet:
    """The scenario files of a folder, checked against their common base portfolio.

    Attributes
    ----------
    folder : Path
    portfolio : Portfolio
        The base portfolio every file names; the central case.
    scenarios : tuple of NamedScenario
        In file-name order.
    """

    folder: Path
    portfolio: Portfolio
    scenarios: tuple[NamedScenario, ...]

    @property
    def varied(self) -> tuple[NamedScenario, ...]:
        """The scenarios that change something (every one but the central case)."""
        return tuple(s for s in self.scenarios if not s.central)

    @property
    def central_name(self) -> str:
        """The central scenario's name (``central`` when no file is marked central)."""
        return next((s.name for s in self.scenarios if s.central), "central")


def _folder_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise InputError(f"{display_path(folder)}: expected a folder of scenario files (kind: scenario)")
    files = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    if not files:
        raise InputError(f"{display_path(folder)}: no scenario files (*.yaml, kind: scenario) in this folder")
    if len(files) > MAX_SCENARIOS:
        raise InputError(f"{display_path(folder)}: {len(files):,} scenario files, more than the limit of "
                         f"{MAX_SCENARIOS:,}; nothing has been started")
    return files


def load_scenario_set(folder: Path | str, base: Path | str | None = None) -> ScenarioSet:
    """Read and check every scenario file of ``folder``, before anything is computed.

    Parameters
    ----------
    folder : path-like
        A folder of ``kind: scenario`` files.
    base : path-like, optional
        The portfolio the caller runs; every file must name it. Default: the portfolio the files name.

    Raises
    ------
    InputError
        The folder is missing or holds no scenario file.
    ConfigError
        With file, line and field: a file that is not a valid scenario, a change that names no field
        of the base portfolio or that the portfolio refuses, files naming different base portfolios,
        two files with one name, or more than one central case.
    """
    folder = Path(folder)
    problems: list[Problem] = []
    read: list[tuple[Any, Portfolio]] = []
    for path in _folder_files(folder):
        try:
            loaded = read_config(path, ("scenario",))
            portfolio, found = scenario_problems(loaded)
        except ConfigError as exc:
            problems += exc.problems
            continue
        problems += found
        read.append((loaded, portfolio))
    if problems:
        raise ConfigError(problems=problems)
    expected = Path(base).resolve() if base is not None else read[0][0].spec.portfolio.resolve()
    for loaded, _ in read:
        if loaded.spec.portfolio.resolve() != expected:
            problems.append(Problem(loaded.path, f"names {display_path(loaded.spec.portfolio)}; expected the base "
                                    f"portfolio {display_path(expected)}, which every scenario file must name",
                                    loaded.source.line_of(("portfolio",)), "portfolio"))
    names: dict[str, Path] = {}
    for loaded, _ in read:
        name = loaded.spec.name
        if name in names:
            problems.append(Problem(loaded.path, f"= {name!r}: {display_path(names[name])} has this name too; "
                                    "expected a name of its own", loaded.source.line_of(("name",)), "name"))
        names.setdefault(name, loaded.path)
    same: dict[str, Path] = {}
    for loaded, _ in read:
        key = scenario_id(dict(loaded.spec.changes))
        if key in same and not loaded.spec.central:
            problems.append(Problem(loaded.path, f"makes the same changes as {display_path(same[key])}; expected "
                                    "each scenario to differ", loaded.source.line_of(("changes",), key=True),
                                    "changes"))
        same.setdefault(key, loaded.path)
    centrals = [loaded for loaded, _ in read if loaded.spec.central]
    for loaded in centrals[1:]:
        problems.append(Problem(loaded.path, f"a second central scenario ({display_path(centrals[0].path)} is "
                                "central); expected at most one", loaded.source.line_of(("central",)), "central"))
    if problems:
        raise ConfigError(problems=problems)
    scenarios = tuple(NamedScenario(loaded.spec.name, loaded.spec.description, loaded.spec.central,
                                    dict(loaded.spec.changes), loaded.path) for loaded, _ in read)
    return ScenarioSet(folder.resolve(), read[0][1], scenarios)


def scenario_sweep(scenario_set: ScenarioSet, metrics: tuple[str, ...], name: str) -> Sweep:
    """The scenarios that change something as a :class:`~.scenarios.Sweep` of explicit scenarios."""
    varied = scenario_set.varied
    spec = SweepSpec.model_validate({
        "kind": "sweep", "name": name, "description": f"scenarios of {display_path(scenario_set.folder)}",
        "portfolio": scenario_set.portfolio.path, "scenarios": [s.changes for s in varied],
        "metrics": list(metrics), "rank_by": metrics[0],
    })
    parameters = tuple(dict.fromkeys(p for s in varied for p in s.changes))
    base = {p: field_value(scenario_set.portfolio, p) for p in parameters}
    scenarios = tuple(Scenario(scenario_id(s.changes), s.changes) for s in varied)
    return Sweep(spec, scenario_set.folder, scenario_set.portfolio, parameters, base, scenarios)


def compare_scenarios(
    scenario_set: ScenarioSet,
    sweep: Sweep,
    table: pd.DataFrame,
    central_metrics: dict[str, Any],
    metrics: tuple[HeadlineMetric, ...],
) -> ScenarioComparison:
    """The scenarios' headline figures and ranges: the sweep's rows by name, the central run's own figures.

    Parameters
    ----------
    scenario_set : ScenarioSet
    sweep : Sweep
        From :func:`scenario_sweep` (its scenario ids are those of ``table``).
    table : pandas.DataFrame
        :attr:`.execute.SweepResult.table` of that sweep.
    central_metrics : dict
        ``PortfolioResult.metrics()`` of the base portfolio's run.
    metrics : tuple of HeadlineMetric
    """
    rows = {row["scenario_id"]: row for row in table.to_dict("records")}
    central = scenario_set.central_name
    cases = [ScenarioCase(central, next((s.description for s in scenario_set.scenarios if s.central),
                                        "the base portfolio"), {}, "ok")]
    values = {central: {m.path: central_metrics.get(m.path) for m in metrics}}
    for named, scenario in zip(scenario_set.varied, sweep.scenarios, strict=True):
        row = rows.get(scenario.id, {})
        status = row.get("status", "missing")
        cases.append(ScenarioCase(named.name, named.description, named.changes, status, row.get("error")))
        if status == "ok":
            values[named.name] = {m.path: row.get(m.path) for m in metrics}
    frame = pd.DataFrame.from_dict(values, orient="index", columns=[m.path for m in metrics])
    return ScenarioComparison.of(central, tuple(cases), frame, metrics)
