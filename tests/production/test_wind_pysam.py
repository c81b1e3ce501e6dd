"""Wind farm model against NREL PySAM Windpower on the same weather, curve, hub height and layout.

SAM gets the weather through ``wind_resource_data`` (nothing is downloaded), at hub height only,
so that neither tool extrapolates with height: the comparison is of the turbine and farm models.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from energy_portfolio.config import WindSite
from energy_portfolio.production.wakes import layout_xy_m
from energy_portfolio.production.wind import hub_air_density_kg_m3, load_turbine, simulate_wind

from .wind_cases import site, weibull_year

Windpower = pytest.importorskip("PySAM.Windpower")

SAM_LOSSES = (
    "avail_bop_loss avail_grid_loss avail_turb_loss elec_eff_loss elec_parasitic_loss env_degrad_loss env_env_loss "
    "env_exposure_loss env_icing_loss ops_env_loss ops_grid_loss ops_load_loss ops_strategies_loss turb_generic_loss "
    "turb_hysteresis_loss turb_perf_loss turb_specific_loss wake_ext_loss wake_future_loss wake_int_loss"
).split()
SAM_WAKE_MODELS = {"simple": 0, "park": 1, "eddy_viscosity": 2}
NO_LOSSES = {
    "availability": {"turbine": 1.0, "balance_of_plant": 1.0, "grid": 1.0},
    "electrical_losses": {"array_cables": 0.0, "export_cable": 0.0, "substation": 0.0},
    "high_wind_restart_m_s": None,
    "grid_connection_mw": 5000,
}


def hub_weather(weather: pd.DataFrame, hub_height_m: float) -> pd.DataFrame:
    """The weather at hub height only: what both tools see."""
    return weather[[f"wind_speed_{hub_height_m:g}m", f"wind_direction_{hub_height_m:g}m", "temp_air", "pressure"]]


def run_sam(spec: WindSite, weather: pd.DataFrame, wake_model: str | None) -> Any:
    """PySAM Windpower on the site's turbine, layout and hub-height weather, all losses zero.

    SAM reads temperature [C] and pressure [atm] at hub height; we pass the hub-height values
    our model derives (windpowerlib's -6.5 K/km gradient and barometric pressure), so both
    tools see the same air density.
    """
    curves = load_turbine(spec)
    hub = spec.hub_height_m
    x_m, y_m = layout_xy_m(spec, curves.rotor_diameter_m)
    density = hub_air_density_kg_m3(weather, hub)
    # windpowerlib's barometric density is rho = p_hub * 1.225 * 288.15 / (101330 * T_hub); give
    # SAM the same p_hub (p - h/8 hPa) and T_hub (-6.5 K/km from 2 m).
    pressure_hub_pa = weather["pressure"].to_numpy() - hub / 8.0 * 100.0
    temp_hub_c = weather["temp_air"].to_numpy() - 0.0065 * (hub - 2.0)
    np.testing.assert_allclose(
        density, pressure_hub_pa * 1.225 * 288.15 / (101330.0 * (temp_hub_c + 273.15)), rtol=1e-9
    )
    data = np.column_stack(
        [
            temp_hub_c,
            pressure_hub_pa / 101325.0,
            weather[f"wind_speed_{hub:g}m"].to_numpy(),
            weather[f"wind_direction_{hub:g}m"].to_numpy(),
        ]
    )
    model = Windpower.new()
    model.Resource.wind_resource_data = {
        "heights": [hub] * 4,
        "fields": [1, 2, 3, 4],
        "data": data.tolist(),
        "lat": spec.location.latitude,
        "lon": spec.location.longitude,
        "elev": 0.0,
        "year": int(weather.index[0].year),
    }
    model.Resource.wind_resource_model_choice = 0
    model.Turbine.wind_turbine_powercurve_windspeeds = curves.wind_speed_m_s.tolist()
    model.Turbine.wind_turbine_powercurve_powerout = curves.power_kw.tolist()
    model.Turbine.wind_turbine_hub_ht = hub
    model.Turbine.wind_turbine_rotor_diameter = curves.rotor_diameter_m
    model.Turbine.wind_resource_shear = 0.1
    model.Turbine.wind_turbine_max_cp = 0.49
    model.Farm.wind_farm_xCoordinates = x_m.tolist()
    model.Farm.wind_farm_yCoordinates = y_m.tolist()
    model.Farm.system_capacity = curves.rated_power_kw * len(x_m)
    model.Farm.wind_farm_wake_model = SAM_WAKE_MODELS[wake_model] if wake_model else 3
    model.Farm.wind_resource_turbulence_coeff = spec.turbulence_intensity * 100.0
    for name in SAM_LOSSES:
        setattr(model.Losses, name, 0.0)
    model.AdjustmentFactors.adjust_constant = 0.0
    model.execute()
    return model


@pytest.fixture(scope="module")
def year() -> pd.DataFrame:
    return hub_weather(weibull_year(), 150.0)


def test_no_wake_no_loss_energy_matches_sam(year):
    spec = site(wake_model={"model": "none"}, **NO_LOSSES)
    ours = simulate_wind(spec, year)
    sam = run_sam(spec, year, wake_model=None)
    sam_mwh = sam.Outputs.annual_energy / 1e3
    # Same curve, hub-height speed and air density. Both correct the curve for density (IEC
    # 61400-12-1): SAM scales speeds by (rho/rho0)^(1/3) at every speed, windpowerlib uses
    # Svenningsen's exponent rising from 1/3 (7.5 m/s) to 2/3 (12.5 m/s). Over this year's
    # density range (about 1.17-1.27 kg/m3) that moves the annual energy by a few tenths of a
    # percent at most; the issue asks for 1 %.
    assert ours.annual_energy_mwh == pytest.approx(sam_mwh, rel=0.01)
    assert ours.details["gross_energy_mwh"] == pytest.approx(ours.annual_energy_mwh, rel=1e-12)


def test_no_wake_hourly_power_matches_sam_at_standard_density(year):
    standard = year.assign(temp_air=15.0 + 0.0065 * 148.0, pressure=101325.0 + 150.0 / 8.0 * 100.0)
    spec = site(wake_model={"model": "none"}, **NO_LOSSES)
    ours = simulate_wind(spec, standard)
    sam = run_sam(spec, standard, wake_model=None)
    sam_mw = np.asarray(sam.Outputs.gen) / 1e3
    # At 1.225 kg/m3 both density corrections are the identity and both tools interpolate the
    # same table linearly: hour by hour they agree to rounding, except at the cut-out speed
    # where the table ends at 24.99999 m/s (we hold power up to 25 m/s, SAM's curve ends).
    assert ours.hourly["air_density_kg_m3"].to_numpy() == pytest.approx(1.225, rel=2e-4)
    close = np.isclose(ours.net_mw.to_numpy(), sam_mw, rtol=1e-3, atol=0.5)
    assert close.mean() > 0.999
    assert ours.annual_energy_mwh == pytest.approx(sam_mw.sum(), rel=1e-3)


@pytest.mark.slow  # SAM's three wake models and four of PyWake's over a full year (~10 s)
def test_wake_losses_against_sam_wake_models(year):
    """Our PyWake wake losses against SAM's three wake models on the same 1 GW layout and year.

    Measured on this synthetic year (67 x IEA 15 MW, 8 x 7 D, TI 6 %): SAM Park 7.9 %, SAM
    eddy viscosity 1.4 %, SAM simple 0.02 %; ours NOJ 8.0 %, Bastankhah 6.2 %, Niayifar 4.4 %,
    TurbOPark 11.0 %.

    * NOJ and SAM's Park are both Jensen top-hat models (Jensen 1983; Katic et al. 1986);
      they differ in the wake decay constant, in how the thrust coefficient is obtained (SAM
      derives it from the power curve, we use the turbine's thrust curve) and in rotor
      averaging: they agree within 25 %.
    * The Gaussian models and TurbOPark spread around Park as the literature shows for large
      offshore arrays (Nygaard et al. 2022, doi:10.1088/1742-6596/2265/2/022019: TurbOPark
      loses more deep in the array, the Gaussian models with local TI less): within a factor
      of 2 of SAM Park.
    * SAM's 'simple' and eddy-viscosity models give far less than the 10 % or so measured at
      offshore farms of this spacing (Horns Rev 1 at 7 D about 12 %, Barthelmie et al. 2009,
      doi:10.1002/we.348); they are not used as references, and the test records that every
      PyWake model loses more than both.
    """
    spec = site(**NO_LOSSES)
    sam_loss = {}
    for name in SAM_WAKE_MODELS:
        result = run_sam(spec, year, name)
        sam_loss[name] = 1 - result.Outputs.annual_energy / result.Outputs.annual_gross_energy
    ours = {}
    for model in ("bastankhah_gaussian", "niayifar_gaussian", "turbopark", "noj"):
        wake = {"model": model, "superposition": "squared_sum", "direction_step_deg": 2, "speed_step_m_s": 1}
        ours[model] = simulate_wind(site(wake_model=wake, **NO_LOSSES), year).details["wake_loss_fraction"]
    assert ours["noj"] == pytest.approx(sam_loss["park"], rel=0.25)
    for loss in ours.values():
        assert sam_loss["park"] / 2 < loss < sam_loss["park"] * 2
        assert loss > max(sam_loss["simple"], sam_loss["eddy_viscosity"])
