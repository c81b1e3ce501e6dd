"""Generating weather years for both default sites together (the offline typical-year generator).

Prints wall-clock seconds for 1 and 30 years of both sites (target: 30 years under 10 s on a
2-core machine), seconds per site-year, and the ratio 30-year / 1-year time; then the 30 years'
spread (issue 18): coefficient of variation of annual GHI and of annual mean wind speed at the
reference height, the mean over months of the monthly GHI CV, and the lag-1 autocorrelation of
daily mean wind speed around each month's mean.
Run: PYTHONPATH=src python benchmarks/weather_generate.py
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from energy_portfolio.config.site import SyntheticWeather
from energy_portfolio.weather import load_climatology, load_weather_years

ROOT = Path(__file__).resolve().parents[1]
SITES = {
    "fuzuli_solar": (ROOT / "weather" / "fuzuli_climatology.yaml", 2026),
    "caspian_offshore_wind": (ROOT / "weather" / "absheron_offshore_climatology.yaml", 2032),
}


def run(n_years: int) -> tuple[float, dict]:
    sources = {k: SyntheticWeather(source="synthetic", climatology=p, seed=s) for k, (p, s) in SITES.items()}
    locations = {k: load_climatology(p).location for k, (p, _) in SITES.items()}
    start = time.perf_counter()
    years = load_weather_years(sources, locations, list(range(2032, 2032 + n_years)))
    return time.perf_counter() - start, years


def spread(key: str, years: list) -> str:
    """Annual and monthly spread and daily wind persistence of one site's generated years."""
    height = load_climatology(SITES[key][0]).wind.reference_height_m
    column = "wind_speed" if height == 10 else f"wind_speed_{height:g}m"
    frames = [y.frame for y in years]
    ghi = np.array([f["ghi"].groupby(f.index.month).sum().to_numpy() for f in frames])
    speed = np.array([f[column].mean() for f in frames])
    cv = lambda x: x.std(axis=0, ddof=1) / x.mean(axis=0)  # noqa: E731
    lag1 = []
    for f in frames:
        daily = f[column].resample("D").mean()
        anomaly = (daily - daily.groupby(daily.index.month).transform("mean")).to_numpy()
        same = daily.index.month[1:] == daily.index.month[:-1]
        lag1.append(np.corrcoef(anomaly[:-1][same], anomaly[1:][same])[0, 1])
    return (
        f"{key}: annual GHI CV {cv(ghi.sum(axis=1)):.3f}, monthly GHI CV {cv(ghi).mean():.3f}, "
        f"annual wind CV {cv(speed):.3f}, daily wind lag-1 {np.mean(lag1):.2f} (within months, uncorrected)"
    )


def main() -> None:
    run(1)  # warm-up: imports, pvlib's turbidity file
    one, _ = run(1)
    thirty, years = run(30)
    print(f"{'years':>6}{'sites':>6}{'seconds':>9}{'s per site-year':>17}")
    print(f"{1:>6}{2:>6}{one:>9.2f}{one / 2:>17.3f}")
    print(f"{30:>6}{2:>6}{thirty:>9.2f}{thirty / 60:>17.3f}")
    print(f"ratio 30 / 1 years: {thirty / one:.1f} (target for 30 years: < 10 s)")
    for key in SITES:
        print(spread(key, years[key]))


if __name__ == "__main__":
    main()
