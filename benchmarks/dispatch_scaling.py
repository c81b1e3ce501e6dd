"""Growth of the dispatch solve time with the study length, and peak memory of one year.

Perfect foresight for one week and one year; rolling horizon (48 h window, 24 h step) for one
week, one year and ten years of the default problem (synthetic profiles, a new weather draw per
year). Prints hours, windows, seconds and microseconds per hour. Peak memory (maximum resident
set size, which includes HiGHS' C++ allocations) is measured in a fresh process per case.

    PYTHONPATH=src python benchmarks/dispatch_scaling.py
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time

CASES = [
    ("1 week, perfect foresight", "perfect_foresight", 1, 168),
    ("1 year, perfect foresight", "perfect_foresight", 1, None),
    ("1 week, rolling 48/24 h", "rolling_horizon", 1, 168),
    ("1 year, rolling 48/24 h", "rolling_horizon", 1, None),
    ("10 years, rolling 48/24 h", "rolling_horizon", 10, None),
]


def run_case(mode: str, n_years: int, hours: int | None) -> dict:
    from _dispatch_problem import default_inputs

    from energy_portfolio.config.portfolio import DispatchOptions
    from energy_portfolio.dispatch import solve

    options = DispatchOptions(mode=mode, window_h=48, step_h=24, hold_reserves=False)
    inputs = default_inputs(options=options, n_years=n_years, hours=None if hours is None else slice(0, hours))
    start = time.perf_counter()
    result = solve(inputs)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "hours": inputs.hours,
        "windows": result.n_windows,
        "seconds": seconds,
        "highs_seconds": result.timings_s["solve"],
        "peak_mb": peak_mb,
        "objective_usd": result.objective_usd,
    }


def main() -> None:
    print(f"{'case':<28}{'hours':>8}{'windows':>9}{'total s':>10}{'HiGHS s':>10}{'us/hour':>10}{'peak MB':>10}")
    for name, mode, n_years, hours in CASES:
        out = subprocess.run(
            [sys.executable, __file__, "--case", mode, str(n_years), str(hours)],
            capture_output=True,
            text=True,
            check=True,
        )
        row = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{name:<28}{row['hours']:>8}{row['windows']:>9}{row['seconds']:>10.2f}{row['highs_seconds']:>10.2f}"
            f"{1e6 * row['seconds'] / row['hours']:>10.1f}{row['peak_mb']:>10.0f}"
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--case":
        hours_arg = None if sys.argv[4] == "None" else int(sys.argv[4])
        print(json.dumps(run_case(sys.argv[2], int(sys.argv[3]), hours_arg)))
    else:
        main()
