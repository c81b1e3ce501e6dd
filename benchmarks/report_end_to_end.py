"""`energy-portfolio report` on the defaults, end to end from a cold start (issue 7).

Runs the command in a fresh process (cold start: imports included), prints the wall time,
the peak resident memory of the process, and the share of time per stage from the manifest.
Targets: under 15 s and under 1.5 GB on the 2-core machine.

Run: python benchmarks/report_end_to_end.py [--runs N] [PORTFOLIO]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("portfolio", nargs="?", default="sites/portfolio.yaml",
                        help="e.g. sites/portfolio_energy_only.yaml for the screening variant")
    args = parser.parse_args()
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "report"
            clock = time.perf_counter()
            command = [sys.executable, "-m", "energy_portfolio", "--quiet", "report", args.portfolio, "--out", str(out)]
            subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
            wall = time.perf_counter() - clock
            peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            timings = json.loads((out / "manifest.json").read_text())["timings_s"]
        staged = sum(timings.values())
        print(f"run {run + 1}: wall {wall:.1f} s, peak RSS {peak_mib:.0f} MiB (target < 15 s, < 1,536 MiB)")
        print(f"  interpreter start + CLI + config load: {wall - staged:.1f} s ({(wall - staged) / wall:.0%})")
        for stage, seconds in timings.items():
            print(f"  {stage:>10}: {seconds:6.2f} s ({seconds / wall:.0%})")


if __name__ == "__main__":
    main()
