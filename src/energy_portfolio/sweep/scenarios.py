"""A sweep spec read and expanded into scenarios, each with a stable input hash.

A scenario is a mapping of dotted field paths to values applied to the base portfolio with
:func:`energy_portfolio.config.changes.with_changes`. Its id depends only on those changes; its
input hash on the changed specs and the contents of every file they name, so a re-run can
tell a finished scenario from one whose inputs have changed since.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__
from ..config import Portfolio, read_config
from ..config.changes import field_value, sweep_path_problems, with_changes
from ..config.load import MAX_WEATHER_YEARS, display_path
from ..config.loaded import LoadedConfig
from ..config.sweep import RandomSamples, SweepSpec
from ..errors import ConfigError, InputError

__all__ = [
    "MAX_SCENARIOS",
    "MAX_WEATHER_YEARS",
    "FileDigests",
    "PreparedScenario",
    "Scenario",
    "Sweep",
    "expand_scenarios",
    "input_hash",
    "load_sweep",
    "prepare_scenario",
    "scenario_count",
    "scenario_id",
]

MAX_SCENARIOS = 10_000
"""Scenarios a sweep may have unless its caller raises the limit (``--max-scenarios``).

Each scenario is a full run of the portfolio: a year's dispatch with the portfolio, seconds with the
energy-only LP and minutes with unit commitment, so 10,000 scenarios are a day to weeks of a
two-worker machine. A larger sweep is refused before anything is computed (or expanded)."""




@dataclass(frozen=True)
class Scenario:
    """One scenario: its stable id and the field changes it makes to the base portfolio."""

    id: str
    changes: dict[str, Any]


@dataclass(frozen=True)
class Sweep:
    """A validated sweep spec with its base portfolio and expanded scenarios.

    Attributes
    ----------
    spec : SweepSpec
    path : Path
        The sweep spec file.
    portfolio : Portfolio
        The base portfolio.
    parameters : tuple of str
        Every field path some scenario changes, in order of first appearance.
    base_values : dict
        Field path -> its value in the base portfolio.
    scenarios : tuple of Scenario
    """

    spec: SweepSpec
    path: Path
    portfolio: Portfolio
    parameters: tuple[str, ...]
    base_values: dict[str, Any]
    scenarios: tuple[Scenario, ...]

    def parameter_values(self, scenario: Scenario) -> dict[str, Any]:
        """Every varied field's value in ``scenario`` (the base value where it changes nothing)."""
        return {p: scenario.changes.get(p, self.base_values[p]) for p in self.parameters}


def scenario_id(changes: dict[str, Any]) -> str:
    """A stable 12-character id of a set of changes (independent of their order)."""
    text = json.dumps(changes, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _random_changes(random: RandomSamples) -> list[dict[str, Any]]:
    rng = np.random.default_rng(random.seed)
    out = []
    for _ in range(random.samples):
        sample: dict[str, Any] = {}
        for path, parameter in random.parameters.items():
            value = float(rng.uniform(parameter.low, parameter.high))
            sample[path] = round(value) if parameter.integer else value
        out.append(sample)
    return out


def expand_scenarios(spec: SweepSpec) -> tuple[Scenario, ...]:
    """Scenarios of a sweep: grid product, then explicit ones, then random samples, times weather years.

    Duplicates (the same changes) are kept once; a spec that varies nothing gives the base
    portfolio as its one scenario.
    """
    changes: list[dict[str, Any]] = []
    if spec.grid:
        keys = list(spec.grid)
        changes += [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*spec.grid.values())]
    changes += [dict(s) for s in spec.scenarios]
    if spec.random is not None:
        changes += _random_changes(spec.random)
    if not changes:
        changes = [{}]
    if spec.weather_years:
        changes = [{**c, "options.weather_years": n} for c in changes for n in spec.weather_years]
    unique: dict[str, dict[str, Any]] = {}
    for change in changes:
        unique.setdefault(scenario_id(change), change)
    return tuple(Scenario(key, value) for key, value in unique.items())


