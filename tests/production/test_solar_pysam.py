"""Independent reference: NREL SAM's PVWatts v8 (PySAM ``Pvwattsv8``) on the same weather.

The project runs in its PVWatts-equivalent configuration: PVWatts DC model with PVWatts v8's
"standard" module (gamma -0.37 %/C), PVWatts inverter at 96 % nominal efficiency, the same
DC/AC ratio, Perez transposition, the same albedo, monthly soiling on the POA and the same
total DC loss. The weather goes in through ``solar_resource_data`` (nothing is downloaded)
with ``minute = 30``: SAM then takes the sun position at minute 30 of each hour, the
midpoint our model uses for interval-start labels (cmod_pvwattsv8.cpp: with a minute column
the records are treated as instantaneous at that minute).

Differences that remain, by design of the two models (measured on the Greensboro TMY3):
- cell temperature: SAM uses its own transient NOCT model (Fuentes 1987, INOCT 45 C for
  open rack); ours is pvlib's SAPM open_rack_glass_polymer, the SAPM set for the same
  open-rack glass/polymer modules. SAM runs ~3.7 C cooler (irradiance-weighted), about
  +1.4 % DC for SAM;
- cover (IAM): SAM applies an anti-reflective-glass De Soto model to beam, sky and ground
  diffuse; ours applies pvlib.iam.physical (plain glass) to the beam only;
- spectral: SAM always applies the De Soto air-mass modifier (up to a few % low at high
  airmass); ours runs spectral_model no_loss (PVWatts modules carry no cell technology);
- self-shading: SAM derates sky and ground diffuse for row-to-row blocking from the GCR
  (lib_pvshade.cpp). For fixed tilt we give SAM its smallest GCR (0.01), which removes it;
  for trackers it is part of SAM's model and pvlib's tracker leaves it out, so SAM's POA
  is ~2 % lower at GCR 0.35;
- SAM decides "sun up" with its own solar position code (ours: NREL SPA in pvlib).
The first three partly cancel for fixed tilt.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from energy_portfolio.production.solar import simulate_solar

from .solar_fixtures import fuzuli_clear_weather, fuzuli_spec, sam_solar_resource, spec_from, tmy3_weather

pv = pytest.importorskip("PySAM.Pvwattsv8")

LOSSES = {
    "soiling": [0.03, 0.03, 0.02, 0.02, 0.02, 0.025, 0.03, 0.03, 0.02, 0.02, 0.02, 0.03],
    "shading": 0.0,
    "mismatch": 0.02,
    "dc_wiring": 0.02,
    "lid": 0.015,
    "nameplate": 0.01,
    "ac_wiring": 0.0,
    "transformer": 0.0,
}
FIXED = {"type": "fixed", "tilt_deg": 30.0, "azimuth_deg": 180.0}
TRACKER = {
    "type": "single_axis", "axis_azimuth_deg": 180.0, "axis_tilt_deg": 0.0, "max_angle_deg": 45.0,
    "gcr": 0.35, "backtrack": True,
}


def pvwatts_equivalent(location: dict, mounting: dict):
    # 100 MWac of 2.5 MW inverters, DC/AC 1.2 of 400 W modules: whole numbers, so the sized
    # plant is exactly the nameplate given to SAM.
    return spec_from(
        fuzuli_spec(),
        location=location,
        capacity_ac_mw=100.0,
        dc_ac_ratio=1.2,
        grid_connection_mw=100.0,
        availability=1.0,
        mounting=mounting,
        module={"model": "pvwatts", "pdc0_w": 400.0, "gamma_pdc_per_c": -0.0037, "efficiency": 0.19},
        bifacial=None,
        row_shading=None,  # no rows, as SAM at its smallest GCR; the row-shading test adds them
        inverter={"model": "pvwatts", "nominal_efficiency": 0.96, "unit_capacity_kw": 2500.0},
        albedo=0.2,
        transposition_model="perez",
        aoi_model="physical",
        spectral_model="no_loss",
        temperature_model={"model": "sapm", "parameters": "open_rack_glass_polymer"},
        string_design=None,
        losses=LOSSES,
        degradation_per_year=0.005,
    )


def run_pvwattsv8(spec, weather: pd.DataFrame, tz_hours: float) -> dict:
    """PySAM Pvwattsv8 on the same weather and system; AC [MW] and POA [W/m2] hourly."""
    model = pv.new()
    idx = weather.index
    loc = spec.location
    model.SolarResource.solar_resource_data = sam_solar_resource(weather, loc, tz_hours)
    model.SolarResource.albedo = [spec.albedo]
    design = model.SystemDesign
    design.system_capacity = spec.dc_capacity_mwp * 1000.0  # kW
    design.dc_ac_ratio = spec.dc_capacity_mwp / spec.capacity_ac_mw
    design.inv_eff = 96.0
    losses = spec.losses
    dc_keep = (1 - losses.mismatch) * (1 - losses.dc_wiring) * (1 - losses.lid) * (1 - losses.nameplate)
    design.losses = 100.0 * (1 - dc_keep)
    design.soiling = [100.0 * s for s in losses.soiling]
    mount = spec.mounting
    if mount.type == "fixed":
        # SAM's self-shading follows the GCR; without one we give its smallest (0.01), which removes it
        gcr = mount.gcr if mount.gcr is not None else 0.01
        design.array_type, design.tilt, design.azimuth, design.gcr = 0, mount.tilt_deg, mount.azimuth_deg, gcr
    else:
        design.array_type, design.tilt, design.azimuth = 3, mount.axis_tilt_deg, mount.axis_azimuth_deg
        design.gcr, design.rotlim = mount.gcr, mount.max_angle_deg
    design.module_type = 0  # standard: gamma -0.37 %/C
    design.bifaciality = 0.0
    model.AdjustmentFactors.adjust_constant = 0.0
    model.AdjustmentFactors.adjust_en_timeindex = 0
    model.AdjustmentFactors.adjust_en_periods = 0
    model.execute()
    return {
        "ac_mw": pd.Series(np.asarray(model.Outputs.ac) / 1e6, index=idx),
        "poa_w_m2": pd.Series(np.asarray(model.Outputs.poa), index=idx),
    }


@pytest.fixture(scope="module")
def greensboro():
    weather, meta = tmy3_weather()
    location = {"latitude": meta["latitude"], "longitude": meta["longitude"], "elevation_m": meta["altitude"],
                "timezone": str(weather.index.tz)}
    return weather, location, float(meta["TZ"])


@pytest.fixture(scope="module")
def fuzuli_clear():
    spec = fuzuli_spec()
    return fuzuli_clear_weather(2019, spec), spec.location.model_dump(), 4.0


def _monthly(series: pd.Series) -> np.ndarray:
    return series.groupby(series.index.month).sum().to_numpy()


@pytest.mark.parametrize("case", ["greensboro", "fuzuli_clear"])
def test_fixed_tilt_matches_pvwatts_v8(case, request):
    weather, location, tz_hours = request.getfixturevalue(case)
    spec = pvwatts_equivalent(location, FIXED)
    ours = simulate_solar(spec, weather)
    sam = run_pvwattsv8(spec, weather, tz_hours)
    soiling = 1 - np.asarray(LOSSES["soiling"])[weather.index.month - 1]
    # Same Perez transposition at the same sun position: POA after soiling within 0.5 %
    # (the solar-position codes and SAM's "sun up" test differ at the horizon).
    assert (ours.hourly["poa_w_m2"] * soiling).sum() == pytest.approx(sam["poa_w_m2"].sum(), rel=0.005)
    # Issue 4: within 2 % a year, 4 % a month; the differences named in the module
    # docstring (temperature model, cover, spectral) are each 1-2 % and partly cancel.
    assert ours.annual_energy_mwh == pytest.approx(sam["ac_mw"].sum(), rel=0.02)
    np.testing.assert_allclose(_monthly(ours.net_mw), _monthly(sam["ac_mw"]), rtol=0.04)


def test_single_axis_matches_pvwatts_v8(greensboro):
    weather, location, tz_hours = greensboro
    spec = pvwatts_equivalent(location, TRACKER)
    ours = simulate_solar(spec, weather)
    sam = run_pvwattsv8(spec, weather, tz_hours)
    soiling = 1 - np.asarray(LOSSES["soiling"])[weather.index.month - 1]
    poa_ours = (ours.hourly["poa_w_m2"] * soiling).sum()
    # SAM blocks part of the sky and ground diffuse between tracker rows (GCR 0.35); pvlib's
    # tracker does not: our POA is higher, by the ~2 % that diffuse derate is worth here.
    assert poa_ours > sam["poa_w_m2"].sum()
    assert poa_ours == pytest.approx(sam["poa_w_m2"].sum(), rel=0.04)
    # Issue 4: within 4 % a year (row-to-row diffuse shading plus the fixed-tilt differences).
    assert ours.annual_energy_mwh == pytest.approx(sam["ac_mw"].sum(), rel=0.04)


@pytest.mark.parametrize("gcr", [0.3, 0.4])
def test_fixed_tilt_row_shading_matches_pvwatts_v8_self_shading(greensboro, gcr):
    """Fixed tilt with rows: our infinite-sheds front side, shaded_fraction1d and Martinez against
    PVWatts v8 with its self-shading on (array_type 0 with the GCR).

    PVWatts v8's self-shading (lib_pvshade.cpp) derates the beam with Deline et al.'s nonlinear
    model for two modules in portrait across the row, so the Martinez case here has two
    bypass-diode blocks across the row (one per portrait module, its three substrings side by
    side). Measured on the Greensboro TMY3: SAM loses 1.3 % (gcr 0.3) and 2.0 % (gcr 0.4) to
    self-shading, we lose 1.7 % and 2.6 %, almost all of it in the diffuse: SAM derates the
    sky diffuse by the masking angle only, pvlib's infinite sheds also shades the ground the
    front sees. Without rows we are 0.03 % below SAM; with rows 0.5 % (0.3) and 0.65 % (0.4).
    Issue 18: within 1 % a year.
    """
    weather, location, tz_hours = greensboro
    spec = spec_from(
        pvwatts_equivalent(location, {**FIXED, "gcr": gcr}),
        # 2 portrait modules of ~2 m: a 4 m row; its centre 1.5 m above the ground (assumption,
        # typical fixed racking; PVWatts has no height)
        row_shading={"front_irradiance_model": "infinite_sheds", "beam_shade_model": "martinez",
                     "blocks_across_row": 2, "height_m": 1.5, "pitch_m": 4.0 / gcr},
    )
    ours = simulate_solar(spec, weather)
    sam = run_pvwattsv8(spec, weather, tz_hours)
    rows = {step: loss for step, _, loss, _ in ours.waterfall.rows() if step.startswith("row_")}
    assert all(loss > 0 for loss in rows.values())  # each row effect is its own, non-zero step
    assert ours.annual_energy_mwh == pytest.approx(sam["ac_mw"].sum(), rel=0.01)


def test_single_axis_row_masking_matches_pvwatts_v8(greensboro):
    """The backtracking tracker with rows: SAM's diffuse derate between tracker rows against our
    infinite-sheds front side. Without rows we are 1.7 % above SAM (test above); with them 0.7 %
    below: infinite sheds also shades the ground the front sees, SAM derates the sky only.
    Backtracking leaves no beam shadow, so the beam steps are zero. Within 1 % a year, the
    fixed-tilt figure of issue 18 (its tracker reference, SAM's detailed Pvsamv1, is not run here).
    """
    weather, location, tz_hours = greensboro
    spec = spec_from(
        pvwatts_equivalent(location, TRACKER),
        # one 2 m module in portrait (1P tracker), axis 1.5 m high (assumption, typical trackers)
        row_shading={"front_irradiance_model": "infinite_sheds", "beam_shade_model": "martinez",
                     "blocks_across_row": 2, "height_m": 1.5, "pitch_m": 2.0 / TRACKER["gcr"]},
    )
    ours = simulate_solar(spec, weather)
    sam = run_pvwattsv8(spec, weather, tz_hours)
    rows = {step: loss for step, _, loss, _ in ours.waterfall.rows() if step.startswith("row_")}
    assert rows["row_sky_masking"] > 0.01
    assert rows["row_beam_shading"] == rows["row_shading_electrical"] == 0.0
    assert ours.annual_energy_mwh == pytest.approx(sam["ac_mw"].sum(), rel=0.01)
