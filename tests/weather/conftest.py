"""Shared fixtures of the weather tests: climatologies and generated years (generated once)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest

from energy_portfolio.config.climatology import ClimatologySpec
from energy_portfolio.weather import load_climatology
from energy_portfolio.weather.generator import SiteRequest, generate_year

ROOT = Path(__file__).resolve().parents[2]
WEATHER = ROOT / "weather"
CLIMATOLOGIES = {
    "fuzuli": WEATHER / "fuzuli_climatology.yaml",
    "offshore": WEATHER / "absheron_offshore_climatology.yaml",
}
N_YEARS = 12
CLIMATOLOGY_DAYS = np.array([31, 28.25, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


@pytest.fixture(scope="session")
def climatologies():
    return {name: load_climatology(path) for name, path in CLIMATOLOGIES.items()}


@pytest.fixture(scope="session")
def typical_years(climatologies):
    """Realisation 0 (the typical year) of both sites generated together, on 2032."""
    sites = [SiteRequest(n, c, c.location, 7) for n, c in climatologies.items()]
    return generate_year(sites, 2032, 0, 7)


@pytest.fixture(scope="session")
def many_years(climatologies):
    """Realisations 1..N_YEARS of both sites generated together, on 2033..."""
    sites = [SiteRequest(n, c, c.location, 11) for n, c in climatologies.items()]
    years = [generate_year(sites, 2033 + i, i + 1, 11) for i in range(N_YEARS)]
    return {name: [y[name] for y in years] for name in climatologies}


@pytest.fixture(scope="session")
def greensboro_tmy3():
    """pvlib's real TMY3 year of Greensboro NC (hourly GHI, local standard time) and a climatology of its GHI."""
    path = pvlib.__path__[0] + "/data/723170TYA.CSV"
    data, meta = pvlib.iotools.read_tmy3(path, coerce_year=2031, map_variables=True)
    data.index = data.index - pd.Timedelta(hours=1)  # TMY3 labels the end of the hour
    ghi = data["ghi"].tz_convert("Etc/GMT+5")
    tmy_year = ghi.groupby(ghi.index.month).sum() / 1000
    days = ghi.groupby(ghi.index.month).size() / 24
    monthly_kwh = (tmy_year / days * CLIMATOLOGY_DAYS).round(2).tolist()
    clim = ClimatologySpec.model_validate(
        {
            "kind": "climatology",
            "name": "Greensboro NC from TMY3",
            "location": {
                "latitude": meta["latitude"],
                "longitude": meta["longitude"],
                "elevation_m": meta["altitude"],
                "timezone": "Etc/GMT+5",
            },
            "solar": {"monthly_ghi_kwh_m2": monthly_kwh, "decomposition": "erbs", "interannual_cv": 0.04},
            "temperature": {
                "monthly_mean_c": [5] * 12,
                "monthly_diurnal_range_c": [10] * 12,
                "noise_std_c": 2,
                "noise_autocorrelation_hourly": 0.98,
            },
            "wind": {
                "reference_height_m": 10,
                "monthly_mean_m_s": [3] * 12,
                "weibull_k": 2,
                "hourly_autocorrelation": 0.9,
                "diurnal_amplitude_fraction": 0.2,
                "diurnal_peak_hour": 15,
                "shear_exponent": 0.14,
                "direction_sector_frequencies": [0.25] * 4,
                "interannual_cv": 0.05,
                "output_heights_m": [10],
            },
            "surface_pressure_pa": 98000,
            "pressure_std_pa": 700,
            "relative_humidity_percent": [70] * 12,
            "regional_weather_correlation": 0.5,
        }
    )
    return clim, ghi
