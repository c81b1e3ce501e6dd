"""`energy-portfolio yield` on the shipped sites: DESIGN.md's JSON, a readable table, hourly CSV."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from energy_portfolio.cli import app

from .conftest import ROOT

SITE_KEYS = {"technology", "capacity_mw", "annual_energy_mwh", "capacity_factor", "losses", "monthly_energy_mwh"}
WIND_KEYS = {"hub_height_m", "n_turbines", "rotor_diameter_m", "gross_energy_mwh", "power_curve"}


@pytest.fixture(scope="module")
def outputs():
    runner = CliRunner()
    out = {}
    for site in ("fuzuli_solar", "caspian_offshore_wind"):
        result = runner.invoke(app, ["yield", str(ROOT / "sites" / f"{site}.yaml"), "--format", "json"])
        assert result.exit_code == 0, result.output
        out[site] = json.loads(result.stdout)
    return out


def test_json_has_the_keys_of_design_md(outputs):
    solar, wind = outputs["fuzuli_solar"], outputs["caspian_offshore_wind"]
    assert SITE_KEYS <= solar.keys() and "specific_yield_kwh_per_kwp" in solar
    assert SITE_KEYS | WIND_KEYS <= wind.keys()
    assert set(wind["power_curve"]) == {"wind_speed_m_s", "power_kw"}


@pytest.mark.parametrize("site", ["fuzuli_solar", "caspian_offshore_wind"])
def test_json_figures_are_consistent(outputs, site):
    doc = outputs[site]
    hours = 8784  # the default study weather is laid on 2028 / 2032, both leap years
    assert sum(doc["monthly_energy_mwh"]) == pytest.approx(doc["annual_energy_mwh"], rel=1e-9)
    assert doc["capacity_factor"] == pytest.approx(doc["annual_energy_mwh"] / (doc["capacity_mw"] * hours), rel=1e-9)
    assert 0.1 < doc["capacity_factor"] < 0.6


def test_table_prints_the_waterfall_and_csv_has_one_row_per_hour():
    runner = CliRunner()
    path = str(ROOT / "sites" / "fuzuli_solar.yaml")
    table = runner.invoke(app, ["yield", path])
    assert table.exit_code == 0, table.output
    assert "loss waterfall" in table.stdout and "inverter_clipping" in table.stdout
    csv = runner.invoke(app, ["yield", path, "--format", "csv"])
    frame = pd.read_csv(io.StringIO(csv.stdout), index_col="time")
    assert len(frame) == 8784 and "net_mw" in frame.columns


def test_battery_site_has_no_yield():
    result = CliRunner().invoke(app, ["yield", str(ROOT / "sites" / "fuzuli_bess.yaml")])
    assert result.exit_code != 0
    assert "no weather-driven production model" in str(result.exception) + result.output


def test_wind_far_from_hub_height_is_warned(tmp_path):
    config = (ROOT / "sites" / "caspian_offshore_wind.yaml").read_text()
    config = config.replace("hub_height_m: 150", "hub_height_m: 260").replace("../weather/", f"{ROOT}/weather/")
    path = tmp_path / "tall.yaml"
    path.write_text(config)
    result = CliRunner().invoke(app, ["yield", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "far from the hub height 260 m" in result.stderr
