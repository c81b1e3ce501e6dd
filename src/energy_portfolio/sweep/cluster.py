"""The dask cluster a sweep runs on: a private local one by default, or the one at a scheduler address.

The local cluster is reachable only by the process that started it. Its scheduler, nannies and
workers listen on loopback only and speak TLS with mutual authentication, under a certificate and
key made afresh for the cluster (``distributed.security.Security.temporary()``, which needs the
``cryptography`` package) and held in memory by the sweep's process and its workers: another
process, of this user or another, that connects without them is refused during the handshake and
can neither see the cluster nor submit work to it. No node serves HTTP: the scheduler's dashboard
(``:8787`` by default in dask, even with ``dashboard_address=None``) and the workers' metrics pages
are not started (:class:`PrivateScheduler`, :class:`PrivateWorker`).

A cluster at a scheduler address (``--scheduler``) is used as its owner set it up, with dask's own
security configuration (``distributed.comm.tls.*``) when it asks for TLS.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator

import dask
from distributed import Client, Nanny, Scheduler, SpecCluster, Worker
from distributed.security import Security
from distributed.worker_memory import parse_memory_limit

from ..errors import InputError

__all__ = ["CONNECT_TIMEOUT_S", "LOOPBACK", "WORKER_ENVIRON", "PrivateScheduler", "PrivateWorker",
           "check_scheduler_address", "local_cluster", "sweep_client"]

_logger = logging.getLogger(__name__)
LOOPBACK = "127.0.0.1"
WORKER_ENVIRON = {"MALLOC_TRIM_THRESHOLD_": None}
"""Changes to the environment dask's nanny gives its local worker processes (None removes a variable).

dask sets ``MALLOC_TRIM_THRESHOLD_=65536`` so that workers hand freed memory back to the
system. Setting it also turns off glibc's dynamic mmap threshold, so every array above 128 KiB
is mapped and faulted in afresh: a scenario then takes 12 times the page faults (about 300,000),
about 1 s of system time on top of 4 s, and two workers doing so at once slow each other
(benchmarks/sweep_battery.py). Without it, freed memory stays in the worker for the next scenario.
"""


WORKER_LOG_LEVEL = logging.CRITICAL
"""The log level of the local workers' own messages (dask's ``Compute Failed`` is at ERROR).

A task's error comes back with its future and the sweep reports it once: in the scenario's row and
the CLI's ``failed: scenario ...`` line. The worker's log would print it a second time, in dask's words."""


class PrivateScheduler(Scheduler):
    """A dask scheduler without an HTTP server (no dashboard, no JSON or metrics pages, no port 8787)."""

    def start_http_server(self, routes, dashboard_address, default_port=0, ssl_options=None) -> None:
        """Start nothing: dask starts one even when no dashboard is asked for."""


class PrivateWorker(Worker):
    """A dask worker without an HTTP server (no metrics or health pages)."""

    def start_http_server(self, routes, dashboard_address, default_port=0, ssl_options=None) -> None:
        """Start nothing."""


def _security() -> Security:
    try:
        return Security.temporary()
    except ImportError as error:  # pragma: no cover - cryptography is a dependency
        raise InputError(
            "the local dask cluster needs the 'cryptography' package for its private TLS credentials; "
            "install energy-portfolio with its dependencies (pip install -e .)"
        ) from error


@contextlib.contextmanager
def local_cluster(workers: int = 2) -> Iterator[SpecCluster]:
    """A new private local cluster of ``workers`` single-threaded worker processes, closed on exit.

    TLS on loopback with credentials of its own (``cluster.security``; a client made with
    ``Client(cluster)`` uses them), no HTTP server on any node, the worker environment of
    :data:`WORKER_ENVIRON`, and the memory of the machine shared between the workers (as dask's
    ``LocalCluster`` shares it).

    Raises
    ------
    InputError
        ``workers`` is below 1.
    """
    if workers < 1:
        raise InputError(f"--workers: expected at least 1 worker, found {workers}")
    security = _security()
    common = {"host": LOOPBACK, "protocol": "tls://", "security": security}
    scheduler = {"cls": PrivateScheduler, "options": {**common, "port": 0, "dashboard": False,
                                                      "dashboard_address": None}}
    worker = {"cls": Nanny, "options": {
        **common, "nthreads": 1, "worker_class": PrivateWorker, "dashboard": False, "dashboard_address": None,
        "memory_limit": parse_memory_limit("auto", 1, workers, logger=_logger), "silence_logs": WORKER_LOG_LEVEL,
    }}
    environ = {f"distributed.nanny.pre-spawn-environ.{name}": value for name, value in WORKER_ENVIRON.items()}
    with (
        dask.config.set(environ),
        SpecCluster(scheduler=scheduler, workers=dict.fromkeys(range(workers), worker), worker=worker,
                    security=security, silence_logs=logging.ERROR, name="energy-portfolio sweep") as cluster,
    ):
        yield cluster


CONNECT_TIMEOUT_S = 5.0
"""How long to wait for a scheduler at ``--scheduler`` to answer: a scheduler on the network answers
in well under a second; a wrong host or a closed port should not hang the command."""

_ADDRESS = re.compile(r"^(?:(?:tcp|tls|ucx|ws|wss)://)?(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$")
_EXPECTED = "expected the address of a dask scheduler, e.g. tcp://HOST:8786 (or tls://HOST:PORT)"


def check_scheduler_address(scheduler: str) -> None:
    """Raise InputError naming ``scheduler`` when it is not a dask scheduler address (``scheme://host:port``)."""
    found = _ADDRESS.match(scheduler)
    if found is None or not 0 < int(found.group(1)) < 65536:
        raise InputError(f"--scheduler {scheduler!r}: not a scheduler address; {_EXPECTED}")


@contextlib.contextmanager
def _connected(scheduler: str) -> Iterator[Client]:
    check_scheduler_address(scheduler)
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError) as err:
        raise InputError(f"--scheduler {scheduler!r}: no dask scheduler answered within {CONNECT_TIMEOUT_S:g} s "
                         f"({type(err).__name__}: {err}); {_EXPECTED}, running and reachable") from None
    with client:
        yield client


@contextlib.contextmanager
def sweep_client(scheduler: str | None = None, workers: int = 2) -> Iterator[Client]:
    """A dask client: of the cluster at ``scheduler`` (``tcp://host:port``), else of a new :func:`local_cluster`."""
    if scheduler:
        with _connected(scheduler) as client:
            yield client
        return
    with local_cluster(workers) as cluster, Client(cluster) as client:
        yield client
