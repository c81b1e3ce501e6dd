"""Writers of small weather files in each format's published layout, for the reader tests.

Each writer takes a canonical frame with a known truth and lays it out as the format's
specification says (field order, units, time reference, interval label); the reader must
give the truth back. Written here, independently of the readers.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib

EPW_MISSING = {"temp_dew": 99.9}  # fields we do not carry, written as the EPW "missing" code


def write_epw(frame: pd.DataFrame, path: Path, lat: float, lon: float, elevation: float, utc_offset_h: int,
              years_by_month: dict[int, int]) -> Path:
    """EPW per the EnergyPlus data dictionary: 8 header lines, 35 fields, hour 1-24 ending at the hour."""
    header = [
        f"LOCATION,Fuzuli,AZE,Azerbaijan,TEST,000000,{lat},{lon},{utc_offset_h},{elevation}",
        "DESIGN CONDITIONS,0",
        "TYPICAL/EXTREME PERIODS,0",
        "GROUND TEMPERATURES,0",
        "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0",
        "COMMENTS 1,written by the energy-portfolio tests",
        "COMMENTS 2,",
        "DATA PERIODS,1,1,Data,Sunday, 1/ 1,12/31",
    ]
    rows = []
    for t, r in zip(frame.index, frame.itertuples(index=False), strict=True):
        end = t + pd.Timedelta(hours=1)
        hour = 24 if end.hour == 0 else end.hour
        day = t if end.hour == 0 else end
        fields = [
            years_by_month[day.month], day.month, day.day, hour, 60, "?9?9?9?9E0?9?9?9?9?9?9?9?9?9?9?9?9?9*9*9?9?9?9",
            f"{r.temp_air:.1f}", EPW_MISSING["temp_dew"], f"{r.relative_humidity:.0f}", f"{r.pressure:.0f}",
            9999, 9999, 9999, f"{r.ghi:.0f}", f"{r.dni:.0f}", f"{r.dhi:.0f}", 999999, 999999, 999999, 9999,
            f"{r.wind_direction_10m:.0f}", f"{r.wind_speed:.1f}", 99, 99, 9999, 99999, 9, 999999999, 999, 0.999,
            999, 99, 999, 999, 99,
        ]
        rows.append(",".join(map(str, fields)))
    path.write_text("\n".join(header + rows) + "\n")
    return path


def pvgis_records(frame_utc: pd.DataFrame, years_by_month: dict[int, int]) -> list[dict]:
    """PVGIS TMY hourly records: time(UTC) 'YYYYMMDD:HHMM' at the start of the hour, PVGIS names."""
    out = []
    for t, r in zip(frame_utc.index, frame_utc.itertuples(index=False), strict=True):
        stamp = f"{years_by_month[t.month]}{t:%m%d:%H%M}"
        out.append({"time(UTC)": stamp, "T2m": round(r.temp_air, 2), "RH": round(r.relative_humidity, 2),
                    "G(h)": round(r.ghi, 2), "Gb(n)": round(r.dni, 2), "Gd(h)": round(r.dhi, 2), "IR(h)": 300.0,
                    "WS10m": round(r.wind_speed, 2), "WD10m": round(r.wind_direction_10m, 1), "SP": round(r.pressure)})
    return out


def pvgis_json(frame_utc, years_by_month, lat, lon, elevation) -> dict:
    return {
        "inputs": {"location": {"latitude": lat, "longitude": lon, "elevation": elevation},
                   "meteo_data": {"radiation_db": "PVGIS-SARAH3", "meteo_db": "ERA5", "year_min": 2005,
                                  "year_max": 2023, "use_horizon": True, "horizon_db": None}},
        "outputs": {"months_selected": [{"month": m, "year": y} for m, y in sorted(years_by_month.items())],
                    "tmy_hourly": pvgis_records(frame_utc, years_by_month)},
        "meta": {"inputs": {"location": {"description": "Selected location"}}, "outputs": {}},
    }


def write_pvgis_json(frame_utc, path, years_by_month, lat, lon, elevation) -> Path:
    path.write_text(json.dumps(pvgis_json(frame_utc, years_by_month, lat, lon, elevation)))
    return path


def write_pvgis_csv(frame_utc, path, years_by_month, lat, lon, elevation) -> Path:
    """PVGIS 5.2 TMY CSV: location lines, month/year table, hourly table, legend, CRLF endings."""
    lines = [f"Latitude (decimal degrees): {lat:.3f}", f"Longitude (decimal degrees): {lon:.3f}",
             f"Elevation (m): {elevation:.0f}", "month,year,m_year"]
    lines += [f"{m},{y},{y}" for m, y in sorted(years_by_month.items())]
    lines.append("time(UTC),T2m,RH,G(h),Gb(n),Gd(h),IR(h),WS10m,WD10m,SP")
    for rec in pvgis_records(frame_utc, years_by_month):
        lines.append(",".join(str(v) for v in rec.values()))
    lines += ["T2m: 2-m air temperature (degree Celsius)", "RH: relative humidity (%)",
              "G(h): Global irradiance on the horizontal plane (W/m2)", "PVGIS (c) European Union, 2001-2024"]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    return path


def era5_table(frame_utc: pd.DataFrame, lat: float, lon: float) -> pd.DataFrame:
    """ERA5 point time series: valid_time at the END of each hour, J/m2 accumulations, K, u/v."""
    mid = frame_utc.index + pd.Timedelta(minutes=30)
    cos_z = np.cos(np.radians(pvlib.solarposition.get_solarposition(mid, lat, lon)["zenith"].to_numpy()))
    beam_h = np.where(cos_z > np.cos(np.radians(85)), frame_utc["dni"].to_numpy() * cos_z, 0.0)
    to_rad = np.radians
    table = pd.DataFrame({
        "valid_time": (frame_utc.index + pd.Timedelta(hours=1)).tz_localize(None).strftime("%Y-%m-%d %H:%M:%S"),
        "ssrd": frame_utc["ghi"].to_numpy() * 3600.0,
        "fdir": beam_h * 3600.0,
        "t2m": frame_utc["temp_air"].to_numpy() + 273.15,
        "sp": frame_utc["pressure"].to_numpy(),
        # from speed s and meteorological direction d: u = -s sin d, v = -s cos d
        "u10": -frame_utc["wind_speed"].to_numpy() * np.sin(to_rad(frame_utc["wind_direction_10m"].to_numpy())),
        "v10": -frame_utc["wind_speed"].to_numpy() * np.cos(to_rad(frame_utc["wind_direction_10m"].to_numpy())),
        "u100": -frame_utc["wind_speed_100m"].to_numpy() * np.sin(to_rad(frame_utc["wind_direction_100m"].to_numpy())),
        "v100": -frame_utc["wind_speed_100m"].to_numpy() * np.cos(to_rad(frame_utc["wind_direction_100m"].to_numpy())),
        "latitude": lat,
        "longitude": lon,
    })
    return table


def write_era5_netcdf(table: pd.DataFrame, path: Path) -> Path:
    """The same data as a CDS NetCDF: dims (valid_time, latitude, longitude), seconds since 1970."""
    import xarray as xr

    times = pd.to_datetime(table["valid_time"]).to_numpy()
    names = ["ssrd", "fdir", "t2m", "sp", "u10", "v10", "u100", "v100"]
    ds = xr.Dataset(
        {n: (("valid_time", "latitude", "longitude"), table[n].to_numpy()[:, None, None]) for n in names},
        coords={"valid_time": times, "latitude": [table["latitude"].iloc[0]],
                "longitude": [table["longitude"].iloc[0]]},
    )
    ds["t2m"].attrs["units"] = "K"
    ds["ssrd"].attrs["units"] = "J m**-2"
    ds.to_netcdf(path, engine="h5netcdf")
    return path
