"""P50/P90 over N weather years for the default portfolio, dispatch included (issue 8).

Prints the wall time of the weather-years stage and how it splits between weather
generation + production and the dispatch solves, and the resulting P-values.

Run: python benchmarks/p_values_weather_years.py [--years 20]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from unittest import mock

import energy_portfolio as ep
import energy_portfolio.portfolio as wiring

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=20)
    args = parser.parse_args()
    portfolio = ep.load_portfolio(ROOT / "sites" / "portfolio.yaml")
    spent = {"weather": 0.0, "production": 0.0, "dispatch": 0.0}

    def timed(name, function):
        def wrapper(*a, **k):
            clock = time.perf_counter()
            try:
                return function(*a, **k)
            finally:
                spent[name] += time.perf_counter() - clock
        return wrapper

    with mock.patch.object(wiring, "load_weather_years", timed("weather", wiring.load_weather_years)), \
         mock.patch.object(wiring, "simulate_site", timed("production", wiring.simulate_site)), \
         mock.patch.object(wiring, "solve", timed("dispatch", wiring.solve)):
        prepared = wiring.prepare_dispatch(portfolio)
        for name in spent:
            spent[name] = 0.0
        notes: list[str] = []
        clock = time.perf_counter()
        years = wiring.run_weather_years(portfolio, prepared, args.years, notes)
        stage = time.perf_counter() - clock
    p_values = wiring.p_values_by_site(portfolio, prepared.sites, years, notes)
    print(f"{args.years} weather years (production and dispatch of each): {stage:.1f} s")
    for name, seconds in spent.items():
        print(f"  {name:>10}: {seconds:7.1f} s ({seconds / stage:.0%})")
    for site, block in p_values.items():
        print(f"  {site:>22}: P50 {block['p50_mwh'] / 1e3:,.0f} GWh, P90 {block['p90_mwh'] / 1e3:,.0f} GWh, "
              f"P90 delivered {block['p90_delivered_mwh'] / 1e3:,.0f} GWh, "
              f"P90 revenue {block['p90_revenue_usd'] / 1e6:,.1f} M USD, "
              f"year-to-year {block['energy_interannual_variability_fraction']:.1%}")


if __name__ == "__main__":
    main()
