"""The hardware catalogs a site names: pvlib's CEC module and inverter tables, windpowerlib's turbine
library (oedb), NREL's turbine-models and power-curve CSV files.

Looking a name up, reading a curve and checking it against the turbine's declared figures is data,
not physics, and ``validate`` must do it as the run does: this module is the one place that does it.
``validate`` and :func:`~.load.load_portfolio` call :func:`hardware_problems` on every site, and the
production models (``production/solar_plant.py``, ``production/wind.py``) take their module, inverter
and turbine data from :func:`module_entry`, :func:`inverter_entry` and :func:`site_turbine`. The
libraries are imported inside the functions (their tables are local files shipped with them; no
network), so that reading a config costs nothing until a catalog is asked.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..units import KW_PER_MW
from .solar import CecInverter, CecModule, SolarSite
from .wind import FileTurbine, GenericTurbine, TurbineModelsTurbine, WindpowerlibTurbine, WindSite

__all__ = [
    "CatalogError",
    "TurbineData",
    "SPEED_TOLERANCE_M_S",
    "RATED_POWER_SHORTFALL",
    "RATED_POWER_OVERSHOOT",
    "check_power_curve",
    "module_entry",
    "inverter_entry",
    "inverter_voltages",
    "StringFit",
    "string_fit",
    "turbine_data",
    "site_turbine",
    "hardware_errors",
]

W_PER_KW = 1_000.0
SPEED_TOLERANCE_M_S = 0.01
"""A curve may end this close below the cut-out speed (tables store 24.99999 for 25)."""
RATED_POWER_SHORTFALL = 0.1
"""The curve's maximum may lie this fraction below the declared rated power (a curve measured at a
site that never reached rated power, or a rating that includes a power boost mode)."""
RATED_POWER_OVERSHOOT = 0.02
"""No curve point may lie more than this fraction above the declared rated power. Published curves
round their values, and curves measured to IEC 61400-12-1 (bins of 0.5 m/s, density-normalised) may
overshoot the rating slightly where the controller holds rated power; 2 % covers both. More is an
error in the curve or the rating: a curve 10 % above its rating adds about 9 % energy at a site that
runs near rated power much of the time."""

_SAM_TABLES = {"module": "CECMod", "sandia": "CECInverter", "adr": "ADRInverter"}


class CatalogError(InputError):
    """A site value a catalog refuses.

    Attributes
    ----------
    path : tuple
        The field of the site config (``("turbine", "name")``).
    detail : str
        ``"= <value>: <what is wrong>; <what was expected>"``, the text after the field.
    """

    def __init__(self, path: tuple[Any, ...], detail: str, message: str | None = None):
        self.path = path
        self.detail = detail
        super().__init__(message or f"{'.'.join(str(p) for p in path)} {detail}")


# --------------------------------------------------------------------------- solar


@functools.cache
def _sam_table(name: str) -> pd.DataFrame:
    """One of the parameter tables pvlib ships (read once per process)."""
    import pvlib

    return pvlib.pvsystem.retrieve_sam(name)


def _close(name: str, names: list[str]) -> list[str]:
    """Closest names, within the same maker first (names start with it; 20,000 modules), else all."""
    same_maker = [n for n in names if n[:6].lower() == name[:6].lower()]
    return difflib.get_close_matches(name, same_maker, n=5, cutoff=0.4) or difflib.get_close_matches(
        name, names, n=5, cutoff=0.4
    )


def _sam_entry(table: str, name: str, path: tuple[Any, ...]) -> pd.Series:
    data = _sam_table(table)
    if name in data.columns:
        return data[name]
    close = _close(name, list(data.columns))
    hint = "closest names: " + ", ".join(close) if close else "no similar name found"
    raise CatalogError(path, f"= {name!r} is not in pvlib's {table} table ({data.shape[1]} entries); {hint}")


def module_entry(module: CecModule) -> pd.Series:
    """The row of pvlib's CEC module table a CEC module names (CatalogError with the closest names)."""
    return _sam_entry(_SAM_TABLES["module"], module.name, ("module", "name"))


