"""Scenario sweeps on dask.distributed, with production cached across scenarios.

``load_sweep`` reads a sweep spec and expands its scenarios; ``run_sweep`` runs them on a
LocalCluster or an existing scheduler and writes the results table. ``load_scenario_set`` reads a
folder of named scenario files (``report --scenarios``), run the same way.
"""

from .cache import DiskProductionCache
from .execute import RUN_COLUMNS, SweepResult, SweepStart, production_cache, run_sweep, sweep_client
from .scenario_set import ScenarioSet, compare_scenarios, load_scenario_set, scenario_sweep
from .scenarios import Scenario, Sweep, expand_scenarios, load_sweep

__all__ = [
    "DiskProductionCache",
    "RUN_COLUMNS",
    "Scenario",
    "ScenarioSet",
    "Sweep",
    "SweepResult",
    "SweepStart",
    "compare_scenarios",
    "expand_scenarios",
    "load_scenario_set",
    "load_sweep",
    "production_cache",
    "run_sweep",
    "scenario_sweep",
    "sweep_client",
]
