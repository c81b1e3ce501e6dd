"""Solar PV production on pvlib: weather -> POA -> DC -> AC at the grid, with a loss waterfall.

Chain (each model chosen by name in the spec; the pvlib function used is named at each step):

1. solar position at the interval midpoint (``pvlib.solarposition.get_solarposition``);
2. orientation: fixed, or single-axis with optional backtracking (``pvlib.tracking.singleaxis``);
3. plane-of-array irradiance (``pvlib.irradiance.get_total_irradiance``, Perez by default with
   extraterrestrial DNI and relative airmass);
4. rows (``spec.row_shading``): front diffuse masked by the neighbouring rows
   (``pvlib.bifacial.infinite_sheds`` view factors), beam shading between rows
   (``pvlib.shading.shaded_fraction1d``) and its effect on the strings
   (``pvlib.shading.direct_martinez``); soiling (monthly) and shading on the POA; angle-of-incidence loss on the beam
   (``pvlib.iam``); spectral modifier (``pvlib.spectrum``); bifacial rear gain
   (``pvlib.bifacial.infinite_sheds``);
5. cell temperature (``pvlib.temperature``: SAPM, PVsyst or Faiman);
6. DC power (``pvlib.pvsystem.pvwatts_dc`` or the CEC single-diode model), then mismatch,
   LID, nameplate, DC wiring and degradation for the operating year;
7. inverters (``pvlib.inverter.pvwatts``, ``sandia`` or ``adr``), split into efficiency and
   clipping; AC wiring, transformer, grid-connection limit, availability.

The waterfall starts from the POA irradiation at the array's STC efficiency
(POA [kW/m2] x DC capacity [MWp]), so its final energy over its reference energy is the
performance ratio.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pvlib
from pvlib.bifacial import infinite_sheds

from ..config.solar import FixedMount, SolarSite, model_choice_problems
from ..errors import InputError
from ..timeseries import check_hourly_index
from ..units import W_PER_MW
from .losses import waterfall_from_stages
from .result import SiteProduction
from .solar_plant import InverterData, ModuleData, PlantSizing, inverter_data, module_data, size_plant

__all__ = [
    "REQUIRED_WEATHER_COLUMNS",
    "required_weather_columns",
    "WEATHER_DISTANCE_LIMIT_KM",
    "WeatherLocationWarning",
    "GridLimitWarning",
    "simulate_solar",
    "simulate_solar_years",
    "check_weather_location",
    "waterfall_table_rows",
]

REQUIRED_WEATHER_COLUMNS = ("ghi", "dni", "dhi", "temp_air", "wind_speed", "pressure")
"""Columns ``simulate_solar`` needs in the canonical weather frame (DESIGN.md)."""


def required_weather_columns(spec: SolarSite) -> tuple[str, ...]:
    """Columns ``simulate_solar`` needs for this site (relative humidity for the First Solar spectral model)."""
    extra = ("relative_humidity",) if spec.spectral_model == "first_solar" else ()
    return REQUIRED_WEATHER_COLUMNS + extra

WEATHER_DISTANCE_LIMIT_KM = 30.0
"""Weather further than this from the site triggers a warning: about one ERA5 grid cell
(0.25 deg, ~28 km at 40 N); beyond it the irradiance and temperature belong to another place."""

_EARTH_RADIUS_KM = 6371.0
_HALF_HOUR = pd.Timedelta(minutes=30)


class WeatherLocationWarning(UserWarning):
    """The weather was recorded or modelled too far from the site."""


class GridLimitWarning(UserWarning):
    """The grid-connection limit is above the inverter AC capacity, so it never binds."""


# ----------------------------------------------------------------------------------------
# input checks


def _check_weather(weather: pd.DataFrame, spec: SolarSite) -> None:
    """Columns present, finite, in the units DESIGN.md names; an hourly tz-aware index."""
    if not isinstance(weather, pd.DataFrame):
        raise InputError(f"weather: expected a pandas DataFrame, found {type(weather).__name__}")
    check_hourly_index(weather.index, "weather")
    needed = list(required_weather_columns(spec))
    missing = [c for c in needed if c not in weather.columns]
    if missing:
        raise InputError(
            f"weather: missing column(s) {', '.join(missing)} for site {spec.id!r}; "
            f"expected {', '.join(needed)} (DESIGN.md, weather files)"
        )
    for column in [*needed, *(["albedo"] if "albedo" in weather.columns else [])]:
        values = weather[column].to_numpy(dtype=float)
        bad = ~np.isfinite(values)
        if bad.any():
            first = weather.index[int(bad.argmax())]
            raise InputError(
                f"weather: column {column} has {int(bad.sum())} missing or non-finite value(s), the first "
                f"at {first.isoformat()}; expected a complete hourly series (fill gaps in the weather layer)"
            )
    pressure_median = float(np.median(weather["pressure"]))
    if not 30_000 <= pressure_median <= 110_000:
        raise InputError(
            f"weather: column pressure has median {pressure_median:g}; expected Pa (30,000 to 110,000)"
            + ("; the values look like hPa/mbar, multiply by 100" if 300 <= pressure_median <= 1100 else "")
        )
    if "albedo" in weather.columns and not weather["albedo"].between(0, 1).all():
        raise InputError("weather: column albedo has values outside 0..1; expected a fraction")


def _check_spec(spec: SolarSite, operating_year: int) -> None:
    """Physical ranges, re-checked here because specs built with ``model_copy`` skip validation."""
    ratio = spec.dc_capacity_mwp / spec.capacity_ac_mw
    if not 0.8 <= ratio <= 2.0:
        raise InputError(f"{spec.id}: DC/AC ratio = {ratio:.3g}; expected 0.8 to 2.0")
    if isinstance(spec.mounting, FixedMount) and not 0 <= spec.mounting.tilt_deg <= 90:
        raise InputError(f"{spec.id}: mounting.tilt_deg = {spec.mounting.tilt_deg:g}; expected 0 to 90 degrees")
    if not (isinstance(operating_year, (int, np.integer)) and 1 <= operating_year <= 100):
        raise InputError(f"operating_year = {operating_year!r}; expected a whole number from 1 (first year)")
    for field, message in model_choice_problems(spec)[:1]:  # the config's rules (validate runs them too)
        raise InputError(f"{spec.id}: {field} {message}")


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a spherical Earth (haversine formula) [km]."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def check_weather_location(
    spec: SolarSite,
    latitude: float,
    longitude: float,
    source: str = "weather",
    max_distance_km: float = WEATHER_DISTANCE_LIMIT_KM,
) -> float:
    """Warn when the weather's coordinates are far from the site.

    Parameters
    ----------
    spec : SolarSite
        The site (``spec.location`` is compared).
    latitude, longitude : float
        Coordinates from the weather file's metadata [deg].
    source : str
        Name of the weather file, for the message.
    max_distance_km : float
        Distance beyond which a ``WeatherLocationWarning`` is raised [km].

    Returns
    -------
    float
        Distance between the weather point and the site [km] (haversine, R = 6371 km).
    """
    distance = _distance_km(spec.location.latitude, spec.location.longitude, latitude, longitude)
    if distance > max_distance_km:
        warnings.warn(
            f"{source}: weather at {latitude:.3f} N, {longitude:.3f} E is {distance:.0f} km from site "
            f"{spec.id!r} ({spec.location.latitude:.3f} N, {spec.location.longitude:.3f} E); expected "
            f"weather within {max_distance_km:g} km of the site",
            WeatherLocationWarning,
            stacklevel=2,
        )
    return distance


# ----------------------------------------------------------------------------------------
# irradiance


def _solar_position(spec: SolarSite, weather: pd.DataFrame) -> pd.DataFrame:
    """Sun position at the middle of each hourly interval.

    References
    ----------
    pvlib.solarposition.get_solarposition (NREL SPA, Reda and Andreas 2004,
    doi:10.1016/j.solener.2003.12.003), with the weather's pressure and air temperature
    for refraction.
    """
    loc = spec.location
    return pvlib.solarposition.get_solarposition(
        weather.index + _HALF_HOUR,
        loc.latitude,
        loc.longitude,
        altitude=loc.elevation_m,
        pressure=weather["pressure"].to_numpy(),
        temperature=weather["temp_air"].to_numpy(),
    )


def _orientation(spec: SolarSite, sun: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Surface tilt, surface azimuth and row rotation [deg]; trackers lie flat (stow) while the sun
    is down. The rotation is right-handed about the row axis (pvlib's tracker_theta); a fixed row is
    a tracker at rotation = tilt about an axis pointing 90 deg anticlockwise of its azimuth.

    References
    ----------
    pvlib.tracking.singleaxis (Marion and Dobos 2013, doi:10.2172/1089596; backtracking
    Anderson and Mikofski 2020, doi:10.2172/1660126).
    """
    n = len(sun)
    mount = spec.mounting
    if isinstance(mount, FixedMount):
        return np.full(n, mount.tilt_deg), np.full(n, mount.azimuth_deg), np.full(n, mount.tilt_deg)
    track = pvlib.tracking.singleaxis(
        sun["apparent_zenith"].to_numpy(),
        sun["azimuth"].to_numpy(),
        axis_tilt=mount.axis_tilt_deg,
        axis_azimuth=mount.axis_azimuth_deg,
        max_angle=mount.max_angle_deg,
        backtrack=mount.backtrack,
        gcr=mount.gcr,
    )
    tilt = np.asarray(track["surface_tilt"], dtype=float)
    azimuth = np.asarray(track["surface_azimuth"], dtype=float)
    rotation = np.asarray(track["tracker_theta"], dtype=float)
    stowed = ~np.isfinite(tilt)
    tilt[stowed] = mount.axis_tilt_deg
    azimuth[stowed] = (mount.axis_azimuth_deg + 90.0) % 360.0
    rotation[stowed] = 0.0
    return tilt, azimuth, rotation


