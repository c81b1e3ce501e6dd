"""Bad input to the wind model: each raises InputError naming the file or field and the fix."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from energy_portfolio.errors import InputError, WeatherError
from energy_portfolio.production.wind import load_turbine, simulate_wind

from .wind_cases import COARSE, constant_weather, site, weibull_year

IEA_ROWS = [(3.0, 70.0, 0.82), (5.0, 1429.0, 0.82), (8.0, 6481.0, 0.80), (10.6, 15000.0, 0.77), (25.0, 15000.0, 0.05)]


def curve_file(tmp_path: Path, rows, header="wind_speed_m_s,power_kw,thrust_coefficient") -> Path:
    path = tmp_path / "curve.csv"
    path.write_text(header + "\n" + "\n".join(",".join(f"{v:g}" for v in row) for row in rows) + "\n")
    return path


def file_site(path: Path, **turbine):
    spec = {"source": "file", "curve": str(path), "rated_power_mw": 15.0, "rotor_diameter_m": 240.0, **turbine}
    return site(turbine=spec)


def test_a_good_curve_file_loads(tmp_path):
    curves = load_turbine(file_site(curve_file(tmp_path, IEA_ROWS), cut_out_m_s=25.0))
    assert curves.rated_power_kw == 15000 and curves.thrust_source == "curve"
    result = simulate_wind(file_site(curve_file(tmp_path, IEA_ROWS)), constant_weather(10.6, hours=4))
    assert result.net_mw.iloc[0] > 0


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([IEA_ROWS[0], IEA_ROWS[2], IEA_ROWS[1], *IEA_ROWS[3:]], "not ascending"),
        ([IEA_ROWS[0], IEA_ROWS[1], (5.0, 1500.0, 0.82), *IEA_ROWS[2:]], "appears twice"),
        ([(3.0, -70.0, 0.82), *IEA_ROWS[1:]], "negative"),
    ],
)
def test_bad_curve_rows(tmp_path, rows, expected):
    path = curve_file(tmp_path, rows)
    with pytest.raises(InputError, match=expected) as err:
        load_turbine(file_site(path))
    assert str(path) in str(err.value) and "power_kw" in str(err.value)


def test_kw_written_where_mw_is_declared(tmp_path):
    path = curve_file(tmp_path, IEA_ROWS, header="wind_speed_m_s,power_mw,thrust_coefficient")
    with pytest.raises(InputError, match="look like kW written where MW is declared") as err:
        load_turbine(file_site(path))
    assert "power_mw" in str(err.value)


def test_mw_written_where_kw_is_declared(tmp_path):
    rows = [(s, p / 1000, c) for s, p, c in IEA_ROWS]
    with pytest.raises(InputError, match="look like MW written where kW is declared"):
        load_turbine(file_site(curve_file(tmp_path, rows)))


def test_curve_ending_before_cut_out(tmp_path):
    path = curve_file(tmp_path, IEA_ROWS[:-1] + [(20.0, 15000.0, 0.1)])
    with pytest.raises(InputError, match=r"ends at 20 m/s, before the cut-out speed 25 m/s"):
        load_turbine(file_site(path, cut_out_m_s=25.0))


def test_curve_file_with_text_in_numbers(tmp_path):
    path = tmp_path / "curve.csv"
    path.write_text("wind_speed_m_s,power_kw\n3,70\n5,n/a\n25,15000\n")
    # pandas reads "n/a" as missing: the message names the file, column and row.
    with pytest.raises(InputError, match=r"curve.csv: power_kw\n  power is missing at curve row 2"):
        load_turbine(file_site(path))


def test_curve_file_with_wrong_columns(tmp_path):
    path = tmp_path / "curve.csv"
    path.write_text("speed,kw\n3,70\n25,15000\n")
    with pytest.raises(InputError, match="expected wind_speed_m_s and power_kw"):
        load_turbine(file_site(path))


def test_hub_height_below_the_rotor_radius_of_a_library_turbine():
    # The rotor is in the library: config/catalogs.py checks it, for validate and for the run alike.
    with pytest.raises(InputError, match=r"hub_height_m = 110: .*above the rotor radius 120 m"):
        load_turbine(site(hub_height_m=110))


def test_unknown_turbine_names_suggest_real_ones():
    with pytest.raises(InputError, match="IEA_Reference_15MW_240"):
        load_turbine(site(turbine={"source": "turbine_models", "name": "IEA_15MW"}))
    with pytest.raises(InputError, match="V164/8000"):
        load_turbine(site(turbine={"source": "windpowerlib", "type": "V164/800"}))


# windpowerlib 0.2.2 calls DataFrame.dropna(inplace=True), deprecated in pandas 3.1
@pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.dropna")
def test_windpowerlib_library_turbine_works_offline():
    spec = site(turbine={"source": "windpowerlib", "type": "V164/8000"}, hub_height_m=110)
    curves = load_turbine(spec)
    assert curves.rated_power_kw == 8000 and curves.rotor_diameter_m == 164
    assert curves.thrust_source == "momentum_theory"


def test_turbines_closer_than_two_rotor_diameters():
    spec = site(layout={"type": "coordinates", "x_m": [0.0, 1000.0, 1400.0], "y_m": [0.0, 0.0, 0.0]})
    with pytest.raises(InputError, match=r"turbines 1 and 2 are 400 m apart \(1.67 rotor diameters"):
        simulate_wind(spec, constant_weather(8.0))


def test_restart_speed_above_cut_out():
    with pytest.raises(InputError, match="high_wind_restart_m_s = 26"):
        load_turbine(site(high_wind_restart_m_s=26))


def test_generic_turbine_beyond_betz():
    spec = site(turbine={"source": "generic", "rated_power_mw": 15, "rotor_diameter_m": 120, "cut_in_m_s": 3,
                         "rated_wind_speed_m_s": 8, "cut_out_m_s": 25})
    with pytest.raises(InputError, match="Betz limit"):
        load_turbine(spec)


def test_weather_without_wind_at_any_height():
    weather = constant_weather(8.0).drop(columns=["wind_speed_100m", "wind_speed_150m"])
    with pytest.raises(WeatherError, match="found no wind speed at any height"):
        simulate_wind(site(), weather)


def test_weather_whose_wind_columns_are_empty():
    weather = constant_weather(8.0)
    weather["wind_speed_100m"] = np.nan
    weather["wind_speed_150m"] = np.nan
    with pytest.raises(WeatherError, match="found no wind speed at any height"):
        simulate_wind(site(), weather)


def test_missing_hours_are_not_zero():
    weather = weibull_year()
    weather.iloc[100:103, weather.columns.get_loc("wind_speed_150m")] = np.nan
    with pytest.raises(WeatherError, match=r"wind_speed_150m\n  3 missing"):
        simulate_wind(site(), weather)


def test_interpolation_needs_two_heights():
    weather = constant_weather(8.0).drop(columns=["wind_speed_150m"])
    with pytest.raises(WeatherError, match="found wind at 100 m only"):
        simulate_wind(site(), weather)


def test_pywake_needs_wind_direction():
    weather = constant_weather(8.0).drop(columns=["wind_direction_150m"])
    with pytest.raises(WeatherError, match="needs the hourly wind direction"):
        simulate_wind(site(wake_model=COARSE), weather)


def test_density_correction_needs_temperature_and_pressure():
    weather = constant_weather(8.0).drop(columns=["pressure"])
    with pytest.raises(WeatherError, match="density_correction"):
        simulate_wind(site(wake_model={"model": "none"}), weather)


def test_pressure_in_hpa():
    weather = constant_weather(8.0, pressure_pa=1013.0)
    with pytest.raises(WeatherError, match="values near 1,013 are hPa"):
        simulate_wind(site(wake_model={"model": "none"}), weather)


def test_naive_index():
    weather = constant_weather(8.0)
    weather.index = weather.index.tz_localize(None)
    with pytest.raises(InputError):
        simulate_wind(site(wake_model={"model": "none"}), weather)
