"""Each cross-file rule of a finished portfolio, both ways, through ``validate`` and ``load_portfolio``.

Every rule has a valid variant (edits that keep the portfolio runnable: it must pass) and an
invalid one (it must fail with the file, the field and what was expected). Both go through
the CLI's ``validate`` (exit 0 / exit 2 with the words) and through :func:`load_portfolio`
(a ConfigError whose problem names the file and the field), so the command and the loader a
run uses accept the same inputs.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from energy_portfolio.cli import app
from energy_portfolio.config import BatterySite, SolarSite, WindSite, load_portfolio
from energy_portfolio.config.changes import with_changes
from energy_portfolio.errors import ConfigError

from ..conftest import ROOT, SITES

Edit = tuple[str, str, str]  # file under the project copy, old text (must occur once), new text

REFERENCE_FILES = tuple(sorted(f"sites/reference/{p.name}" for p in (ROOT / "sites" / "reference").glob("*.yaml")))
TZ_FILES = ("sites/portfolio.yaml", "sites/caspian_offshore_wind.yaml", "sites/fuzuli_solar.yaml",
            "sites/fuzuli_bess.yaml", *REFERENCE_FILES)
GRID, PORT, SOLAR, BESS = ("sites/azerbaijan_grid.yaml", "sites/portfolio.yaml", "sites/fuzuli_solar.yaml",
                           "sites/fuzuli_bess.yaml")
STORAGE = "site: reference/azerenerji_bess.yaml"
SOLAR_PROFILE = "site: reference/early_solar.yaml"
CANONICAL_HEAD = ("# latitude: 40.4\n# longitude: 49.9\n# elevation_m: 0\n# timezone: Asia/Baku\n# source: test\n"
                  "# interval: start\n")
DEMAND_WEATHER = ("source: synthetic\n        climatology: ../weather/absheron_offshore_climatology.yaml\n"
                  "        seed: 2032 ")
DEMAND_FILE = "source: file\n        path: ../weather/demand.csv\n        format: canonical "


@dataclass(frozen=True)
class Rule:
    id: str
    valid: tuple[Edit, ...]
    invalid: tuple[Edit, ...]
    file: str  # file the problem is reported in
    field: str  # field the problem names
    says: str  # fragment of the message
    new_files: tuple[tuple[str, str], ...] = ()  # files written before the edits (both variants)


def _tz(zone: str, files=TZ_FILES) -> tuple[Edit, ...]:
    out = []
    for f in files:
        old = "timezone: Asia/Baku" if f == PORT else "  timezone: Asia/Baku"
        out.append((f, old, old.replace("Asia/Baku", zone)))
    return tuple(out)


def _profile_csv(column: str) -> tuple[tuple[str, str], ...]:
    return (("weather/solar_profile.csv", f"# hourly capacity factor\ntime,{column}\n2032-01-01T00:00:00+04:00,0\n"),)


VOLL = "value_of_lost_load_usd_per_mwh: 3000"


RESERVES = "reserves:\n"


def _reserves(mfrr_demand_share: float) -> str:
    """The grid's reserve list with an FCR and an mFRR product (up only) added in front."""
    return (f"{RESERVES}  - id: fcr_t\n    direction: symmetric\n    activation_min: 0.5\n"
            "    sustain_min: 15\n    sizing: largest_infeed\n  - id: mfrr\n    direction: up\n"
            f"    activation_min: 12.5\n    sustain_min: 60\n    demand_share: {mfrr_demand_share}\n"
            "    wind_solar_share: 0.05\n")


