"""Each reader on a sample in its format's published layout, with its convention conversions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest

from energy_portfolio.config.site import FileWeather, Location
from energy_portfolio.errors import WeatherError
from energy_portfolio.weather import check_weather_file, load_weather, read_weather_file
from energy_portfolio.weather.era5 import wind_from_components

from . import samples

LAT, LON, ELEV = 40.75, 50.1, -28.0
BAKU = Location(latitude=LAT, longitude=LON, elevation_m=ELEV, timezone="Asia/Baku")
MIXED_YEARS = {m: (2011 if m % 2 else 2019) for m in range(1, 13)}
TMY3 = Path(pvlib.__path__[0]) / "data" / "723170TYA.CSV"


@pytest.fixture(scope="module")
def truth(typical_years) -> pd.DataFrame:
    """A non-leap local year (2031) of the offshore typical year, with a 10 m direction."""
    frame = typical_years["offshore"].copy()
    frame = frame[~((frame.index.month == 2) & (frame.index.day == 29))]
    frame.index = pd.date_range("2031-01-01", periods=len(frame), freq="h", tz="Asia/Baku", name="time")
    frame["wind_direction_10m"] = frame["wind_direction_100m"]
    return frame.round(1)


def _study(path, fmt) -> pd.DataFrame:
    return load_weather(FileWeather(source="file", path=path, format=fmt), BAKU, 2031).frame


def test_epw_hour_ending_numbering_becomes_interval_start(truth, tmp_path):
    fixed = truth.tz_convert("Etc/GMT-4")  # EPW is in local standard time, UTC+4 here
    path = samples.write_epw(fixed, tmp_path / "site.epw", LAT, LON, ELEV, 4, MIXED_YEARS)
    data, report = check_weather_file(path, "epw")
    assert report.usable, [str(f) for f in report.findings]
    frame = _study(path, "epw")
    # Row "1/1 hour 1" covers 00:00-01:00 and must be labelled 00:00 local.
    for column in ("ghi", "dni", "dhi", "temp_air", "wind_speed", "pressure"):
        np.testing.assert_allclose(frame[column], truth[column], atol=0.51, err_msg=column)
    assert any("different years" in w for w in data.meta.warnings)


def test_epw_missing_codes_are_reported_not_read_as_numbers(truth, tmp_path):
    fixed = truth.tz_convert("Etc/GMT-4").copy()
    fixed.iloc[100, fixed.columns.get_loc("temp_air")] = 99.9  # EPW's missing dry-bulb code
    path = samples.write_epw(fixed, tmp_path / "gap.epw", LAT, LON, ELEV, 4, MIXED_YEARS)
    with pytest.raises(WeatherError) as err:
        _study(path, "epw")
    message = str(err.value)
    assert "gap.epw: temp_air" in message and "99.9" in message and "missing-value code" in message
    assert "row 101" in message


@pytest.mark.parametrize("fmt", ["pvgis_json", "pvgis_csv"])
def test_pvgis_tmy_utc_becomes_local(fmt, truth, tmp_path):
    utc = truth.tz_convert("UTC")
    # A TMY is stitched: put the UTC rows on one year first, as PVGIS serves it (Jan 1 00:00 UTC first).
    utc = utc.set_axis(utc.index.map(lambda t: t.replace(year=2031))).sort_index()
    writer = samples.write_pvgis_json if fmt == "pvgis_json" else samples.write_pvgis_csv
    path = writer(utc, tmp_path / f"tmy.{fmt.split('_')[1]}", MIXED_YEARS, LAT, LON, ELEV)
    frame = _study(path, fmt)
    # Local 2031-01-01 00:00 (+04) is 2030-12-31 20:00 UTC: PVGIS's last rows wrap to the start.
    for column in ("ghi", "dni", "temp_air", "wind_speed", "pressure", "relative_humidity"):
        np.testing.assert_allclose(frame[column], truth[column], atol=0.51, err_msg=column)
    _, report = check_weather_file(path, fmt)
    assert any("2 different years" in str(f) for f in report.findings)


def test_pvgis_garbage_is_a_weather_error(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"outputs": {}}')
    with pytest.raises(WeatherError, match="not a PVGIS TMY JSON file"):
        read_weather_file(path, "pvgis_json")


def test_tmy3_real_file_end_labels_become_start():
    data, report = check_weather_file(TMY3, "tmy3")
    assert report.usable, [str(f) for f in report.findings]
    frame = data.frame
    # First data row of the file: "01/01/1988,01:00" (hour ending 01:00), GHI 0, 10.0 C... read it raw.
    raw = pd.read_csv(TMY3, skiprows=1, nrows=24)
    noon_end = raw[raw["Time (HH:MM)"] == "13:00"].iloc[0]
    start_label = frame.index[0] + pd.Timedelta(hours=12)
    assert frame.loc[start_label, "ghi"] == noon_end["GHI (W/m^2)"]
    assert frame.loc[start_label, "pressure"] == noon_end["Pressure (mbar)"] * 100  # mbar -> Pa
    assert str(frame.index[0]) == "2031-01-01 00:00:00-05:00"
    assert any("10 different years" in w for w in data.meta.warnings)


def test_era5_csv_conversions(truth, tmp_path):
    table = samples.era5_table(truth.tz_convert("UTC"), LAT, LON)
    path = tmp_path / "era5.csv"
    table.to_csv(path, index=False)
    _check_era5(_study(path, "era5_csv"), truth)


def test_era5_netcdf_conversions(truth, tmp_path):
    table = samples.era5_table(truth.tz_convert("UTC"), LAT, LON)
    path = samples.write_era5_netcdf(table, tmp_path / "era5.nc")
    _check_era5(_study(path, "era5_netcdf"), truth)


def _check_era5(frame: pd.DataFrame, truth: pd.DataFrame) -> None:
    # J/m2 accumulated over the hour ending at valid_time -> W/m2 of the hour starting 1 h earlier.
    np.testing.assert_allclose(frame["ghi"], truth["ghi"], atol=1e-6)
    np.testing.assert_allclose(frame["temp_air"], truth["temp_air"], atol=1e-6)  # K -> C
    np.testing.assert_allclose(frame["wind_speed_100m"], truth["wind_speed_100m"], atol=1e-6)
    turn = (frame["wind_direction_100m"] - truth["wind_direction_100m"] + 180) % 360 - 180
    assert np.abs(turn[truth["wind_speed_100m"] > 0.1]).max() < 1e-6
    high_sun = frame["dni"] > 0
    np.testing.assert_allclose(frame["dni"][high_sun], truth["dni"][high_sun], rtol=1e-6)


def test_wind_components_closed_form():
    # A northerly (v < 0) comes from 0 deg; a westerly (u > 0) from 270 deg; u = v = -1: from NE (45 deg).
    speed, direction = wind_from_components([0.0, 5.0, -1.0], [-5.0, 0.0, -1.0])
    np.testing.assert_allclose(speed, [5.0, 5.0, np.sqrt(2)])
    np.testing.assert_allclose(direction, [0.0, 270.0, 45.0])


def test_windpowerlib_csv(tmp_path, truth):
    rows = truth.iloc[:8760]
    path = tmp_path / "wpl.csv"
    lines = ["variable_name,pressure,temperature,wind_speed,roughness_length,temperature,wind_speed",
             "height,0,2,10,0,10,100"]
    for t, r in zip(rows.index, rows.itertuples(index=False), strict=True):
        lines.append(f"{t.isoformat()},{r.pressure},{r.temp_air + 273.15},{r.wind_speed},0.0002,"
                     f"{r.temp_air + 273.15 - 0.05},{r.wind_speed_100m}")
    path.write_text("\n".join(lines) + "\n")
    frame = _study(path, "windpowerlib_csv")
    np.testing.assert_allclose(frame["temp_air"], truth["temp_air"], atol=1e-6)  # K -> C
    np.testing.assert_allclose(frame["temp_air_10m"], truth["temp_air"] - 0.05, atol=1e-6)
    np.testing.assert_allclose(frame["wind_speed_100m"], truth["wind_speed_100m"], atol=1e-9)
    assert "roughness_length" not in frame.columns


def test_plain_csv_declared_units_zone_and_interval(tmp_path, truth):
    path = tmp_path / "mast.csv"
    header = [
        "# latitude: 40.75", "# longitude: 50.1", "# elevation_m: -28", "# timezone: Asia/Baku",
        "# interval: end", "# time_column: Timestamp", "# wind_kind: on_site_measurement",
        "# column: G = ghi [kW/m2]", "# column: T = temp_air [K]", "# column: WS = wind_speed [km/h] at 100 m",
        "# column: P = pressure [hPa]", "# column: RH = relative_humidity [fraction]",
    ]
    body = ["Timestamp,G,T,WS,P,RH,Note"]
    for t, r in zip(truth.index, truth.itertuples(index=False), strict=True):
        end = (t + pd.Timedelta(hours=1)).tz_localize(None)
        body.append(f"{end:%Y-%m-%d %H:%M},{r.ghi / 1000},{r.temp_air + 273.15},{r.wind_speed_100m * 3.6},"
                    f"{r.pressure / 100},{r.relative_humidity / 100},x")
    path.write_text("\n".join(header + body) + "\n")
    data, report = check_weather_file(path, "plain_csv")
    assert report.usable, [str(f) for f in report.findings]
    frame = _study(path, "plain_csv")
    np.testing.assert_allclose(frame["ghi"], truth["ghi"], atol=1e-6)
    np.testing.assert_allclose(frame["temp_air"], truth["temp_air"], atol=1e-6)
    np.testing.assert_allclose(frame["wind_speed_100m"], truth["wind_speed_100m"], atol=1e-6)
    np.testing.assert_allclose(frame["pressure"], truth["pressure"], atol=1e-6)
    assert any("Note" in c for c in data.meta.corrections)
    # The header says the mast's wind is measured on site; the irradiance's origin is not stated.
    assert (data.meta.wind_kind, data.meta.irradiance_kind) == ("on_site_measurement", "unknown")


def test_plain_csv_naive_times_without_zone_is_an_error(tmp_path):
    path = tmp_path / "naive.csv"
    path.write_text("# latitude: 40\n# longitude: 50\n# elevation_m: 0\n# interval: start\n"
                    "# column: G = ghi [W/m2]\ntime,G\n2031-01-01 00:00,0\n")
    says = r"naive\.csv, line 7: time\n  timestamps such as '2031-01-01 00:00' have no UTC"
    with pytest.raises(WeatherError, match=says):
        read_weather_file(path, "plain_csv")


def test_unknown_format_and_missing_file(tmp_path):
    with pytest.raises(WeatherError, match="unknown weather format 'grib'"):
        read_weather_file(tmp_path / "x", "grib")
    with pytest.raises(WeatherError, match="file not found"):
        read_weather_file(tmp_path / "x.csv", "canonical")


def test_era5_netcdf_with_several_grid_points_is_refused(tmp_path):
    import xarray as xr

    times = pd.date_range("2031-01-01 01:00", periods=3, freq="h").to_numpy()
    data = np.zeros((3, 2, 1))
    ds = xr.Dataset({"ssrd": (("valid_time", "latitude", "longitude"), data),
                     "t2m": (("valid_time", "latitude", "longitude"), data + 280)},
                    coords={"valid_time": times, "latitude": [40.75, 40.5], "longitude": [50.0]})
    path = tmp_path / "grid.nc"
    ds.to_netcdf(path, engine="h5netcdf")
    with pytest.raises(WeatherError, match=r"grid\.nc\n  dimensions latitude \(2\) hold more than one value"):
        read_weather_file(path, "era5_netcdf")


def test_non_numbers_are_named_not_turned_into_gaps(tmp_path):
    path = tmp_path / "era5.csv"
    path.write_text("valid_time,ssrd,t2m,latitude,longitude\n2031-01-01 01:00:00,0,280.1,40.75,50.1\n"
                    "2031-01-01 02:00:00,x1,280.2,40.75,50.1\n")
    with pytest.raises(WeatherError, match=r"era5\.csv, line 3: ssrd\n  value 'x1' at data row 2 is not a number"):
        read_weather_file(path, "era5_csv")
    plain = tmp_path / "plain.csv"
    plain.write_text("# latitude: 40\n# longitude: 50\n# elevation_m: 0\n# interval: start\n"
                     "# column: G = ghi [W/m2]\ntime,G\n2031-01-01T00:00+04:00,0\n2031-01-01T01:00+04:00,dark\n")
    with pytest.raises(WeatherError, match=r"plain\.csv, line 8: G\n  value 'dark' at data row 2 is not a number"):
        read_weather_file(plain, "plain_csv")
