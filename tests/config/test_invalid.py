"""A table of invalid configs: each must exit 2 and name the file, the line and the field.

Each case edits one shipped config in a scratch copy (one textual replacement), runs
``energy-portfolio validate`` through typer's runner and checks the message. The expected
line is found in the edited file itself (the line holding ``marker``), so the table does
not hard-code line numbers that drift when the defaults are edited.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from energy_portfolio.cli import app


@dataclass(frozen=True)
class Case:
    id: str
    edit: str  # file edited, relative to sites/
    old: str
    new: str
    field: str  # dotted field path expected in the message
    says: str  # fragment of the expected message
    marker: str | None = None  # text on the expected line (default: first line of `new`)
    validate: str | None = None  # file validated (default: the edited file)
    reported: str | None = None  # file named in the message (default: the edited file)


SOLAR, WIND, BESS, GRID, PORT = (
    "fuzuli_solar.yaml",
    "caspian_offshore_wind.yaml",
    "fuzuli_bess.yaml",
    "azerbaijan_grid.yaml",
    "portfolio.yaml",
)
ONSHORE = "reference/khizi_absheron_wind.yaml"

CASES = [
    # --- financing (economics.financing, the investor's view) ----------------------------------
    Case("bess-debt-tenor-beyond-life", BESS, "debt_tenor_years: 10", "debt_tenor_years: 20",
         "economics.financing.debt_tenor_years", "expected at most the site's lifetime_years (15)"),
    Case("solar-tax-percent", SOLAR, "corporate_tax_rate: 0.20", "corporate_tax_rate: 20",
         "economics.financing.corporate_tax_rate", "20 looks like a percentage, write 0.2"),
    Case("wind-depreciation-schedule-and-years", WIND, "depreciation: straight_line",
         "depreciation: schedule\n    depreciation_schedule: [0.5, 0.4]", "economics.financing.depreciation_years",
         "depreciation: schedule takes depreciation_schedule, not depreciation_years",
         marker="depreciation_years"),
    # --- solar -----------------------------------------------------------------------------
    Case("solar-percent", SOLAR, "availability: 0.99", "availability: 99", "availability",
         "99 looks like a percentage, write 0.99"),
    Case("solar-unknown-key", SOLAR, "albedo: 0.25", "albedoo: 0.25", "albedoo",
         "unknown field 'albedoo'; did you mean 'albedo'?"),
    Case("solar-mount-type", SOLAR, "type: single_axis", "type: single_axes", "mounting.type",
         "did you mean 'single_axis'?"),
    Case("solar-dc-ac-range", SOLAR, "dc_ac_ratio: 1.25", "dc_ac_ratio: 5", "dc_ac_ratio",
         "less than or equal to 2"),
    Case("solar-soiling-length", SOLAR, "soiling: [0.02, 0.02, 0.025,", "soiling: [0.02, 0.025,",
         "losses.soiling", "list of 12 monthly values, found 11"),
    Case("solar-missing-weather-file", SOLAR, "path: ../weather/fuzuli_synthetic_2032.csv",
         "path: ../weather/nope.csv", "weather.path", "file not found"),
    Case("solar-tilt-range", SOLAR, "axis_tilt_deg: 0", "axis_tilt_deg: 60", "mounting.axis_tilt_deg",
         "less than or equal to 45"),
    Case("solar-both-dc-sizes", SOLAR, "dc_ac_ratio: 1.25", "dc_ac_ratio: 1.25\ncapacity_dc_mwp: 300",
         "dc_ac_ratio", "exactly one of dc_ac_ratio and capacity_dc_mwp"),
    Case("solar-timezone", SOLAR, "timezone: Asia/Baku", "timezone: Asia/Bakuu", "location.timezone",
         "IANA time zone"),
    Case("solar-latitude", SOLAR, "latitude: 39.600", "latitude: 139.600", "location.latitude",
         "less than or equal to 90"),
    Case("solar-not-a-number", SOLAR, "capacity_ac_mw: 240", "capacity_ac_mw: lots", "capacity_ac_mw",
         "= 'lots': expected a valid number"),
    Case("solar-duplicate-key", SOLAR, "albedo: 0.25", "albedo: 0.25\nalbedo: 0.3", "albedo",
         "duplicate key 'albedo'", marker="albedo: 0.3"),
    # --- wind ------------------------------------------------------------------------------
    Case("wind-hub-below-radius", ONSHORE, "hub_height_m: 100", "hub_height_m: 80", "hub_height_m",
         "rotor radius is 85.5 m"),
    Case("wind-generic-speeds", ONSHORE, "cut_in_m_s: 3.0", "cut_in_m_s: 12.0",
         "turbine.rated_wind_speed_m_s", "cut_in_m_s < rated_wind_speed_m_s < cut_out_m_s",
         marker="rated_wind_speed_m_s:"),
    Case("wind-wake-model", WIND, "model: turbopark", "model: turbo_park", "wake_model.model",
         "did you mean 'turbopark'?"),
    Case("wind-layout-fit", WIND, "n_turbines: 67", "n_turbines: 71", "layout.n_turbines",
         "71 turbines do not fit in 7 rows x 10 columns"),
    Case("wind-log-law-roughness", WIND, "method: log_interpolation", "method: log_law",
         "wind_profile.roughness_length_m", "log_law needs roughness_length_m", marker="wind_profile:"),
    Case("wind-availability-percent", WIND, "turbine: 0.96", "turbine: 96", "availability.turbine",
         "looks like a percentage, write 0.96"),
    Case("wind-missing-hub-height", WIND, "hub_height_m: 150", "", "hub_height_m",
         "required field 'hub_height_m' is missing", marker="kind: wind"),
    # --- battery ---------------------------------------------------------------------------
    Case("bess-rte-percent", BESS, "round_trip_efficiency: 0.87", "round_trip_efficiency: 87",
         "round_trip_efficiency", "87 looks like a percentage, write 0.87"),
    Case("bess-soc-order", BESS, "soc_min_fraction: 0.05", "soc_min_fraction: 0.96", "soc_max_fraction",
         "expected soc_min_fraction < soc_max_fraction", marker="soc_max_fraction:"),
    Case("bess-two-efficiencies", BESS, "round_trip_efficiency: 0.87",
         "round_trip_efficiency: 0.87\ncharge_efficiency: 0.93", "round_trip_efficiency", "not both"),
    Case("bess-coupling-type", BESS, "type: ac_coupled", "type: dc_coupled", "coupling.type",
         "expected one of standalone, ac_coupled"),
    Case("bess-initial-soc", BESS, "initial_soc: cyclic", "initial_soc: 0.99", "initial_soc",
         "between soc_min_fraction and soc_max_fraction"),
    Case("bess-negative-power", BESS, "power_mw: 125", "power_mw: -125", "power_mw", "greater than 0"),
    # --- grid ------------------------------------------------------------------------------
    Case("grid-unknown-zone", GRID, "id: janub_ccgt\n    zone: az_main", "id: janub_ccgt\n    zone: az_mian",
         "thermal_units[3](janub_ccgt).zone", "did you mean 'az_main'?", marker="zone: az_mian"),
    Case("grid-efficiency-percent", GRID, "efficiency: 0.546", "efficiency: 54.6",
         "thermal_units[1](mingachevir_ccgt).efficiency", "54.6 looks like a percentage, write 0.546"),
    Case("grid-duplicate-id", GRID, "id: shimal_ccgt", "id: janub_ccgt", "thermal_units[3](janub_ccgt).id",
         "already used in thermal_units", marker="id: janub_ccgt\n    zone: az_main\n    capacity_mw: 780"),
    Case("grid-hydro-budget", GRID, "annual_energy_mwh: 586406 ", "annual_energy_mwh: 5864060 ",
         "hydro[0](mingachevir).annual_energy_mwh", "exceeds capacity x hours"),
    Case("grid-hydro-shape-sum", GRID, "monthly_shape: [0.06, 0.06, 0.07, 0.09,",
         "monthly_shape: [0.16, 0.06, 0.07, 0.09,", "hydro[4](tartar).monthly_shape", "shares sum to 1.1; expected 1"),
    Case("grid-hydro-shape-below-minimum", GRID, "min_output_mw: 15  ", "min_output_mw: 25  ",
         "hydro[5](small_hydro).monthly_shape",
         "month 1 of budget dry gives 16714.9 MWh, less than min_output_mw over the month",
         marker="monthly_shape: [0.04, 0.04"),
    Case("grid-free-arbitrage", GRID,
         "import_price_usd_per_mwh: 120  # assumption: imports are rare",
         "import_price_usd_per_mwh: 20  # assumption: imports are rare",
         "interconnectors[0](georgia).opportunistic.import_price_usd_per_mwh",
         "import price below export price"),
    Case("grid-peak-below-mean", GRID, "base_peak_mw: 4871", "base_peak_mw: 2000",
         "zones[0](az_main).demand.base_peak_mw", "peak 2000 MW in 2025 on the low path is not above the mean load"),
    Case("grid-fixed-demand-figures", GRID, "energy_base_year: 2024",
         "annual_energy_mwh: 27000000\n      energy_base_year: 2024",
         "zones[0](az_main).demand.annual_energy_mwh", "a synthetic demand is now a base year plus growth"),
    Case("grid-peak-falls-below-mean-by-the-study-year", GRID, "peak_growth_fraction_per_year: 0.035",
         "peak_growth_fraction_per_year: -0.08",
         "zones[0](az_main).demand.growth_paths.central.peak_growth_fraction_per_year",
         "mean load of 3624 MW in the study year 2032", validate=PORT),
    Case("grid-firm-band-above-capacity", GRID, "annual_energy_mwh: 1211000 ", "annual_energy_mwh: 5211000 ",
         "interconnectors[0](georgia).firm_export",
         "link georgia, January: the firm band 875.5 MW (651,375 MWh over 744 h) exceeds export_capacity_mw = 650 MW",
         marker="annual_energy_mwh: 5211000"),
    Case("grid-firm-shape-sum", GRID, "monthly_shape: [0.125, 0.12,", "monthly_shape: [0.225, 0.12,",
         "interconnectors[0](georgia).firm_export.monthly_shape", "shares sum to 1.1; expected 1"),
    Case("grid-carries-unknown-site", GRID, "carries: [caspian_offshore_wind]",
         "carries: [caspian_ofshore_wind]", "interconnectors[3](black_sea_corridor).carries[0]",
         "no solar or wind site of the portfolio or existing renewable of the grid has this id",
         marker="caspian_ofshore_wind", validate=PORT),
    Case("grid-line-zone", GRID, "value_of_lost_load_usd_per_mwh: 3000",
         "value_of_lost_load_usd_per_mwh: 3000\nlines:\n  - id: l1\n    from_zone: az_main\n"
         "    to_zone: nakhchivan\n    capacity_mw: 100", "lines[0](l1).to_zone", "unknown zone",
         marker="to_zone: nakhchivan"),
    Case("grid-unknown-fuel", GRID, "fuel: gas\n    variable_om_usd_per_mwh: 4.0",
         "fuel: coal\n    variable_om_usd_per_mwh: 4.0", "thermal_units[0](azerbaijan_tpp_steam).fuel",
         "expected 'gas'", marker="fuel: coal"),
    Case("grid-storage-zone", GRID, "  - id: azerenerji_bess\n    zone: az_main",
         "  - id: azerenerji_bess\n    zone: absheron", "existing_storage[0](azerenerji_bess).zone", "unknown zone",
         marker="zone: absheron"),
    Case("grid-storage-missing-file", GRID, "site: reference/azerenerji_bess.yaml",
         "site: reference/no_such_bess.yaml", "existing_storage[0](azerenerji_bess).site", "file not found",
         marker="no_such_bess"),
    # --- portfolio -------------------------------------------------------------------------
    Case("port-site-zone", PORT, "file: fuzuli_solar.yaml\n    zone: az_main",
         "file: fuzuli_solar.yaml\n    zone: az_west", "sites[1].zone", "unknown zone",
         marker="zone: az_west"),
    Case("port-missing-site-file", PORT, "file: fuzuli_solar.yaml", "file: fuzuli_solr.yaml",
         "sites[1].file", "file not found"),
    Case("port-duplicate-site", PORT, "study_year: 2032",
         "  - file: fuzuli_solar.yaml\n    zone: az_main\nstudy_year: 2032", "sites[3].file",
         "site ids must be unique", marker="  - file: fuzuli_solar.yaml\n    zone: az_main\nstudy_year"),
    Case("port-coupled-site", BESS, "site: fuzuli_solar", "site: fuzuli_solr", "coupling.site",
         "did you mean 'fuzuli_solar'?", validate=PORT),
    Case("port-dispatch-mode", PORT, "mode: rolling_horizon", "mode: perfect", "options.dispatch.mode",
         "expected 'perfect_foresight' or 'rolling_horizon'"),
    Case("port-kind", PORT, "kind: portfolio", "kind: portfolo", "kind", "did you mean 'portfolio'?"),
    Case("port-step-window", PORT, "step_h: 24", "step_h: 72", "options.dispatch.step_h",
         "expected step_h <= window_h"),
    Case("port-unit-commitment-replaced", PORT, "operations: unit_commitment", "unit_commitment: true",
         "options.dispatch.unit_commitment", "was replaced by operations: unit_commitment | energy_only"),
    Case("grid-part-load-not-convex", GRID, "efficiencies: [0.3302, 0.345, 0.3521, 0.356]",
         "efficiencies: [0.3302, 0.35, 0.3521, 0.356]", "thermal_units[0](azerbaijan_tpp_steam).part_load",
         "the fuel curve is not convex", marker="load_fractions: [0.4, 0.6, 0.8, 1.0]"),
    Case("grid-ramp-below-min-stable", GRID, "ramp_up_fraction_per_min: 0.015", "ramp_up_fraction_per_min: 0.005",
         "thermal_units[0](azerbaijan_tpp_steam).ramp_up_fraction_per_min",
         "expected ramp_up_fraction_per_min x 60 >= min_stable_fraction"),
    Case("grid-unit-count-times-size", GRID, "unit_size_mw: 300", "unit_size_mw: 250",
         "thermal_units[0](azerbaijan_tpp_steam).unit_size_mw", "differs from capacity_mw = 2400 MW"),
    Case("port-yaml-syntax", PORT, "study_year: 2032", "study_year: [2032", "", "not valid YAML",
         marker=None),
]


def _apply(root: Path, case: Case) -> tuple[Path, int | None]:
    path = root / "sites" / case.edit
    text = path.read_text()
    assert text.count(case.old) == 1, f"case {case.id}: '{case.old}' must occur once in {case.edit}"
    text = text.replace(case.old, case.new)
    path.write_text(text)
    marker = case.marker if case.marker is not None else (case.new.splitlines() or [""])[0]
    if case.id == "port-yaml-syntax":
        return path, None
    index = text.index(marker)
    return path, text.count("\n", 0, index) + 1


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_invalid_config_is_reported_precisely(project_copy: Path, case: Case):
    _, line = _apply(project_copy, case)
    target = f"sites/{case.validate or case.edit}"
    result = CliRunner().invoke(app, ["validate", target])
    assert result.exit_code == 2, result.output
    reported = f"sites/{case.reported or case.edit}"
    where = f"{reported}, line {line}" if line else reported
    assert where in result.output, result.output
    if case.field:
        assert f"line {line}: {case.field}\n" in result.output, result.output
    assert case.says in result.output, result.output


def test_table_covers_every_kind_with_enough_cases():
    kinds = {c.edit.split("/")[-1] for c in CASES}
    assert len(CASES) >= 25
    assert {SOLAR, WIND, BESS, GRID, PORT} <= kinds | {c.validate for c in CASES if c.validate}


def test_all_problems_of_a_file_are_reported(project_copy: Path):
    path = project_copy / "sites" / BESS
    text = path.read_text()
    for old, new in [("round_trip_efficiency: 0.87", "round_trip_efficiency: 87"),
                     ("soc_min_fraction: 0.05", "soc_min_fractoin: 0.05"),
                     ("power_mw: 125", "power_mw: -1")]:
        text = text.replace(old, new)
    path.write_text(text)
    result = CliRunner().invoke(app, ["validate", f"sites/{BESS}"])
    assert result.exit_code == 2
    assert "4 problems" in result.output  # the typo also leaves soc_min_fraction missing
    for fragment in ("write 0.87", "did you mean 'soc_min_fraction'", "required field 'soc_min_fraction'",
                     "greater than 0"):
        assert fragment in result.output


def test_empty_file(project_copy: Path):
    path = project_copy / "sites" / "empty.yaml"
    path.write_text("# nothing here\n")
    result = CliRunner().invoke(app, ["validate", "sites/empty.yaml"])
    assert result.exit_code == 2
    assert "sites/empty.yaml" in result.output and "the file is empty" in result.output
