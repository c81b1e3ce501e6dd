"""Changing config fields in memory by their dotted path, with full re-validation.

Used by notebooks ("the same portfolio with a bigger battery") and by scenario sweeps.
Paths: ``sites.<site id>.<field>...`` for a site, ``grid.<field>...`` for the grid (list items
by id, e.g. ``grid.thermal_units.janub_ccgt.capacity_mw``), anything else for the portfolio
file itself (``study_year``, ``options.dispatch.mode``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import ConfigError, Problem
from .load import finish_portfolio, load_portfolio, sweep_path_problems
from .loaded import LoadedConfig, Portfolio
from .messages import problem_at
from .paths import field_value

__all__ = ["field_value", "scenario_problems", "sweep_path_problems", "with_changes"]


def _set(data: Any, parts: list[str], value: Any, full: str) -> None:
    node = data
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if isinstance(node, list):
            match = [item for item in node if isinstance(item, dict) and item.get("id") == part]
            if part.isdigit() and not match:
                index = int(part)
                if not 0 <= index < len(node):
                    raise ConfigError(f"{full}: list index {index} is out of range (0..{len(node) - 1})")
            elif len(match) != 1:
                ids = [item.get("id") for item in node if isinstance(item, dict)]
                raise ConfigError(f"{full}: no item with id '{part}'; the ids are {', '.join(map(str, ids))}")
            else:
                index = node.index(match[0])
            if last:
                node[index] = value
            else:
                node = node[index]
        elif isinstance(node, dict):
            if part not in node:
                raise ConfigError(f"{full}: no field '{part}'; the fields here are {', '.join(sorted(node))}")
            if last:
                node[part] = value
            else:
                node = node[part]
        else:
            raise ConfigError(f"{full}: '{part}' is inside a value that has no fields")


def _mutable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _mutable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_mutable(v) for v in value]
    return value


def _changed(spec: BaseModel, changes: dict[str, Any], label: str) -> BaseModel:
    data = _mutable(spec.model_dump(mode="python"))
    for path, value in changes.items():
        _set(data, path.split("."), value, f"{label}.{path}" if label else path)
    try:
        return type(spec).model_validate(data)
    except ValidationError as exc:
        details = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors(include_url=False))
        raise ConfigError(f"changing {label or 'portfolio'} fields {sorted(changes)}: {details}") from None


def with_changes(portfolio: Portfolio, changes: Mapping[str, Any]) -> Portfolio:
    """A copy of ``portfolio`` with fields changed by dotted path, every spec re-validated.

    The changed portfolio is finished again as :func:`~.load.load_portfolio` finishes one:
    the files it names are resolved and every cross-file check runs, so a change a run would
    reject (a time zone, a hydro scenario, a coupling) is refused here.

    Examples
    --------
    >>> bigger = with_changes(portfolio, {"sites.fuzuli_bess.energy_mwh": 1000})  # doctest: +SKIP

    Raises
    ------
    ConfigError
        An unknown path or id, a value the spec rejects, or a cross-file check that fails.
    """
    site_changes: dict[str, dict[str, Any]] = {}
    grid_changes: dict[str, Any] = {}
    own_changes: dict[str, Any] = {}
    site_ids = [s.id for s in portfolio.sites]
    for path, value in changes.items():
        head, _, rest = path.partition(".")
        if head == "sites" and rest:
            site_id, _, field = rest.partition(".")
            if site_id not in site_ids:
                raise ConfigError(f"{path}: no site '{site_id}' in portfolio {portfolio.name}; the sites are "
                                  + ", ".join(site_ids))
            site_changes.setdefault(site_id, {})[field] = value
        elif head == "grid" and rest:
            grid_changes[rest] = value
        else:
            own_changes[path] = value
    sites = tuple(
        _changed(s, site_changes[s.id], f"sites.{s.id}") if s.id in site_changes else s for s in portfolio.sites
    )
    grid = _changed(portfolio.grid, grid_changes, "grid") if grid_changes else portfolio.grid
    spec = _changed(portfolio.spec, own_changes, "") if own_changes else portfolio.spec
    return finish_portfolio(dataclasses.replace(portfolio, spec=spec, grid=grid, sites=sites))


def scenario_problems(loaded: LoadedConfig) -> tuple[Portfolio, list[Problem]]:
    """Check a scenario file's changes against its base portfolio, each at its line.

    Every path must name a field of the base portfolio and its value must pass that field's
    checks and the cross-file checks once applied (:func:`with_changes`), alone and together.

    Returns
    -------
    portfolio : Portfolio
        The base portfolio.
    problems : list of Problem
        One per change that names nothing or that the portfolio refuses.

    Raises
    ------
    ConfigError
        The base portfolio itself is invalid.
    """
    spec = loaded.spec
    portfolio = load_portfolio(spec.portfolio)  # type: ignore[union-attr]
    problems: list[Problem] = []
    for path, value in spec.changes.items():  # type: ignore[union-attr]
        try:
            field_value(portfolio, path)
        except ConfigError as exc:
            problems.append(problem_at(loaded.source, ("changes", path), str(exc), key=True))
            continue
        try:
            with_changes(portfolio, {path: value})
        except ConfigError as exc:
            problems.append(problem_at(loaded.source, ("changes", path), str(exc)))
    if not problems and len(spec.changes) > 1:  # type: ignore[union-attr]
        try:
            with_changes(portfolio, spec.changes)  # type: ignore[union-attr]
        except ConfigError as exc:
            problems.append(problem_at(loaded.source, ("changes",), f"the changes together: {exc}", key=True))
    return portfolio, problems
