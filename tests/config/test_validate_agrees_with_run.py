"""Issue 16 item 6: ``validate`` runs every check the run would run on the same files.

Each invalid case goes through ``energy-portfolio validate`` and through the command that runs the
file (``yield`` for a site, ``report`` for a portfolio, ``sweep`` for a sweep spec), stopped right
after loading: the compute step is replaced by one that raises "started". Both must exit 2 naming
the file, the field and the value (the run refuses before it starts); the shipped configs pass
both (the run reaches "started"). The ``--scheduler`` address is the sweep command's own, which
``validate`` never sees: its rows go through ``sweep`` only.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

import energy_portfolio.portfolio as portfolio_package
import energy_portfolio.sweep as sweep_package
from energy_portfolio.config.catalogs import RATED_POWER_OVERSHOOT, check_power_curve
from energy_portfolio.errors import InputError

from ..conftest import SITES
from ..in_process import run_cli

SOLAR, WIND, PORT, SWEEP = "sites/fuzuli_solar.yaml", "sites/caspian_offshore_wind.yaml", "sites/portfolio.yaml", \
    "sites/sweep.yaml"
TURBINE = "  source: turbine_models\n  name: IEA_Reference_15MW_240"
MODULE, INVERTER = "LR6_72HBD_385M", "SMA_America__SC_2500_EV_US__550V_"
SWEEP_SPEC = ("kind: sweep\nname: check\nportfolio: portfolio_energy_only.yaml\n"
              "grid:\n  sites.fuzuli_bess.energy_mwh: [250, 500]\n"
              "metrics:\n  - dispatch.gas_saved_mcm\n  - dispatch.curtailment_mwh\nrank_by: dispatch.gas_saved_mcm\n")
# 15 MW rated; 16.5 MW at 12 m/s is 10 % above the rating
CURVE = "wind_speed_m_s,power_kw\n0,0\n3,0\n6,3000\n9,9000\n11,15000\n12,16500\n25,15000\n"
FILE_TURBINE = ("  source: file\n  curve: ../weather/curve.csv\n  rated_power_mw: 15\n  rotor_diameter_m: 240\n"
                "  cut_out_m_s: 25")
TRACKER = re.search(r"^mounting:\n(?:  .*\n)+", (SITES / "fuzuli_solar.yaml").read_text(), re.M).group(0)
"""The shipped solar site's mounting block (single-axis trackers, with their gcr)."""
RUNS = {"solar": "yield", "wind": "yield", "portfolio": "report", "sweep": "sweep"}


@dataclass(frozen=True)
class Case:
    id: str
    kind: str  # solar, wind, portfolio, sweep: which file is checked and which command runs it
    edit: tuple[str, str, str]  # file, old text (once), new text
    field: str
    says: tuple[str, ...]  # the value and what was expected
    new_files: tuple[tuple[str, str], ...] = ()

    @property
    def file(self) -> str:
        return {"solar": SOLAR, "wind": WIND, "portfolio": PORT, "sweep": SWEEP}[self.kind]


