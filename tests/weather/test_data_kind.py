"""What the weather is made from (``WeatherMeta.irradiance_kind``/``wind_kind``), from each source to the stack."""

from __future__ import annotations

from pathlib import Path

import pvlib
import pytest

from energy_portfolio.config.site import DATA_KINDS, FileWeather, Location, SyntheticWeather
from energy_portfolio.errors import WeatherError
from energy_portfolio.weather import check_weather_file, load_weather
from energy_portfolio.weather.canonical import format_canonical, read_canonical

ROOT = Path(__file__).resolve().parents[2]
TMY3 = Path(pvlib.__path__[0]) / "data" / "723170TYA.CSV"
FUZULI = Location(latitude=39.6, longitude=47.143, elevation_m=416, timezone="Asia/Baku")


def test_a_tmy3_year_has_satellite_irradiance_and_station_wind():
    # TMY3 irradiance is the NSRDB's, mostly modelled from satellite images; its wind is the station's.
    data, _ = check_weather_file(TMY3, "tmy3")
    assert (data.meta.irradiance_kind, data.meta.wind_kind) == ("satellite", "ground_station")


def test_generated_and_shipped_typical_years_are_synthetic_from_climatology():
    generated = load_weather(
        SyntheticWeather(source="synthetic", climatology=ROOT / "weather" / "fuzuli_climatology.yaml", seed=2026),
        FUZULI, 2032,
    )
    shipped_file = FileWeather(source="file", path=ROOT / "weather" / "fuzuli_synthetic_2032.csv")
    shipped = load_weather(shipped_file, FUZULI, 2032)
    for data in (generated, shipped):
        assert (data.meta.irradiance_kind, data.meta.wind_kind) == ("synthetic_climatology",) * 2


def test_the_canonical_header_carries_the_kinds_and_a_bad_one_is_named(tmp_path):
    shipped = read_canonical(ROOT / "weather" / "fuzuli_synthetic_2032.csv")
    text = format_canonical(shipped)
    assert "# irradiance_kind: synthetic_climatology\n# wind_kind: synthetic_climatology\n" in text
    path = tmp_path / "mast.csv"
    path.write_text(text.replace("# wind_kind: synthetic_climatology", "# wind_kind: on_site_measurement"))
    assert read_canonical(path).meta.wind_kind == "on_site_measurement"
    path.write_text(text.replace("# wind_kind: synthetic_climatology", "# wind_kind: mast"))
    with pytest.raises(WeatherError) as caught:
        read_canonical(path, "mast.csv")
    assert "mast.csv, line 9\n  header wind_kind = 'mast'; expected one of on_site_measurement" in str(caught.value)
    # A header without the keys (a file written before they existed) says nothing: unknown.
    path.write_text("".join(line for line in text.splitlines(keepends=True) if "_kind:" not in line))
    assert read_canonical(path).meta.irradiance_kind == "unknown"


def test_the_site_config_states_what_a_file_is(tmp_path):
    source = FileWeather(source="file", path=ROOT / "weather" / "fuzuli_synthetic_2032.csv",
                         data_kind="on_site_measurement")
    data = load_weather(source, FUZULI, 2032)
    assert (data.meta.irradiance_kind, data.meta.wind_kind) == ("on_site_measurement",) * 2
    assert "unknown" in DATA_KINDS


def test_a_site_config_with_an_unknown_data_kind_names_the_file_and_field(project_copy):
    from energy_portfolio.config.load import load_site
    from energy_portfolio.errors import ConfigError

    path = project_copy / "sites" / "fuzuli_solar.yaml"
    text = path.read_text()
    assert "\n  source: file\n" in text
    path.write_text(text.replace("\n  source: file\n", "\n  source: file\n  data_kind: mast\n", 1))
    with pytest.raises(ConfigError) as caught:
        load_site(path)
    message = str(caught.value)
    assert "fuzuli_solar.yaml" in message and "weather.data_kind" in message and "on_site_measurement" in message


def test_a_site_on_weather_of_unknown_origin_gets_the_cautious_stack_and_a_note():
    from types import SimpleNamespace

    from energy_portfolio.economics import default_uncertainty_stack, quadrature
    from energy_portfolio.portfolio.run import p_values_by_site

    def run(kind):
        spec = SimpleNamespace(id="s", kind="solar", energy_uncertainty=None)
        production = SimpleNamespace(wake_loss_fraction_by_model={}, details={}, annual_energy_mwh=1000.0)
        meta = SimpleNamespace(irradiance_kind=kind, wind_kind=kind)
        return SimpleNamespace(spec=spec, production=production, weather=SimpleNamespace(meta=meta))

    notes: list[str] = []
    unknown = p_values_by_site(None, {"s": run("unknown")}, None, notes)["s"]
    assert unknown["resource_data_kind"] == "unknown"
    assert unknown["energy_stack_uncertainty_fraction"] == quadrature(default_uncertainty_stack("solar", "unknown"))
    assert any("does not say what it is made from" in n and "weather.data_kind" in n for n in notes)
    notes.clear()
    p_values_by_site(None, {"s": run("satellite")}, None, notes)
    assert not any("made from" in n for n in notes)