RULES = [
    Rule("storage-is-a-battery", (), ((GRID, STORAGE, "site: reference/early_solar.yaml"),), GRID,
         "existing_storage[0](azerenerji_bess).site", "a solar config; expected a battery config (kind: battery)"),
    Rule("storage-is-standalone", (), ((GRID, STORAGE, "site: fuzuli_bess.yaml"),), GRID,
         "existing_storage[0](azerenerji_bess).site", "coupling ac_coupled (line"),
    Rule("reference-site-of-the-technology", (), ((GRID, SOLAR_PROFILE, "site: reference/khizi_absheron_wind.yaml"),),
         GRID, "existing_renewables[0](early_solar).profile.site",
         "a wind config; expected a solar site config (kind: solar)"),
    Rule("reference-site-is-a-site", (), ((GRID, SOLAR_PROFILE, "site: reference/azerenerji_bess.yaml"),),
         GRID, "existing_renewables[0](early_solar).profile.site", "a battery config; expected a solar site"),
    Rule("climatology-is-a-climatology",
         ((SOLAR, "  climatology: ../weather/fuzuli_climatology.yaml\n",
           "  climatology: ../weather/absheron_offshore_climatology.yaml\n"),),
         ((SOLAR, "  climatology: ../weather/fuzuli_climatology.yaml\n", "  climatology: fuzuli_bess.yaml\n"),),
         SOLAR, "weather_years.climatology", "a battery config; expected a climatology config (kind: climatology)"),
    # valid: another canonical file of the site's own place (a copy); invalid: a YAML file as canonical weather
    Rule("weather-file-in-its-format",
         ((SOLAR, "path: ../weather/fuzuli_synthetic_2032.csv", "path: ../weather/fuzuli_copy.csv"),),
         ((SOLAR, "path: ../weather/fuzuli_synthetic_2032.csv", "path: ../weather/fuzuli_climatology.yaml"),),
         SOLAR, "weather.path", "header lacks latitude",
         (("weather/fuzuli_copy.csv", (ROOT / "weather" / "fuzuli_synthetic_2032.csv").read_text()),)),
    Rule("demand-weather-has-temp-air",
         ((GRID, DEMAND_WEATHER, DEMAND_FILE), ("weather/demand.csv", "time,wind_speed", "time,temp_air")),
         ((GRID, DEMAND_WEATHER, DEMAND_FILE),),
         GRID, "zones[0](az_main).demand.weather.path", "no column temp_air",
         new_files=(("weather/demand.csv", CANONICAL_HEAD + "time,wind_speed\n2032-01-01T00:00:00+04:00,5\n"),)),
    Rule("profile-csv-has-the-column",
         ((GRID, "source: site\n      " + SOLAR_PROFILE, "source: file\n      path: ../weather/solar_profile.csv\n"
           "      column: cf"),),
         ((GRID, "source: site\n      " + SOLAR_PROFILE, "source: file\n      path: ../weather/solar_profile.csv\n"
           "      column: capacity_factor"),),
         GRID, "existing_renewables[0](early_solar).profile.column", "has no column 'capacity_factor'",
         new_files=_profile_csv("cf")),
    Rule("sites-in-the-study-time-zone", _tz("Asia/Dubai"), _tz("UTC", (BESS,)), BESS, "location.timezone",
         "differs from the study time zone 'Asia/Baku' of portfolio sites/portfolio.yaml"),
    Rule("reference-site-in-the-study-time-zone", _tz("Asia/Dubai"),
         _tz("UTC", ("sites/reference/khizi_absheron_wind.yaml",)), "sites/reference/khizi_absheron_wind.yaml",
         "location.timezone", "reference site of existing_renewables 'khizi_absheron_wind'"),
    Rule("existing-storage-in-the-study-time-zone", _tz("Asia/Dubai"),
         _tz("UTC", ("sites/reference/azerenerji_bess.yaml",)), "sites/reference/azerenerji_bess.yaml",
         "location.timezone", "existing_storage 'azerenerji_bess'"),
    Rule("portfolio-in-its-sites-time-zone", _tz("Asia/Dubai"), _tz("UTC", (PORT,)), PORT, "timezone",
         "differs from time zone 'Asia/Baku' of every site file"),
    Rule("hydro-scenario-in-every-plant", ((PORT, "hydro_scenario: null", "hydro_scenario: wet"),),
         ((PORT, "hydro_scenario: null", "hydro_scenario: drought"),), PORT, "options.hydro_scenario",
         "hydro plant 'mingachevir' of grid sites/azerbaijan_grid.yaml"),
    Rule("coupled-to-a-generating-site", ((BESS, "site: fuzuli_solar", "site: caspian_offshore_wind"),),
         ((BESS, "site: fuzuli_solar", "site: azerenerji_bess"),), BESS, "coupling.site",
         "no solar or wind site with this id"),
    Rule("site-ids-unique", ((BESS, "id: fuzuli_bess", "id: fuzuli_battery"),),
         ((BESS, "id: fuzuli_bess", "id: fuzuli_solar"),), PORT, "sites[2].file", "site ids must be unique"),
    Rule("site-ids-not-grid-ids", ((BESS, "id: fuzuli_bess", "id: fuzuli_battery"),),
         ((BESS, "id: fuzuli_bess", "id: azerenerji_bess"),), PORT, "sites[2].file", "id of a unit in the grid file"),
    # Up reserve at load, summed over the grid's own products and two added in front: FCR sized to
    # the largest thermal unit (Shimal, 400 x 0.9 = 360 MW) and mFRR demand shares of the 4,900 MW
    # peak. Valid: the grid's fcr (360) + afrr_up (0.01 x 4,900 = 49) + 360 + 0.02 x 4,900 = 867 MW;
    # invalid: adding 4,900 + 4,900 MW goes above the ~6,900 MW of thermal, 1,364 MW of hydro
    # headroom and the batteries' charge + discharge power together.
    Rule("reserves-the-fleet-can-hold", ((GRID, RESERVES, _reserves(0.02)),), ((GRID, RESERVES, _reserves(1.0) + (
        "  - id: mfrr_b\n    direction: up\n    activation_min: 12.5\n    sustain_min: 60\n"
        "    demand_share: 1.0\n    wind_solar_share: 0.0\n")),), GRID, "reserves[2](mfrr_b).demand_share",
        "expected a requirement the fleet can meet"),
    Rule("demand-peak-hour-the-shape-takes", ((GRID, "peak_hour: 15", "peak_hour: 16"),),
         ((GRID, "peak_hour: 15", "peak_hour: 19"),), GRID, "zones[0](az_main).demand.peak_hour",
         "the synthetic shape expects 8 < peak_hour < evening_shoulder_hour - 1"),
    Rule("min-up-down-within-the-window",
         ((PORT, "window_h: 48", "window_h: 12"), (PORT, "step_h: 24", "step_h: 6")),
         ((PORT, "window_h: 48", "window_h: 6"), (PORT, "step_h: 24", "step_h: 6")),
         GRID, "thermal_units[0](azerbaijan_tpp_steam).min_up_h",
         "longer than the rolling-horizon window options.dispatch.window_h = 6 h"),
]


