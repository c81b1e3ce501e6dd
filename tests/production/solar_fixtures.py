"""Weather frames and specs shared by the solar tests and benchmarks (no network, no weather layer).

- ``tmy3_weather``: the Greensboro NC TMY3 file pvlib ships (723170TYA.CSV), converted to the
  canonical frame of DESIGN.md: TMY3 labels the END of each hour in local standard time, so
  row i (hour ending i+1) is relabelled to the start of its hour; pressure mbar -> Pa.
- ``fuzuli_clear_weather``: a clear-sky year (pvlib Ineichen with the Linke turbidity
  climatology pvlib ships) at the Fuzuli site, labelled at interval start, computed at the
  interval midpoints.
- ``spec_from``: a validated copy of a spec with fields replaced.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pvlib

from energy_portfolio.config.load import read_config
from energy_portfolio.config.solar import SolarSite
from energy_portfolio.timeseries import hourly_year

ROOT = Path(__file__).resolve().parents[2]
FUZULI = ROOT / "sites" / "fuzuli_solar.yaml"
TMY3_FILE = Path(pvlib.__file__).parent / "data" / "723170TYA.CSV"
TMY3_YEAR = 2019  # a non-leap year, so SAM's 8,760-record convention holds


def fuzuli_spec() -> SolarSite:
    return read_config(FUZULI).spec


def spec_from(spec: SolarSite, **changes: Any) -> SolarSite:
    """A validated copy of ``spec`` with top-level fields replaced (nested as dicts)."""
    data = spec.model_dump()
    data.update(changes)
    return SolarSite.model_validate(data)


def tmy3_weather() -> tuple[pd.DataFrame, dict]:
    """Greensboro TMY3 as the canonical frame, and its metadata (lat, lon, altitude, TZ)."""
    data, meta = pvlib.iotools.read_tmy3(TMY3_FILE, coerce_year=TMY3_YEAR, map_variables=True)
    tz = f"Etc/GMT{-int(meta['TZ']):+d}"  # TZ = -5 -> Etc/GMT+5 (POSIX sign)
    index = hourly_year(TMY3_YEAR, tz)
    frame = pd.DataFrame(
        {
            "ghi": data["ghi"].to_numpy(dtype=float),
            "dni": data["dni"].to_numpy(dtype=float),
            "dhi": data["dhi"].to_numpy(dtype=float),
            "temp_air": data["temp_air"].to_numpy(dtype=float),
            "wind_speed": data["wind_speed"].to_numpy(dtype=float),
            "pressure": data["pressure"].to_numpy(dtype=float) * 100.0,
            "relative_humidity": data["relative_humidity"].to_numpy(dtype=float),
        },
        index=index,
    )
    return frame, meta


def fuzuli_clear_weather(year: int = 2019, spec: SolarSite | None = None) -> pd.DataFrame:
    """Clear-sky hourly year at the Fuzuli site (Ineichen), interval start labels."""
    spec = spec or fuzuli_spec()
    loc = spec.location
    index = hourly_year(year, loc.timezone)
    site = pvlib.location.Location(loc.latitude, loc.longitude, loc.timezone, loc.elevation_m)
    mid = index + pd.Timedelta(minutes=30)
    cs = site.get_clearsky(mid, model="ineichen")
    day = np.arange(len(index)) / 24.0
    temp = 14.0 - 12.0 * np.cos(2 * np.pi * (day - 15) / 365.0) - 5.0 * np.cos(2 * np.pi * (day % 1 - 0.125))
    return pd.DataFrame(
        {
            "ghi": cs["ghi"].to_numpy(),
            "dni": cs["dni"].to_numpy(),
            "dhi": cs["dhi"].to_numpy(),
            "temp_air": temp,
            "wind_speed": np.full(len(index), 2.0),
            "pressure": np.full(len(index), pvlib.atmosphere.alt2pres(loc.elevation_m)),
        },
        index=index,
    )


def sam_solar_resource(weather: pd.DataFrame, location, tz_hours: float) -> dict:
    """SAM's ``solar_resource_data`` of a canonical weather frame (hourly, SAM's minute 30 = interval middle)."""
    idx = weather.index
    return {
        "lat": location.latitude, "lon": location.longitude, "tz": tz_hours, "elev": location.elevation_m,
        "year": list(idx.year), "month": list(idx.month), "day": list(idx.day), "hour": list(idx.hour),
        "minute": [30] * len(idx),
        "dn": list(weather["dni"]), "df": list(weather["dhi"]), "gh": list(weather["ghi"]),
        "tdry": list(weather["temp_air"]), "wspd": list(weather["wind_speed"]),
        "pres": list(weather["pressure"] / 100.0),  # SAM wants mbar
    }
