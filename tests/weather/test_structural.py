"""``weather check`` lists every structural problem of a damaged file in one pass, in every format.

One table: a file of each format damaged in at least three different ways (a header or
location problem, a missing column, an unreadable timestamp, text in a number field). ``weather
check FILE --format F`` must exit 2 and name each problem at its line (a JSON file has no lines
for its records: the record is named by its data row), so that one round fixes the file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pvlib
import pytest

from ..in_process import run_cli
from . import samples

YEARS = {m: 2011 for m in range(1, 13)}
TMY3 = Path(pvlib.__path__[0]) / "data" / "723170TYA.CSV"


def _year_utc() -> pd.DataFrame:
    """A constant non-leap year in UTC: values do not matter, the files fail before any check of them."""
    index = pd.date_range("2011-01-01", periods=8760, freq="h", tz="UTC")
    columns = ("temp_air", "relative_humidity", "ghi", "dni", "dhi", "wind_speed", "wind_direction_10m",
               "pressure", "wind_speed_100m", "wind_direction_100m")
    return pd.DataFrame({c: 1.0 for c in columns}, index=index)


def _field(line: str, position: int, value: str) -> str:
    fields = line.split(",")
    fields[position] = value
    return ",".join(fields)


def _pvgis_csv(tmp: Path) -> tuple[Path, str]:
    path = samples.write_pvgis_csv(_year_utc(), tmp / "tmy.csv", YEARS, 40.75, 50.1, -28)
    lines = path.read_bytes().decode().split("\r\n")
    lines[0] = "Latitude (decimal degrees): north"  # line 1
    lines[8] = "5,20x1,2011"  # line 9: the year of May
    # Column names on line 17, data row 1 on line 18.
    lines[22] = _field(lines[22], 0, "2011-01-01 05:00")  # line 23, data row 6
    lines[27] = _field(lines[27], 3, "bright")  # line 28, data row 11: G(h)
    path.write_bytes("\r\n".join(lines).encode())
    return path, "pvgis_csv"


def _pvgis_json(tmp: Path) -> tuple[Path, str]:
    document = samples.pvgis_json(_year_utc(), YEARS, "north", 50.1, -28)
    del document["outputs"]["months_selected"]
    document["outputs"]["tmy_hourly"][5]["time(UTC)"] = "2011-01-01 05:00"  # data row 6
    document["outputs"]["tmy_hourly"][10]["G(h)"] = "bright"  # data row 11
    path = tmp / "tmy.json"
    path.write_text(json.dumps(document))
    return path, "pvgis_json"


def _era5_csv(tmp: Path) -> tuple[Path, str]:
    table = samples.era5_table(_year_utc(), 40.75, 50.1).drop(columns=["ssrd"]).astype(str)
    table.loc[4, "valid_time"] = "yesterday"  # data row 5, line 6
    table.loc[7, "t2m"] = "warm"  # data row 8, line 9
    table.loc[9, "latitude"] = "40.5"  # a second grid point
    path = tmp / "era5.csv"
    table.to_csv(path, index=False)
    return path, "era5_csv"


def _tmy3(tmp: Path) -> tuple[Path, str]:
    lines = TMY3.read_text().splitlines()
    lines[0] = lines[0].replace("-5.0", "EST")  # line 1: the UTC offset
    lines[12] = _field(lines[12], 0, "13/01/1988")  # line 13
    lines[40] = _field(lines[40], 4, "bright")  # line 41: GHI
    lines[50] = _field(lines[50], 1, "25:00")  # line 51
    path = tmp / "greensboro.csv"
    path.write_text("\n".join(lines) + "\n")
    return path, "tmy3"


def _windpowerlib_csv(tmp: Path) -> tuple[Path, str]:
    rows = [f"{t.isoformat()},101325,288.15,8.0,0.5" for t in pd.date_range("2031-01-01", periods=48, freq="h",
                                                                             tz="UTC")]
    rows[3] = "2031-01-01 03:00,101325,288.15,8.0,0.5"  # line 6: no UTC offset
    rows[6] = rows[6].replace(",8.0,", ",calm,")  # line 9: wind speed
    lines = ["variable_name,pressure,temperature,wind_speed,humidity", "height,0,2,hub,2", *rows]
    path = tmp / "wpl.csv"
    path.write_text("\n".join(lines) + "\n")
    return path, "windpowerlib_csv"


def _plain_csv(tmp: Path) -> tuple[Path, str]:
    header = ["# latitude: north", "# longitude: 50.1", "# elevation_m: -28", "# timezone: Asia/Baku",
              "# interval: start", "# column: G = ghi [furlongs]", "# column: T = temp_air [C]",
              "# column: W = wind_speed [m/s]"]
    rows = [f"{t:%Y-%m-%d %H:%M},20.0,5.0" for t in pd.date_range("2031-01-01", periods=48, freq="h")]
    rows[2] = "2031-13-01 02:00,20.0,5.0"  # data row 3, line 12
    rows[4] = "2031-01-01 04:00,frost,5.0"  # data row 5, line 14
    path = tmp / "mast.csv"
    path.write_text("\n".join([*header, "time,T,W", *rows]) + "\n")
    return path, "plain_csv"


@dataclass(frozen=True)
class Damaged:
    """A damaged file and, for each problem, where it is and words its message must hold.

    ``problems``: (line or None, words); a line is checked as ``FILE, line N``.
    """

    id: str
    make: Callable[[Path], tuple[Path, str]]
    problems: tuple[tuple[int | None, tuple[str, ...]], ...]


CASES = [
    Damaged("PVGIS CSV", _pvgis_csv, (
        (1, ("latitude", "'Latitude (decimal degrees): north'", "expected")),
        (9, ("year", "'20x1'", "is not a year")),
        (23, ("time(UTC)", "'2011-01-01 05:00' at data row 6", "YYYYMMDD:HHMM")),
        (28, ("G(h)", "'bright' at data row 11", "not a number")),
    )),
    Damaged("PVGIS JSON", _pvgis_json, (
        (None, ("outputs.months_selected", "missing")),
        (None, ("inputs.location.latitude", "'north'", "expected a number")),
        (None, ("time(UTC)", "'2011-01-01 05:00' at data row 6", "YYYYMMDD:HHMM")),
        (None, ("G(h)", "'bright' at data row 11", "not a number")),
    )),
    Damaged("ERA5 CSV", _era5_csv, (
        (6, ("valid_time", "'yesterday' at data row 5", "not readable")),
        (9, ("t2m", "'warm' at data row 8", "not a number")),
        (None, ("latitude", "2 different values", "one grid point")),
        (None, ("lacks ERA5 variables ssrd",)),
    )),
    Damaged("TMY3", _tmy3, (
        (1, ("TZ", "'EST'", "expected a number")),
        (13, ("Date (MM/DD/YYYY)", "'13/01/1988' at data row 11", "MM/DD/YYYY")),
        (41, ("GHI (W/m^2)", "'bright' at data row 39", "not a number")),
        (51, ("Time (HH:MM)", "'25:00' at data row 49", "01:00..24:00")),
    )),
    Damaged("windpowerlib CSV", _windpowerlib_csv, (
        (1, ("unknown variable 'humidity'",)),
        (2, ("height 'hub' of wind_speed", "metres")),
        (6, ("first column", "'2031-01-01 03:00' at data row 4", "no UTC offset")),
        (9, ("wind_speed at hub m", "'calm' at data row 7", "not a number")),
    )),
    Damaged("plain CSV", _plain_csv, (
        (1, ("latitude = 'north'", "expected a number")),
        (6, ("unit [furlongs] for ghi", "W/m2")),
        (12, ("time", "'2031-13-01 02:00' at data row 3", "month 13 does not exist")),
        (14, ("T", "'frost' at data row 5", "not a number")),
    )),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_weather_check_lists_every_structural_problem_at_its_line(case, tmp_path, monkeypatch, capsys):
    path, fmt = case.make(tmp_path)
    code, text = run_cli(monkeypatch, capsys, "weather", "check", str(path), "--format", fmt)
    assert code == 2, text
    assert "Traceback" not in text and "unexpected failure" not in text
    errors = [line for line in text.splitlines() if line.startswith("ERROR")]
    assert len(errors) >= len(case.problems), text
    for line, words in case.problems:
        hits = [e for e in errors if all(w in e for w in words)]
        assert hits, f"{words} not in one error of:\n{text}"
        if line is not None:
            assert any(f"{path.name}, line {line}:" in e for e in hits), f"line {line} not given for {words}:\n{text}"