def _apply(root: Path, rule: Rule, edits: tuple[Edit, ...]) -> None:
    for name, text in rule.new_files:
        (root / name).write_text(text)
    for name, old, new in edits:
        path = root / name
        text = path.read_text()
        assert text.count(old) == 1, f"rule {rule.id}: {old!r} must occur once in {name}"
        path.write_text(text.replace(old, new))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_through_validate(project_copy: Path, rule: Rule):
    _apply(project_copy, rule, rule.valid)
    ok = CliRunner().invoke(app, ["validate", "sites/portfolio.yaml"])
    assert ok.exit_code == 0, ok.output
    _restore(project_copy)  # the invalid variant starts again from the shipped files
    _apply(project_copy, rule, rule.invalid)
    bad = CliRunner().invoke(app, ["validate", "sites/portfolio.yaml"])
    assert bad.exit_code == 2, bad.output
    assert f"{rule.file}, line " in bad.output, bad.output
    assert f": {rule.field}\n" in bad.output, bad.output
    assert rule.says in bad.output, bad.output


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_through_load_portfolio(project_copy: Path, rule: Rule):
    _apply(project_copy, rule, rule.valid)
    load_portfolio("sites/portfolio.yaml")
    _restore(project_copy)
    _apply(project_copy, rule, rule.invalid)
    with pytest.raises(ConfigError) as caught:
        load_portfolio("sites/portfolio.yaml")
    matching = [p for p in caught.value.problems if p.file == rule.file and p.field == rule.field]
    assert matching, [str(p) for p in caught.value.problems]
    assert matching[0].line is not None
    assert any(rule.says in p.message for p in matching), [str(p) for p in matching]


