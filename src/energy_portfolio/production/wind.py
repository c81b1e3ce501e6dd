"""Hourly production of a wind farm: turbine physics on windpowerlib, wakes on PyWake.

The only windpowerlib importer for physics (DESIGN.md, layer rule 4); the turbine catalogs
(windpowerlib's library, NREL's ``turbine_models``, curve files) are read by ``config/catalogs.py``,
which ``validate`` runs too. windpowerlib works in W, K and Pa: values are converted at the call and back
straight after.

Chain, per hour (``simulate_wind``):

1. wind speed at hub height from the measured heights (``wind_profile.method``);
2. air density at hub height (barometric formula, -6.5 K/km temperature gradient);
3. gross power: turbines x power curve (density-corrected when asked), zero above cut-out;
4. wakes (PyWake farm-efficiency table, windpowerlib efficiency curve, or none); a PyWake run
   also computes the wake loss under every model of ``wakes.WAKE_RANGE_MODELS`` (the range);
5. high-wind hysteresis: after a cut-out the farm restarts only below ``high_wind_restart_m_s``;
6. availability (turbine, balance of plant, grid), electrical losses (array cables, export
   cable, substation), degradation, and the grid-connection limit.

Each stage is a step of the loss waterfall, whose final energy is ``net_mw.sum()``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..config.catalogs import SPEED_TOLERANCE_M_S, W_PER_KW, check_power_curve, site_turbine
from ..config.wind import GenericTurbine, NoWakes, PyWakeWakes, WindProfile, WindSite
from ..errors import InputError, WeatherError
from ..timeseries import check_hourly_index
from ..units import KW_PER_MW, celsius_to_kelvin
from .losses import waterfall_from_stages
from .result import SiteProduction
from .wakes import (
    BLOCKAGE_MODEL,
    FarmEfficiencyTable,
    blockage_table,
    check_spacing,
    farm_efficiency_tables,
    layout_xy_m,
    thrust_coefficient_from_power,
)

__all__ = [
    "TurbineCurves",
    "simulate_wind",
    "load_turbine",
    "generic_power_curve",
    "check_power_curve",
    "hub_wind_speed_m_s",
    "hub_wind_direction_deg",
    "hub_air_density_kg_m3",
    "turbine_power_kw",
    "high_wind_stops",
    "turbine_wake_loss_fraction",
]

TEMPERATURE_SURFACE_HEIGHT_M = 2.0
"""``temp_air`` is the 2 m air temperature (pvlib convention)."""
WIND_SURFACE_HEIGHT_M = 10.0
"""``wind_speed`` is the 10 m wind speed (DESIGN.md, weather files)."""


@dataclass(frozen=True)
class TurbineCurves:
    """A turbine as the model uses it.

    Attributes
    ----------
    name : str
    rated_power_kw : float
        Rated power [kW].
    rotor_diameter_m : float
        Rotor diameter [m].
    wind_speed_m_s, power_kw, thrust_coefficient : numpy.ndarray
        Power and thrust curves at standard density 1.225 kg/m3 [m/s, kW, -].
    cut_out_m_s : float
        Above this hub-height speed the turbine produces nothing [m/s].
    thrust_source : str
        ``"curve"`` or ``"momentum_theory"`` (derived from the power curve).
    """

    name: str
    rated_power_kw: float
    rotor_diameter_m: float
    wind_speed_m_s: np.ndarray
    power_kw: np.ndarray
    thrust_coefficient: np.ndarray
    cut_out_m_s: float
    thrust_source: str


# --------------------------------------------------------------------------- turbines


def generic_power_curve(
    rated_power_kw: float,
    rotor_diameter_m: float,
    cut_in_m_s: float,
    rated_wind_speed_m_s: float,
    cut_out_m_s: float,
    step_m_s: float = 0.25,
) -> tuple[np.ndarray, np.ndarray]:
    """A generic power curve from rated power and characteristic speeds.

    Between cut-in and rated speed the turbine runs at a constant power coefficient, so power
    rises with the cube of wind speed, ``P = P_rated (v / v_rated)^3``; from rated speed to
    cut-out it holds rated power; below cut-in (to 0.01 m/s under it) and above cut-out it
    is zero. The implied
    power coefficient ``P_rated / (0.5 rho0 A v_rated^3)`` must not exceed the Betz limit.

    Parameters
    ----------
    rated_power_kw : float
        Rated power [kW].
    rotor_diameter_m : float
        Rotor diameter [m].
    cut_in_m_s, rated_wind_speed_m_s, cut_out_m_s : float
        Characteristic speeds [m/s].
    step_m_s : float
        Curve resolution [m/s].

    Returns
    -------
    tuple of numpy.ndarray
        Wind speed [m/s] and power [kW], at standard density 1.225 kg/m3.

    References
    ----------
    Burton T. et al., Wind Energy Handbook, 2nd ed., Wiley 2011, sec. 3.2 and 7.1 (power
    coefficient, variable-speed operation below rated).
    """
    area_m2 = np.pi * rotor_diameter_m**2 / 4.0
    cp = rated_power_kw * W_PER_KW / (0.5 * 1.225 * area_m2 * rated_wind_speed_m_s**3)
    if cp > 16.0 / 27.0:
        raise InputError(
            f"turbine: a {rated_power_kw / KW_PER_MW:g} MW rotor of {rotor_diameter_m:g} m reaching rated power at "
            f"{rated_wind_speed_m_s:g} m/s needs a power coefficient of {cp:.2f}; expected at most the Betz limit "
            "0.59: raise rated_wind_speed_m_s or rotor_diameter_m"
        )
    grid = np.arange(0.0, cut_out_m_s, step_m_s)
    running = np.unique(np.concatenate([grid[grid > cut_in_m_s], [cut_in_m_s, rated_wind_speed_m_s, cut_out_m_s]]))
    # zero up to just below cut-in, so that interpolation does not spread power below it
    speed = np.concatenate([[0.0, cut_in_m_s - SPEED_TOLERANCE_M_S], running])
    power = np.concatenate([[0.0, 0.0], rated_power_kw * np.minimum(running / rated_wind_speed_m_s, 1.0) ** 3])
    return speed, power


def _generic_turbine(turbine: GenericTurbine) -> TurbineCurves:
    rated_kw = turbine.rated_power_mw * KW_PER_MW
    speed, power_kw = generic_power_curve(
        rated_kw, turbine.rotor_diameter_m, turbine.cut_in_m_s, turbine.rated_wind_speed_m_s, turbine.cut_out_m_s
    )
    ct = thrust_coefficient_from_power(speed, power_kw, turbine.rotor_diameter_m)
    name = turbine.name or f"generic {turbine.rated_power_mw:g} MW {turbine.rotor_diameter_m:g} m"
    return TurbineCurves(
        name, rated_kw, turbine.rotor_diameter_m, speed, power_kw, ct, turbine.cut_out_m_s, "momentum_theory"
    )


def load_turbine(spec: WindSite) -> TurbineCurves:
    """The turbine of a wind site, from the source its config names.

    The catalog lookup, the curve's checks and the site's (hub height above the rotor radius,
    restart below cut-out) are :func:`~energy_portfolio.config.catalogs.site_turbine`, which
    ``validate`` runs on the same config.

    Parameters
    ----------
    spec : WindSite

    Returns
    -------
    TurbineCurves

    Raises
    ------
    InputError
        Unknown turbine, unusable curve, or a hub height at or below the rotor radius.
    """
    data = site_turbine(spec)  # the catalog lookup and the site checks validate runs too
    if data is None:
        return _generic_turbine(spec.turbine)  # type: ignore[arg-type]
    if data.thrust_coefficient is not None:
        ct, source = data.thrust_coefficient, "curve"
    else:
        ct, source = thrust_coefficient_from_power(data.wind_speed_m_s, data.power_kw, data.rotor_diameter_m), \
            "momentum_theory"
    return TurbineCurves(data.name, data.rated_power_kw, data.rotor_diameter_m, data.wind_speed_m_s, data.power_kw,
                         ct, data.cut_out_m_s, source)


# --------------------------------------------------------------------------- weather at hub height


def _heights(weather: pd.DataFrame, prefix: str, surface_column: str, surface_height_m: float) -> dict[float, str]:
    """``{height [m]: column}`` of a quantity measured at several heights."""
    pattern = re.compile(rf"^{prefix}_(\d+(?:\.\d+)?)m$")
    found = {float(m.group(1)): c for c in weather.columns if (m := pattern.match(str(c)))}
    if surface_column in weather.columns:
        found.setdefault(surface_height_m, surface_column)
    return {h: c for h, c in sorted(found.items()) if weather[c].notna().any()}


def _column(weather: pd.DataFrame, column: str) -> np.ndarray:
    values = pd.to_numeric(weather[column], errors="coerce").to_numpy(dtype=float)
    if np.isnan(values).any():
        first = weather.index[np.isnan(values)][0]
        raise WeatherError(
            f"weather: {column}\n  {int(np.isnan(values).sum())} missing or non-numeric values, the first at "
            f"{first}; expected a complete hourly series (fill gaps in the weather layer, not with 0)"
        )
    return values


def _nearest(heights: dict[float, str], target_m: float, count: int) -> list[float]:
    return sorted(sorted(heights, key=lambda h: (abs(h - target_m), h))[:count])


def hub_wind_speed_m_s(weather: pd.DataFrame, hub_height_m: float, profile: WindProfile) -> tuple[np.ndarray, str]:
    """Wind speed at hub height from the measured heights.

    ``log_law`` and ``power_law`` scale the height nearest the hub; the interpolation methods
    use the two heights nearest the hub (windpowerlib's choice).

    Parameters
    ----------
    weather : pandas.DataFrame
        Canonical weather: ``wind_speed_<h>m`` and/or ``wind_speed`` (10 m) [m/s].
    hub_height_m : float
        Hub height [m].
    profile : WindProfile

    Returns
    -------
    tuple
        Hourly hub-height wind speed [m/s], and a description of the heights used.

    References
    ----------
    windpowerlib: ``wind_speed.logarithmic_profile``, ``wind_speed.hellman``,
    ``tools.linear_interpolation_extrapolation``, ``tools.logarithmic_interpolation_extrapolation``
    (Haas S. et al., windpowerlib, JOSS 4 (2019) 1670, doi:10.21105/joss.01670).
    """
    from windpowerlib import tools, wind_speed

    heights = _heights(weather, "wind_speed", "wind_speed", WIND_SURFACE_HEIGHT_M)
    if not heights:
        raise WeatherError(
            "weather: wind speed\n  found no wind speed at any height (columns: "
            f"{', '.join(map(str, weather.columns))}); expected wind_speed_<h>m columns (e.g. wind_speed_100m) "
            "or wind_speed at 10 m"
        )
    if profile.method in ("log_law", "power_law"):
        height = _nearest(heights, hub_height_m, 1)[0]
        measured = _column(weather, heights[height])
        if profile.method == "log_law":
            hub = wind_speed.logarithmic_profile(measured, height, hub_height_m, profile.roughness_length_m)
        else:
            hub = wind_speed.hellman(measured, height, hub_height_m, hellman_exponent=profile.shear_exponent)
        used = f"{profile.method} from {height:g} m"
    else:
        if len(heights) < 2 and hub_height_m not in heights:
            only = next(iter(heights))
            raise WeatherError(
                f"weather: wind speed\n  found wind at {only:g} m only; wind_profile.method = {profile.method} "
                "expects wind at two heights, or choose log_law or power_law"
            )
        chosen = _nearest(heights, hub_height_m, 2)
        frame = pd.DataFrame({h: _column(weather, heights[h]) for h in chosen}, index=weather.index)
        if hub_height_m in chosen:
            hub = frame[hub_height_m].to_numpy()
            chosen = [hub_height_m]
        elif profile.method == "linear_interpolation":
            hub = tools.linear_interpolation_extrapolation(frame, hub_height_m).to_numpy()
        else:
            hub = tools.logarithmic_interpolation_extrapolation(frame, hub_height_m).to_numpy()
        used = (
            f"measured at {chosen[0]:g} m"
            if len(chosen) == 1
            else f"{profile.method} between {' and '.join(f'{h:g} m' for h in chosen)}"
        )
    hub = np.asarray(hub, dtype=float)
    if (hub < 0).any():
        first = weather.index[hub < 0][0]
        raise WeatherError(
            f"weather: wind speed\n  hub-height wind speed is negative ({hub.min():.2f} m/s, first at {first}); "
            "expected speeds of 0 m/s or more (check the measured columns)"
        )
    return hub, used


def hub_wind_direction_deg(weather: pd.DataFrame, hub_height_m: float) -> np.ndarray | None:
    """Wind direction at the measured height nearest the hub, or None when there is none [deg]."""
    heights = _heights(weather, "wind_direction", "wind_direction", WIND_SURFACE_HEIGHT_M)
    if not heights:
        return None
    return np.mod(_column(weather, heights[_nearest(heights, hub_height_m, 1)[0]]), 360.0)


def hub_air_density_kg_m3(weather: pd.DataFrame, hub_height_m: float) -> np.ndarray | None:
    """Air density at hub height, or None without temperature or pressure.

    The temperature nearest the hub (``temp_air_<h>m`` or the 2 m ``temp_air``) is carried to
    hub height with a -6.5 K/km gradient, and the surface ``pressure`` with the barometric
    height formula.

    Parameters
    ----------
    weather : pandas.DataFrame
        Canonical weather: ``temp_air`` or ``temp_air_<h>m`` [C], ``pressure`` at the surface [Pa].
    hub_height_m : float
        Hub height above the surface [m].

    Returns
    -------
    numpy.ndarray or None
        Density [kg/m3].

    References
    ----------
    windpowerlib ``temperature.linear_gradient`` and ``density.barometric`` (ISO 2533
    standard atmosphere; Deutscher Wetterdienst, barometric height formula).
    """
    from windpowerlib import density, temperature

    temps = _heights(weather, "temp_air", "temp_air", TEMPERATURE_SURFACE_HEIGHT_M)
    if not temps or "pressure" not in weather.columns:
        return None
    height = _nearest(temps, hub_height_m, 1)[0]
    temp_k = celsius_to_kelvin(_column(weather, temps[height]))
    temp_hub_k = temperature.linear_gradient(temp_k, height, hub_height_m)
    pressure_pa = _column(weather, "pressure")
    if pressure_pa.min() < 50_000 or pressure_pa.max() > 110_000:
        raise WeatherError(
            f"weather: pressure\n  found {pressure_pa.min():g} to {pressure_pa.max():g}; expected Pa at the surface "
            "(about 101,325; values near 1,013 are hPa)"
        )
    return np.asarray(density.barometric(pressure_pa, 0.0, hub_height_m, temp_hub_k), dtype=float)


# --------------------------------------------------------------------------- power


def turbine_power_kw(
    wind_speed_m_s: np.ndarray, curves: TurbineCurves, density_kg_m3: np.ndarray | None = None
) -> np.ndarray:
    """Power of one turbine from its curve, zero above cut-out [kW].

    The curve's last power is held up to the cut-out speed, so that a density-corrected
    curve (whose speeds stretch or shrink) is cut at the turbine's cut-out speed and not at
    its last tabulated point; above cut-out the power is zero.

    Parameters
    ----------
    wind_speed_m_s : numpy.ndarray
        Hub-height wind speed [m/s].
    curves : TurbineCurves
    density_kg_m3 : numpy.ndarray or None
        Hub-height air density [kg/m3]; when given, the IEC 61400-12-1 density-corrected
        curve is used (windpowerlib, with Svenningsen's speed-dependent exponent).

    Returns
    -------
    numpy.ndarray
        Power [kW].

    References
    ----------
    IEC 61400-12-1:2017, sec. 9.1; windpowerlib ``power_output.power_curve`` and
    ``power_output.power_curve_density_correction``.
    """
    from windpowerlib import power_output

    speeds = np.append(curves.wind_speed_m_s, 2 * max(curves.cut_out_m_s, curves.wind_speed_m_s[-1]))
    power_w = np.append(curves.power_kw, curves.power_kw[-1]) * W_PER_KW
    ws = np.asarray(wind_speed_m_s, dtype=float)
    if density_kg_m3 is None:
        out_w = power_output.power_curve(ws, speeds, power_w)
    else:
        out_w = power_output.power_curve_density_correction(ws, speeds, power_w, np.asarray(density_kg_m3))
    out_kw = np.asarray(out_w, dtype=float) / W_PER_KW
    return np.where(ws > curves.cut_out_m_s, 0.0, out_kw)


def high_wind_stops(wind_speed_m_s: np.ndarray, cut_out_m_s: float, restart_m_s: float | None) -> np.ndarray:
    """Hours the farm stands still after a high-wind cut-out although the wind is below cut-out.

    After an hour above ``cut_out_m_s`` the turbines stay stopped until the wind falls below
    ``restart_m_s`` (hysteresis). Hours above cut-out themselves are not flagged: the power
    curve already gives zero there.

    Parameters
    ----------
    wind_speed_m_s : numpy.ndarray
        Hourly free-stream hub-height wind speed [m/s].
    cut_out_m_s : float
        Cut-out speed [m/s].
    restart_m_s : float or None
        Restart speed [m/s]; None means no hysteresis.

    Returns
    -------
    numpy.ndarray of bool

    References
    ----------
    IEC 61400-1:2019, sec. 3 (cut-out wind speed) and the restart hysteresis of pitch-regulated
    turbines; e.g. Jonkman J. et al., NREL/TP-500-38060 (2009), sec. 7.
    """
    ws = np.asarray(wind_speed_m_s, dtype=float)
    stopped = np.zeros(len(ws), dtype=bool)
    if restart_m_s is None:
        return stopped
    state = False
    for i, v in enumerate(ws.tolist()):
        if v > cut_out_m_s:
            state = True
        elif state and v < restart_m_s:
            state = False
        stopped[i] = state and v <= cut_out_m_s
    return stopped


def _wake_power_mw(
    spec: WindSite,
    curves: TurbineCurves,
    hub_ws: np.ndarray,
    direction: np.ndarray | None,
    density: np.ndarray | None,
    gross_mw: np.ndarray,
    x_m: np.ndarray,
    y_m: np.ndarray,
) -> tuple[np.ndarray, dict]:
    """Farm power after wakes [MW] and the wake model's details."""
    wake = spec.wake_model
    if isinstance(wake, NoWakes):
        return gross_mw.copy(), {"wake_model": wake.model}
    if isinstance(wake, PyWakeWakes):
        if direction is None:
            raise WeatherError(
                f"weather: wind direction\n  site '{spec.id}' uses wake_model.model = {wake.model}, which needs the "
                "hourly wind direction; expected wind_direction_<h>m columns (e.g. wind_direction_150m)"
            )
        farm = (x_m, y_m, curves.wind_speed_m_s, curves.power_kw, curves.thrust_coefficient,
                curves.rotor_diameter_m, curves.cut_out_m_s)
        tables = farm_efficiency_tables(spec, wake, *farm)
        tables[BLOCKAGE_MODEL] = blockage_table(tables["turbopark"], spec, wake, farm)
        table = tables[wake.model]
        efficiency = table.at(direction, hub_ws)
        gross_mwh = float(gross_mw.sum())
        info = {
            "wake_loss_fraction_by_model": {
                model: 1 - float((gross_mw * other.at(direction, hub_ws)).sum()) / gross_mwh if gross_mwh > 0 else 0.0
                for model, other in tables.items()
            },
            "turbine_wake_loss_fraction": turbine_wake_loss_fraction(table, direction, hub_ws, gross_mw),
            "wake_model": wake.model,
            "wake_superposition": wake.superposition,
            "wake_table_shape": [len(table.direction_deg), len(table.wind_speed_m_s)],
            "thrust_curve": curves.thrust_source,
        }
        return gross_mw * efficiency, info
    from windpowerlib import wake_losses

    reduced = np.asarray(wake_losses.reduce_wind_speed(hub_ws, wake.curve), dtype=float)
    # the cut-out is decided by the free-stream speed; the efficiency curve only slows the wind
    power_kw = turbine_power_kw(np.minimum(reduced, curves.cut_out_m_s), curves, density)
    farm_mw = np.where(hub_ws > curves.cut_out_m_s, 0.0, len(x_m) * power_kw / KW_PER_MW)
    return farm_mw, {"wake_model": wake.model, "wake_efficiency_curve": wake.curve}


def turbine_wake_loss_fraction(
    table: FarmEfficiencyTable, direction_deg: np.ndarray, hub_ws_m_s: np.ndarray, gross_mw: np.ndarray
) -> np.ndarray:
    """Wake loss of each turbine over the hours given [fraction].

    Every turbine sees the free-stream wind, so each has the same energy without wakes, a share
    ``1/n`` of ``gross_mw``; with wakes its hourly power is that share times its efficiency. The
    loss is ``1 - sum_t(gross_t eta_i,t) / sum_t gross_t``, the farm's definition applied to
    one turbine: the turbines' losses average to the farm's (equal weights: equal free-stream
    energy), as the farm efficiency is the mean of the turbines'.

    Parameters
    ----------
    table : FarmEfficiencyTable
        With ``turbine_efficiency``.
    direction_deg, hub_ws_m_s : numpy.ndarray
        Hourly hub-height wind direction [deg] and free-stream speed [m/s].
    gross_mw : numpy.ndarray
        Hourly farm power without wakes [MW] (the density-corrected gross power).

    Returns
    -------
    numpy.ndarray
        One loss per turbine, in layout order [fraction]; zeros when the gross energy is zero.
    """
    gross_mwh = float(gross_mw.sum())
    if gross_mwh <= 0:
        return np.zeros(table.turbine_efficiency.shape[0])
    return 1.0 - table.turbine_at(direction_deg, hub_ws_m_s) @ gross_mw / gross_mwh


# --------------------------------------------------------------------------- the chain


def _check_weather(weather: pd.DataFrame) -> None:
    if not isinstance(weather, pd.DataFrame):
        raise WeatherError(f"weather\n  found a {type(weather).__name__}; expected a pandas DataFrame")
    check_hourly_index(weather.index, "weather")


def simulate_wind(spec: WindSite, weather: pd.DataFrame, operating_year: int = 1) -> SiteProduction:
    """Hourly net power of a wind farm at its grid connection.

    Parameters
    ----------
    spec : WindSite
        The farm.
    weather : pandas.DataFrame
        Canonical hourly weather (DESIGN.md): time-zone-aware index labelled at interval
        start; ``wind_speed_<h>m`` [m/s], ``wind_direction_<h>m`` [deg] (needed by PyWake
        wake models), ``temp_air`` or ``temp_air_<h>m`` [C] and ``pressure`` [Pa] (needed for
        the density correction), ``wind_speed`` at 10 m [m/s].
    operating_year : int
        Year of operation, 1 for the first; degradation ``(1 - rate)^(year - 1)``.

    Returns
    -------
    SiteProduction
        ``net_mw`` [MW]; ``hourly`` with ``gross_mw``, ``wake_loss_mw``, ``farm_efficiency``,
        ``hub_wind_speed_m_s``, and ``hub_wind_direction_deg`` (PyWake wake models) and
        ``air_density_kg_m3`` (density correction) where used; ``details``
        with the turbine, layout, power curve as used and hour counts; with a PyWake wake model,
        ``wake_loss_fraction_by_model`` (every model of ``wakes.WAKE_RANGE_MODELS`` and ``wakes.BLOCKAGE_MODEL``) and
        ``turbine_wake_loss`` (each turbine's position and wake loss under the model used).

    Raises
    ------
    InputError
        Unusable turbine, layout or weather (WeatherError for the weather).

    References
    ----------
    See the functions of each step; the loss waterfall is ``losses.waterfall_from_stages``.
    """
    if operating_year < 1:
        raise InputError(f"operating_year = {operating_year}\n  expected 1 (first year of operation) or more")
    _check_weather(weather)
    curves = load_turbine(spec)
    n = spec.n_turbines
    x_m, y_m = layout_xy_m(spec, curves.rotor_diameter_m)
    check_spacing(x_m, y_m, curves.rotor_diameter_m, spec.id)

    hub_ws, profile_used = hub_wind_speed_m_s(weather, spec.hub_height_m, spec.wind_profile)
    # direction and density only where a model uses them: gaps in unused columns are no error
    direction = hub_wind_direction_deg(weather, spec.hub_height_m) if isinstance(spec.wake_model, PyWakeWakes) else None
    density = hub_air_density_kg_m3(weather, spec.hub_height_m) if spec.density_correction else None
    if spec.density_correction and density is None:
        raise WeatherError(
            f"weather: temp_air, pressure\n  site '{spec.id}' asks for density_correction, which needs the air "
            "temperature (temp_air or temp_air_<h>m) [C] and the surface pressure [Pa]; expected both columns"
        )

    gross_mw = n * turbine_power_kw(hub_ws, curves, density) / KW_PER_MW
    waked_mw, wake_info = _wake_power_mw(spec, curves, hub_ws, direction, density, gross_mw, x_m, y_m)
    stopped = high_wind_stops(hub_ws, curves.cut_out_m_s, spec.high_wind_restart_m_s)
    after_hysteresis = np.where(stopped, 0.0, waked_mw)

    a, e = spec.availability, spec.electrical_losses
    factors = [
        ("availability_turbine", a.turbine),
        ("availability_balance_of_plant", a.balance_of_plant),
        ("availability_grid", a.grid),
        ("electrical_array_cables", 1 - e.array_cables),
        ("electrical_export_cable", 1 - e.export_cable),
        ("electrical_substation", 1 - e.substation),
        ("degradation", (1 - spec.degradation_per_year) ** (operating_year - 1)),
    ]
    stages = [("wakes", waked_mw), ("high_wind_hysteresis", after_hysteresis)]
    power = after_hysteresis
    for name, factor in factors:
        power = power * factor
        stages.append((name, power))
    net = np.minimum(power, spec.grid_connection_mw)
    stages.append(("grid_connection_limit", net))
    waterfall = waterfall_from_stages("gross_no_wake", gross_mw, stages)

    index = weather.index
    hourly = pd.DataFrame(
        {
            "gross_mw": gross_mw,
            "wake_loss_mw": gross_mw - waked_mw,
            "farm_efficiency": np.divide(waked_mw, gross_mw, out=np.ones_like(gross_mw), where=gross_mw > 0),
            "hub_wind_speed_m_s": hub_ws,
        },
        index=index,
    )
    if direction is not None:
        hourly["hub_wind_direction_deg"] = direction
    if density is not None:
        hourly["air_density_kg_m3"] = density
    gross_mwh = float(gross_mw.sum())
    details = {
        "turbine": curves.name,
        "rated_power_mw": curves.rated_power_kw / KW_PER_MW,
        "hub_height_m": spec.hub_height_m,
        "n_turbines": n,
        "rotor_diameter_m": curves.rotor_diameter_m,
        "cut_out_m_s": curves.cut_out_m_s,
        "gross_energy_mwh": gross_mwh,
        "wake_loss_fraction": 1 - float(waked_mw.sum()) / gross_mwh if gross_mwh > 0 else 0.0,
        "hours_above_cut_out": int((hub_ws > curves.cut_out_m_s).sum()),
        "hours_high_wind_hysteresis": int(stopped.sum()),
        "hours_at_grid_limit": int((power > spec.grid_connection_mw).sum()),
        "mean_hub_wind_speed_m_s": float(hub_ws.mean()),
        "wind_profile": profile_used,
        "density_correction": spec.density_correction,
        **{k: v for k, v in wake_info.items()
           if k not in ("wake_loss_fraction_by_model", "turbine_wake_loss_fraction")},
        "layout_x_m": [round(float(v), 1) for v in x_m],
        "layout_y_m": [round(float(v), 1) for v in y_m],
        "power_curve": {
            "wind_speed_m_s": [float(v) for v in curves.wind_speed_m_s],
            "power_kw": [float(v) for v in curves.power_kw],
        },
    }
    return SiteProduction(
        site_id=spec.id,
        technology="wind",
        capacity_mw=n * curves.rated_power_kw / KW_PER_MW,
        net_mw=pd.Series(net, index=index, name="net_mw"),
        waterfall=waterfall,
        hourly=hourly,
        details=details,
        operating_year=operating_year,
        wake_loss_fraction_by_model=wake_info.get("wake_loss_fraction_by_model", {}),
        turbine_wake_loss=_turbine_wake_loss_frame(x_m, y_m, wake_info.get("turbine_wake_loss_fraction")),
    )


def _turbine_wake_loss_frame(x_m: np.ndarray, y_m: np.ndarray, loss_fraction: np.ndarray | None) -> pd.DataFrame:
    """``SiteProduction.turbine_wake_loss``: index ``turbine`` (1 to n, layout order), ``x_m``, ``y_m``
    [m] and ``wake_loss_fraction`` [fraction]; empty without a per-turbine loss."""
    if loss_fraction is None:
        return pd.DataFrame()
    frame = pd.DataFrame({"x_m": np.asarray(x_m, dtype=float), "y_m": np.asarray(y_m, dtype=float),
                          "wake_loss_fraction": np.asarray(loss_fraction, dtype=float)},
                         index=pd.RangeIndex(1, len(x_m) + 1, name="turbine"))
    return frame
