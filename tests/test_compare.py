"""compare: exactly the fields that differ, and deltas against the first config."""

from __future__ import annotations

import pytest

from energy_portfolio.compare import config_differences, metric_table
from energy_portfolio.config import load_portfolio, read_config


def test_two_site_files_differing_in_one_field_list_exactly_that_field(project_copy):
    base = project_copy / "sites" / "fuzuli_bess.yaml"
    other = project_copy / "sites" / "fuzuli_bess_big.yaml"
    other.write_text(base.read_text().replace("energy_mwh: 250", "energy_mwh: 500"))
    diffs = config_differences([read_config(base).spec, read_config(other).spec])
    assert [(d.path, d.values) for d in diffs] == [("energy_mwh", (250.0, 500.0))]


def test_portfolios_pointing_at_copies_differ_only_in_the_changed_field(project_copy):
    sites = project_copy / "sites"
    (sites / "fuzuli_bess_big.yaml").write_text(
        (sites / "fuzuli_bess.yaml").read_text().replace("energy_mwh: 250", "energy_mwh: 500")
    )
    (sites / "portfolio_big.yaml").write_text(
        (sites / "portfolio.yaml").read_text().replace("file: fuzuli_bess.yaml", "file: fuzuli_bess_big.yaml")
    )
    diffs = config_differences([load_portfolio(sites / "portfolio.yaml"), load_portfolio(sites / "portfolio_big.yaml")])
    assert [d.path for d in diffs] == ["sites.fuzuli_bess.energy_mwh"]


def test_identical_configs_have_no_differences(project_copy):
    spec = read_config(project_copy / "sites" / "fuzuli_solar.yaml").spec
    assert config_differences([spec, spec]) == []


def test_metric_rows_give_absolute_and_relative_differences_against_the_first():
    a = {"sites": {"s": {"annual_energy_mwh": 100.0, "technology": "wind"}}, "dispatch": {"gas_saved_mcm": 0.0}}
    b = {"sites": {"s": {"annual_energy_mwh": 110.0, "technology": "wind"}}, "dispatch": {"gas_saved_mcm": 5.0}}
    rows = {r.path: r for r in metric_table([a, b])}
    energy = rows["sites.s.annual_energy_mwh"]
    assert energy.deltas == (pytest.approx(10.0),)
    assert energy.relative_deltas == (pytest.approx(0.10),)
    assert rows["dispatch.gas_saved_mcm"].relative_deltas == (None,)  # no percentage of zero


def test_compare_command_lists_exactly_the_changed_field(project_copy):
    import json

    from typer.testing import CliRunner

    from energy_portfolio.cli import app

    sites = project_copy / "sites"
    (sites / "fuzuli_bess_big.yaml").write_text(
        (sites / "fuzuli_bess.yaml").read_text().replace("energy_mwh: 250", "energy_mwh: 500")
    )
    result = CliRunner().invoke(app, ["compare", "sites/fuzuli_bess.yaml", "sites/fuzuli_bess_big.yaml",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["differences"] == [{"field": "energy_mwh", "values": [250.0, 500.0]}]
    for fmt in ("table", "csv", "html"):
        out = project_copy / f"cmp.{fmt}"
        result = CliRunner().invoke(app, ["compare", "sites/fuzuli_bess.yaml", "sites/fuzuli_bess_big.yaml",
                                          "--format", fmt, "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert "energy_mwh" in out.read_text()


def test_identical_inputs_are_run_once(project_copy, monkeypatch):
    import energy_portfolio.portfolio as portfolio_module
    from energy_portfolio.compare import compare_configs

    sites = project_copy / "sites"
    (sites / "solar_copy.yaml").write_text((sites / "fuzuli_solar.yaml").read_text())
    calls = []
    real = portfolio_module.run_site

    def counting(spec, **kwargs):
        calls.append(spec.id)
        return real(spec, **kwargs)

    monkeypatch.setattr(portfolio_module, "run_site", counting)
    comparison = compare_configs([sites / "fuzuli_solar.yaml", sites / "solar_copy.yaml"])
    assert calls == ["fuzuli_solar"]
    assert comparison.differences == ()
    energy = next(r for r in comparison.metrics if r.path == "site.annual_energy_mwh")
    assert energy.deltas == (0.0,)
