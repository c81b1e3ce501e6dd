"""The sweep's local dask cluster: private to the process that started it, no HTTP.

The local cluster speaks TLS with credentials of its own: another process cannot connect to its
scheduler, workers or nannies, and no node serves HTTP (no dashboard on 8787). A task's error is
reported by the tool, not repeated in the workers' log.
"""

from __future__ import annotations

import json
import operator
import os
import subprocess
import sys

import psutil
import pytest
from distributed import Client

from energy_portfolio.errors import InputError
from energy_portfolio.sweep.cluster import local_cluster

from .conftest import ROOT

# --------------------------------------------------------------------------------------
# The local cluster: private to the process that started it, no HTTP.
# --------------------------------------------------------------------------------------


def _listening(process: psutil.Process) -> set[tuple[str, int]]:
    return {(c.laddr.ip, c.laddr.port) for c in process.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN}


@pytest.fixture(scope="module")
def cluster():
    """The tool's local cluster of 2 workers, its client, and what this process listened on before it started."""
    before = _listening(psutil.Process())
    with local_cluster(workers=2) as started, Client(started) as client:
        client.wait_for_workers(2, timeout=60)
        yield started, client, before


PROBE = """\
import asyncio, json, sys
from distributed import Client
from distributed.comm import connect
from distributed.security import Security

scheduler, nodes = sys.argv[1], json.loads(sys.argv[2])
host_port = scheduler.split("://")[1]
results = {}
for label, address, security in [("tcp", "tcp://" + host_port, None), ("tls without credentials", scheduler, None),
                                 ("tls with other credentials", scheduler, Security.temporary())]:
    try:
        with Client(address, timeout=10, security=security) as client:
            results[label] = "connected: " + repr(client.submit(sum, [1, 2]).result(timeout=10))
    except Exception as error:
        results[label] = "refused: " + type(error).__name__


async def ask(address):
    comm = await connect(address, timeout=10)
    try:
        await comm.write({"op": "identity"})
        return "answered: " + repr(await comm.read())[:60]
    finally:
        await comm.close()

for address in nodes:
    try:
        results[address] = asyncio.run(ask("tcp://" + address.split("://")[1]))
    except Exception as error:
        results[address] = "refused: " + type(error).__name__
print(json.dumps(results))
"""


def test_another_process_can_neither_connect_nor_submit_work(cluster, tmp_path):
    started, client, _ = cluster
    address = started.scheduler_address
    assert address.startswith("tls://127.0.0.1:")
    workers = client.scheduler_info()["workers"]
    nodes = [*workers, *(w["nanny"] for w in workers.values())]
    assert len(nodes) == 4 and all(n.startswith("tls://127.0.0.1:") for n in nodes)
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    result = subprocess.run([sys.executable, str(probe), address, json.dumps(nodes)], capture_output=True, text=True,
                            timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    outcomes = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(outcomes) == 3 + len(nodes)
    assert all(o.startswith("refused") for o in outcomes.values()), outcomes
    assert client.submit(operator.add, 1, 2).result(timeout=30) == 3  # its own client works


def test_no_node_of_the_local_cluster_serves_http(cluster):
    started, client, before = cluster
    assert not started.dashboard_link
    info = client.scheduler_info()
    assert info["services"] == {} and all(w["services"] == {} for w in info["workers"].values())
    comm = {("127.0.0.1", int(a.rsplit(":", 1)[1])) for a in [started.scheduler_address, *info["workers"],
                                                              *(w["nanny"] for w in info["workers"].values())]}
    # The scheduler and the nannies run in this process, the workers in processes of their own.
    listening = _listening(psutil.Process()) - before
    for pid in client.run(os.getpid).values():
        listening |= _listening(psutil.Process(pid))
    assert ("127.0.0.1", 8787) not in listening and ("0.0.0.0", 8787) not in listening
    assert listening == comm  # the TLS ports of the scheduler, workers and nannies on loopback, and nothing else


def test_a_task_error_is_reported_once_by_the_tool_not_by_the_worker_log(capfd):
    # A cluster of its own, started while capfd holds this process's stderr, which its workers inherit.
    with local_cluster(workers=1) as started, Client(started) as client:
        future = client.submit(operator.truediv, 1, 0, pure=False)
        with pytest.raises(ZeroDivisionError):
            future.result(timeout=60)
    err = capfd.readouterr().err
    assert "Compute Failed" not in err and "ZeroDivisionError" not in err, err


def test_zero_workers_is_an_input_error():
    with pytest.raises(InputError, match="at least 1 worker"):
        with local_cluster(workers=0):
            pass