def _albedo(spec: SolarSite, weather: pd.DataFrame) -> np.ndarray | float:
    """Ground albedo: the weather's hourly column when given (as pvlib's ModelChain), else the spec's."""
    return weather["albedo"].to_numpy(dtype=float) if "albedo" in weather.columns else spec.albedo


def _poa(spec: SolarSite, weather: pd.DataFrame, sun: pd.DataFrame, tilt, azimuth, albedo) -> pd.DataFrame:
    """Front-side plane-of-array irradiance: poa_global, poa_direct, poa_diffuse [W/m2].

    References
    ----------
    pvlib.irradiance.get_total_irradiance; Perez et al. 1990, doi:10.1016/0038-092X(90)90055-H.
    """
    zenith = sun["apparent_zenith"].to_numpy()
    dni_extra = pvlib.irradiance.get_extra_radiation(weather.index + _HALF_HOUR).to_numpy()
    airmass = pvlib.atmosphere.get_relative_airmass(zenith)
    poa = pvlib.irradiance.get_total_irradiance(
        tilt,
        azimuth,
        zenith,
        sun["azimuth"].to_numpy(),
        weather["dni"].to_numpy(dtype=float),
        weather["ghi"].to_numpy(dtype=float),
        weather["dhi"].to_numpy(dtype=float),
        dni_extra=dni_extra,
        airmass=airmass,
        albedo=albedo,
        model=spec.transposition_model,
    )
    frame = pd.DataFrame(
        {k: np.asarray(poa[k], dtype=float) for k in ("poa_global", "poa_direct", "poa_diffuse")}, index=weather.index
    )
    # Perez's sky clearness is 0/0 when there is no light at all (dhi = dni = 0, as at dusk with the
    # sun just above the horizon at the interval midpoint): no light on the sky means no light on the plane.
    dark = (weather[["ghi", "dni", "dhi"]].to_numpy(dtype=float) == 0.0).all(axis=1)
    frame.loc[dark, :] = 0.0
    return frame