def inverter_entry(inverter: CecInverter) -> pd.Series:
    """The row of pvlib's CEC (Sandia) or ADR inverter table an inverter names."""
    return _sam_entry(_SAM_TABLES[inverter.model], inverter.name, ("inverter", "name"))


_VOLTAGE_FIELDS = {"sandia": ("Vdcmax", "Mppt_low", "Mppt_high"), "adr": ("Vdcmax", "MPPTLow", "MPPTHi")}
"""Columns of the DC voltage limit and the MPPT window in pvlib's CEC (Sandia) and ADR inverter tables."""


def inverter_voltages(inverter: CecInverter) -> tuple[float, float, float]:
    """DC voltage limit, MPPT lower and upper limits of a CEC or ADR inverter [V]."""
    row = inverter_entry(inverter)
    vdc_max, mppt_low, mppt_high = (float(row[f]) for f in _VOLTAGE_FIELDS[inverter.model])
    return vdc_max, mppt_low, mppt_high


@dataclass(frozen=True)
class StringFit:
    """The string a CEC module makes on a CEC inverter.

    Attributes
    ----------
    modules_per_string : int
        The longest string whose open-circuit voltage at the coldest design cell temperature stays
        under the inverter's DC limit.
    voc_cold_v, vmp_hot_v : float
        The string's open-circuit voltage at the coldest and maximum-power voltage at the hottest
        design cell temperature, both at 1000 W/m2 [V].
    """

    modules_per_string: int
    voc_cold_v: float
    vmp_hot_v: float


def _module_voltages(cec: pd.Series, temp_cell_c: float) -> tuple[float, float]:
    """Open-circuit and maximum-power voltage of one module at 1000 W/m2 [V].

    References
    ----------
    pvlib.pvsystem.calcparams_cec and pvlib.pvsystem.singlediode (De Soto et al. 2006,
    doi:10.1016/j.solener.2005.06.010).
    """
    import pvlib

    params = pvlib.pvsystem.calcparams_cec(
        np.array([1000.0]), np.array([temp_cell_c]), cec["alpha_sc"], cec["a_ref"], cec["I_L_ref"],
        cec["I_o_ref"], cec["R_sh_ref"], cec["R_s"], cec["Adjust"],
    )
    out = pvlib.pvsystem.singlediode(*params)
    return float(np.asarray(out["v_oc"])[0]), float(np.asarray(out["v_mp"])[0])


def string_fit(spec: SolarSite) -> StringFit | None:
    """The string of a CEC module on a CEC inverter (None for any other pair).

    Modules per string: the longest string whose cold Voc stays under the inverter's DC limit
    (its MPPT upper limit when the table has no DC limit), checked against the MPPT lower limit
    at the hottest cell temperature. ``validate`` runs it (:func:`hardware_errors`), and
    ``production/solar_plant.py`` sizes the plant with it.

    Raises
    ------
    CatalogError
        At ``inverter.name`` when no string length fits the inverter's voltage window (or a name
        is unknown; at ``string_design`` when it is missing).
    """
    if not (isinstance(spec.module, CecModule) and isinstance(spec.inverter, CecInverter)):
        return None
    design = spec.string_design
    if design is None:
        raise CatalogError(("string_design",), ": missing; a CEC module on a CEC inverter needs min_cell_temp_c and "
                                               "max_cell_temp_c to size the strings")
    module = module_entry(spec.module)
    vdc_max, mppt_low, mppt_high = inverter_voltages(spec.inverter)
    voc_cold, _ = _module_voltages(module, design.min_cell_temp_c)
    _, vmp_hot = _module_voltages(module, design.max_cell_temp_c)
    vdc_max = vdc_max if vdc_max and np.isfinite(vdc_max) else mppt_high
    longest = int(np.floor(vdc_max / voc_cold))
    shortest = int(np.ceil(mppt_low / vmp_hot))
    if longest < 1 or shortest > longest:
        raise CatalogError(
            ("inverter", "name"),
            f"= {spec.inverter.name!r} does not fit module.name = {spec.module.name!r}: the inverter's DC limit "
            f"{vdc_max:.0f} V allows at most {longest} modules per string (Voc {voc_cold:.1f} V at "
            f"{design.min_cell_temp_c:g} C), but its MPPT lower limit {mppt_low:.0f} V needs at least {shortest} "
            f"(Vmp {vmp_hot:.1f} V at {design.max_cell_temp_c:g} C); expected an inverter whose voltage window "
            "suits the module",
        )
    return StringFit(longest, longest * voc_cold, longest * vmp_hot)


