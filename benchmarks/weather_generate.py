"""Generating weather years for both default sites together (the offline typical-year generator).

Prints wall-clock seconds for 1 and 30 years of both sites (target: 30 years under 10 s on a
2-core machine), seconds per site-year, and the ratio 30-year / 1-year time.
Run: PYTHONPATH=src python benchmarks/weather_generate.py
"""

from __future__ import annotations

import time
from pathlib import Path

from energy_portfolio.config.site import SyntheticWeather
from energy_portfolio.weather import load_climatology, load_weather_years

ROOT = Path(__file__).resolve().parents[1]
SITES = {
    "fuzuli_solar": (ROOT / "weather" / "fuzuli_climatology.yaml", 2026),
    "caspian_offshore_wind": (ROOT / "weather" / "absheron_offshore_climatology.yaml", 2032),
}


def run(n_years: int) -> float:
    sources = {k: SyntheticWeather(source="synthetic", climatology=p, seed=s) for k, (p, s) in SITES.items()}
    locations = {k: load_climatology(p).location for k, (p, _) in SITES.items()}
    start = time.perf_counter()
    load_weather_years(sources, locations, list(range(2032, 2032 + n_years)))
    return time.perf_counter() - start


def main() -> None:
    run(1)  # warm-up: imports, pvlib's turbidity file
    one = run(1)
    thirty = run(30)
    print(f"{'years':>6}{'sites':>6}{'seconds':>9}{'s per site-year':>17}")
    print(f"{1:>6}{2:>6}{one:>9.2f}{one / 2:>17.3f}")
    print(f"{30:>6}{2:>6}{thirty:>9.2f}{thirty / 60:>17.3f}")
    print(f"ratio 30 / 1 years: {thirty / one:.1f} (target for 30 years: < 10 s)")


if __name__ == "__main__":
    main()
