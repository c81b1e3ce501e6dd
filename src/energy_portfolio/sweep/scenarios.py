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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__
from ..config import Portfolio, read_config
from ..config.changes import field_value, sweep_path_problems, with_changes
from ..config.sweep import RandomSamples, SweepSpec
from ..errors import ConfigError, InputError

__all__ = [
    "FileDigests",
    "PreparedScenario",
    "Scenario",
    "Sweep",
    "expand_scenarios",
    "input_hash",
    "load_sweep",
    "prepare_scenario",
    "scenario_id",
]


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


def load_sweep(path: Path | str) -> Sweep:
    """Read a sweep spec, load its base portfolio and expand the scenarios.

    Raises
    ------
    ConfigError
        With the file, line and field of every problem: schema errors, and field paths
        that name nothing in the base portfolio.
    """
    loaded = read_config(path, ("sweep",))
    spec: SweepSpec = loaded.spec  # type: ignore[assignment]
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