# --------------------------------------------------------------------------- wind


@dataclass(frozen=True)
class TurbineData:
    """A turbine as a catalog or a curve file gives it, at standard density 1.225 kg/m3.

    Attributes
    ----------
    name : str
    rated_power_kw, rotor_diameter_m : float
        [kW], [m].
    wind_speed_m_s, power_kw : numpy.ndarray
        The power curve [m/s, kW].
    thrust_coefficient : numpy.ndarray or None
        The thrust curve when the source has one [-].
    cut_out_m_s : float
        [m/s].
    """

    name: str
    rated_power_kw: float
    rotor_diameter_m: float
    wind_speed_m_s: np.ndarray
    power_kw: np.ndarray
    thrust_coefficient: np.ndarray | None
    cut_out_m_s: float


def check_power_curve(
    wind_speed_m_s: np.ndarray,
    power: np.ndarray,
    rated_power_kw: float,
    where: str,
    power_unit: str = "kW",
    cut_out_m_s: float | None = None,
) -> None:
    """Raise InputError when a power curve is unusable.

    Checks: no missing values; wind speeds non-negative, ascending and unique; power
    non-negative; its maximum at most 10 % below the rated power (:data:`RATED_POWER_SHORTFALL`) and
    no point more than 2 % above it (:data:`RATED_POWER_OVERSHOOT`; a factor of about 1,000 is
    reported as kW written where MW is declared, or the reverse); and, when ``cut_out_m_s`` is
    given, that the curve reaches the cut-out speed.

    Parameters
    ----------
    wind_speed_m_s : numpy.ndarray
        Curve wind speeds [m/s].
    power : numpy.ndarray
        Curve power in ``power_unit``.
    rated_power_kw : float
        Declared rated power [kW].
    where : str
        File and column, or config field, named in the message.
    power_unit : str
        ``"kW"`` or ``"MW"``, the unit the values claim to be in.
    cut_out_m_s : float or None
        Declared cut-out speed [m/s].
    """
    speed = np.asarray(wind_speed_m_s, dtype=float)
    values = np.asarray(power, dtype=float)
    if len(speed) < 2:
        raise InputError(f"{where}\n  the power curve has {len(speed)} point(s); expected at least 2")
    for label, array in (("wind speed", speed), ("power", values)):
        if np.isnan(array).any():
            row = int(np.flatnonzero(np.isnan(array))[0])
            raise InputError(f"{where}\n  {label} is missing at curve row {row + 1}; expected a number")
    step = np.diff(speed)
    if (step == 0).any():
        row = int(np.flatnonzero(step == 0)[0])
        raise InputError(
            f"{where}\n  wind speed {speed[row]:g} m/s appears twice (curve rows {row + 1} and {row + 2}); "
            "expected each wind speed once"
        )
    if (step < 0).any():
        row = int(np.flatnonzero(step < 0)[0])
        raise InputError(
            f"{where}\n  wind speeds are not ascending: {speed[row]:g} m/s at row {row + 1} is followed by "
            f"{speed[row + 1]:g} m/s; expected the curve sorted by wind speed"
        )
    if speed[0] < 0:
        raise InputError(f"{where}\n  wind speed {speed[0]:g} m/s is negative; expected speeds of 0 m/s or more")
    if (values < 0).any():
        row = int(np.flatnonzero(values < 0)[0])
        raise InputError(
            f"{where}\n  power {values[row]:g} {power_unit} at {speed[row]:g} m/s is negative; expected 0 or more"
        )
    scale = KW_PER_MW if power_unit == "MW" else 1.0
    rated = rated_power_kw / scale
    ratio = values.max() * scale / rated_power_kw
    if 1 - RATED_POWER_SHORTFALL <= ratio <= 1 + RATED_POWER_OVERSHOOT:
        pass
    elif 1 + RATED_POWER_OVERSHOOT < ratio < 1.5:
        row = int(np.argmax(values))
        raise InputError(
            f"{where}\n  the curve gives {values[row]:g} {power_unit} at {speed[row]:g} m/s, {ratio - 1:.1%} above "
            f"the rated power {rated:g} {power_unit}; expected at most {RATED_POWER_OVERSHOOT:.0%} above it "
            "(published curves round and IEC 61400-12-1 measured curves may overshoot slightly; more adds energy "
            "the turbine cannot make): correct the curve or the rated power"
        )
    else:
        hint = ""
        if 300 < ratio < 3000 and power_unit == "MW":
            hint = "; the values look like kW written where MW is declared"
        elif 1 / 3000 < ratio < 1 / 300 and power_unit == "kW":
            hint = "; the values look like MW written where kW is declared"
        raise InputError(
            f"{where}\n  the curve peaks at {values.max():g} {power_unit} but the rated power is "
            f"{rated:g} {power_unit}; expected the peak from {RATED_POWER_SHORTFALL:.0%} below to "
            f"{RATED_POWER_OVERSHOOT:.0%} above the rated power{hint}"
        )
    if cut_out_m_s is not None:
        last = speed[values > 0][-1] if (values > 0).any() else speed[-1]
        if last < cut_out_m_s - SPEED_TOLERANCE_M_S:
            raise InputError(
                f"{where}\n  the power curve ends at {last:g} m/s, before the cut-out speed {cut_out_m_s:g} m/s; "
                "expected points up to the cut-out speed"
            )


