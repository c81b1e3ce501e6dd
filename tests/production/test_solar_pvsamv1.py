"""Independent reference: NREL SAM's detailed PV model (PySAM ``Pvsamv1``) for a single-axis tracker
with row-to-row shading, on the Greensboro TMY3 (issue 18).

Both sides run the same plant: the CEC module and the CEC (Sandia) inverter of the Fuzuli site with
our string layout (modules per string, strings, inverters), the same DC/AC ratio, a horizontal
north-south tracker at +-45 deg without backtracking at GCR 0.35 (with backtracking SAM keeps only
its diffuse derate, 1.9 % of the POA here, and no beam shading: the case of test_solar_pysam.py's
tracker test), Perez transposition, albedo 0.2, the same monthly
soiling on the POA and the same DC losses. The weather goes in as ``solar_resource_data`` (nothing
is downloaded) with ``minute = 30``, the midpoint our model takes the sun position at.

Row shading: SAM's ``subarray1_shade_mode = 1`` (standard, non-linear self-shading: Deline et
al., "A simplified model of uniform shading in large photovoltaic arrays", Solar Energy 2013; a
beam derate by the bypass-diode substrings a row shadow reaches, and a sky-diffuse derate by the
masking angle) against our infinite-sheds front side,
``shaded_fraction1d`` and Martinez's bypass-diode model. One module in portrait per tracker row
(SAM ``nmody = 1``, portrait): its three substrings run across the row, so a shadow rising from the
lower edge reaches all of them at once: ``blocks_across_row = 1`` for Martinez, the case that
matches SAM's portrait model. SAM's mode 2 (linear, "thin film") is the counterpart of our
``linear`` beam model; the second test compares those two.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from energy_portfolio.production.solar import simulate_solar
from energy_portfolio.production.solar_plant import inverter_data, module_data

from .solar_fixtures import fuzuli_spec, sam_solar_resource, spec_from, tmy3_weather
from .test_solar_pysam import LOSSES

pvsam = pytest.importorskip("PySAM.Pvsamv1")

TRACKER = {
    "type": "single_axis", "axis_azimuth_deg": 180.0, "axis_tilt_deg": 0.0, "max_angle_deg": 45.0,
    "gcr": 0.35, "backtrack": False,
}


def tracker_plant(location: dict):
    """The Fuzuli site's CEC module and Sandia inverter as a monofacial 1P tracker at Greensboro."""
    module_length_m = 2.0  # the LONGi 72-cell module is ~2.0 m long, in portrait across the row
    return spec_from(
        fuzuli_spec(),
        location=location,
        availability=1.0,
        mounting=TRACKER,
        bifacial=None,
        row_shading={"front_irradiance_model": "infinite_sheds", "beam_shade_model": "martinez",
                     "blocks_across_row": 1, "height_m": 1.5, "pitch_m": module_length_m / TRACKER["gcr"]},
        albedo=0.2,
        transposition_model="perez",
        aoi_model="physical",
        spectral_model="no_loss",
        temperature_model={"model": "sapm", "parameters": "open_rack_glass_polymer"},
        losses=LOSSES,
        degradation_per_year=0.005,
    )


