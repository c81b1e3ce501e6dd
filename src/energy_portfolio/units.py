"""Unit constants and converters. Names carry their units (see DESIGN.md, Conventions)."""

from __future__ import annotations

__all__ = [
    "GJ_PER_MWH",
    "MJ_PER_KWH",
    "KW_PER_MW",
    "W_PER_MW",
    "M3_PER_MCM",
    "MCM_PER_BCM",
    "gas_mcm_from_gj",
    "kelvin_to_celsius",
    "celsius_to_kelvin",
]

GJ_PER_MWH = 3.6
"""1 MWh = 3.6 GJ (exact)."""
MJ_PER_KWH = 3.6
KW_PER_MW = 1_000.0
W_PER_MW = 1_000_000.0
M3_PER_MCM = 1_000_000.0
"""Cubic metres in one million cubic metres (mcm)."""
MCM_PER_BCM = 1_000.0
ZERO_CELSIUS_K = 273.15


def gas_mcm_from_gj(energy_gj, lower_heating_value_mj_per_m3: float):
    """Gas volume [million m3] holding ``energy_gj`` of fuel energy at the given LHV.

    Parameters
    ----------
    energy_gj : float or array-like
        Fuel energy, lower heating value [GJ].
    lower_heating_value_mj_per_m3 : float
        Lower heating value of the gas [MJ/m3].

    Returns
    -------
    float or array-like
        Volume [million m3].
    """
    return energy_gj * 1_000.0 / lower_heating_value_mj_per_m3 / M3_PER_MCM


def kelvin_to_celsius(temp_k):
    """Temperature [K] to [C]."""
    return temp_k - ZERO_CELSIUS_K


def celsius_to_kelvin(temp_c):
    """Temperature [C] to [K]."""
    return temp_c + ZERO_CELSIUS_K
