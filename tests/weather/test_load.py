"""load_weather and load_weather_years on the shipped configs; the shipped files reproduce."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from energy_portfolio.cli import app
from energy_portfolio.config import load_grid, load_site
from energy_portfolio.config.site import FileWeather, Location, SyntheticWeather
from energy_portfolio.errors import WeatherError
from energy_portfolio.weather import WeatherData, load_weather, load_weather_years, read_canonical, write_canonical
from energy_portfolio.weather.calendar import to_study_year

from .conftest import ROOT, WEATHER

BAKU = Location(latitude=40.75, longitude=50.1, elevation_m=-28, timezone="Asia/Baku")
SHIPPED = {
    "fuzuli_synthetic_2032.csv": ("fuzuli_climatology.yaml", 2026),
    "caspian_offshore_synthetic_2032.csv": ("absheron_offshore_climatology.yaml", 2032),
}


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_weather_synth_reproduces_the_shipped_file(name, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    climatology, seed = SHIPPED[name]
    out = tmp_path / name
    result = CliRunner().invoke(
        app, ["weather", "synth", f"weather/{climatology}", "--seed", str(seed), "--year", "2032", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == (WEATHER / name).read_bytes()


@pytest.mark.parametrize(
    "config", ["fuzuli_solar.yaml", "caspian_offshore_wind.yaml", *sorted(
        f"reference/{p.name}" for p in (ROOT / "sites" / "reference").glob("*.yaml") if "bess" not in p.name)]
)
def test_every_shipped_site_loads_its_weather(config):
    site = load_site(ROOT / "sites" / config)
    data = load_weather(site.weather, site.location, 2032)
    frame = data.frame
    assert len(frame) == 8784 and str(frame.index.tz) == "Asia/Baku"
    assert frame.index[0] == pd.Timestamp("2032-01-01 00:00", tz="Asia/Baku")
    assert ((frame.index.month == 2) & (frame.index.day == 29)).sum() == 24
    assert {"ghi", "dni", "dhi", "temp_air", "wind_speed", "pressure", "relative_humidity"} <= set(frame.columns)
    assert not frame.isna().any().any()
    if site.kind == "wind":
        assert {"wind_speed_100m", "wind_speed_150m", "wind_direction_150m"} <= set(frame.columns)


def test_demand_temperature_loads():
    grid = load_grid(ROOT / "sites" / "azerbaijan_grid.yaml")
    data = load_weather(grid.zones[0].demand.weather, BAKU, 2032)
    assert data.frame["temp_air"].mean() == pytest.approx(14.6, abs=1.0)  # FACTS 4b: Baku 14.4-14.7 C a year


def test_file_and_synthetic_sources_agree():
    """The shipped file is the synthetic typical year rounded to the file's resolution."""
    path = WEATHER / "caspian_offshore_synthetic_2032.csv"
    from_file = load_weather(FileWeather(source="file", path=path), BAKU, 2032).frame
    generated = load_weather(
        SyntheticWeather(source="synthetic", climatology=WEATHER / "absheron_offshore_climatology.yaml", seed=2032),
        BAKU,
        2032,
    ).frame
    assert list(from_file.columns) == list(generated.columns)
    direction = [c for c in generated.columns if c.startswith("wind_direction")]
    turn = (from_file[direction] - generated[direction] + 180.0) % 360.0 - 180.0  # 359.99 is 0.0
    assert (turn.abs() <= 0.05 + 1e-9).all().all()
    others = generated.columns.drop(direction)
    # Rounding: 0.05 W/m2, 0.005 C or m/s, 0.5 Pa.
    np.testing.assert_allclose(from_file[others].to_numpy(), generated[others].to_numpy(), atol=0.5 + 1e-9)


def test_typical_year_on_a_non_leap_year_drops_29_february():
    data = load_weather(FileWeather(source="file", path=WEATHER / "caspian_offshore_synthetic_2032.csv"), BAKU, 2031)
    assert len(data.frame) == 8760
    assert any("29 February dropped" in c for c in data.meta.corrections)


def test_non_leap_source_on_a_leap_year_fills_29_february():
    index = pd.date_range("2031-01-01", periods=8760, freq="h", tz="Asia/Baku")
    frame = pd.DataFrame({"temp_air": np.arange(8760.0)}, index=index)
    out, corrections = to_study_year(frame, "Asia/Baku", 2032, "x.csv")
    assert len(out) == 8784
    feb28 = out.loc["2032-02-28", "temp_air"].to_numpy()
    np.testing.assert_array_equal(out.loc["2032-02-29", "temp_air"].to_numpy(), feb28)
    assert any("29 February 2032 filled" in c for c in corrections)


