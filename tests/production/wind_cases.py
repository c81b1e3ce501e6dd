"""Cases for the wind tests: site specs and hourly weather built here (no weather layer needed).

The synthetic year follows the Absheron climatology of weather/absheron_offshore_climatology.yaml:
Weibull k = 2 with a 9 m/s mean at 150 m, shear exponent 0.10, the 12-sector direction rose,
and some hour-to-hour persistence (an AR(1) Gaussian copula) so that storms last several hours.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats

from energy_portfolio.config import WindSite, load_site
from energy_portfolio.timeseries import hourly_year

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT / "sites" / "caspian_offshore_wind.yaml"

GENERIC = {
    "source": "generic",
    "name": "generic 15 MW",
    "rated_power_mw": 15.0,
    "rotor_diameter_m": 240.0,
    "cut_in_m_s": 3.0,
    "rated_wind_speed_m_s": 10.6,
    "cut_out_m_s": 25.0,
}
COARSE = {"model": "bastankhah_gaussian", "superposition": "squared_sum", "direction_step_deg": 10, "speed_step_m_s": 1}


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in changes.items():
        replaces_union = any(tag in value for tag in ("source", "type", "model")) if isinstance(value, dict) else True
        if isinstance(out.get(key), dict) and not replaces_union:
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def site(**changes: Any) -> WindSite:
    """The default offshore farm with some fields replaced (validated like a config file)."""
    base = load_site(DEFAULT).model_dump()
    return WindSite.model_validate(_merge(base, changes))


def grid(rows: int, columns: int, spacing_d: float, rotation_deg: float = 0.0) -> dict[str, Any]:
    return {
        "type": "grid",
        "rows": rows,
        "columns": columns,
        "row_spacing_rotor_diameters": spacing_d,
        "column_spacing_rotor_diameters": spacing_d,
        "rotation_deg": rotation_deg,
    }

SECTOR_FREQUENCIES = np.array([0.22, 0.14, 0.05, 0.03, 0.04, 0.08, 0.12, 0.10, 0.05, 0.04, 0.05, 0.08])


def weibull_year(
    year: int = 2023,
    mean_150m_m_s: float = 9.0,
    k: float = 2.0,
    shear_exponent: float = 0.10,
    seed: int = 7,
    persistence: float = 0.95,
) -> pd.DataFrame:
    """A canonical hourly frame: wind at 100 and 150 m, direction, temp_air, pressure."""
    index = hourly_year(year, "Asia/Baku")
    n = len(index)
    rng = np.random.default_rng(seed)
    z = np.empty(n)
    z[0] = rng.standard_normal()
    noise = rng.standard_normal(n) * np.sqrt(1 - persistence**2)
    for i in range(1, n):
        z[i] = persistence * z[i - 1] + noise[i]
    u = stats.norm.cdf(z)
    scale = mean_150m_m_s / special.gamma(1 + 1 / k)
    ws150 = scale * (-np.log1p(-u)) ** (1 / k)
    p = SECTOR_FREQUENCIES / SECTOR_FREQUENCIES.sum()
    sector = rng.choice(12, n, p=p)
    direction = np.mod(sector * 30.0 + rng.uniform(-15, 15, n), 360.0)
    day = np.arange(n) / 24.0
    return pd.DataFrame(
        {
            "wind_speed_100m": ws150 * (100 / 150) ** shear_exponent,
            "wind_speed_150m": ws150,
            "wind_direction_100m": direction,
            "wind_direction_150m": direction,
            "temp_air": 14.5 - 11.0 * np.cos(2 * np.pi * (day - 15) / 365.0),
            "pressure": 101_600.0 + 800.0 * np.sin(2 * np.pi * day / 5.0),
        },
        index=index,
    )


def constant_weather(wind_speed_m_s: float, hours: int = 48, temp_air_c: float = 15.0,
                     pressure_pa: float = 101_325.0, direction_deg: float = 0.0) -> pd.DataFrame:
    """Constant wind at 100 and 150 m."""
    index = hourly_year(2023, "Asia/Baku")[:hours]
    return pd.DataFrame(
        {
            "wind_speed_100m": wind_speed_m_s,
            "wind_speed_150m": wind_speed_m_s,
            "wind_direction_150m": direction_deg,
            "temp_air": temp_air_c,
            "pressure": pressure_pa,
        },
        index=index,
    )