CASES = [
    Case("unknown-cec-module", "solar", (SOLAR, MODULE, "LR6_72HBD_38M"), "module.name",
         ("LR6_72HBD_38M'", "not in pvlib's CECMod table", f"closest names: LONGi_Green_Energy_Technology_Co___Ltd__"
          f"{MODULE}")),
    Case("unknown-cec-inverter", "solar", (SOLAR, INVERTER, "SMA_America__SC_2500_EV_US__55V_"), "inverter.name",
         ("'SMA_America__SC_2500_EV_US__55V_'", "not in pvlib's CECInverter table", f"closest names: {INVERTER}")),
    # --- solar hardware and models the run cannot put together ------------------------------------------------
    Case("module-fits-no-string-on-the-inverter", "solar",
         (SOLAR, INVERTER, "Power_Electronics__FS3000CU15__690V_"), "inverter.name",
         ("'Power_Electronics__FS3000CU15__690V_' does not fit module.name", "MPPT lower limit 976 V needs at least",
          "expected an inverter whose voltage window suits the module")),
    Case("sapm-aoi-on-a-cec-module", "solar", (SOLAR, "aoi_model: physical", "aoi_model: sapm"), "aoi_model",
         ("= sapm needs Sandia module coefficients", "expected physical, ashrae, martin_ruiz or no_loss")),
    Case("sapm-spectral-on-a-cec-module", "solar",
         (SOLAR, "spectral_model: no_loss ", "spectral_model: sapm "), "spectral_model",
         ("= sapm needs Sandia module coefficients", "expected no_loss or first_solar")),
    Case("pvwatts-module-on-a-sandia-inverter", "solar",
         (SOLAR, f"  model: cec\n  name: LONGi_Green_Energy_Technology_Co___Ltd__{MODULE}",
          "  model: pvwatts\n  pdc0_w: 385\n  gamma_pdc_per_c: -0.0035\n  efficiency: 0.2"), "module",
         ("model = pvwatts gives no DC voltage, which inverter.model = sandia needs",
          "expected a cec module or the pvwatts inverter")),
    Case("bifacial-on-fixed-racks-without-gcr", "solar",
         (SOLAR, TRACKER, "mounting:\n  type: fixed\n  tilt_deg: 30\n  azimuth_deg: 180\n"),
         "bifacial", ("needs mounting.gcr", "expected a gcr in mounting, or no bifacial block")),
    Case("unknown-turbine-models-name", "wind", (WIND, "IEA_Reference_15MW_240 ", "IEA_Reference_15MW_24 "),
         "turbine.name", ("'IEA_Reference_15MW_24'", "not a turbine of NREL turbine-models",
                          "closest names: IEA_Reference_15MW_240")),
    Case("unknown-windpowerlib-type", "wind", (WIND, TURBINE, "  source: windpowerlib\n  type: V164/800"),
         "turbine.type", ("'V164/800'", "windpowerlib's local turbine library", "closest names: V164/8000")),
    Case("hub-below-rotor-radius", "wind", (WIND, "hub_height_m: 150 ", "hub_height_m: 110 "), "hub_height_m",
         ("= 110", "240 m rotor, radius 120 m", "below the sea", "above the rotor radius 120 m")),
    Case("restart-above-cut-out", "wind", (WIND, "high_wind_restart_m_s: 22 ", "high_wind_restart_m_s: 26 "),
         "high_wind_restart_m_s", ("= 26", "cut-out speed 25 m/s", "expected a restart speed below")),
    Case("curve-above-rated-power", "wind", (WIND, TURBINE, FILE_TURBINE), "turbine.curve",
         ("curve.csv", "16500 kW at 12 m/s, 10.0% above the rated power 15000 kW", "at most 2% above")),
    Case("unknown-hydro-scenario", "portfolio", (PORT, "hydro_scenario: null", "hydro_scenario: drought"),
         "options.hydro_scenario", ("= 'drought'", "expected one of")),
    Case("climatology-is-a-weather-csv", "solar",
         (SOLAR, "  climatology: ../weather/fuzuli_climatology.yaml\n",
          "  climatology: ../weather/fuzuli_synthetic_2032.csv\n"),
         "weather_years.climatology", ("= weather/fuzuli_synthetic_2032.csv", "expected a climatology config")),
    Case("sweep-metric-not-in-results", "sweep", (SWEEP, "dispatch.curtailment_mwh", "dispatch.curtailmnt_mwh"),
         "metrics[1]", ("= 'dispatch.curtailmnt_mwh'", "not a figure", "closest: dispatch.curtailment_mwh")),
]


def _started(*args, **kwargs):
    raise RuntimeError("started")


_cli = run_cli