def _curve_error(path: tuple[Any, ...], value: str, err: InputError) -> CatalogError:
    """A curve problem of ``check_power_curve`` at the config field that named the curve."""
    text = str(err)
    return CatalogError(path, f"= {value}: {text.replace(chr(10) + '  ', ': ', 1)}", message=text)


@functools.cache
def _windpowerlib_types() -> tuple[str, ...]:
    from windpowerlib import get_turbine_types

    library = get_turbine_types(turbine_library="local", print_out=False)
    return tuple(library.loc[library["has_power_curve"].astype(bool), "turbine_type"].tolist())


def _windpowerlib(turbine: WindpowerlibTurbine, hub_height_m: float) -> TurbineData:
    from windpowerlib import WindTurbine

    known = list(_windpowerlib_types())
    path = ("turbine", "type")
    if turbine.type not in known:
        close = difflib.get_close_matches(turbine.type, known, n=5, cutoff=0.4)
        hint = "closest names: " + ", ".join(close) if close else "no similar name found"
        raise CatalogError(path, f"= {turbine.type!r}: not a turbine with a power curve in windpowerlib's local "
                                 f"turbine library ({len(known)} entries); {hint}")
    wt = WindTurbine(hub_height=hub_height_m, turbine_type=turbine.type, path="oedb")
    speed = wt.power_curve["wind_speed"].to_numpy(dtype=float)
    power_kw = wt.power_curve["value"].to_numpy(dtype=float) / W_PER_KW
    rated_kw = float(wt.nominal_power) / W_PER_KW
    try:
        check_power_curve(speed, power_kw, rated_kw, f"windpowerlib turbine library: {turbine.type}")
    except InputError as err:
        raise _curve_error(path, repr(turbine.type), err) from None
    return TurbineData(turbine.type, rated_kw, float(wt.rotor_diameter), speed, power_kw, None, float(speed[-1]))