def _iam(spec: SolarSite, aoi_deg: np.ndarray) -> np.ndarray:
    """Incidence-angle modifier of the beam [fraction] (pvlib.iam.physical, ashrae, martin_ruiz).

    References
    ----------
    De Soto et al. 2006, doi:10.1016/j.solener.2005.06.010 (physical); Martin and Ruiz 2001,
    doi:10.1016/S0927-0248(00)00408-6 (martin_ruiz); ASHRAE 93-77 (ashrae).
    """
    if spec.aoi_model == "no_loss":
        return np.ones_like(aoi_deg)
    return np.asarray(getattr(pvlib.iam, spec.aoi_model)(aoi_deg), dtype=float)


def _spectral(spec: SolarSite, module: ModuleData, weather: pd.DataFrame, sun: pd.DataFrame) -> np.ndarray:
    """Spectral modifier [fraction].

    References
    ----------
    pvlib.spectrum.spectral_factor_firstsolar (Lee and Panchula 2016,
    doi:10.1109/PVSC.2016.7749836), precipitable water from pvlib.atmosphere.gueymard94_pw.
    """
    n = len(weather)
    if spec.spectral_model == "no_loss":
        return np.ones(n)
    if module.technology is None:
        raise InputError(
            f"{spec.id}: spectral_model first_solar needs the module's cell technology, which this module "
            "does not state; expected a CEC module of a known technology, or spectral_model no_loss"
        )
    pw_cm = pvlib.atmosphere.gueymard94_pw(weather["temp_air"].to_numpy(), weather["relative_humidity"].to_numpy())
    am_rel = pvlib.atmosphere.get_relative_airmass(sun["apparent_zenith"].to_numpy())
    am_abs = pvlib.atmosphere.get_absolute_airmass(am_rel, weather["pressure"].to_numpy())
    modifier = pvlib.spectrum.spectral_factor_firstsolar(pw_cm, am_abs, module_type=module.technology)
    sun_up = np.isfinite(am_abs)  # no airmass (and no light) with the sun below the horizon
    return np.where(sun_up, np.asarray(modifier, dtype=float), 1.0)


REAR_SHADE_FACTOR = -0.02
"""Rear irradiance lost to the racking, as a fraction (pvlib.bifacial.infinite_sheds' default)."""


def _rear_gain(spec: SolarSite, weather, sun, tilt, azimuth, albedo) -> np.ndarray:
    """Bifacial rear-side irradiance converted to front-equivalent [W/m2]:
    rear POA x bifaciality x (1 + REAR_SHADE_FACTOR).

    References
    ----------
    pvlib.bifacial.infinite_sheds.get_irradiance_poa on the rear surface (tilt 180 - tilt,
    azimuth + 180), as pvlib.bifacial.infinite_sheds.get_irradiance does (Mikofski et al.
    2019, doi:10.1109/PVSC40753.2019.8980572); the rear sees an isotropic sky (the model's
    ``isotropic`` option).
    """
    bif = spec.bifacial
    if bif is None:
        return np.zeros(len(weather))
    gcr = spec.mounting.gcr
    if gcr is None:
        raise InputError(f"{spec.id}: bifacial gain needs mounting.gcr (ground coverage ratio); none given")
    rear = infinite_sheds.get_irradiance_poa(
        180.0 - tilt, (azimuth + 180.0) % 360.0, sun["apparent_zenith"].to_numpy(), sun["azimuth"].to_numpy(),
        gcr, bif.height_m, bif.pitch_m, weather["ghi"].to_numpy(dtype=float), weather["dhi"].to_numpy(dtype=float),
        weather["dni"].to_numpy(dtype=float), albedo, model="isotropic",
    )
    gain = np.asarray(rear["poa_global"], dtype=float) * bif.bifaciality * (1.0 + REAR_SHADE_FACTOR)
    sun_up = sun["apparent_zenith"].to_numpy() < 90.0
    return np.where(sun_up, gain, 0.0)