def test_utc_year_wraps_into_the_local_year():
    """A UTC year seen from UTC+4 starts at 04:00; its last four hours become 1 January 00-03."""
    index = pd.date_range("2031-01-01", periods=8760, freq="h", tz="UTC")
    frame = pd.DataFrame({"temp_air": np.arange(8760.0)}, index=index)
    out, corrections = to_study_year(frame, "Asia/Baku", 2031, "x.csv")
    assert out["temp_air"].iloc[4] == 0.0  # 2031-01-01 04:00+04 = 00:00 UTC, the first value
    assert out["temp_air"].iloc[0] == 8756.0  # 00:00+04 on 1 January is 20:00 UTC on 31 December
    assert corrections


def test_missing_hours_are_an_error():
    index = pd.date_range("2031-01-01", periods=8000, freq="h", tz="Asia/Baku")
    with pytest.raises(WeatherError, match=r"x\.csv: 760 hours of 2031 have no data"):
        to_study_year(pd.DataFrame({"ghi": np.zeros(8000)}, index=index), "Asia/Baku", 2031, "x.csv")


def test_canonical_round_trip(tmp_path, typical_years):
    frame = typical_years["offshore"]
    from energy_portfolio.weather import WeatherMeta

    meta = WeatherMeta(40.75, 50.1, -28, "Asia/Baku", "test", "local, start", ("a correction",), ("a warning",))
    path = write_canonical(WeatherData(frame, meta), tmp_path / "w.csv")
    back = read_canonical(path)
    assert back.meta.latitude == 40.75 and back.meta.corrections == ("a correction",)
    assert back.meta.warnings == ("a warning",)
    pd.testing.assert_index_equal(back.frame.index, frame.index, check_names=False)
    np.testing.assert_allclose(back.frame["pressure"], frame["pressure"], atol=0.5 + 1e-9)
    np.testing.assert_allclose(back.frame["ghi"], frame["ghi"], atol=0.05 + 1e-9)


def test_load_weather_years_gives_distinct_correlated_years():
    sources = {
        "solar": SyntheticWeather(source="synthetic", climatology=WEATHER / "fuzuli_climatology.yaml", seed=1),
        "wind": SyntheticWeather(
            source="synthetic", climatology=WEATHER / "absheron_offshore_climatology.yaml", seed=2
        ),
        "demand": FileWeather(source="file", path=WEATHER / "caspian_offshore_synthetic_2032.csv"),
    }
    fuzuli = Location(latitude=39.6, longitude=47.143, elevation_m=416, timezone="Asia/Baku")
    years = load_weather_years(sources, {"solar": fuzuli, "wind": BAKU, "demand": BAKU}, [2032, 2033, 2034])
    assert [len(d.frame) for d in years["solar"]] == [8784, 8760, 8760]
    assert [d.frame.index[0].year for d in years["wind"]] == [2032, 2033, 2034]
    totals = [d.frame["ghi"].sum() for d in years["solar"]]
    assert len(set(totals)) == 3
    assert "year 1" in years["solar"][0].meta.source
    assert all("no year-to-year spread" in d.meta.warnings[-1] for d in years["demand"])


def test_hub_height_far_from_the_wind_data_is_a_warning():
    fuzuli = Location(latitude=39.6, longitude=47.143, elevation_m=416, timezone="Asia/Baku")
    source = FileWeather(source="file", path=WEATHER / "fuzuli_synthetic_2032.csv")
    data = load_weather(source, fuzuli, 2032, hub_height_m=120)
    assert any("nearest wind height is 10 m, far from the hub height 120 m" in w for w in data.meta.warnings)
    offshore = load_weather(FileWeather(source="file", path=WEATHER / "caspian_offshore_synthetic_2032.csv"),
                            BAKU, 2032, hub_height_m=150)
    assert not any("hub height" in w for w in offshore.meta.warnings)


def test_weather_synth_years_writes_distinct_years(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "fuzuli.csv"
    result = CliRunner().invoke(
        app, ["weather", "synth", "weather/fuzuli_climatology.yaml", "--seed", "3", "--year", "2033", "--years", "2",
              "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    first, second = read_canonical(tmp_path / "fuzuli_01.csv"), read_canonical(tmp_path / "fuzuli_02.csv")
    assert first.frame.index[0].year == 2033 and second.frame.index[0].year == 2034
    assert "year 1" in first.meta.source and "year 2" in second.meta.source
    assert first.frame["ghi"].sum() != second.frame["ghi"].sum()
