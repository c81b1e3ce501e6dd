"""Sub-results shared by several runs in one process: each site run and dispatch computed once.

``compare`` runs two or more portfolios that usually differ in one field. Their grid, the
production of their unchanged sites and the dispatch of the system without the portfolio are then
the same; :class:`SharedRuns` is a :class:`~.sites.ProductionCache` held in memory that computes
each of them once, however many runs ask (runs on other threads wait for the one computing it).
Keys: a site run by its spec (every field, as JSON) and calendar year, weather years by the specs
in order, the year and the count, a dispatch by ``DispatchInputs.fingerprint()`` (a hash of every
input of the solve). Files are not hashed: they do not change during one command.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..config import SiteSpec
from ..dispatch import DispatchInputs, DispatchResult
from .sites import SiteRun, WeatherYearsProduction

__all__ = ["SharedRuns"]


@dataclass
class _Slot:
    lock: threading.Lock = field(default_factory=threading.Lock)
    value: Any = None
    done: bool = False


class SharedRuns:
    """In-memory :class:`~.sites.ProductionCache` for runs in one process; safe across threads.

    Attributes
    ----------
    computed, reused : dict
        Kind (``site run``, ``weather years``, ``dispatch``) -> how many results were computed and
        how many were handed out again instead of being computed.
    """

    def __init__(self) -> None:
        self._slots: dict[tuple, _Slot] = {}
        self._lock = threading.Lock()
        self.computed: dict[str, int] = {"site run": 0, "weather years": 0, "dispatch": 0}
        self.reused: dict[str, int] = {"site run": 0, "weather years": 0, "dispatch": 0}

    def _once(self, kind: str, key: tuple, compute: Callable[[], Any]) -> Any:
        with self._lock:
            slot = self._slots.setdefault((kind, *key), _Slot())
        with slot.lock:  # a second asker waits here for the first one's result
            if slot.done:
                self.reused[kind] += 1
                return slot.value
            slot.value, slot.done = compute(), True
            self.computed[kind] += 1
            return slot.value

    def site_run(self, spec: SiteSpec, year: int, compute: Callable[[], SiteRun]) -> SiteRun:
        return self._once("site run", (spec.model_dump_json(), year), compute)

    def weather_years(
        self, specs: Sequence[SiteSpec], year: int, n_years: int, compute: Callable[[], WeatherYearsProduction]
    ) -> WeatherYearsProduction:
        return self._once("weather years", (tuple(s.model_dump_json() for s in specs), year, n_years), compute)

    def dispatch(self, inputs: DispatchInputs, compute: Callable[[], DispatchResult]) -> DispatchResult:
        return self._once("dispatch", (inputs.fingerprint(),), compute)