def scenario_count(spec: SweepSpec) -> tuple[int, str]:
    """The number of scenarios ``spec`` expands to (before duplicates are removed) and how it comes about."""
    parts, count = [], 0
    if spec.grid:
        sizes = [len(values) for values in spec.grid.values()]
        count += math.prod(sizes)
        parts.append(f"grid {' x '.join(map(str, sizes))}" + (f" = {count:,}" if len(sizes) > 1 else ""))
    if spec.scenarios:
        count += len(spec.scenarios)
        parts.append(f"{len(spec.scenarios):,} listed")
    if spec.random is not None:
        count += spec.random.samples
        parts.append(f"{spec.random.samples:,} random samples")
    count = max(count, 1)
    text = " + ".join(parts) or "the base portfolio"
    if spec.weather_years:
        count *= len(spec.weather_years)
        text = f"({text}) x {len(spec.weather_years)} weather_years values" if len(parts) > 1 else \
            f"{text} x {len(spec.weather_years)} weather_years values"
    return count, text


def _check_size(loaded: LoadedConfig, max_scenarios: int) -> None:
    count, how = scenario_count(loaded.spec)  # type: ignore[arg-type]
    if count > max_scenarios:
        raise InputError(
            f"{display_path(loaded.path)}: the sweep has {count:,} scenarios ({how}), more than the limit of "
            f"{max_scenarios:,}. Each scenario is a full run of the portfolio (a year's dispatch: seconds to "
            f"minutes), so nothing has been started. Vary fewer values, draw random samples instead of a grid, "
            f"or raise the limit with --max-scenarios {count} (in Python: load_sweep(path, max_scenarios={count}))"
        )


def load_sweep(path: Path | str, *, max_scenarios: int = MAX_SCENARIOS) -> Sweep:
    """Read a sweep spec, check its size, load its base portfolio and expand the scenarios.

    Parameters
    ----------
    path : path-like
        The sweep spec.
    max_scenarios : int
        The most scenarios the sweep may have (:data:`MAX_SCENARIOS` by default); checked before
        the scenarios are expanded.

    Raises
    ------
    ConfigError
        With the file, line and field of every problem: schema errors, field paths that name
        nothing in the base portfolio, and ``options.weather_years`` values above
        :data:`MAX_WEATHER_YEARS`.
    InputError
        The sweep has more than ``max_scenarios`` scenarios (the message gives the count).
    """
    loaded = read_config(path, ("sweep",))
    spec: SweepSpec = loaded.spec  # type: ignore[assignment]
    _check_size(loaded, max_scenarios)
    portfolio, base, problems = sweep_path_problems(loaded)
    if problems:
        raise ConfigError(problems=problems)
    scenarios = expand_scenarios(spec)
    parameters = list(dict.fromkeys(p for s in scenarios for p in s.changes))
    for field_path in parameters:
        base.setdefault(field_path, field_value(portfolio, field_path))
    return Sweep(spec, Path(path).resolve(), portfolio, tuple(parameters), base, scenarios)


@dataclass
class FileDigests:
    """SHA-256 of file contents, remembered by path, size and modification time."""

    known: dict[tuple[str, int, int], str] = field(default_factory=dict)

    def __call__(self, path: Path) -> str:
        stat = path.stat()
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        if key not in self.known:
            digest = hashlib.sha256()
            with open(path, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            self.known[key] = digest.hexdigest()
        return self.known[key]


def input_hash(portfolio: Portfolio, digests: FileDigests) -> str:
    """SHA-256 of a portfolio's specs (JSON dumps) and the contents of every file they name."""
    specs = {
        "version": __version__,
        "portfolio": portfolio.spec.model_dump(mode="json"),
        "grid": portfolio.grid.model_dump(mode="json"),
        "sites": [s.model_dump(mode="json") for s in portfolio.sites],
    }
    digest = hashlib.sha256(json.dumps(specs, sort_keys=True).encode())
    for path in portfolio.files:
        digest.update(str(path).encode())
        digest.update(digests(Path(path)).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class PreparedScenario:
    """A scenario's portfolio and input hash, or the error that kept it from being built."""

    scenario: Scenario
    portfolio: Portfolio | None
    input_hash: str
    error: str | None


def prepare_scenario(sweep: Sweep, scenario: Scenario, digests: FileDigests) -> PreparedScenario:
    """Apply a scenario's changes to the base portfolio (re-validated) and hash its inputs."""
    try:
        portfolio = with_changes(sweep.portfolio, scenario.changes)
    except InputError as exc:
        return PreparedScenario(scenario, None, "invalid-" + scenario.id, f"{type(exc).__name__}: {exc}")
    return PreparedScenario(scenario, portfolio, input_hash(portfolio, digests), None)