@functools.cache
def _turbine_models_names() -> dict[str, str]:
    from turbine_models.parser import Turbines

    library = Turbines()
    return {name: group for group in library.groups for name in library.turbines(group).values()}


def _turbine_models(turbine: TurbineModelsTurbine) -> TurbineData:
    from turbine_models.parser import Turbines

    names = _turbine_models_names()
    path = ("turbine", "name")
    if turbine.name not in names:
        close = difflib.get_close_matches(turbine.name, list(names), n=5, cutoff=0.4)
        hint = "closest names: " + ", ".join(close) if close else "no similar name found"
        raise CatalogError(path, f"= {turbine.name!r}: not a turbine of NREL turbine-models ({len(names)} entries); "
                                 f"{hint}")
    spec = Turbines().specs(turbine.name, group=names[turbine.name])
    if not isinstance(spec, dict):
        raise CatalogError(path, f"= {turbine.name!r}: turbine-models has a power curve but no specification file "
                                 "(rated power, rotor diameter, cut-out) for it; expected a turbine with both, or "
                                 "use source: file")
    table = spec["power_curve"]
    speed = table["wind_speed_ms"].to_numpy(dtype=float)
    power_kw = table["power_kw"].to_numpy(dtype=float)
    rated_kw = float(spec["rated_power"])
    cut_out = float(spec["cut_out_wind_speed"])
    where = f"turbine-models {turbine.name} (group {names[turbine.name]})"
    try:
        check_power_curve(speed, power_kw, rated_kw, where, cut_out_m_s=cut_out)
    except InputError as err:
        raise _curve_error(path, repr(turbine.name), err) from None
    ct = table["ct"].to_numpy(dtype=float) if "ct" in table and table["ct"].notna().all() else None
    return TurbineData(turbine.name, rated_kw, float(spec["rotor_diameter"]), speed, power_kw, ct, cut_out)


def _file(turbine: FileTurbine) -> TurbineData:
    path = ("turbine", "curve")
    shown = str(turbine.curve)

    def fail(text: str) -> CatalogError:
        return _curve_error(path, shown, InputError(text))

    try:
        table = pd.read_csv(turbine.curve, comment="#")
    except (OSError, ValueError, pd.errors.ParserError) as err:
        raise fail(f"{shown}\n  cannot read the power curve: {err}; expected a CSV file") from None
    table.columns = [str(c).strip() for c in table.columns]
    unit = "kW" if "power_kw" in table else "MW" if "power_mw" in table else None
    if "wind_speed_m_s" not in table or unit is None:
        raise fail(f"{shown}\n  found columns {', '.join(table.columns)}; expected wind_speed_m_s and power_kw (or "
                   "power_mw), optionally thrust_coefficient")
    numeric = table.apply(pd.to_numeric, errors="coerce")
    column = f"power_{unit.lower()}"
    for name in ("wind_speed_m_s", column):
        bad = numeric[name].isna() & table[name].notna()
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise fail(f"{shown}: {name}, row {row + 1}\n  found {table[name].iloc[row]!r}; expected a number")
    speed = numeric["wind_speed_m_s"].to_numpy(dtype=float)
    power = numeric[column].to_numpy(dtype=float)
    rated_kw = turbine.rated_power_mw * KW_PER_MW
    try:
        check_power_curve(speed, power, rated_kw, f"{shown}: {column}", unit, turbine.cut_out_m_s)
    except InputError as err:
        raise _curve_error(path, shown, err) from None
    power_kw = power * (KW_PER_MW if unit == "MW" else 1.0)
    ct = None
    if "thrust_coefficient" in numeric:
        ct = numeric["thrust_coefficient"].to_numpy(dtype=float)
        if np.isnan(ct).any() or (ct < 0).any() or (ct > 1.5).any():
            raise fail(f"{shown}: thrust_coefficient\n  found values from {np.nanmin(ct):g} to {np.nanmax(ct):g} or "
                       "missing values; expected numbers between 0 and 1.5")
    cut_out = turbine.cut_out_m_s if turbine.cut_out_m_s is not None else float(speed[power_kw > 0][-1])
    name = turbine.name or Path(turbine.curve).stem
    return TurbineData(name, rated_kw, turbine.rotor_diameter_m, speed, power_kw, ct, cut_out)


