"""Scenario sweeps on dask.distributed, with production cached across scenarios.

``load_sweep`` reads a sweep spec and expands its scenarios; ``run_sweep`` runs them on a
LocalCluster or an existing scheduler and writes the results table.
"""

from .cache import DiskProductionCache
from .execute import RUN_COLUMNS, SweepResult, SweepStart, run_sweep, sweep_client
from .scenarios import Scenario, Sweep, expand_scenarios, load_sweep

__all__ = [
    "DiskProductionCache",
    "RUN_COLUMNS",
    "Scenario",
    "Sweep",
    "SweepResult",
    "SweepStart",
    "expand_scenarios",
    "load_sweep",
    "run_sweep",
    "sweep_client",
]