# ----------------------------------------------------------------------------------------
# row-to-row effects on the front side


def _row_geometry(spec: SolarSite) -> tuple[float, float]:
    """Height of the row centre and row pitch [m]: the row_shading block's, else the bifacial block's."""
    rows, bif = spec.row_shading, spec.bifacial
    height = rows.height_m if rows.height_m is not None else bif.height_m
    pitch = rows.pitch_m if rows.pitch_m is not None else bif.pitch_m
    return height, pitch


def _sky_masking(spec: SolarSite, weather, sun, tilt, albedo, azimuth) -> np.ndarray:
    """Factor on the front-side diffuse (sky and ground-reflected) for the neighbouring rows [fraction].

    The ratio of pvlib's infinite-sheds front diffuse (isotropic sky seen between the rows, ground
    reflection from a ground partly in the rows' shadow) to the same isotropic sky and ground
    seen by a lone row, ``dhi (1 + cos tilt) / 2 + ghi albedo (1 - cos tilt) / 2``; it scales the
    transposition model's diffuse, so the sky model stays the one the spec names and only the rows'
    obstruction is added. The rear side uses the same view-factor geometry (``_rear_gain``).

    References
    ----------
    pvlib.bifacial.infinite_sheds.get_irradiance_poa (Mikofski et al. 2019,
    doi:10.1109/PVSC40753.2019.8980572; Marion et al. 2017, doi:10.1109/PVSC.2017.8366704).
    """
    rows = spec.row_shading
    if rows is None or rows.front_irradiance_model == "unobstructed":
        return np.ones(len(weather))
    height, pitch = _row_geometry(spec)
    ghi, dhi = weather["ghi"].to_numpy(dtype=float), weather["dhi"].to_numpy(dtype=float)
    cos_tilt = np.cos(np.radians(tilt))
    open_field = dhi * (1.0 + cos_tilt) / 2.0 + ghi * np.broadcast_to(albedo, ghi.shape) * (1.0 - cos_tilt) / 2.0
    lit = open_field > 0  # the view factors are the costly part: only the hours with diffuse light
    factor = np.ones(len(weather))
    if not lit.any():
        return factor
    sheds = infinite_sheds.get_irradiance_poa(
        tilt[lit], azimuth[lit], sun["apparent_zenith"].to_numpy()[lit], sun["azimuth"].to_numpy()[lit],
        spec.mounting.gcr, height, pitch, ghi[lit], dhi[lit], weather["dni"].to_numpy(dtype=float)[lit],
        np.broadcast_to(albedo, ghi.shape)[lit], model="isotropic",
    )
    factor[lit] = np.asarray(sheds["poa_diffuse"], dtype=float) / open_field[lit]
    return factor


SHADE_ROUNDING = 1e-9
"""Shaded fractions below this are rounding of a geometry with no shadow (backtracking trackers give
~1e-14), not a shadow (1e-9 of a 2 m row is 2 nm); left in, the Martinez model would count a whole
bypass-diode block as shaded."""


def _row_shaded_fraction(spec: SolarSite, sun: pd.DataFrame, rotation: np.ndarray) -> np.ndarray:
    """Fraction of the collector width in the next row's shadow [fraction], flat ground.

    A fixed row is a tracker at rotation = tilt about the horizontal axis pointing to
    azimuth - 90 deg; only the ratio collector width / pitch (the gcr) matters. With equal
    rotations of neighbouring rows the shadow is the same whichever side the sun is on, so the
    roles of shading and shaded row need no switch. Trackers that backtrack are never shaded.

    References
    ----------
    pvlib.shading.shaded_fraction1d (Anderson and Jensen 2024, doi:10.1063/5.0202220).
    """
    rows, mount = spec.row_shading, spec.mounting
    if rows is None or rows.beam_shade_model == "none":
        return np.zeros(len(sun))
    if isinstance(mount, FixedMount):
        axis_azimuth, axis_tilt = (mount.azimuth_deg - 90.0) % 360.0, 0.0
    else:
        axis_azimuth, axis_tilt = mount.axis_azimuth_deg, mount.axis_tilt_deg
    zenith = sun["apparent_zenith"].to_numpy()
    fraction = pvlib.shading.shaded_fraction1d(
        zenith, sun["azimuth"].to_numpy(), axis_azimuth, rotation, collector_width=mount.gcr, pitch=1.0,
        axis_tilt=axis_tilt,
    )
    fraction = np.nan_to_num(np.asarray(fraction, dtype=float))
    return np.where((zenith < 90.0) & (fraction > SHADE_ROUNDING), fraction, 0.0)


