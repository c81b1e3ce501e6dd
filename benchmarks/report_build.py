"""The report's own cost: rendering the document of one result, without the run (issue 19).

Runs a portfolio once, then times ``production_charts`` (the site charts, which ``report`` renders
while the dispatch solves) and ``report_files`` (the rest of the document, report.html, report.md,
summary.json, hourly.csv) ``--repeat`` times and prints the median of each and the size of report.html
and of the plotly.js it inlines. Target: under 3 s for both together.

Run: python benchmarks/report_build.py [--repeat N] [PORTFOLIO]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("portfolio", nargs="?", default="sites/portfolio_energy_only.yaml")
    args = parser.parse_args()
    import energy_portfolio as ep
    from energy_portfolio.report.build import production_charts
    from energy_portfolio.report.files import report_files
    from energy_portfolio.report.interactive import plotly_js

    result = ep.run_portfolio(ep.load_portfolio(ROOT / args.portfolio))
    charts_s, files_s = [], []
    for _ in range(args.repeat):
        clock = time.perf_counter()
        charts = production_charts(result.sites)
        charts_s.append(time.perf_counter() - clock)
        clock = time.perf_counter()
        files = report_files(result, charts)
        files_s.append(time.perf_counter() - clock)
    size = len(files["report.html"].encode())
    print(f"site charts {statistics.median(charts_s):.2f} s, rest of the report {statistics.median(files_s):.2f} s "
          f"(median of {args.repeat}; target < 3 s together)")
    print(f"report.html {size / 1e6:.2f} MB, of which plotly.js {len(plotly_js().encode()) / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