def _restore(root: Path) -> None:
    import shutil

    for folder in ("sites", "weather"):
        shutil.rmtree(root / folder)
        shutil.copytree(SITES.parent / folder, root / folder)


def test_time_zone_mismatch_is_caught_at_load_naming_both_files_and_zones(project_copy: Path):
    path = project_copy / "sites" / "fuzuli_solar.yaml"
    path.write_text(path.read_text().replace("timezone: Asia/Baku", "timezone: UTC"))
    with pytest.raises(ConfigError) as caught:
        load_portfolio("sites/portfolio.yaml")
    (problem,) = caught.value.problems
    text = str(problem)
    assert problem.file == "sites/fuzuli_solar.yaml" and problem.field == "location.timezone"
    assert "sites/portfolio.yaml" in text and "'UTC'" in text and "'Asia/Baku'" in text


def test_portfolio_in_another_time_zone_is_one_problem_naming_the_site_files(project_copy: Path):
    path = project_copy / "sites" / "portfolio.yaml"
    path.write_text(path.read_text().replace("timezone: Asia/Baku", "timezone: UTC"))
    with pytest.raises(ConfigError) as caught:
        load_portfolio("sites/portfolio.yaml")
    (problem,) = caught.value.problems
    assert (problem.file, problem.field) == ("sites/portfolio.yaml", "timezone")
    for name in ("sites/fuzuli_solar.yaml", "sites/reference/khizi_absheron_wind.yaml",
                 "sites/reference/azerenerji_bess.yaml", "'UTC'", "'Asia/Baku'"):
        assert name in problem.message


def test_rules_cover_the_cross_file_checks():
    assert len(RULES) >= 15
    assert len({r.id for r in RULES}) == len(RULES)


def test_finished_portfolio_carries_the_resolved_files():
    portfolio = load_portfolio(SITES / "portfolio.yaml")
    assert list(portfolio.reference_sites) == [u.id for u in portfolio.grid.existing_renewables]
    assert isinstance(portfolio.reference_sites["garadagh_solar"], SolarSite)
    assert isinstance(portfolio.reference_sites["khizi_absheron_wind"], WindSite)
    assert list(portfolio.existing_storage) == ["azerenerji_bess", "acwa_bess"]
    assert isinstance(portfolio.existing_storage["azerenerji_bess"], BatterySite)
    root = SITES.parent
    files = [f.relative_to(root).as_posix() for f in portfolio.files]
    assert files[:5] == ["sites/portfolio.yaml", "sites/azerbaijan_grid.yaml", "sites/caspian_offshore_wind.yaml",
                         "sites/fuzuli_solar.yaml", "sites/fuzuli_bess.yaml"]
    assert sorted(files[5:]) == sorted([
        *REFERENCE_FILES, "weather/absheron_offshore_climatology.yaml",
        "weather/absheron_gobustan_coast_climatology.yaml",
        "weather/absheron_khizi_ridge_climatology.yaml", "weather/kur_araz_lowland_climatology.yaml",
        "weather/caspian_offshore_synthetic_2032.csv", "weather/fuzuli_climatology.yaml",
        "weather/fuzuli_synthetic_2032.csv",
    ])
    assert all(f.is_absolute() for f in portfolio.files)
    with pytest.raises(TypeError):
        portfolio.reference_sites["x"] = portfolio.sites[0]  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        portfolio.files = ()  # type: ignore[misc]


def test_with_changes_runs_the_cross_file_checks_again():
    portfolio = load_portfolio(SITES / "portfolio.yaml")
    assert with_changes(portfolio, {"options.hydro_scenario": "dry"}).spec.options.hydro_scenario == "dry"
    with pytest.raises(ConfigError, match="hydro plant 'mingachevir'"):
        with_changes(portfolio, {"options.hydro_scenario": "drought"})
    with pytest.raises(ConfigError, match="time zone 'Asia/Baku' of every site file"):
        with_changes(portfolio, {"timezone": "UTC"})
    changed = with_changes(portfolio, {"sites.fuzuli_bess.energy_mwh": 500})
    assert changed.reference_sites == portfolio.reference_sites and changed.files == portfolio.files