def _shade_electrical_factor(spec: SolarSite, poa_global, poa_direct, shaded_fraction) -> np.ndarray:
    """Power after the row shadow over power with the shadow's beam loss alone [fraction].

    Martinez-Moreno et al. give the power of a partly shaded string relative to the unshaded one;
    it includes the beam lost on the shaded area, which the linear step already removes, so the
    factor here is ``(1 - martinez loss) / (1 - f poa_direct / poa_global)``: the extra loss of
    the bypass-diode blocks the shadow reaches (``ceil(f n)`` of ``n`` blocks).

    References
    ----------
    pvlib.shading.direct_martinez (Martinez-Moreno, Munoz and Lorenzo 2010,
    doi:10.1016/j.solmat.2010.07.029, eqs. 6 and 8).
    """
    rows = spec.row_shading
    lit = (poa_global > 0) & (shaded_fraction > 0)
    factor = np.ones(len(poa_global))
    if rows is None or rows.beam_shade_model != "martinez" or not lit.any():
        return factor
    f, g, b = shaded_fraction[lit], poa_global[lit], poa_direct[lit]
    n = rows.blocks_across_row
    loss = pvlib.shading.direct_martinez(g, b, f, np.ceil(f * n), n)
    linear = 1.0 - f * b / g
    martinez = 1.0 - np.asarray(loss, dtype=float)
    factor[lit] = np.divide(martinez, linear, out=np.ones_like(linear), where=linear > 0)
    return factor


# ----------------------------------------------------------------------------------------
# temperature, DC, AC


def _cell_temperature(spec: SolarSite, module: ModuleData, poa_global, weather: pd.DataFrame) -> np.ndarray:
    """Cell temperature [C].

    References
    ----------
    pvlib.temperature.sapm_cell (King et al. 2004, doi:10.2172/919131), pvsyst_cell (PVsyst 6
    help, with the module's STC efficiency), faiman (Faiman 2008, doi:10.1002/pip.813).
    """
    model = spec.temperature_model
    temp_air = weather["temp_air"].to_numpy(dtype=float)
    wind = weather["wind_speed"].to_numpy(dtype=float)
    if model.model == "sapm":
        p = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"][model.parameters]
        return pvlib.temperature.sapm_cell(poa_global, temp_air, wind, p["a"], p["b"], p["deltaT"])
    if model.model == "pvsyst":
        return pvlib.temperature.pvsyst_cell(
            poa_global, temp_air, wind, u_c=model.u_c, u_v=model.u_v, module_efficiency=module.efficiency
        )
    return pvlib.temperature.faiman(poa_global, temp_air, wind, u0=model.u0, u1=model.u1)


def _module_dc(spec: SolarSite, module: ModuleData, effective, temp_cell) -> tuple[np.ndarray, np.ndarray]:
    """DC power and voltage of one module at its maximum power point [W], [V] (NaN voltage for PVWatts).

    References
    ----------
    pvlib.pvsystem.pvwatts_dc (Dobos 2014, doi:10.2172/1158421); pvlib.pvsystem.calcparams_cec
    with pvlib.pvsystem.singlediode (De Soto et al. 2006, doi:10.1016/j.solener.2005.06.010;
    Dobos 2012, doi:10.1115/1.4005759).
    """
    if module.cec is None:
        p = pvlib.pvsystem.pvwatts_dc(effective, temp_cell, module.stc_w, spec.module.gamma_pdc_per_c)
        return np.asarray(p, dtype=float), np.full(len(effective), np.nan)
    c = module.cec
    lit = effective > 0  # no light, no current: the single-diode solution is zero power
    p_mp, v_mp = np.zeros(len(effective)), np.zeros(len(effective))
    params = pvlib.pvsystem.calcparams_cec(
        effective[lit], temp_cell[lit], c["alpha_sc"], c["a_ref"], c["I_L_ref"], c["I_o_ref"], c["R_sh_ref"],
        c["R_s"], c["Adjust"],
    )
    out = pvlib.pvsystem.singlediode(*params)
    p_mp[lit] = np.asarray(out["p_mp"], dtype=float)
    v_mp[lit] = np.asarray(out["v_mp"], dtype=float)
    return p_mp, v_mp


def _inverter_ac(spec: SolarSite, inverter: InverterData, p_dc_w: np.ndarray, v_dc: np.ndarray) -> np.ndarray:
    """AC output of one inverter [W], never negative.

    Night tare is not counted (auxiliary supply, outside the plant's export). ADR returns NaN
    where the DC voltage lies outside the inverter's operating window: the inverter does not
    run there, so its output is zero.

    References
    ----------
    pvlib.inverter.pvwatts (Dobos 2014, doi:10.2172/1158421), pvlib.inverter.sandia (King et
    al. 2007, doi:10.2172/920449), pvlib.inverter.adr (Driesse et al. 2008,
    doi:10.1109/PVSC.2008.4922827).
    """
    model = spec.inverter.model
    if model == "pvwatts":
        eta = spec.inverter.nominal_efficiency
        ac = pvlib.inverter.pvwatts(p_dc_w, inverter.ac_w / eta, eta)
    elif model == "sandia":
        ac = pvlib.inverter.sandia(v_dc, p_dc_w, inverter.params)
    else:
        ac = np.asarray(pvlib.inverter.adr(v_dc, p_dc_w, inverter.params.to_dict()), dtype=float)
        outside_window = np.isnan(ac) & np.isfinite(v_dc) & np.isfinite(p_dc_w)
        ac = np.where(outside_window, 0.0, ac)
    return np.clip(np.asarray(ac, dtype=float), 0.0, None)