def run_pvsamv1(spec, sizing: dict, weather: pd.DataFrame, tz_hours: float, shade_mode: int) -> dict:
    """PySAM Pvsamv1 on the same weather and plant; AC [MW] hourly and SAM's annual losses."""
    model = pvsam.default("FlatPlatePVNone")
    idx, loc = weather.index, spec.location
    res = model.SolarResource
    res.solar_resource_data = sam_solar_resource(weather, loc, tz_hours)
    res.use_wf_albedo, res.albedo = 0, [spec.albedo] * 12
    res.irrad_mode, res.sky_model = 0, 2  # beam and diffuse given; Perez
    module = module_data(spec.module).cec
    cec = model.CECPerformanceModelWithModuleDatabase
    model.Module.module_model = 1  # CEC single-diode with the database's six parameters
    for ours, sam in [("a_ref", "cec_a_ref"), ("Adjust", "cec_adjust"), ("alpha_sc", "cec_alpha_sc"),
                      ("beta_oc", "cec_beta_oc"), ("I_L_ref", "cec_i_l_ref"),
                      ("I_mp_ref", "cec_i_mp_ref"), ("I_o_ref", "cec_i_o_ref"), ("I_sc_ref", "cec_i_sc_ref"),
                      ("N_s", "cec_n_s"), ("R_s", "cec_r_s"), ("R_sh_ref", "cec_r_sh_ref"), ("T_NOCT", "cec_t_noct"),
                      ("V_mp_ref", "cec_v_mp_ref"), ("V_oc_ref", "cec_v_oc_ref"), ("A_c", "cec_area")]:
        setattr(cec, sam, float(module[ours]))
    cec.cec_is_bifacial, cec.cec_temp_corr_mode, cec.cec_standoff, cec.cec_height = 0, 0, 6, 0  # NOCT, rack
    cec.cec_module_length, cec.cec_module_width = 2.0, float(module["A_c"]) / 2.0
    inverter = inverter_data(spec.inverter).params
    inv = model.Inverter
    inv.inverter_model = 0  # CEC database: Sandia model
    model.InverterCECDatabase.inv_snl_c0 = float(inverter["C0"])
    model.InverterCECDatabase.inv_snl_c1 = float(inverter["C1"])
    model.InverterCECDatabase.inv_snl_c2 = float(inverter["C2"])
    model.InverterCECDatabase.inv_snl_c3 = float(inverter["C3"])
    for ours, sam in [("Paco", "inv_snl_paco"), ("Pdco", "inv_snl_pdco"), ("Pnt", "inv_snl_pnt"),
                      ("Pso", "inv_snl_pso"), ("Vdco", "inv_snl_vdco"), ("Vdcmax", "inv_snl_vdcmax")]:
        setattr(model.InverterCECDatabase, sam, float(inverter[ours]))
    inv.mppt_low_inverter, inv.mppt_hi_inverter = float(inverter["Mppt_low"]), float(inverter["Mppt_high"])
    inv.inv_num_mppt = 1
    design = model.SystemDesign
    design.inverter_count = sizing["n_inverters"]
    design.subarray1_modules_per_string = sizing["modules_per_string"]
    design.subarray1_nstrings = sizing["n_strings"]
    design.system_capacity = sizing["dc_capacity_mwp"] * 1000.0
    mount = spec.mounting
    design.subarray1_track_mode = 1  # one-axis
    design.subarray1_tilt, design.subarray1_azimuth = mount.axis_tilt_deg, mount.axis_azimuth_deg
    design.subarray1_rotlim, design.subarray1_backtrack, design.subarray1_gcr = mount.max_angle_deg, 0, mount.gcr
    design.enable_mismatch_vmax_calc = 0
    model.Layout.subarray1_mod_orient, model.Layout.subarray1_nmody = 0, 1  # one module in portrait per row
    model.Layout.subarray1_nmodx = sizing["modules_per_string"]
    model.Shading.subarray1_shade_mode = shade_mode
    losses, sam_losses = spec.losses, model.Losses
    sam_losses.subarray1_soiling = [100.0 * s for s in losses.soiling]
    sam_losses.subarray1_mismatch_loss = 100.0 * losses.mismatch
    sam_losses.subarray1_dcwiring_loss = 100.0 * losses.dc_wiring
    sam_losses.subarray1_nameplate_loss = 100.0 * (1 - (1 - losses.lid) * (1 - losses.nameplate))  # SAM has no LID
    sam_losses.subarray1_diodeconn_loss = sam_losses.subarray1_tracking_loss = sam_losses.subarray1_rack_shading = 0.0
    sam_losses.acwiring_loss = 100.0 * losses.ac_wiring
    sam_losses.transformer_load_loss = sam_losses.transformer_no_load_loss = sam_losses.transmission_loss = 0.0
    sam_losses.dcoptimizer_loss = 0.0
    model.AdjustmentFactors.adjust_constant = 0.0
    model.AdjustmentFactors.adjust_en_timeindex = 0
    model.AdjustmentFactors.adjust_en_periods = 0
    model.Lifetime.dc_degradation = [0.0]
    model.execute()
    out = model.Outputs
    return {
        "ac_mw": pd.Series(np.asarray(out.gen) / 1e3, index=idx),  # gen is in kW
        "model": model,  # keep the model: its Outputs point into it
    }


@pytest.fixture(scope="module")
def greensboro_runs():
    """Ours with Martinez, with the linear beam model and without rows; SAM with shade modes 1, 2, 0."""
    weather, meta = tmy3_weather()
    location = {"latitude": meta["latitude"], "longitude": meta["longitude"], "elevation_m": meta["altitude"],
                "timezone": str(weather.index.tz)}
    spec = tracker_plant(location)
    linear = spec_from(spec, row_shading={**spec.row_shading.model_dump(), "beam_shade_model": "linear"})
    ours = {"martinez": simulate_solar(spec, weather), "linear": simulate_solar(linear, weather),
            "none": simulate_solar(spec_from(spec, row_shading=None), weather)}
    sizing = ours["martinez"].details["sizing"]
    sam = {name: run_pvsamv1(spec, sizing, weather, float(meta["TZ"]), shade_mode=mode)
           for name, mode in (("martinez", 1), ("linear", 2), ("none", 0))}
    return ours, sam


def _row_loss(runs: dict, energy) -> float:
    """Energy lost to the rows: 1 - with rows / without [fraction]."""
    return 1 - energy(runs["martinez"]) / energy(runs["none"])


