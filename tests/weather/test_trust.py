"""Weather a run can trust (issue 16, items 4, 5, 6 and 8 for weather files).

One table of damaged, misplaced or odd weather files. Each row goes through three commands:
``weather check FILE`` (the file alone), ``weather check FILE --site SITE`` and
``yield SITE --weather FILE``. The last two apply the same rules through the same function, so
they must give the same verdict; every refusal is exit 2 with a message naming the file and
what was expected (never exit 1 and a traceback), and a legitimate correction runs with a
warning naming the site and the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest

from energy_portfolio.config import load_site
from energy_portfolio.portfolio import run_site

from ..in_process import run_cli
from . import samples
from .conftest import ROOT, WEATHER

FUZULI_FILE = WEATHER / "fuzuli_synthetic_2032.csv"
OFFSHORE_FILE = WEATHER / "caspian_offshore_synthetic_2032.csv"
FUZULI_SITE = ROOT / "sites" / "fuzuli_solar.yaml"
OFFSHORE_SITE = ROOT / "sites" / "caspian_offshore_wind.yaml"
ONSHORE_REFERENCE = ROOT / "sites" / "reference" / "khizi_absheron_wind.yaml"
GREENSBORO_TMY3 = Path(pvlib.__path__[0]) / "data" / "723170TYA.CSV"  # 36.1 N 79.95 W, NSRDB TMY3


# --------------------------------------------------------------------------------------
# Making files: a shipped canonical file, changed in one way each.
# --------------------------------------------------------------------------------------


def _split(path: Path) -> tuple[list[str], pd.DataFrame]:
    lines = path.read_text().splitlines()
    header = [line for line in lines if line.startswith("#")]
    return header, pd.read_csv(path, comment="#", dtype={"time": str})


def _write(path: Path, header: list[str], table: pd.DataFrame) -> Path:
    path.write_text("\n".join(header) + "\n" + table.to_csv(index=False, lineterminator="\n"))
    return path


def _changed(source: Path, name: str, change: Callable[[list[str], pd.DataFrame], None]):
    def make(tmp: Path) -> tuple[Path, str]:
        header, table = _split(source)
        change(header, table)
        return _write(tmp / name, header, table), "canonical"

    return make


def _times(table: pd.DataFrame, start: str, tz: str = "Asia/Baku") -> None:
    table["time"] = [t.isoformat() for t in pd.date_range(start, periods=len(table), freq="h", tz=tz)]


def _header_only(tmp: Path) -> tuple[Path, str]:
    lines = FUZULI_FILE.read_text().splitlines()
    path = tmp / "header_only.csv"
    names = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    assert names == 10  # the shipped file's header: 10 '#' lines, then the column names on line 11
    path.write_text("\n".join(lines[:names + 1]) + "\n")  # the '#' lines and the column names, no rows
    return path, "canonical"


def _unknown_zone(header, table):
    header[:] = [line.replace("# timezone: Asia/Baku", "# timezone: Mars/Olympus") for line in header]


def _leap_day_in_2031(header, table):
    table["time"] = table["time"].str.replace("2032-", "2031-", regex=False)


def _leap_rows_in_2031(header, table):
    _times(table, "2031-01-01")


def _no_dhi(header, table):
    table.drop(columns=["dhi"], inplace=True)


def _dark(header, table):
    table[["ghi", "dni", "dhi"]] = 0.0


def _hot(header, table):
    table["temp_air"] = 55.0


def _thin_air(header, table):
    table["pressure"] = 60000


def _fahrenheit_like(header, table):
    table["temp_air"] = table["temp_air"] + 25.0  # annual mean near 39 C: no such place


def _frozen_thermometer(header, table):
    table.loc[4000:4079, "temp_air"] = 21.3  # 80 h


def _night_light(header, table):
    table.loc[0:3, "ghi"] = 250.0  # 1 January 00-04 local time
    table.loc[0:3, "dhi"] = 250.0


def _stuck_hub_wind(header, table):
    table.loc[3000:3029, "wind_speed_150m"] = 24.0  # 30 h at 24 m/s: full power from a dead anemometer


def _calm_everywhere(header, table):
    for column in [c for c in table.columns if c.startswith("wind_speed")]:
        table[column] = 0.0


def _half_past(header, table):
    _times(table, "2032-01-01 00:30")


def _many_faults(header, table):
    """Three independent faults: all must be reported in one pass."""
    table.drop(index=100, inplace=True)  # a gap
    table.loc[200:201, "temp_air"] = np.nan  # missing values
    table["pressure"] = table["pressure"] / 100.0  # hPa


def _many_structural(tmp: Path) -> tuple[Path, str]:
    header, table = _split(FUZULI_FILE)
    header = [line for line in header if not line.startswith("# source:")]
    table = table.astype({"ghi": object})
    table.loc[10, "ghi"] = "n/a W"
    table.loc[20, "time"] = "2032-01-01T20:00:00"
    return _write(tmp / "structural.csv", header, table), "canonical"


def _epw_with_text(tmp: Path) -> tuple[Path, str]:
    frame = pd.read_csv(FUZULI_FILE, comment="#", index_col="time")
    frame.index = pd.DatetimeIndex(pd.to_datetime(frame.index, utc=True)).tz_convert("Etc/GMT-4")
    frame = frame[~((frame.index.month == 2) & (frame.index.day == 29))].copy()
    frame.index = pd.date_range("2031-01-01", periods=len(frame), freq="h", tz="Etc/GMT-4")
    frame["wind_direction_10m"] = np.arange(len(frame)) * 7.0 % 360
    path = samples.write_epw(frame, tmp / "fuzuli.epw", 39.6, 47.143, 416, 4, {m: 2031 for m in range(1, 13)})
    lines = path.read_text().splitlines()
    fields = lines[20].split(",")
    fields[6] = "abc"  # dry-bulb temperature of data row 13
    lines[20] = ",".join(fields)
    path.write_text("\n".join(lines) + "\n")
    return path, "epw"


def _tmy3(tmp: Path) -> tuple[Path, str]:
    return GREENSBORO_TMY3, "tmy3"


def _shipped(path: Path) -> Callable[[Path], tuple[Path, str]]:
    return lambda tmp: (path, "canonical")


def _dev_null(tmp: Path) -> tuple[Path, str]:
    return Path("/dev/null"), "canonical"


def _plain_csv_in_new_york(tmp: Path) -> tuple[Path, str]:
    frame = pd.read_csv(FUZULI_FILE, comment="#")
    frame = frame.iloc[:8760]
    frame["time"] = pd.date_range("2031-01-01", periods=len(frame), freq="h").strftime("%Y-%m-%d %H:%M")
    lines = [
        "# latitude: 36.1", "# longitude: -79.95", "# elevation_m: 273", "# timezone: America/New_York",
        "# interval: start", "# column: ghi = ghi [W/m2]", "# column: dni = dni [W/m2]", "# column: dhi = dhi [W/m2]",
        "# column: temp_air = temp_air [C]", "# column: wind_speed = wind_speed [m/s]",
        "# column: pressure = pressure [Pa]",
    ]
    return _write(tmp / "new_york.csv", lines, frame[["time", "ghi", "dni", "dhi", "temp_air", "wind_speed",
                                                       "pressure"]]), "plain_csv"


def _site_copy(name: str, replacements: dict[str, str], source: Path = FUZULI_SITE) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        text = source.read_text()
        text = text.replace("../../weather/", f"{ROOT}/weather/").replace("../weather/", f"{ROOT}/weather/")
        for old, new in replacements.items():
            assert old in text, old
            text = text.replace(old, new)
        path = tmp / name
        path.write_text(text)
        return path

    return make


_NEW_YORK_SITE = _site_copy(
    "greensboro_solar.yaml",
    {"latitude: 39.600": "latitude: 36.1", "longitude: 47.143": "longitude: -79.95",
     "timezone: Asia/Baku       # UTC+4, no DST (DESIGN.md, Time)": "timezone: America/New_York"},
)


def _onshore_proxy(name: str, km: int):
    """The Khizi farm with the offshore weather file as a proxy chosen on purpose (68 km off), accepted to ``km``."""
    ridge = f"  source: synthetic\n  climatology: {ROOT}/weather/absheron_khizi_ridge_climatology.yaml\n  seed: 2032"
    proxy = (f"  source: file\n  path: {ROOT}/weather/caspian_offshore_synthetic_2032.csv\n  format: canonical\n"
             f"  accepted_distance_km: {km}\n  #")
    return _site_copy(name, {ridge: proxy}, ONSHORE_REFERENCE)


_ONSHORE_PROXY = _onshore_proxy("onshore_70km.yaml", 70)
_ONSHORE_ACCEPTS_60 = _onshore_proxy("onshore_60km.yaml", 60)


@dataclass(frozen=True)
class Case:
    """One weather file and what the three commands must say of it.

    ``check``: exit code of ``weather check FILE``; ``run``: exit code of ``weather check FILE
    --site SITE`` and of ``yield SITE --weather FILE`` (the same, by construction); ``words``:
    what the message of both site-level commands must contain (besides the file's name).
    """

    id: str
    make: Callable[[Path], tuple[Path, str]]
    check: int
    run: int
    words: tuple[str, ...]
    site: Callable[[Path], Path] = lambda tmp: FUZULI_SITE
    extra: tuple[str, ...] = ()


CASES = [
    Case("shipped solar file", _shipped(FUZULI_FILE), 0, 0, ()),
    Case("shipped offshore file at its wind farm", _shipped(OFFSHORE_FILE), 0, 0, (),
         site=lambda tmp: OFFSHORE_SITE),
    Case("header only", _header_only, 2, 2, ("line 11", "no data rows", "8760")),
    Case("unknown time zone", _changed(FUZULI_FILE, "zone.csv", _unknown_zone), 2, 2,
         ("line 4", "'Mars/Olympus' is not an IANA time zone", "Etc/GMT-4")),
    Case("text in an EPW number field", _epw_with_text, 2, 2, ("line 21", "temp_air", "'abc'", "not a number")),
    Case("29 February in a non-leap year", _changed(FUZULI_FILE, "feb29.csv", _leap_day_in_2031), 2, 2,
         ("2031-02-29T00:00:00+04:00", "does not exist", "2031, which is not a leap year")),
    Case("8784 rows from a non-leap year", _changed(FUZULI_FILE, "rows.csv", _leap_rows_in_2031), 2, 2,
         ("8784 hourly rows", "not a leap year", "expected 8760 rows")),
    Case("no dhi column", _changed(FUZULI_FILE, "no_dhi.csv", _no_dhi), 0, 2,
         ("no dhi column", "site 'fuzuli_solar' needs ghi, dni, dhi")),
    Case("irradiance zero all year", _changed(FUZULI_FILE, "dark.csv", _dark), 2, 2,
         ("ghi", "zero in every one of the 8784 hours")),
    Case("55 C in every hour", _changed(FUZULI_FILE, "hot.csv", _hot), 2, 2, ("temp_air", "55 C in every one")),
    Case("60,000 Pa at 416 m", _changed(FUZULI_FILE, "thin.csv", _thin_air), 2, 2,
         ("pressure", "median 60000 Pa", "standard atmosphere", "416 m")),
    Case("annual mean temperature of no place", _changed(FUZULI_FILE, "warm.csv", _fahrenheit_like), 2, 2,
         ("annual mean", "expected -60..35 C")),
    Case("thermometer stuck 80 h", _changed(FUZULI_FILE, "frozen.csv", _frozen_thermometer), 2, 2,
         ("temp_air", "21.3 C in 80 consecutive hours", "stuck sensor")),
    Case("irradiance at night", _changed(FUZULI_FILE, "night.csv", _night_light), 2, 2,
         ("ghi", "sun is below the horizon")),
    Case("hub-height wind stuck at 24 m/s", _changed(OFFSHORE_FILE, "stuck.csv", _stuck_hub_wind), 2, 2,
         ("wind_speed_150m", "24 m/s in 30 consecutive hours"), site=lambda tmp: OFFSHORE_SITE),
    Case("calm all year", _changed(OFFSHORE_FILE, "calm.csv", _calm_everywhere), 2, 2,
         ("wind_speed_150m", "zero in every one"), site=lambda tmp: OFFSHORE_SITE),
    Case("a gap, NaN and hPa reported in one pass", _changed(FUZULI_FILE, "faults.csv", _many_faults), 2, 2,
         ("missing timestamps", "2 missing values", "looks like hPa")),
    Case("three structural problems reported in one pass", _many_structural, 2, 2,
         ("header lacks source", "'n/a W' at data row 11 is not a number", "'2032-01-01T20:00:00'", "no UTC offset")),
    Case("North-American TMY3 for Fuzuli", _tmy3, 0, 2,
         ("36.1 N 79.95 W", "10007 km from site 'fuzuli_solar'", "accepted_distance_km")),
    Case("the same with the distance accepted: its sun is still out of step", _tmy3, 0, 2,
         ("site's solar noon",), extra=("--accept-distance-km", "11000")),
    Case("a proxy further than the config accepts", _shipped(OFFSHORE_FILE), 0, 2,
         ("68 km from site 'khizi_absheron_wind'", "more than the 60 km the config accepts"),
         site=_ONSHORE_ACCEPTS_60),
    Case("the proxy the config accepts", _shipped(OFFSHORE_FILE), 0, 0, (), site=_ONSHORE_PROXY),
    Case("a daylight-saving zone for a typical year's site", _tmy3, 0, 2,
         ("America/New_York has daylight-saving time", "Etc/GMT+5", "standard time"), site=_NEW_YORK_SITE),
    Case("a daylight-saving zone in a plain CSV header", _plain_csv_in_new_york, 2, 2,
         ("America/New_York", "'# timezone: Etc/GMT+5'", "standard time"), site=_NEW_YORK_SITE),
    Case("a device file", _dev_null, 2, 2, ("/dev/null: a device", "expected a weather file")),
    Case("labels at half past the hour run, with a warning", _changed(FUZULI_FILE, "half.csv", _half_past), 0, 0,
         ("site 'fuzuli_solar'", "30 min past the hour were moved 30 min earlier")),
]


_cli = run_cli


def _format_args(fmt: str) -> list[str]:
    return [] if fmt == "canonical" else ["--format", fmt]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_weather_check_of_the_file_alone(case, tmp_path, monkeypatch, capsys):
    path, fmt = case.make(tmp_path)
    code, text = _cli(monkeypatch, capsys, "weather", "check", str(path), *_format_args(fmt))
    assert code == case.check, text
    assert "unexpected failure" not in text and "Traceback" not in text
    assert path.name in text


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_weather_check_with_the_site_and_yield_reach_the_same_verdict(case, tmp_path, monkeypatch, capsys):
    path, fmt = case.make(tmp_path)
    site = case.site(tmp_path)
    check_code, check_text = _cli(
        monkeypatch, capsys, "weather", "check", str(path), *_format_args(fmt), "--site", str(site), *case.extra
    )
    yield_args = ["--weather-format", fmt] if fmt != "canonical" else []
    yield_code, yield_text = _cli(
        monkeypatch, capsys, "yield", str(site), "--weather", str(path), *yield_args, *case.extra, "--format", "json"
    )
    assert (check_code, yield_code) == (case.run, case.run), f"weather check:\n{check_text}\nyield:\n{yield_text}"
    for text in (check_text, yield_text):
        assert "unexpected failure" not in text and "Traceback" not in text
        assert path.name in text or case.run == 0
        for word in case.words:
            assert word in text, f"{word!r} not in:\n{text}"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--seed", "-1"], "'--seed'"),
        (["--seed", "1", "--year", "99999"], "'--year'"),
        (["--seed", "1", "--years", "0"], "'--years'"),
        (["--seed", "1", "--year", "2200", "--years", "2"], "expected years up to 2200"),
    ],
)
def test_weather_synth_refuses_arguments_it_cannot_honour(args, says, tmp_path, monkeypatch, capsys):
    out = tmp_path / "year.csv"
    code, text = _cli(monkeypatch, capsys, "weather", "synth", str(WEATHER / "fuzuli_climatology.yaml"), *args,
                      "--out", str(out))
    assert code == 2, text
    assert says in text and "unexpected failure" not in text
    assert not list(tmp_path.iterdir())  # nothing written, nothing half-written


def test_a_half_hour_shift_is_a_correction_and_a_warning_of_the_run(tmp_path):
    """What the report's manifest lists: the correction under corrections, the warning under warnings."""
    path, _ = _changed(FUZULI_FILE, "half.csv", _half_past)(tmp_path)
    site = run_site(load_site(FUZULI_SITE), weather_file=path)
    assert any("half.csv: time: labels 30 min past the hour of Asia/Baku moved 30 min earlier" in c
               for c in site.weather.meta.corrections)
    assert any("half.csv" in w and "site 'fuzuli_solar'" in w for w in site.warnings)
    reference = run_site(load_site(FUZULI_SITE))
    # moved back by 30 min, the hours are those of the shipped file: the same energy
    assert site.production.annual_energy_mwh == pytest.approx(reference.production.annual_energy_mwh, rel=1e-9)


SHIPPED_GENERATING_SITES = ["fuzuli_solar.yaml", "caspian_offshore_wind.yaml", *sorted(
    f"reference/{p.name}" for p in (ROOT / "sites" / "reference").glob("*.yaml")
    if p.read_text().count("\nkind: solar\n") + p.read_text().count("\nkind: wind\n"))]


@pytest.mark.parametrize("config", SHIPPED_GENERATING_SITES)
def test_shipped_sites_yield_without_a_warning_about_their_weather(config, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    code, text = _cli(monkeypatch, capsys, "yield", f"sites/{config}", "--format", "json")
    assert code == 0, text
    warnings = [line for line in text.splitlines() if line.startswith("warning:")]
    assert warnings == []


def test_shipped_sites_use_the_weather_of_their_own_place():
    """Every shipped solar and wind site has weather from within 50 km (its own climatology's region,
    generated at its own location): none states an accepted distance for a proxy."""
    assert len(SHIPPED_GENERATING_SITES) == 16
    for config in SHIPPED_GENERATING_SITES:
        assert "accepted_distance_km" not in (ROOT / "sites" / config).read_text(), config
        site = load_site(ROOT / "sites" / config)
        assert run_site(site).weather.meta.notes == (), config  # no note of a distance accepted


def test_a_proxy_states_the_distance_it_means(tmp_path):
    """Without its accepted_distance_km a proxy chosen on purpose is refused: the field is what lets it run."""
    from energy_portfolio.errors import WeatherError

    text = _ONSHORE_PROXY(tmp_path).read_text()
    copy = tmp_path / "no_distance.yaml"
    copy.write_text(text.replace("  accepted_distance_km: 70\n", ""))
    with pytest.raises(WeatherError, match=r"68 km from site"):
        run_site(load_site(copy))
    notes = run_site(load_site(_ONSHORE_PROXY(tmp_path))).weather.meta.notes
    assert len(notes) == 1 and "68 km from site" in notes[0] and "accepted_distance_km" in notes[0]


@pytest.mark.parametrize("name", ["723170TYA.CSV", "703165TY.csv"])
def test_real_tmy3_files_pass_the_plausibility_bounds(name):
    """The bounds refuse no real data: NSRDB TMY3 samples (Greensboro NC; Sand Point AK, 24 h at -3.0 C
    in winter and a pressure filled with one value all year) pass, the filled pressure with a warning."""
    from energy_portfolio.weather import check_weather_file

    _, report = check_weather_file(Path(pvlib.__path__[0]) / "data" / name, "tmy3")
    assert report.usable, [str(f) for f in report.errors]
    pressure = [f for f in report.findings if f.column == "pressure"]
    assert [f.severity for f in pressure] == (["warning"] if name == "703165TY.csv" else [])


def _filled_pressure(header, table):
    table["pressure"] = float(table["pressure"].median())  # a placeholder: legal, but no weather in it


def test_yield_notes_each_weather_correction_naming_the_site_and_the_file(tmp_path, monkeypatch, capsys):
    """Issue 16 (messages): what was changed in the weather before the model ran is printed, like the warnings."""
    path, _ = _changed(FUZULI_FILE, "half.csv", _half_past)(tmp_path)
    code, text = _cli(monkeypatch, capsys, "yield", str(FUZULI_SITE), "--weather", str(path), "--format", "json")
    assert code == 0, text
    notes = [line for line in text.splitlines() if line.startswith("note: weather corrected:")]
    assert all("site 'fuzuli_solar' (" in n and "fuzuli_solar.yaml)" in n and "half.csv" in n for n in notes), notes
    assert any("time: labels 30 min past the hour of Asia/Baku moved 30 min earlier" in n for n in notes), notes


def test_a_warning_about_the_file_alone_names_the_site_too(tmp_path, monkeypatch, capsys):
    """The file's own checks know no site: the run names it (here a filled pressure column)."""
    path, _ = _changed(OFFSHORE_FILE, "filled.csv", _filled_pressure)(tmp_path)
    code, text = _cli(monkeypatch, capsys, "yield", str(OFFSHORE_SITE), "--weather", str(path), "--format", "json")
    assert code == 0, text
    warnings = [line for line in text.splitlines() if line.startswith("warning:")]
    assert warnings, text
    assert all("site 'caspian_offshore_wind'" in w and "filled.csv" in w for w in warnings), warnings
    assert any("pressure" in w and "placeholder" in w for w in warnings), warnings