def _clip_dc(spec: SolarSite, inverter: InverterData, p_dc_w: np.ndarray, v_dc: np.ndarray) -> np.ndarray:
    """DC input the inverter accepts [W]: above the power that gives its AC rating it leaves the
    maximum power point, so the input is held at that power (found by bisection on the
    inverter model itself, to 1e-9 of the rating). The inverter model run on this input gives
    the library's clipped output; the difference to ``p_dc_w`` is the clipping loss."""
    limit_w = inverter.ac_w * (1.0 - 1e-9)
    at_limit = _inverter_ac(spec, inverter, p_dc_w, v_dc) >= limit_w
    if not at_limit.any():
        return p_dc_w
    v, lo, hi = v_dc[at_limit], np.zeros(int(at_limit.sum())), p_dc_w[at_limit].copy()
    for _ in range(40):  # halves the bracket to 1e-12 of the DC power
        mid = 0.5 * (lo + hi)
        reached = _inverter_ac(spec, inverter, mid, v) >= limit_w
        hi, lo = np.where(reached, mid, hi), np.where(reached, lo, mid)
    out = p_dc_w.copy()
    out[at_limit] = hi
    return out


# ----------------------------------------------------------------------------------------
# the chain


def _monthly(values: tuple[float, ...], index: pd.DatetimeIndex) -> np.ndarray:
    """One value per hour from twelve monthly values (January first)."""
    return np.asarray(values, dtype=float)[index.month.to_numpy() - 1]


def _check_inputs(spec: SolarSite, weather: pd.DataFrame) -> None:
    """Weather checks, and the warning for a grid limit that cannot bind."""
    _check_weather(weather, spec)
    if spec.grid_connection_mw > spec.capacity_ac_mw:
        warnings.warn(
            f"{spec.id}: grid_connection_mw = {spec.grid_connection_mw:g} MW is above the inverter AC capacity "
            f"capacity_ac_mw = {spec.capacity_ac_mw:g} MW, so the connection limit never binds; expected a "
            "limit at or below the AC capacity",
            GridLimitWarning,
            stacklevel=3,
        )


def simulate_solar(spec: SolarSite, weather: pd.DataFrame, operating_year: int = 1) -> SiteProduction:
    """Hourly net AC power of a PV plant at its grid connection, with the loss waterfall.

    Parameters
    ----------
    spec : SolarSite
        The plant; every model is chosen by name in it.
    weather : pandas.DataFrame
        Canonical hourly weather (DESIGN.md): time-zone-aware index labelled at interval
        start; columns ``ghi``, ``dni``, ``dhi`` [W/m2], ``temp_air`` [C], ``wind_speed``
        [m/s at 10 m], ``pressure`` [Pa]; optional ``albedo`` [fraction] (overrides
        ``spec.albedo``) and ``relative_humidity`` [%] (needed by the first_solar spectral model).
    operating_year : int
        Year of operation, 1 = first; module power is degraded by
        ``(1 - degradation_per_year) ** (operating_year - 1)``.

    Returns
    -------
    SiteProduction
        ``net_mw`` [MW]; ``hourly`` columns ``poa_w_m2`` (a lone, unobstructed row),
        ``row_shaded_fraction``, ``poa_rear_gain_w_m2``,
        ``effective_irradiance_w_m2``, ``cell_temp_c``, ``dc_mw`` (at the inverter input, before
        clipping), ``clipping_mw``, ``ac_inverter_mw``, ``grid_limit_mw`` (energy held back by
        the connection limit); ``details`` with ``sizing``, ``specific_yield_kwh_per_kwp``,
        ``performance_ratio``, ``clipping_loss_mwh``, ``clipping_loss_fraction`` and the models used.

    Raises
    ------
    InputError
        Missing or non-finite weather columns, values outside physical ranges, unknown CEC
        names (with the closest names), a model combination the module data cannot support.

    Warns
    -----
    GridLimitWarning
        When ``grid_connection_mw`` is above the inverter AC capacity (``capacity_ac_mw``).

    References
    ----------
    Holmgren, Hansen and Mikofski 2018, "pvlib python: a python package for modeling solar
    energy systems", doi:10.21105/joss.00884; the function of each step is named in its helper.
    """
    _check_spec(spec, operating_year)
    _check_inputs(spec, weather)
    return _plant_output(spec, _array_output(spec, weather), operating_year)


