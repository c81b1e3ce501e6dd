"""Against pvlib's own ModelChain in the CEC configuration: the wrapper changes nothing but what it should.

ModelChain is built from the same pieces the spec names (CEC module and Sandia inverter from
pvlib's tables, PVsyst cell temperature with the module's STC efficiency, Perez, physical
IAM, no spectral loss) with the string layout our sizing reports, and run on the same
weather relabelled at the interval midpoints (ModelChain takes the sun position at the
labels; we label at interval start and take it at the midpoint). All project losses are set
to zero. What we change on purpose, and leave out of the comparison:
- night tare: pvlib's Sandia model returns -Pnt below the start-up power; we report zero;
- trackers at night: pvlib gives NaN orientation (and NaN power); we stow flat, which only
  matters in the few hours with diffuse light before sunrise and after sunset;
- ADR outside the inverter's voltage window: pvlib gives NaN; the inverter does not run, we give 0.
Everything else is the same computation, so the hourly inverter output agrees to 1e-6.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pvlib
import pytest
from pvlib.modelchain import ModelChain

from energy_portfolio.production.solar import simulate_solar
from energy_portfolio.production.solar_plant import inverter_data, module_data

from .solar_fixtures import fuzuli_spec, spec_from, tmy3_weather

NO_LOSSES = {
    "soiling": 0.0, "shading": 0.0, "mismatch": 0.0, "dc_wiring": 0.0, "lid": 0.0, "nameplate": 0.0,
    "ac_wiring": 0.0, "transformer": 0.0,
}
MOUNTS = {
    "fixed": {"type": "fixed", "tilt_deg": 25.0, "azimuth_deg": 180.0},
    "single_axis": {
        "type": "single_axis", "axis_azimuth_deg": 180.0, "axis_tilt_deg": 0.0, "max_angle_deg": 55.0,
        "gcr": 0.35, "backtrack": True,
    },
}


@pytest.fixture(scope="module")
def greensboro():
    return tmy3_weather()


def _modelchain_ac_w(spec, sizing: dict, weather: pd.DataFrame) -> np.ndarray:
    loc = spec.location
    location = pvlib.location.Location(loc.latitude, loc.longitude, loc.timezone, loc.elevation_m)
    module = module_data(spec.module)
    mount_spec = spec.mounting
    if mount_spec.type == "fixed":
        mount = pvlib.pvsystem.FixedMount(mount_spec.tilt_deg, mount_spec.azimuth_deg)
    else:
        mount = pvlib.pvsystem.SingleAxisTrackerMount(
            mount_spec.axis_tilt_deg, mount_spec.axis_azimuth_deg, mount_spec.max_angle_deg,
            mount_spec.backtrack, mount_spec.gcr,
        )
    array = pvlib.pvsystem.Array(
        mount,
        albedo=spec.albedo,
        # pvlib reads the PVsyst model's module_efficiency from the module parameters
        module_parameters={**module.cec.to_dict(), "module_efficiency": module.efficiency},
        temperature_model_parameters=_temperature_parameters(spec.temperature_model),
        modules_per_string=sizing["modules_per_string"],
        strings=sizing["strings_per_inverter"],
    )
    system = pvlib.pvsystem.PVSystem(arrays=[array], inverter_parameters=inverter_data(spec.inverter).params)
    chain = ModelChain(
        system, location, transposition_model=spec.transposition_model, aoi_model=spec.aoi_model,
        spectral_model="no_loss", temperature_model=spec.temperature_model.model, dc_model="cec",
        ac_model=spec.inverter.model, losses_model="no_loss",
    )
    chain.run_model(weather.set_axis(weather.index + pd.Timedelta(minutes=30)))
    return np.asarray(chain.results.ac, dtype=float)


def _temperature_parameters(model) -> dict:
    if model.model == "sapm":
        return dict(pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"][model.parameters])
    if model.model == "pvsyst":
        return {"u_c": model.u_c, "u_v": model.u_v}
    return {"u0": model.u0, "u1": model.u1}


INVERTER = "SMA_America__SC_2500_EV_US__550V_"  # in both the CEC (Sandia) and the ADR table
CASES = {
    "fixed-pvsyst-physical-sandia": ("fixed", {"model": "pvsyst", "u_c": 29.0, "u_v": 0.0}, "physical", "sandia"),
    "tracker-pvsyst-physical-sandia": ("single_axis", {"model": "pvsyst", "u_c": 29.0, "u_v": 0.0}, "physical",
                                       "sandia"),
    "fixed-sapm-ashrae-adr": ("fixed", {"model": "sapm", "parameters": "open_rack_glass_glass"}, "ashrae", "adr"),
    "tracker-faiman-martin_ruiz-sandia": ("single_axis", {"model": "faiman", "u0": 25.0, "u1": 6.84}, "martin_ruiz",
                                          "sandia"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_cec_configuration_matches_modelchain(case, greensboro):
    mount, temperature, aoi, inverter = CASES[case]
    weather, meta = greensboro
    spec = spec_from(
        fuzuli_spec(),
        location={"latitude": meta["latitude"], "longitude": meta["longitude"], "elevation_m": meta["altitude"],
                  "timezone": str(weather.index.tz)},
        mounting=MOUNTS[mount],
        bifacial=None,
        row_shading=None,  # the reference models a lone, unobstructed row
        losses=NO_LOSSES,
        availability=1.0,
        aoi_model=aoi,
        spectral_model="no_loss",
        transposition_model="perez",
        temperature_model=temperature,
        inverter={"model": inverter, "name": INVERTER},
    )
    ours = simulate_solar(spec, weather)
    sizing = ours.details["sizing"]
    mc_plant_mw = _modelchain_ac_w(spec, sizing, weather) * sizing["n_inverters"] / 1e6
    ours_mw = ours.hourly["ac_inverter_mw"].to_numpy()
    compared = np.isfinite(mc_plant_mw)
    assert compared.sum() > 4000
    np.testing.assert_allclose(ours_mw[compared], np.clip(mc_plant_mw[compared], 0, None), rtol=1e-6, atol=1e-9)
    # what we leave out of the comparison (stow hours with twilight diffuse) is a trace
    assert ours_mw[~compared].sum() < 1e-3 * ours_mw.sum()