@pytest.mark.slow
def test_tracker_with_row_shading_matches_pvsamv1(greensboro_runs):
    """Annual AC energy within 2 % of Pvsamv1 with its standard non-linear self-shading (issue 18).

    Measured on the Greensboro TMY3 (240 MWac, 102 inverters, 29,988 strings of 26 modules):
    ours 481.9 GWh, SAM 476.3 GWh, ours +1.2 %. The differences that remain, each sized from
    the two models' own outputs:

    - beam shading on the strings (the largest): SAM's non-linear model (Deline et al. 2013) takes
      5.9 % of the DC energy (its DC loss with self-shading on, less its POA loss), ours 3.9 %
      (row_beam_shading 1.9 %, row_shading_electrical 2.1 %): ours ~+2 %. The shaded area is the
      same (the linear test below); the electrical effect differs: with one bypass-diode block
      across the row, Martinez's eq. 6 keeps (1 - f)(1 - 1/(1 + 1)), half the beam on the unshaded
      part, where SAM's model (its derate from the substrings shaded, the diffuse fraction and the
      fill factor) takes more;
    - diffuse between the rows: SAM derates the sky diffuse by the masking angle, 2.0 % of the
      POA; our infinite-sheds front side also shades the ground the front sees, 2.6 %: ~-0.6 %;
    - cell temperature: SAM's NOCT model (standoff over 3.5 in) runs 4.4 C cooler
      (irradiance-weighted 32.2 C against our SAPM open_rack_glass_polymer 36.6 C): about
      +1.5 % DC for SAM (the module's Pmp coefficient is -0.34 %/C);
    - cover: SAM loses 1.0 % (De Soto glass on beam, sky and ground diffuse), we lose 0.3 %
      (pvlib.iam.physical on the beam only): ~+0.7 % for ours;
    - spectral: SAM always applies De Soto's air-mass modifier, ours runs no_loss; SAM reports it
      inside its module loss (temperature, irradiance, spectrum together), not apart;
    - inverter: the same Sandia equation and parameters; SAM loses 3.1 % from DC to AC (with its
      self-consumption Pso counted apart), we 2.9 %: ~+0.2 % for ours;
    - LID: SAM has none; it goes into SAM's nameplate loss (1 - (1 - lid)(1 - nameplate)), exact.

    Without rows the non-row differences net to -0.3 % (ours below SAM); with rows +1.2 %.
    """
    ours, sam = greensboro_runs
    assert ours["martinez"].annual_energy_mwh == pytest.approx(sam["martinez"]["ac_mw"].sum(), rel=0.02)
    # the chain without rows on its own: the named non-row differences, within 1 % (-0.3 % measured)
    assert ours["none"].annual_energy_mwh == pytest.approx(sam["none"]["ac_mw"].sum(), rel=0.01)
    # the row effect of each model: 6.5 % and 7.8 % measured, within 2 points (the two items above)
    ours_loss = _row_loss(ours, lambda run: run.annual_energy_mwh)
    sam_loss = _row_loss(sam, lambda run: run["ac_mw"].sum())
    assert ours_loss == pytest.approx(sam_loss, abs=0.02)
    steps = {step: loss for step, _, loss, _ in ours["martinez"].waterfall.rows() if step.startswith("row_")}
    assert all(loss > 0.01 for loss in steps.values())  # without backtracking every row effect is there


@pytest.mark.slow
def test_tracker_linear_beam_shading_matches_pvsamv1(greensboro_runs):
    """Our linear beam model against SAM's linear ("thin film") self-shading, shade mode 2.

    Both take off the beam on the shaded area only, so the beam lost to the rows compares
    directly: SAM 1.83 % of its unshaded POA (the drop of its POA beam, mode 0 to mode 2), ours
    row_beam_shading 1.85 %. The two are fractions of slightly different bases (ours after sky
    masking, SAM's after soiling and cover), ~3 % apart, 0.06 points here: within 0.2 points.
    The energy: ours 492.8 GWh, SAM 497.8 GWh, ours -1.0 %, the diffuse (ours 2.6 % against
    SAM's ~2 %) and the non-row items of the test above; within 2 %.
    """
    ours, sam = greensboro_runs
    linear, unshaded = sam["linear"]["model"].Outputs, sam["none"]["model"].Outputs
    sam_beam_loss = (unshaded.annual_poa_beam_eff - linear.annual_poa_beam_eff) / unshaded.annual_poa_eff
    steps = {step: loss for step, _, loss, _ in ours["linear"].waterfall.rows() if step.startswith("row_")}
    assert steps["row_shading_electrical"] == 0.0  # the linear model has no electrical step
    assert steps["row_beam_shading"] == pytest.approx(sam_beam_loss, abs=0.002)
    assert ours["linear"].annual_energy_mwh == pytest.approx(sam["linear"]["ac_mw"].sum(), rel=0.02)