def simulate_solar_years(spec: SolarSite, weather: pd.DataFrame, operating_years) -> list[SiteProduction]:
    """``simulate_solar`` for several operating years on the same weather, sharing the work.

    Everything up to the module DC power (sun, POA, rear gain, cell temperature, single-diode
    model) does not depend on the year and is computed once; degradation and the inverter
    chain run once per year. The results equal ``simulate_solar(spec, weather, year)``.

    Parameters
    ----------
    spec : SolarSite
    weather : pandas.DataFrame
        As for ``simulate_solar``.
    operating_years : iterable of int
        Years of operation, 1 = first (e.g. ``range(1, spec.lifetime_years + 1)``).

    Returns
    -------
    list of SiteProduction
        One per year, in the order given.
    """
    years = list(operating_years)
    for year in years:
        _check_spec(spec, year)
    _check_inputs(spec, weather)
    array = _array_output(spec, weather)
    return [_plant_output(spec, array, year) for year in years]


@dataclass(frozen=True)
class _ArrayOutput:
    """The year-independent part of the chain, hourly arrays up to the module DC power."""

    index: pd.DatetimeIndex
    inverter: InverterData
    sizing: PlantSizing
    albedo: np.ndarray | float
    poa_global: np.ndarray
    row_stages: tuple[np.ndarray, np.ndarray, np.ndarray]
    shaded_fraction: np.ndarray
    soiling: np.ndarray
    front: np.ndarray
    after_iam: np.ndarray
    after_spectral: np.ndarray
    rear: np.ndarray
    effective: np.ndarray
    temp_cell: np.ndarray
    dc_model_mw: np.ndarray
    v_module: np.ndarray


def _array_output(spec: SolarSite, weather: pd.DataFrame) -> _ArrayOutput:
    """Sun, orientation, POA, optical losses, rear gain, cell temperature, module DC power."""
    module = module_data(spec.module)
    inverter = inverter_data(spec.inverter)
    sizing = size_plant(spec, module, inverter)
    index = weather.index

    sun = _solar_position(spec, weather)
    tilt, azimuth, rotation = _orientation(spec, sun)
    albedo = _albedo(spec, weather)
    poa = _poa(spec, weather, sun, tilt, azimuth, albedo)
    aoi = pvlib.irradiance.aoi(tilt, azimuth, sun["apparent_zenith"].to_numpy(), sun["azimuth"].to_numpy())
    poa_global = poa["poa_global"].to_numpy()

    # rows: diffuse masked by the neighbours, beam lost on the shaded part, and the strings' extra loss
    direct = poa["poa_direct"].to_numpy()
    diffuse = poa["poa_diffuse"].to_numpy() * _sky_masking(spec, weather, sun, tilt, albedo, azimuth)
    shaded_fraction = _row_shaded_fraction(spec, sun, rotation)
    direct_shaded = direct * (1.0 - shaded_fraction)
    electrical = _shade_electrical_factor(spec, direct + diffuse, direct, shaded_fraction)
    row_stages = (direct + diffuse, direct_shaded + diffuse, (direct_shaded + diffuse) * electrical)

    losses = spec.losses
    soiling = 1.0 - _monthly(losses.soiling, index)
    shading = 1.0 - losses.shading
    front = soiling * shading * electrical
    beam = direct_shaded * front
    diffuse = diffuse * front
    after_iam = beam * _iam(spec, np.asarray(aoi, dtype=float)) + diffuse
    after_spectral = after_iam * _spectral(spec, module, weather, sun)
    rear = _rear_gain(spec, weather, sun, tilt, azimuth, albedo)
    effective = after_spectral + rear

    # the cell heats with the light that reaches it: the POA after the rows' masking and shadow
    temp_cell = np.asarray(_cell_temperature(spec, module, row_stages[1], weather), dtype=float)
    p_module_w, v_module = _module_dc(spec, module, effective, temp_cell)
    return _ArrayOutput(
        index, inverter, sizing, albedo, poa_global, row_stages, shaded_fraction, soiling, front, after_iam,
        after_spectral, rear, effective, temp_cell, p_module_w * sizing.n_modules / W_PER_MW, v_module,
    )


