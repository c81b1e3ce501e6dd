"""Named scenarios (``report --scenarios``): the folder's checks, the ranges, and a run end to end.

The ranges are checked against a hand-made table; the end-to-end run against separate runs of the
same changed portfolios (``with_changes`` + ``run_portfolio``), the independent reference for what
the sweep machinery computes on its workers.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from energy_portfolio.config.changes import with_changes
from energy_portfolio.errors import ConfigError, InputError
from energy_portfolio.portfolio import run_portfolio
from energy_portfolio.portfolio.ranges import HeadlineMetric, scenario_ranges
from energy_portfolio.sweep import load_scenario_set, scenario_sweep
from tests.conftest import SITES
from tests.in_process import run_cli

BASE = SITES / "portfolio_energy_only.yaml"


def _write(folder: Path, name: str, body: str, base: Path = BASE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(f"kind: scenario\nname: {name}\ndescription: test scenario {name}\nportfolio: {base}\n" + body)
    return path


def _two_scenarios(folder: Path) -> Path:
    _write(folder, "central", "central: true\n")
    _write(folder, "gas_at_tariff", "changes:\n  options.dispatch.gas_price_basis: tariff\n")
    _write(folder, "dry_year", "changes:\n  options.hydro_scenario: dry\n")
    return folder


def test_a_folder_of_scenarios_is_read_in_file_order(tmp_path):
    scenario_set = load_scenario_set(_two_scenarios(tmp_path / "s"))
    assert [s.name for s in scenario_set.scenarios] == ["central", "dry_year", "gas_at_tariff"]
    assert [s.name for s in scenario_set.varied] == ["dry_year", "gas_at_tariff"]
    assert scenario_set.central_name == "central"
    assert scenario_set.scenarios[1].changes == {"options.hydro_scenario": "dry"}


@pytest.mark.parametrize(
    ("files", "words"),
    [
        ({"typo": "changes:\n  sites.fuzuli_solar.capacity_ac_mww: 300\n"},
         ["typo.yaml", "line 6", "capacity_ac_mww"]),
        ({"bad_value": "changes:\n  options.hydro_scenario: monsoon\n"}, ["bad_value.yaml", "line 6", "monsoon"]),
        ({"nothing": "changes: {}\n"}, ["nothing.yaml", "expected at least one change"]),
        ({"central_changes": "central: true\nchanges:\n  options.hydro_scenario: dry\n"},
         ["central_changes.yaml", "expected no changes in the central scenario"]),
        ({"a": "central: true\n", "b": "central: true\n"}, ["b.yaml", "a second central scenario"]),
        ({"a": "changes:\n  options.hydro_scenario: dry\n", "b": "changes:\n  options.hydro_scenario: dry\n"},
         ["b.yaml", "makes the same changes as"]),
        ({"unknown_key": "chnages:\n  options.hydro_scenario: dry\n"}, ["unknown_key.yaml", "chnages"]),
    ],
    ids=["misspelt-path", "refused-value", "no-changes", "central-with-changes", "two-centrals", "duplicate",
         "unknown-field"],
)
def test_a_bad_scenario_file_is_refused_with_file_line_and_field(tmp_path, files, words):
    folder = tmp_path / "s"
    for name, body in files.items():
        _write(folder, name, body)
    with pytest.raises(ConfigError) as info:
        load_scenario_set(folder)
    for word in words:
        assert word in str(info.value)


def test_scenarios_of_another_portfolio_are_refused(tmp_path):
    folder = _two_scenarios(tmp_path / "s")
    other = SITES / "portfolio_with_pumped_hydro.yaml"
    _write(folder, "other", "changes:\n  options.hydro_scenario: wet\n", base=other)
    with pytest.raises(ConfigError, match=r"(?s)other\.yaml.*expected the base portfolio"):
        load_scenario_set(folder)


def test_an_empty_or_missing_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="expected a folder of scenario files"):
        load_scenario_set(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no scenario files"):
        load_scenario_set(tmp_path / "empty")


def test_validate_checks_a_scenario_file_against_its_base_portfolio(tmp_path, monkeypatch, capsys):
    good = _write(tmp_path, "dry", "changes:\n  options.hydro_scenario: dry\n")
    bad = _write(tmp_path, "typo", "changes:\n  grid.thermal_units.janub_ccgt.capacity_mww: 1\n")
    code, text = run_cli(monkeypatch, capsys, "validate", str(good))
    assert code == 0, text
    code, text = run_cli(monkeypatch, capsys, "validate", str(bad))
    assert code == 2
    assert "typo.yaml" in text and "line 6" in text and "capacity_mww" in text


def test_ranges_low_high_and_what_moves_each_figure_most():
    """A hand-made table: the range is the min and max over every scenario, the central one included;
    'moved most by' is the scenario furthest from the central value, None when nothing moves."""
    metrics = (HeadlineMetric("a", "a", "x"), HeadlineMetric("b", "b", "x"), HeadlineMetric("c", "c", "x"))
    values = pd.DataFrame({"a": [10.0, 4.0, 13.0], "b": [5.0, 5.0, 5.0], "c": [1.0, None, 3.0]},
                          index=["central", "low_demand", "high_demand"])
    a, b, c = scenario_ranges(metrics, values, "central")
    assert (a.low, a.high, a.low_scenario, a.high_scenario, a.moved_most_by) == (4, 13, "low_demand", "high_demand",
                                                                                 "low_demand")  # |4-10| > |13-10|
    assert (b.low, b.high, b.moved_most_by) == (5, 5, None)
    assert (c.low, c.high, c.moved_most_by) == (1, 3, "high_demand")  # a missing value is left out


@pytest.mark.slow
def test_report_with_scenarios_gives_each_scenario_as_a_separate_run_would(tmp_path, monkeypatch, capsys):
    """The sweep's rows against the same changed portfolios run here, one by one: equal to 1e-9 relative
    (the same LP on the same inputs; HiGHS is deterministic with one thread)."""
    folder = _two_scenarios(tmp_path / "s")
    out, work = tmp_path / "report", tmp_path / "work"
    code, text = run_cli(monkeypatch, capsys, "report", str(BASE), "--scenarios", str(folder), "--out", str(out),
                         "--scenarios-out", str(work), "--workers", "1")
    assert code == 0, text
    assert "2 of 2 scenarios complete" in text
    summary = json.loads((out / "summary.json").read_text())
    block = summary["scenarios"]
    assert [c["name"] for c in block["cases"]] == ["central", "dry_year", "gas_at_tariff"]
    gas = block["ranges"]["dispatch.gas_saved_mcm"]
    assert gas["central"] == summary["dispatch"]["gas_saved_mcm"]  # the central case is the report's own run
    table = pd.read_csv(out / "scenarios.csv", index_col="scenario")
    base = load_scenario_set(folder).portfolio
    for name, changes in (("gas_at_tariff", {"options.dispatch.gas_price_basis": "tariff"}),
                          ("dry_year", {"options.hydro_scenario": "dry"})):
        alone = run_portfolio(with_changes(base, changes)).metrics()
        assert math.isclose(table.loc[name, "gas saved [million m3/yr]"], alone["dispatch.gas_saved_mcm"],
                            rel_tol=1e-5)  # scenarios.csv holds 6 significant digits
    low = min(table["gas saved [million m3/yr]"])
    assert math.isclose(gas["low"], low, rel_tol=1e-5)
    assert "Headline figures across scenarios" in (out / "report.md").read_text()


def test_the_shipped_scenarios_validate_against_the_shipped_portfolio(monkeypatch, capsys):
    """Each file of scenarios/ names only fields of sites/portfolio.yaml (``validate`` and the loader agree)."""
    folder = SITES.parent / "scenarios"
    scenario_set = load_scenario_set(folder, base=SITES / "portfolio.yaml")
    assert scenario_set.central_name == "central"
    assert len(scenario_set.varied) >= 5
    code, text = run_cli(monkeypatch, capsys, "validate", *map(str, sorted(folder.glob("*.yaml"))))
    assert code == 0, text


def test_a_list_field_changed_to_a_plain_value_is_written_as_a_table_cell(tmp_path):
    """``carries`` is a list in the base grid and 'renewables' in one scenario: the results table holds both
    (the list as its JSON text), so parquet can write the column (it refused a list mixed with text)."""
    from energy_portfolio.sweep.execute import _table

    folder = tmp_path / "s"
    _write(folder, "central", "central: true\n")
    _write(folder, "corridor", "changes:\n  grid.interconnectors.black_sea_corridor.carries: renewables\n")
    _write(folder, "dry", "changes:\n  options.hydro_scenario: dry\n")
    sweep = scenario_sweep(load_scenario_set(folder), ("dispatch.gas_saved_mcm",), "t")
    rows = {s.id: {"scenario_id": s.id, **sweep.parameter_values(s), "status": "ok"} for s in sweep.scenarios}
    table = _table(sweep, rows)
    column = "grid.interconnectors.black_sea_corridor.carries"
    assert sorted(table[column]) == ['["caspian_offshore_wind"]', "renewables"]
    table.to_parquet(tmp_path / "t.parquet", engine="pyarrow", index=False)
