"""PV plant hardware: module and inverter parameters from pvlib's CEC tables (looked up by
``config/catalogs.py``, which ``validate`` runs too), and plant sizing.

The plant is sized from its AC capacity and DC/AC ratio: the number of inverters from the AC
capacity, the string length from the inverter's voltage window and the module's open-circuit
and maximum-power voltages at the design cell temperatures (single-diode model;
``config/catalogs.py: string_fit``, which ``validate`` runs too, so that a module that fits no
string on its inverter fails both), the number of strings per inverter from the DC capacity.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from ..config.catalogs import inverter_entry, inverter_voltages, module_entry, string_fit
from ..config.solar import CecInverter, CecModule, PvwattsInverter, PvwattsModule, SolarSite
from ..units import W_PER_MW

__all__ = ["ModuleData", "InverterData", "PlantSizing", "module_data", "inverter_data", "size_plant"]

@dataclass(frozen=True)
class ModuleData:
    """One module as the model needs it.

    Attributes
    ----------
    stc_w : float
        Power at standard test conditions [W].
    efficiency : float
        STC efficiency [fraction], used by the PVsyst cell-temperature model.
    cec : pandas.Series or None
        The CEC table row (single-diode parameters), None for a PVWatts module.
    technology : str or None
        Cell technology as pvlib's spectral models name it (``monosi``...), when known.
    """

    stc_w: float
    efficiency: float
    cec: pd.Series | None
    technology: str | None


# CEC "Technology" column -> pvlib.spectrum.spectral_factor_firstsolar module_type
_TECHNOLOGY = {
    "Mono-c-Si": "monosi",
    "Multi-c-Si": "multisi",
    "CdTe": "cdte",
    "CIGS": "cigs",
    "CIS": "cigs",
    "Thin Film": "asi",
}


def module_data(module: CecModule | PvwattsModule) -> ModuleData:
    """Module parameters from the spec (PVWatts) or pvlib's CEC module table.

    Raises
    ------
    InputError
        When the CEC name is unknown (with the closest names).
    """
    if isinstance(module, PvwattsModule):
        return ModuleData(module.pdc0_w, module.efficiency, None, None)
    row = module_entry(module)
    stc_w = float(row["STC"])
    efficiency = stc_w / (float(row["A_c"]) * 1000.0)
    return ModuleData(stc_w, efficiency, row, _TECHNOLOGY.get(str(row["Technology"])))


@dataclass(frozen=True)
class InverterData:
    """One inverter as the model needs it.

    Attributes
    ----------
    ac_w : float
        Maximum AC output of one unit [W].
    params : pandas.Series or None
        CEC/ADR table row for the Sandia or ADR model; None for PVWatts.
    vdc_max_v, mppt_low_v, mppt_high_v : float or None
        Voltage limits [V] (CEC tables only).
    """

    ac_w: float
    params: pd.Series | None
    vdc_max_v: float | None
    mppt_low_v: float | None
    mppt_high_v: float | None


def inverter_data(inverter: PvwattsInverter | CecInverter) -> InverterData:
    """Inverter parameters from the spec (PVWatts) or pvlib's CEC (Sandia) or ADR table.

    Raises
    ------
    InputError
        When the name is unknown (with the closest names).
    """
    if isinstance(inverter, PvwattsInverter):
        return InverterData(inverter.unit_capacity_kw * 1000.0, None, None, None, None)
    row = inverter_entry(inverter)
    ac_w = float(row["Paco"] if inverter.model == "sandia" else row["Pacmax"])
    return InverterData(ac_w, row, *inverter_voltages(inverter))


@dataclass(frozen=True)
class PlantSizing:
    """The plant as built from the spec, reported in ``SiteProduction.details['sizing']``.

    Attributes
    ----------
    n_inverters : int
    inverter_ac_mw : float
        AC capacity of all inverters [MW].
    n_modules : int
    dc_capacity_mwp : float
        STC power of all modules [MWp].
    dc_ac_ratio : float
        ``dc_capacity_mwp / inverter_ac_mw``.
    modules_per_string, strings_per_inverter, n_strings : int or None
        String layout; None when the inverter or module model has no voltages.
    string_voc_cold_v, string_vmp_hot_v : float or None
        String open-circuit voltage at the coldest and maximum-power voltage at the hottest
        design cell temperature, both at 1000 W/m2 [V].
    """

    n_inverters: int
    inverter_ac_mw: float
    n_modules: int
    dc_capacity_mwp: float
    dc_ac_ratio: float
    modules_per_string: int | None = None
    strings_per_inverter: int | None = None
    n_strings: int | None = None
    string_voc_cold_v: float | None = None
    string_vmp_hot_v: float | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def size_plant(spec: SolarSite, module: ModuleData, inverter: InverterData) -> PlantSizing:
    """Number of inverters, modules and strings for the spec's AC capacity and DC/AC ratio.

    Inverters: the nearest whole number to ``capacity_ac_mw`` over the unit rating (at least
    one). Strings (CEC module on a CEC inverter): the longest string allowed by the inverter's
    DC voltage limit at the coldest design cell temperature, checked against the MPPT lower
    limit at the hottest; strings per inverter to the nearest whole number that gives the DC
    capacity. Otherwise the module count is the nearest whole number to the DC capacity.

    Parameters
    ----------
    spec : SolarSite
    module : ModuleData
    inverter : InverterData

    Returns
    -------
    PlantSizing
    """
    n_inverters = max(1, round(spec.capacity_ac_mw * W_PER_MW / inverter.ac_w))
    inverter_ac_mw = n_inverters * inverter.ac_w / W_PER_MW
    dc_target_w = spec.dc_capacity_mwp * W_PER_MW
    strings: dict = {}
    fit = string_fit(spec)
    if fit is not None:
        per_string, voc_cold, vmp_hot = fit.modules_per_string, fit.voc_cold_v, fit.vmp_hot_v
        per_inverter = max(1, round(dc_target_w / (n_inverters * per_string * module.stc_w)))
        n_modules = n_inverters * per_inverter * per_string
        strings = {
            "modules_per_string": per_string,
            "strings_per_inverter": per_inverter,
            "n_strings": n_inverters * per_inverter,
            "string_voc_cold_v": voc_cold,
            "string_vmp_hot_v": vmp_hot,
        }
    else:
        n_modules = max(1, round(dc_target_w / module.stc_w))
    dc_mwp = n_modules * module.stc_w / W_PER_MW
    return PlantSizing(n_inverters, inverter_ac_mw, n_modules, dc_mwp, dc_mwp / inverter_ac_mw, **strings)
