"""`energy-portfolio compare` of a battery change against one `report` of the same portfolio (issue 19).

In a copy of sites/ and weather/, the battery's energy goes from 250 to 500 MWh; each command runs in a
fresh process (cold start, imports included). Prints the wall times and compare / report; target < 1.3.
compare runs the two portfolios side by side, computing the sites' production and the dispatch without
the portfolio once (portfolio/shared.py), so it adds one dispatch solve to a run and no report.

Run: python benchmarks/compare_battery.py [--runs N] [PORTFOLIO]   (default sites/portfolio_energy_only.yaml)
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _wall(command: list[str], cwd: Path) -> float:
    clock = time.perf_counter()
    subprocess.run([sys.executable, "-m", "energy_portfolio", "--quiet", *command], cwd=cwd, check=True,
                   capture_output=True)
    return time.perf_counter() - clock


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("portfolio", nargs="?", default="sites/portfolio_energy_only.yaml")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(ROOT / "sites", root / "sites")
        shutil.copytree(ROOT / "weather", root / "weather")
        sites = root / "sites"
        battery = (sites / "fuzuli_bess.yaml").read_text()
        assert "energy_mwh: 250 " in battery
        (sites / "bess_500.yaml").write_text(battery.replace("energy_mwh: 250 ", "energy_mwh: 500 "))
        base = root / args.portfolio
        other = base.with_name("bigger_battery.yaml")
        other.write_text(base.read_text().replace("file: fuzuli_bess.yaml", "file: bess_500.yaml"))
        reports, compares = [], []
        for run in range(args.runs):
            reports.append(_wall(["report", str(base), "--out", str(root / f"report{run}")], root))
            compares.append(_wall(["compare", str(base), str(other), "--format", "json", "--out",
                                   str(root / f"compare{run}.json")], root))
            print(f"run {run + 1}: report {reports[-1]:.1f} s, compare {compares[-1]:.1f} s, "
                  f"ratio {compares[-1] / reports[-1]:.2f}")
    report, compare = statistics.median(reports), statistics.median(compares)
    print(f"{args.portfolio}: median report {report:.1f} s, compare {compare:.1f} s, "
          f"compare / report {compare / report:.2f} (target < 1.3)")


if __name__ == "__main__":
    main()