@pytest.fixture
def stopped(project_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The project copy with a sweep spec, and every run stopped right after loading."""
    (project_copy / SWEEP).write_text(SWEEP_SPEC)
    for package, name in ((portfolio_package, "run_site"), (portfolio_package, "run_portfolio"),
                          (sweep_package, "run_sweep")):
        monkeypatch.setattr(package, name, _started)
    return project_copy


def _run_args(case_kind: str, file: str, root: Path) -> list[str]:
    args = [RUNS[case_kind], file]
    return args + ["--out", str(root / "out")] if case_kind in ("portfolio", "sweep") else args


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_validate_and_the_run_refuse_the_same_case(stopped: Path, monkeypatch, capsys, case: Case):
    for name, text in case.new_files + ((("weather/curve.csv", CURVE),) if "curve" in case.id else ()):
        (stopped / name).write_text(text)
    path, old, new = case.edit
    text = (stopped / path).read_text()
    assert text.count(old) == 1, f"{case.id}: {old!r} must occur once in {path}"
    (stopped / path).write_text(text.replace(old, new))
    for args in (["validate", case.file], _run_args(case.kind, case.file, stopped)):
        code, output = _cli(monkeypatch, capsys, *args)
        assert code == 2, (args, output)
        assert "started" not in output and "Traceback" not in output, (args, output)
        assert f"{case.file}, line " in output and f": {case.field}\n" in output, (args, output)
        for words in case.says:
            assert words in output, (args, words, output)


@pytest.mark.parametrize("kind", sorted(RUNS))
def test_the_shipped_configs_pass_validate_and_start_the_run(stopped: Path, monkeypatch, capsys, kind: str):
    file = {"solar": SOLAR, "wind": WIND, "portfolio": PORT, "sweep": SWEEP}[kind]
    code, output = _cli(monkeypatch, capsys, "validate", file)
    assert code == 0, output
    code, output = _cli(monkeypatch, capsys, *_run_args(kind, file, stopped))
    assert code == 1 and "RuntimeError: started" in output, output


def test_every_shipped_config_validates(monkeypatch, capsys):
    monkeypatch.chdir(SITES.parent)
    files = sorted(str(p.relative_to(SITES.parent)) for p in SITES.rglob("*.yaml"))
    code, output = _cli(monkeypatch, capsys, "validate", *files, "examples/battery_sweep.yaml")
    assert code == 0, output


@pytest.mark.parametrize("address, says", [
    ("notaurl", "not a scheduler address"),
    ("tcp://127.0.0.1:1", "no dask scheduler answered within"),
])
def test_a_bad_scheduler_address_is_exit_2_within_seconds(project_copy: Path, monkeypatch, capsys, address, says):
    (project_copy / SWEEP).write_text(SWEEP_SPEC)
    clock = time.perf_counter()
    code, output = _cli(monkeypatch, capsys, "sweep", SWEEP, "--scheduler", address, "--out", "out")
    assert code == 2, output
    assert f"--scheduler '{address}'" in output and "expected the address of a dask scheduler" in output, output
    assert "Traceback" not in output
    assert time.perf_counter() - clock < 30  # 5 s connect timeout plus loading the portfolio


def test_the_curve_tolerance_lets_rounding_through_and_refuses_more():
    speed = [0.0, 3.0, 12.0, 25.0]
    check_power_curve(speed, [0.0, 0.0, 15000 * (1 + RATED_POWER_OVERSHOOT), 15000.0], 15000.0, "curve")
    with pytest.raises(InputError, match=r"at 12 m/s, 2\.5% above the rated power 15000 kW"):
        check_power_curve(speed, [0.0, 0.0, 15375.0, 15000.0], 15000.0, "curve")


@pytest.mark.parametrize("file", [SOLAR, "sites/portfolio_energy_only.yaml"])
def test_weather_of_another_place_fails_validate_and_the_run(project_copy: Path, monkeypatch, capsys, file: str):
    # The Fuzuli weather file's header moved 10 degrees north (about 1,110 km): validate loads each
    # site's weather as the run does (portfolio.site_weather_problems), so both refuse it with the
    # file, the distance and what was expected; before, validate read the header only and said OK.
    # The run is not stopped here: it fails at the weather (the screening portfolio, whose dispatch
    # without the portfolio, started beside the production, takes seconds).
    weather = project_copy / "weather" / "fuzuli_synthetic_2032.csv"
    text = weather.read_text()
    assert text.count("# latitude: 39.6\n") == 1
    weather.write_text(text.replace("# latitude: 39.6\n", "# latitude: 49.6\n"))
    kind = "solar" if file == SOLAR else "portfolio"
    for args in (["validate", file], _run_args(kind, file, project_copy)):
        code, output = _cli(monkeypatch, capsys, *args)
        assert code == 2, (args, output)
        assert "Traceback" not in output, (args, output)
        for words in ("fuzuli_synthetic_2032.csv", "the weather is for 49.6 N", "from site 'fuzuli_solar'",
                      "expected weather within 50 km of the site"):
            assert words in output, (args, words, output)
