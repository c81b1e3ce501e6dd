"""Each quality check: the failure is found, and the message names file, column, rows and cause."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

from energy_portfolio.cli import run
from energy_portfolio.weather import WeatherMeta
from energy_portfolio.weather.qc import check_hub_height, check_weather

from .conftest import WEATHER

META = WeatherMeta(40.75, 50.1, -28, "Asia/Baku", "test", "local, start")


@pytest.fixture
def good(typical_years) -> pd.DataFrame:
    return typical_years["offshore"].copy()


def _errors(frame, file="w.csv"):
    report = check_weather(frame, META, file)
    return [str(f) for f in report.errors], report


def test_clean_year_has_no_findings(good):
    report = check_weather(good, META, "w.csv")
    assert report.findings == ()


def test_gap_in_timestamps(good):
    errors, _ = _errors(good.drop(good.index[100]))
    assert errors == [
        "ERROR w.csv: time: missing timestamps: a gap after row 100 (2032-01-05T03:00:00+04:00); "
        "expected consecutive hours"
    ]


def test_duplicate_timestamps(good):
    frame = pd.concat([good.iloc[:10], good.iloc[9:]])
    errors, _ = _errors(frame)
    assert "duplicate timestamps at row 11 (2032-01-01T09:00:00+04:00)" in errors[0]
    assert "daylight-saving" in errors[0]


def test_timestamps_out_of_order(good):
    order = np.r_[0:50, 51, 50, 52 : len(good)]
    errors, _ = _errors(good.iloc[order])
    assert "timestamps go backwards at row 52 (2032-01-03T02:00:00+04:00)" in errors[0]


def test_row_count_does_not_fit_the_calendar(good):
    errors, _ = _errors(good.iloc[:8000])
    assert "8000 hourly rows from 2032-01-01T00:00:00+04:00; a year has 8760 or 8784 hours" in errors[0]


def test_naive_timestamps(good):
    errors, _ = _errors(good.tz_localize(None))
    assert "timestamps have no time zone and none is declared" in errors[0]


def test_nan_is_an_error_and_never_zero(good):
    frame = good.copy()
    frame.iloc[[200, 201], frame.columns.get_loc("wind_speed_150m")] = np.nan
    errors, report = _errors(frame)
    assert errors == [
        "ERROR w.csv: wind_speed_150m: 2 missing values (NaN or empty) at row 201 (2032-01-09T08:00:00+04:00), "
        "row 202 (2032-01-09T09:00:00+04:00); fill the gaps from another source; missing values are never read as 0"
    ]
    assert report.frame["wind_speed_150m"].isna().sum() == 2


@pytest.mark.parametrize(("column", "code"), [("ghi", 9999.0), ("temp_air", -999.0), ("pressure", 999999.0)])
def test_sentinels(good, column, code):
    frame = good.copy()
    frame.iloc[5000, frame.columns.get_loc(column)] = code
    errors, _ = _errors(frame)
    assert any(
        f"w.csv: {column}: 1 values of {code:g} at row 5001" in e and "missing-value code" in e for e in errors
    ), errors


def test_small_negative_night_irradiance_is_clipped_and_counted(good):
    frame = good.copy()
    frame.iloc[0:3, frame.columns.get_loc("ghi")] = -2.5  # midnight: sensor offset
    report = check_weather(frame, META, "w.csv")
    assert report.usable
    corrections = [str(f) for f in report.findings if f.severity == "correction"]
    assert corrections == [
        "CORRECTION w.csv: ghi: 3 small negative night values (>= -10 W/m2, sensor offset) set to 0, "
        "first at row 1 (2032-01-01T00:00:00+04:00) and 2 more"
    ]
    assert (report.frame["ghi"].iloc[:3] == 0).all()
    assert (frame["ghi"].iloc[:3] == -2.5).all()  # the input is not changed


def test_large_or_daytime_negative_irradiance_is_an_error(good):
    frame = good.copy()
    noon = frame.index.get_loc(pd.Timestamp("2032-06-01 13:00", tz="Asia/Baku"))
    frame.iloc[noon, frame.columns.get_loc("dhi")] = -3.0
    frame.iloc[1, frame.columns.get_loc("dhi")] = -50.0
    errors, _ = _errors(frame)
    assert any("dhi: 2 negative values below -10 W/m2 or in daylight" in e and "row 2 " in e for e in errors)


def test_ghi_above_extraterrestrial(good):
    frame = good.copy()
    noon = frame.index.get_loc(pd.Timestamp("2032-12-21 12:00", tz="Asia/Baku"))
    frame.iloc[noon, frame.columns.get_loc("ghi")] = 900.0  # winter sun at 26 deg: at most ~630
    frame.iloc[noon, frame.columns.get_loc("dhi")] = 100.0
    errors, _ = _errors(frame)
    assert any("ghi: 1 values above the extraterrestrial irradiance" in e and "2032-12-21T12:00" in e for e in errors)


def test_dhi_above_ghi(good):
    frame = good.copy()
    noon = frame.index.get_loc(pd.Timestamp("2032-06-01 13:00", tz="Asia/Baku"))
    frame.iloc[noon, frame.columns.get_loc("dhi")] = frame["ghi"].iloc[noon] + 200
    errors, _ = _errors(frame)
    assert any("dhi: 1 values above GHI" in e and "swapped columns" in e for e in errors)


def test_beam_with_the_sun_below_the_horizon(good):
    frame = good.copy()
    frame.iloc[2, frame.columns.get_loc("dni")] = 300.0
    errors, _ = _errors(frame)
    assert any("dni: 1 hours with beam irradiance while the sun is below the horizon" in e for e in errors)


@pytest.mark.parametrize(
    ("column", "transform", "says"),
    [
        ("temp_air", lambda s: s + 273.15, "looks like kelvin"),
        ("ghi", lambda s: s * 3600.0, "looks like an energy per hour in J/m2"),
        ("dni", lambda s: s / 1000.0, "looks like kW/m2"),
        ("wind_speed_150m", lambda s: s * 3.6, "looks like km/h"),
        ("pressure", lambda s: s / 100.0, "looks like hPa"),
        ("relative_humidity", lambda s: s / 100.0, "looks like a fraction"),
    ],
)
def test_units_that_look_wrong(good, column, transform, says):
    frame = good.copy()
    frame[column] = transform(frame[column])
    errors, _ = _errors(frame)
    assert any(f"w.csv: {column}: " in e and says in e for e in errors), errors


def test_end_labels_read_as_start_are_detected(good):
    frame = good.copy()
    frame.index = frame.index + pd.Timedelta(hours=1)  # what an end-labelled file looks like read as start
    errors, _ = _errors(frame)
    assert any("irradiance is centred 1.0 h after solar noon" in e and "labels at the end" in e for e in errors)


def test_utc_read_as_local_time_is_detected(good):
    frame = good.copy()
    frame.index = frame.index.tz_convert("UTC").tz_localize(None).tz_localize("Asia/Baku")
    errors, _ = _errors(frame)
    assert any("4.0 h before solar noon" in e and "wrong time zone" in e for e in errors)


def test_wind_far_from_hub_height(good):
    only_10m = good[["ghi", "dni", "dhi", "temp_air", "wind_speed", "pressure"]]
    findings = check_hub_height(only_10m, 150, "w.csv")
    assert [str(f) for f in findings] == [
        "WARNING w.csv: wind_speed: the nearest wind height is 10 m, far from the hub height 150 m: extrapolating "
        "by a shear law adds large uncertainty; give wind at or near hub height"
    ]
    assert check_hub_height(good, 150, "w.csv") == []


def test_weather_check_cli_exits_2_on_an_unusable_file(tmp_path, monkeypatch, capsys):
    rows = (WEATHER / "fuzuli_synthetic_2032.csv").read_text().splitlines()
    i = next(k for k, row in enumerate(rows) if row.startswith("2032-06-01T12:00"))
    fields = rows[i].split(",")
    fields[1] = "9999"  # ghi
    rows[i] = ",".join(fields)
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(rows) + "\n")
    monkeypatch.setattr(sys, "argv", ["energy-portfolio", "weather", "check", str(path)])
    with pytest.raises(SystemExit) as exit_info:
        run()
    assert exit_info.value.code == 2
    out = capsys.readouterr()
    assert "ghi: 1 values of 9999" in out.err and "UNUSABLE" in out.out


def test_weather_check_cli_ok_on_a_shipped_file(monkeypatch, capsys):
    monkeypatch.setattr(
        sys, "argv", ["energy-portfolio", "weather", "check", str(WEATHER / "caspian_offshore_synthetic_2032.csv"),
                      "--hub-height", "150"]
    )
    with pytest.raises(SystemExit) as exit_info:
        run()
    assert exit_info.value.code == 0
    assert "OK" in capsys.readouterr().out