def turbine_data(turbine: Any, hub_height_m: float) -> TurbineData | None:
    """The turbine a site names, from its catalog or curve file; None for a generic turbine (made from
    its config fields by ``production/wind.py``). Raises CatalogError at the turbine's field."""
    if isinstance(turbine, WindpowerlibTurbine):
        return _windpowerlib(turbine, hub_height_m)
    if isinstance(turbine, TurbineModelsTurbine):
        return _turbine_models(turbine)
    if isinstance(turbine, FileTurbine):
        return _file(turbine)
    return None


def _site_turbine_errors(spec: WindSite) -> tuple[TurbineData | None, list[CatalogError]]:
    try:
        data = turbine_data(spec.turbine, spec.hub_height_m)
    except CatalogError as err:
        return None, [err]
    turbine = spec.turbine
    name = data.name if data else (turbine.name or "the generic turbine") if isinstance(turbine, GenericTurbine) \
        else ""
    rotor_m = data.rotor_diameter_m if data else turbine.rotor_diameter_m  # type: ignore[union-attr]
    cut_out = data.cut_out_m_s if data else turbine.cut_out_m_s  # type: ignore[union-attr]
    errors = []
    if spec.hub_height_m <= rotor_m / 2:
        detail = (f"= {spec.hub_height_m:g}: the blades of {name} ({rotor_m:g} m rotor, radius {rotor_m / 2:g} m) "
                  f"would reach below the {'sea' if spec.offshore else 'ground'}; expected a hub height above the "
                  f"rotor radius {rotor_m / 2:g} m")
        errors.append(CatalogError(("hub_height_m",), detail, f"site '{spec.id}': hub_height_m {detail}"))
    restart = spec.high_wind_restart_m_s
    if restart is not None and restart >= cut_out:
        detail = (f"= {restart:g}: at or above the cut-out speed {cut_out:g} m/s of {name}; expected a restart speed "
                  "below the cut-out speed (the turbines stop above cut-out and restart once the wind falls below "
                  "this)")
        errors.append(CatalogError(("high_wind_restart_m_s",), detail, f"site '{spec.id}': high_wind_restart_m_s "
                                                                        f"{detail}"))
    return data, errors


def site_turbine(spec: WindSite) -> TurbineData | None:
    """The turbine of a wind site, checked against the site (hub height above the rotor radius, restart
    below cut-out); None for a generic turbine, whose fields are checked the same way.

    Raises
    ------
    CatalogError
        The first problem, at its field.
    """
    data, errors = _site_turbine_errors(spec)
    if errors:
        raise errors[0]
    return data


def hardware_errors(spec: Any) -> list[CatalogError]:
    """Every catalog problem of a site: unknown CEC module or inverter, a module no string of which fits
    the inverter's voltage window, unknown turbine, a curve that does not fit its rating, hub height at
    or below the rotor radius, restart at or above cut-out."""
    errors: list[CatalogError] = []
    if isinstance(spec, SolarSite):
        for part, lookup in ((spec.module, module_entry), (spec.inverter, inverter_entry)):
            if isinstance(part, (CecModule, CecInverter)):
                try:
                    lookup(part)  # type: ignore[arg-type]
                except CatalogError as err:
                    errors.append(err)
        if not errors:
            try:
                string_fit(spec)
            except CatalogError as err:
                errors.append(err)
    elif isinstance(spec, WindSite):
        errors.extend(_site_turbine_errors(spec)[1])
    return errors
