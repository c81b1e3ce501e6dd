"""Reading a year of weather: EPW (pvlib.iotools) and ERA5 NetCDF (xarray), with the QC.

Prints wall-clock seconds per read (median of 5) for the reader alone and for the reader plus
every quality check, and the ratio. Run: PYTHONPATH=src python benchmarks/weather_read.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from energy_portfolio.weather import check_weather_file, read_weather_file, synthesize  # noqa: E402
from weather import samples  # noqa: E402


def _median_seconds(function, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    data = synthesize(ROOT / "weather" / "absheron_offshore_climatology.yaml", 2032, 2031)
    frame = data.frame.copy()
    frame["wind_direction_10m"] = frame["wind_direction_100m"]
    with tempfile.TemporaryDirectory() as folder:
        epw = samples.write_epw(frame.tz_convert("Etc/GMT-4"), Path(folder) / "y.epw", 40.75, 50.1, -28, 4,
                                {m: 2031 for m in range(1, 13)})
        utc = frame.tz_convert("UTC")
        nc = samples.write_era5_netcdf(samples.era5_table(utc, 40.75, 50.1), Path(folder) / "y.nc")
        print(f"{'file':<22}{'rows':>6}{'read s':>9}{'read+QC s':>11}{'QC share':>10}")
        for name, path, fmt in (("EPW (8760 h)", epw, "epw"), ("ERA5 NetCDF (8760 h)", nc, "era5_netcdf")):
            read = _median_seconds(lambda p=path, f=fmt: read_weather_file(p, f))
            full = _median_seconds(lambda p=path, f=fmt: check_weather_file(p, f))
            rows = len(read_weather_file(path, fmt)[0].frame)
            print(f"{name:<22}{rows:>6}{read:>9.3f}{full:>11.3f}{(full - read) / full:>10.0%}")
    print(f"pandas {pd.__version__}")


if __name__ == "__main__":
    main()
