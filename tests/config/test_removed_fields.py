"""Fields removed from the specs get a message that says why, and the config modules form no import cycle."""

from __future__ import annotations

import ast
from pathlib import Path

from typer.testing import CliRunner

import energy_portfolio.config as config_package
from energy_portfolio.cli import app
from energy_portfolio.config.grid import MORNING_RAMP_HOUR
from energy_portfolio.config.headers import CANONICAL_HEADER_KEYS
from energy_portfolio.dispatch.demand import NIGHT_MINIMUM_HOUR
from energy_portfolio.weather import canonical


def _validate(root: Path, name: str, old: str, new: str):
    path = root / "sites" / name
    text = path.read_text()
    assert text.count(old) == 1
    path.write_text(text.replace(old, new))
    return CliRunner().invoke(app, ["validate", f"sites/{name}"])


def test_operating_year_is_refused_with_the_reason(project_copy: Path):
    result = _validate(project_copy, "portfolio.yaml", "  weather_years: 1",
                       "  weather_years: 1\n  operating_year: 3")
    assert result.exit_code == 2
    assert "options.operating_year\n" in result.output
    assert "derived per site from study_year and the site's commissioning_year" in result.output


def test_battery_fade_per_cycle_as_a_percentage_is_refused(project_copy: Path):
    # capacity_fade_per_cycle is modelled again (economics.storage); a percentage is caught.
    result = _validate(project_copy, "fuzuli_bess.yaml", "capacity_fade_per_cycle: 0.000033",
                       "capacity_fade_per_cycle: 0.0033")
    assert result.exit_code == 2
    assert "degradation.capacity_fade_per_cycle\n" in result.output
    assert "is it a percentage?" in result.output


def test_config_copies_of_other_layers_constants_agree():
    # config cannot import the weather readers or the dispatch layer (they import config)
    assert CANONICAL_HEADER_KEYS == canonical._REQUIRED
    assert MORNING_RAMP_HOUR == NIGHT_MINIMUM_HOUR + 4


def test_config_modules_import_each_other_without_a_cycle():
    folder = Path(config_package.__file__).parent
    graph: dict[str, set[str]] = {}
    for path in folder.glob("*.py"):
        imports = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    imports.add(node.module.split(".")[0])
                else:
                    imports.update(alias.name for alias in node.names)
        graph[path.stem] = imports & {p.stem for p in folder.glob("*.py")}

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == target or (nxt not in seen and reaches(nxt, target, seen | {nxt})):
                return True
        return False

    cycles = [m for m in graph if m != "__init__" and reaches(m, m, {m})]
    assert not cycles, f"config modules in an import cycle: {cycles}"