def _plant_output(spec: SolarSite, array: _ArrayOutput, operating_year: int) -> SiteProduction:
    """DC losses and degradation for the year, inverters, AC losses, grid limit, availability."""
    losses, sizing, inverter, index = spec.losses, array.sizing, array.inverter, array.index
    poa_global, soiling, rear = array.poa_global, array.soiling, array.rear
    after_iam, after_spectral, effective = array.after_iam, array.after_spectral, array.effective
    temp_cell, dc_model_mw, v_module, albedo = array.temp_cell, array.dc_model_mw, array.v_module, array.albedo
    to_mw = sizing.dc_capacity_mwp / 1000.0  # irradiance [W/m2] -> power at STC efficiency [MW]
    dc_factors = {
        "mismatch": 1.0 - losses.mismatch,
        "lid": 1.0 - losses.lid,
        "nameplate": 1.0 - losses.nameplate,
        "dc_wiring": 1.0 - losses.dc_wiring,
        "degradation": (1.0 - spec.degradation_per_year) ** (operating_year - 1),
    }
    dc_stages = []
    dc_mw = dc_model_mw
    for name, factor in dc_factors.items():
        dc_mw = dc_mw * factor
        dc_stages.append((name, dc_mw))

    per_inverter_w = dc_mw * W_PER_MW / sizing.n_inverters
    v_dc = v_module * (sizing.modules_per_string or 1)
    accepted_w = _clip_dc(spec, inverter, per_inverter_w, v_dc)
    clipping_mw = (per_inverter_w - accepted_w) * sizing.n_inverters / W_PER_MW
    accepted_mw = dc_mw - clipping_mw
    ac_inverter_mw = _inverter_ac(spec, inverter, accepted_w, v_dc) * sizing.n_inverters / W_PER_MW
    after_ac_wiring = ac_inverter_mw * (1.0 - losses.ac_wiring)
    after_transformer = after_ac_wiring * (1.0 - losses.transformer)
    after_grid = np.minimum(after_transformer, spec.grid_connection_mw)
    net = after_grid * spec.availability

    waterfall = waterfall_from_stages(
        "poa_irradiation_at_stc_efficiency",
        poa_global * to_mw,
        [
            ("row_sky_masking", array.row_stages[0] * to_mw),
            ("row_beam_shading", array.row_stages[1] * to_mw),
            ("row_shading_electrical", array.row_stages[2] * to_mw),
            ("soiling", array.row_stages[2] * soiling * to_mw),
            ("shading", array.row_stages[2] * soiling * (1.0 - losses.shading) * to_mw),
            ("iam", after_iam * to_mw),
            ("spectral", after_spectral * to_mw),
            ("bifacial_gain", effective * to_mw),
            ("irradiance_temperature", dc_model_mw),
            *dc_stages,
            ("inverter_clipping", accepted_mw),
            ("inverter_efficiency", ac_inverter_mw),
            ("ac_wiring", after_ac_wiring),
            ("transformer", after_transformer),
            ("grid_limit", after_grid),
            ("availability", net),
        ],
    )
    net_mw = pd.Series(net, index=index, name="net_mw")
    hourly = pd.DataFrame(
        {
            "poa_w_m2": poa_global,
            "row_shaded_fraction": array.shaded_fraction,
            "poa_rear_gain_w_m2": rear,
            "effective_irradiance_w_m2": effective,
            "cell_temp_c": temp_cell,
            "dc_mw": dc_mw,
            "clipping_mw": clipping_mw,
            "ac_inverter_mw": ac_inverter_mw,
            "grid_limit_mw": after_transformer - after_grid,
        },
        index=index,
    )
    return SiteProduction(
        site_id=spec.id,
        technology="solar",
        capacity_mw=spec.capacity_ac_mw,
        net_mw=net_mw,
        waterfall=waterfall,
        hourly=hourly,
        details=_details(spec, sizing, waterfall, net_mw, hourly, albedo, operating_year),
        operating_year=operating_year,
    )


def _details(spec, sizing: PlantSizing, waterfall, net_mw, hourly, albedo, operating_year) -> dict:
    """JSON-ready figures: sizing, specific yield, performance ratio, clipping, models used."""
    net_mwh = float(net_mw.sum())
    clipping_mwh = float(hourly["clipping_mw"].sum())
    dc_mwh = float(hourly["dc_mw"].sum())
    return {
        "sizing": sizing.as_dict(),
        "dc_capacity_mwp": sizing.dc_capacity_mwp,
        "specific_yield_kwh_per_kwp": net_mwh / sizing.dc_capacity_mwp,
        "performance_ratio": net_mwh / waterfall.reference_mwh if waterfall.reference_mwh > 0 else 0.0,
        "poa_irradiation_kwh_m2": float(hourly["poa_w_m2"].sum()) / 1000.0,
        "clipping_loss_mwh": clipping_mwh,
        "clipping_loss_fraction": clipping_mwh / dc_mwh if dc_mwh > 0 else 0.0,
        "degradation_factor": (1.0 - spec.degradation_per_year) ** (operating_year - 1),
        "albedo_source": "weather" if isinstance(albedo, np.ndarray) else "spec",
        "models": {
            "solar_position": "pvlib.solarposition.get_solarposition (NREL SPA) at interval midpoint",
            "mounting": spec.mounting.type,
            "transposition": spec.transposition_model,
            "aoi": spec.aoi_model,
            "spectral": spec.spectral_model,
            "bifacial": spec.bifacial.model if spec.bifacial else None,
            "front_irradiance": spec.row_shading.front_irradiance_model if spec.row_shading else "unobstructed",
            "row_beam_shading": spec.row_shading.beam_shade_model if spec.row_shading else "none",
            "temperature": spec.temperature_model.model,
            "dc": spec.module.model,
            "inverter": spec.inverter.model,
        },
    }


def waterfall_table_rows(result: SiteProduction) -> list[tuple[str, str, str, str]]:
    """The waterfall as printable rows: step, energy in [MWh], loss [%], energy out [MWh].

    The first row is the reference energy, the last the net energy; a gain shows a negative loss.
    """
    wf = result.waterfall
    rows = [(wf.reference, "", "", f"{wf.reference_mwh:,.0f}")]
    rows += [(name, f"{e_in:,.0f}", f"{100 * frac:.2f}", f"{e_out:,.0f}") for name, e_in, frac, e_out in wf.rows()]
    rows.append(("net_at_grid", "", "", f"{result.annual_energy_mwh:,.0f}"))
    return rows
