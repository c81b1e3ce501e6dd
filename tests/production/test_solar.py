"""Solar model: closed-form checks, the waterfall, sizing and bad input."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pydantic
import pytest
from pydantic import ValidationError

from energy_portfolio.errors import InputError
from energy_portfolio.production.solar import (
    GridLimitWarning,
    WeatherLocationWarning,
    check_weather_location,
    simulate_solar,
    simulate_solar_years,
    waterfall_table_rows,
)
from energy_portfolio.production.solar_plant import inverter_data

from .solar_fixtures import fuzuli_clear_weather, fuzuli_spec, spec_from

WATERFALL_ORDER = [
    "row_sky_masking", "row_beam_shading", "row_shading_electrical",
    "soiling", "shading", "iam", "spectral", "bifacial_gain", "irradiance_temperature", "mismatch", "lid",
    "nameplate", "dc_wiring", "degradation", "inverter_clipping", "inverter_efficiency", "ac_wiring",
    "transformer", "grid_limit", "availability",
]


@pytest.fixture(scope="module")
def spec():
    return fuzuli_spec()


@pytest.fixture(scope="module")
def weather(spec):
    return fuzuli_clear_weather(2019, spec)


@pytest.fixture(scope="module")
def result(spec, weather):
    return simulate_solar(spec, weather)


def test_default_plant_result_shape(result, weather):
    assert result.net_mw.index.equals(weather.index)
    assert {"dc_mw", "poa_w_m2", "cell_temp_c", "clipping_mw", "ac_inverter_mw"} <= set(result.hourly.columns)
    assert [s.name for s in result.waterfall.steps] == WATERFALL_ORDER
    assert np.isfinite(result.net_mw).all()
    for key in ("sizing", "specific_yield_kwh_per_kwp", "performance_ratio", "clipping_loss_mwh"):
        assert key in result.details
    summary = result.yield_json()
    assert len(summary["monthly_energy_mwh"]) == 12
    assert json.loads(json.dumps(summary))["sizing"] == result.details["sizing"]  # JSON-ready
    assert summary["specific_yield_kwh_per_kwp"] == pytest.approx(
        result.annual_energy_mwh / result.details["sizing"]["dc_capacity_mwp"]
    )


def test_waterfall_reconciles_poa_to_ac(result, spec):
    # Issue 4: POA energy x losses = AC energy within 0.1 %. The reference is recomputed
    # here from the hourly POA and the sized DC capacity, independently of the waterfall.
    dc_mwp = result.details["sizing"]["dc_capacity_mwp"]
    poa_energy_at_stc_mwh = result.hourly["poa_w_m2"].sum() / 1000.0 * dc_mwp
    product = np.prod([1.0 - f for f in result.waterfall.fractions().values()])
    assert poa_energy_at_stc_mwh * product == pytest.approx(result.net_mw.sum(), rel=1e-3)
    assert result.waterfall.reconcile(result.annual_energy_mwh)
    # fixed fractions land where they are applied, exactly as configured
    fractions = result.waterfall.fractions()
    for name in ("mismatch", "lid", "dc_wiring", "ac_wiring", "transformer"):
        assert fractions[name] == pytest.approx(getattr(spec.losses, name), abs=1e-12)
    assert fractions["availability"] == pytest.approx(1 - spec.availability, abs=1e-12)
    assert fractions["bifacial_gain"] < 0  # a gain


def test_sizing_follows_inverter_window_and_dc_ac(result, spec):
    sizing = result.details["sizing"]
    inv = inverter_data(spec.inverter).params
    # string voltages inside the inverter's window at the design temperatures
    assert sizing["string_voc_cold_v"] <= inv["Vdcmax"]
    assert sizing["string_vmp_hot_v"] >= inv["Mppt_low"]
    # one more module per string would break the DC voltage limit
    per_module_voc = sizing["string_voc_cold_v"] / sizing["modules_per_string"]
    assert (sizing["modules_per_string"] + 1) * per_module_voc > inv["Vdcmax"]
    assert sizing["n_modules"] == sizing["n_strings"] * sizing["modules_per_string"]
    # whole inverters and strings: AC within half an inverter, DC/AC within half a string per inverter
    assert sizing["inverter_ac_mw"] == pytest.approx(spec.capacity_ac_mw, abs=inv["Paco"] / 2e6)
    assert sizing["dc_ac_ratio"] == pytest.approx(spec.dc_ac_ratio, rel=1.0 / sizing["strings_per_inverter"])


def test_zero_output_with_sun_below_horizon(result, spec, weather):
    loc = spec.location
    start = pvlib.solarposition.get_solarposition(weather.index, loc.latitude, loc.longitude, loc.elevation_m)
    end = pvlib.solarposition.get_solarposition(
        weather.index + pd.Timedelta(hours=1), loc.latitude, loc.longitude, loc.elevation_m
    )
    dark = (start["apparent_elevation"] < 0).to_numpy() & (end["apparent_elevation"] < 0).to_numpy()
    assert dark.sum() > 3000
    assert (result.net_mw.to_numpy()[dark] == 0).all()
    assert (result.net_mw >= 0).all()  # no night tare exported as negative power


def test_ac_never_above_limits(spec, weather):
    # a DC/AC of 1.6 clips often; the grid limit below the inverter capacity binds too
    heavy = spec_from(spec, dc_ac_ratio=1.6, grid_connection_mw=200.0)
    res = simulate_solar(heavy, weather)
    sizing = res.details["sizing"]
    assert res.hourly["ac_inverter_mw"].max() <= sizing["inverter_ac_mw"] * (1 + 1e-9)
    assert res.net_mw.max() <= 200.0 * heavy.availability * (1 + 1e-12)
    assert res.details["clipping_loss_mwh"] > 0
    assert res.waterfall.fractions()["grid_limit"] > 0
    # clipping holds the inverter at its rating: the hours with clipping are at the rating
    clipped = res.hourly["clipping_mw"] > 1e-6
    assert np.allclose(res.hourly.loc[clipped, "ac_inverter_mw"], sizing["inverter_ac_mw"], rtol=1e-6)


def test_poa_at_solar_noon_matches_hand_calculation(spec):
    # Site at 40 N, 7.5 W in UTC: solar noon is 12:30 UTC, the midpoint of the 12:00 hour,
    # on 13 June when the equation of time is ~0 (under 1 min, i.e. < 0.25 deg of hour angle).
    # Declination by Cooper (1969): 23.45 sin(360 (284 + n) / 365), n = 164 -> 23.21 deg,
    # zenith = 40 - 23.21 = 16.79 deg. The plane faces south at that tilt, so the beam is
    # normal to it; isotropic sky: POA = DNI + DHI (1 + cos b) / 2 + rho GHI (1 - cos b) / 2.
    # Cooper's declination is within ~0.3 deg of SPA and refraction is < 0.01 deg here, so the
    # beam angle is < 0.5 deg: cos error < 4e-5; tolerance 0.1 %.
    n = 164
    declination = 23.45 * math.sin(math.radians(360 * (284 + n) / 365))
    zenith = 40.0 - declination
    tilt = zenith
    dni, dhi, rho = 900.0, 100.0, 0.2
    ghi = dni * math.cos(math.radians(zenith)) + dhi
    hand = dni + dhi * (1 + math.cos(math.radians(tilt))) / 2 + rho * ghi * (1 - math.cos(math.radians(tilt))) / 2

    index = pd.date_range("2019-06-13 00:00", periods=24, freq="h", tz="UTC")
    noon = index.hour == 12
    weather = pd.DataFrame(
        {"ghi": np.where(noon, ghi, 0.0), "dni": np.where(noon, dni, 0.0), "dhi": np.where(noon, dhi, 0.0),
         "temp_air": 20.0, "wind_speed": 2.0, "pressure": 101325.0},
        index=index,
    )
    site = spec_from(
        spec,
        location={"latitude": 40.0, "longitude": -7.5, "elevation_m": 0.0, "timezone": "UTC"},
        mounting={"type": "fixed", "tilt_deg": tilt, "azimuth_deg": 180.0},
        bifacial=None,
        row_shading=None,  # the reference models a lone, unobstructed row
        transposition_model="isotropic",
        albedo=rho,
    )
    res = simulate_solar(site, weather)
    assert res.hourly["poa_w_m2"][noon].iloc[0] == pytest.approx(hand, rel=1e-3)


def test_degradation_compounds(spec, weather):
    # degradation_per_year d applies from the second year: factor (1 - d) ** (year - 1). DC
    # before clipping is linear in the factor, so the DC series scales exactly by it.
    first = simulate_solar(spec, weather, operating_year=1)
    eleventh = simulate_solar(spec, weather, operating_year=11)
    factor = (1 - spec.degradation_per_year) ** 10
    assert eleventh.hourly["dc_mw"].sum() == pytest.approx(first.hourly["dc_mw"].sum() * factor, rel=1e-12)
    assert eleventh.waterfall.fractions()["degradation"] == pytest.approx(1 - factor, abs=1e-12)
    assert first.waterfall.fractions()["degradation"] == 0.0
    assert eleventh.annual_energy_mwh < first.annual_energy_mwh
    assert eleventh.operating_year == 11
    # the shared multi-year path gives the same results as separate runs
    shared = simulate_solar_years(spec, weather, [1, 11])
    assert [r.operating_year for r in shared] == [1, 11]
    pd.testing.assert_series_equal(shared[0].net_mw, first.net_mw)
    pd.testing.assert_series_equal(shared[1].net_mw, eleventh.net_mw)
    assert shared[1].waterfall == eleventh.waterfall


def test_waterfall_table_rows(result):
    rows = waterfall_table_rows(result)
    assert rows[0][0] == "poa_irradiation_at_stc_efficiency"
    assert [r[0] for r in rows[1:-1]] == WATERFALL_ORDER
    assert rows[-1][3] == f"{result.annual_energy_mwh:,.0f}"


# --- bad input -------------------------------------------------------------------------


def test_missing_weather_columns_are_named(spec, weather):
    with pytest.raises(InputError, match=r"missing column\(s\) dni, pressure"):
        simulate_solar(spec, weather.drop(columns=["dni", "pressure"]))


def test_nan_weather_is_an_error_not_zero(spec, weather):
    bad = weather.copy()
    bad.iloc[100:103, bad.columns.get_loc("ghi")] = np.nan
    with pytest.raises(InputError, match="column ghi has 3 missing"):
        simulate_solar(spec, bad)


def test_pressure_in_hpa_is_caught(spec, weather):
    with pytest.raises(InputError, match="look like hPa"):
        simulate_solar(spec, weather.assign(pressure=weather["pressure"] / 100))


def test_naive_index_is_an_error(spec, weather):
    with pytest.raises(InputError, match="no time zone"):
        simulate_solar(spec, weather.tz_localize(None))


def test_unknown_cec_module_suggests_close_names(spec, weather):
    bad = spec_from(spec, module={"model": "cec", "name": "LONGi_Green_Energy_Technology_Co___Ltd__LR6_72HBD_38M"})
    with pytest.raises(InputError, match="closest names: LONGi_Green_Energy_Technology_Co___Ltd__LR6_72HBD_3"):
        simulate_solar(bad, weather)


def test_unknown_cec_inverter_suggests_close_names(spec, weather):
    bad = spec_from(spec, inverter={"model": "sandia", "name": "SMA_America__SC_2500_EV_US_550V"})
    with pytest.raises(InputError, match=r"inverter.name = .*closest names: SMA_America__SC_2500_EV_US__550V_"):
        simulate_solar(bad, weather)


def test_incompatible_string_window_is_explained(spec, weather):
    # the 2019 table's 3.2 MW Power Electronics unit has an MPPT window of 976-1200 V
    bad = spec_from(spec, inverter={"model": "sandia", "name": "Power_Electronics__FS3000CU15__690V_"})
    with pytest.raises(InputError, match=r"does not fit module\.name"):
        simulate_solar(bad, weather)


def test_out_of_range_specs_that_skipped_validation(spec, weather):
    # model_copy does not validate; the model re-checks the physical ranges
    with pytest.raises(InputError, match="DC/AC ratio = 3"):
        simulate_solar(spec.model_copy(update={"dc_ac_ratio": 3.0}), weather)
    fixed = spec_from(spec, mounting={"type": "fixed", "tilt_deg": 30.0, "azimuth_deg": 180.0}, bifacial=None,
                      row_shading=None)
    bad_mount = fixed.mounting.model_copy(update={"tilt_deg": 120.0})
    with pytest.raises(InputError, match="tilt_deg = 120"):
        simulate_solar(fixed.model_copy(update={"mounting": bad_mount}), weather)
    with pytest.raises(InputError, match="operating_year"):
        simulate_solar(spec, weather, operating_year=0)


def test_grid_limit_above_inverter_capacity_warns(spec, weather):
    with pytest.warns(GridLimitWarning, match="never binds"):
        simulate_solar(spec_from(spec, grid_connection_mw=300.0), weather.iloc[:48])


def test_weather_from_elsewhere_warns(spec):
    near = check_weather_location(spec, 39.70, 47.10)  # ~12 km away: no warning
    assert 5 < near < 20
    with pytest.warns(WeatherLocationWarning, match="km from site 'fuzuli_solar'"):
        far = check_weather_location(spec, 40.41, 49.87, source="baku.csv")  # Baku
    assert far == pytest.approx(247, abs=10)  # great-circle Fuzuli-Baku, ~250 km


def test_bifacial_gain_is_pvlib_infinite_sheds(result, spec, weather):
    # Our rear-only call must equal pvlib's own front+rear composition (poa_global - poa_front
    # of infinite_sheds.get_irradiance with the same bifaciality and default rear shading),
    # on the tracker angles pvlib gives for the same sun position.
    loc, mount, bif = spec.location, spec.mounting, spec.bifacial
    sun = pvlib.solarposition.get_solarposition(
        weather.index + pd.Timedelta(minutes=30), loc.latitude, loc.longitude, loc.elevation_m,
        pressure=weather["pressure"].to_numpy(), temperature=weather["temp_air"].to_numpy(),
    )
    track = pvlib.tracking.singleaxis(sun["apparent_zenith"], sun["azimuth"], mount.axis_tilt_deg,
                                      mount.axis_azimuth_deg, mount.max_angle_deg, mount.backtrack, mount.gcr)
    up = (sun["apparent_zenith"] < 90).to_numpy()
    col = {name: frame[name].to_numpy()[up] for frame in (track, sun, weather) for name in frame.columns}
    full = pvlib.bifacial.infinite_sheds.get_irradiance(
        col["surface_tilt"], col["surface_azimuth"], col["apparent_zenith"], col["azimuth"], mount.gcr,
        bif.height_m, bif.pitch_m, col["ghi"], col["dhi"], col["dni"], spec.albedo, bifaciality=bif.bifaciality,
    )
    expected = np.asarray(full["poa_global"]) - np.asarray(full["poa_front"])
    np.testing.assert_allclose(result.hourly["poa_rear_gain_w_m2"].to_numpy()[up], expected, rtol=1e-9, atol=1e-9)
    assert (result.hourly["poa_rear_gain_w_m2"].to_numpy()[~up] == 0).all()


def test_first_solar_spectral_model(spec, weather):
    humid = spec_from(spec, spectral_model="first_solar")
    with pytest.raises(InputError, match=r"missing column.*relative_humidity"):
        simulate_solar(humid, weather.iloc[:48])
    res = simulate_solar(humid, weather.assign(relative_humidity=50.0))
    # Lee and Panchula (2016) give spectral factors for mono-Si within a few % of 1 over
    # typical airmass and water vapour; a clear year at 50 % humidity averages within 3 %.
    assert abs(res.waterfall.fractions()["spectral"]) < 0.03
    assert res.waterfall.fractions()["spectral"] != 0.0


def test_model_combinations_the_data_cannot_support(spec, weather):
    """The config refuses them (validate and a run's loading), and the model refuses specs that skipped it."""
    pvwatts_module = {"model": "pvwatts", "pdc0_w": 400.0, "gamma_pdc_per_c": -0.0035, "efficiency": 0.2}
    pvwatts_inverter = {"model": "pvwatts", "nominal_efficiency": 0.98, "unit_capacity_kw": 2500.0}
    fixed_without_gcr = {"type": "fixed", "tilt_deg": 30.0, "azimuth_deg": 180.0}
    cases = [
        ({"module": pvwatts_module}, "gives no DC voltage, which inverter.model = sandia needs"),
        ({"module": pvwatts_module, "inverter": pvwatts_inverter, "spectral_model": "first_solar",
          "string_design": None}, "cell technology"),
        ({"aoi_model": "sapm"}, "Sandia module coefficients"),
        ({"spectral_model": "sapm"}, "Sandia module coefficients"),
        ({"mounting": fixed_without_gcr}, "needs mounting.gcr"),
    ]
    for changes, says in cases:
        with pytest.raises(ValidationError, match=says):
            spec_from(spec, **changes)
        unchecked = spec.model_copy(update={k: _built(spec, k, v) for k, v in changes.items()})
        with pytest.raises(InputError, match=says):
            simulate_solar(unchecked, weather.iloc[:48].assign(relative_humidity=50.0))


def _built(spec, field, value):
    """``value`` as the type of ``spec``'s ``field`` without validating the whole spec (as model_copy does)."""
    if not isinstance(value, dict):
        return value
    annotation = type(spec).model_fields[field].annotation
    return pydantic.TypeAdapter(annotation).validate_python(value)


def test_adr_and_sandia_agree_for_the_same_inverter(result, spec, weather):
    # Both inverter models are fitted to the same CEC efficiency tests of this unit; their
    # efficiencies differ by a few tenths of a percent over the operating range: within 1 %.
    adr = simulate_solar(spec_from(spec, inverter={"model": "adr", "name": spec.inverter.name}), weather)
    assert adr.details["sizing"] == result.details["sizing"]
    assert adr.annual_energy_mwh == pytest.approx(result.annual_energy_mwh, rel=0.01)


def test_no_light_at_dusk_gives_zero_not_nan():
    """Perez is 0/0 with dhi = dni = 0 while the interval midpoint still has the sun up."""
    import energy_portfolio as ep
    from energy_portfolio.production.solar import simulate_solar
    from energy_portfolio.timeseries import hourly_year

    spec = ep.load_site(Path(__file__).resolve().parents[2] / "sites" / "reference" / "bilasuvar_solar.yaml")
    index = hourly_year(2032, "Asia/Baku")[:24 * 3]
    hour = index.hour.to_numpy()
    daylight = (hour >= 8) & (hour <= 16)  # 17:00-18:00 has its midpoint before sunset at 39.45 N in January
    weather = pd.DataFrame({
        "ghi": np.where(daylight, 200.0, 0.0), "dni": np.where(daylight, 300.0, 0.0),
        "dhi": np.where(daylight, 80.0, 0.0), "temp_air": 5.0, "wind_speed": 2.0, "pressure": 101000.0,
    }, index=index)
    result = simulate_solar(spec, weather)
    assert result.net_mw.notna().all()
    assert (result.net_mw[~daylight] == 0).all()
