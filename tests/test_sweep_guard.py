"""The sweep's edges: the output folder it writes, the local cluster it starts, the size it accepts.

- ``--out`` is written only when it is the sweep's own folder (its ``sweep.json``) or new; anything
  else, an existing file, or a folder that cannot be written is exit 2 naming the path, before any
  computation.
- The local dask cluster speaks TLS with credentials of its own: another process cannot connect to
  its scheduler, workers or nannies, and no node serves HTTP (no dashboard on 8787).
- A sweep of more than ``MAX_SCENARIOS`` scenarios, or ``options.weather_years`` above the bound, is
  refused with the count (or the line) before the scenarios are even expanded.

Nothing here runs a dispatch: where a sweep must "run", the scenario execution is replaced by a
stand-in that writes the rows a run would (``fake_runs``), so the folder logic is tested on its own.
"""

from __future__ import annotations

import errno
import json
import operator
import os
import subprocess
import sys
from pathlib import Path

import psutil
import pytest
from distributed import Client

import energy_portfolio.sweep as sweep_package
from energy_portfolio.cli import run
from energy_portfolio.config import load_portfolio
from energy_portfolio.config.validate import check_file
from energy_portfolio.errors import ConfigError, InputError
from energy_portfolio.sweep import execute, scenarios
from energy_portfolio.sweep.cluster import local_cluster
from energy_portfolio.sweep.folder import MARKER, SweepFolderError, check_sweep_target
from energy_portfolio.sweep.scenarios import MAX_SCENARIOS, MAX_WEATHER_YEARS, expand_scenarios, load_sweep

from .conftest import ROOT

SPEC = """\
kind: sweep
name: guard
portfolio: {portfolio}
grid:
  sites.fuzuli_bess.energy_mwh: {energies}
metrics:
  - dispatch.gas_saved_mcm
rank_by: dispatch.gas_saved_mcm
"""


def _spec(folder: Path, energies=(100, 250), name: str = "guard") -> Path:
    path = folder / "sweep.yaml"
    text = SPEC.format(portfolio=ROOT / "sites" / "portfolio_energy_only.yaml", energies=list(energies))
    path.write_text(text.replace("name: guard", f"name: {name}"))
    return path


def _cli(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["energy-portfolio", *args])
    with pytest.raises(SystemExit) as exit_info:
        run()
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


def _never(*args, **kwargs):
    raise AssertionError("the sweep started computing although it should have been refused")


@pytest.fixture
def no_run(monkeypatch):
    """Any start of the sweep's run (in the CLI or the API) fails the test."""
    monkeypatch.setattr(sweep_package, "run_sweep", _never)
    monkeypatch.setattr(execute, "prepare_scenario", _never)
    monkeypatch.setattr(execute, "sweep_client", _never)


@pytest.fixture
def fake_runs(monkeypatch):
    """Scenarios 'run' without dask: each pending one gets an ok row taking 30 s; the calls are counted."""
    calls: list[list[str]] = []

    def gather(client, pending, sweep, cache_dir, jsonl, rows, counts, report):
        calls.append([p.scenario.id for p in pending])
        for prepared in pending:
            row = execute._row(prepared, sweep.parameter_values(prepared.scenario), "ok", None,
                               dict.fromkeys(sweep.spec.metrics, 1.0)) | {"seconds": 30.0}
            rows[prepared.scenario.id] = row
            execute._append_row(jsonl, row)
            counts["done"] += 1
            report(counts["done"], counts["failed"], len(sweep.scenarios))
        return 0

    class NoCluster:
        def __init__(self, *args, **kwargs):
            pass

        def __enter__(self):
            return None

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(execute, "_gather", gather)
    monkeypatch.setattr(execute, "sweep_client", NoCluster)
    return calls


# --------------------------------------------------------------------------------------
# --out: only the sweep's own folder, refused before any computation otherwise.
# --------------------------------------------------------------------------------------


def _foreign(out: Path) -> str:
    out.mkdir()
    (out / "report.html").write_text("<p>the user's own report</p>")
    (out / "notes.txt").write_text("keep me")
    return "not a sweep folder written by energy-portfolio"


def _old_version(out: Path) -> str:
    out.mkdir()
    (out / "results.jsonl").write_text('{"scenario_id": "abc", "status": "ok"}\n')
    (out / "report.html").write_text("<p>an old sweep report</p>")
    return "earlier version of energy-portfolio"


def _ours_and_a_stranger(out: Path) -> str:
    out.mkdir()
    (out / MARKER).write_text(json.dumps({"generator": "energy-portfolio", "kind": "sweep", "name": "guard"}))
    (out / "notes.txt").write_text("keep me")
    return "holds files the sweep did not write (notes.txt)"


def _another_sweep(out: Path) -> str:
    out.mkdir()
    (out / MARKER).write_text(json.dumps({"generator": "energy-portfolio", "kind": "sweep", "name": "other"}))
    (out / "report.html").write_text("<p>the other sweep's report</p>")
    return "results of the sweep 'other', not of 'guard'"


def _a_linked_results_file(out: Path) -> str:
    out.mkdir()
    (out / MARKER).write_text(json.dumps({"generator": "energy-portfolio", "kind": "sweep", "name": "guard"}))
    (out.parent / "elsewhere.jsonl").write_text("keep me")
    (out / "results.jsonl").symlink_to(out.parent / "elsewhere.jsonl")
    return "results.jsonl (not a plain file)"


FOLDERS = [_foreign, _old_version, _ours_and_a_stranger, _another_sweep, _a_linked_results_file]


@pytest.mark.parametrize("make", FOLDERS, ids=lambda f: f.__name__.strip("_"))
def test_cli_refuses_a_folder_that_is_not_the_sweeps_before_computing(tmp_path, monkeypatch, capsys, no_run, make):
    out = tmp_path / "out"
    expected = make(out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    code, _, err = _cli(monkeypatch, capsys, "sweep", str(_spec(tmp_path)), "--out", str(out))
    assert code == 2, err
    assert str(out) in err and expected in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing written, nothing removed


@pytest.mark.parametrize("make", FOLDERS, ids=lambda f: f.__name__.strip("_"))
def test_run_sweep_refuses_a_folder_that_is_not_the_sweeps_before_computing(tmp_path, monkeypatch, make):
    out = tmp_path / "out"
    expected = make(out)
    sweep = load_sweep(_spec(tmp_path))
    monkeypatch.setattr(execute, "prepare_scenario", _never)
    monkeypatch.setattr(execute, "sweep_client", _never)
    with pytest.raises(SweepFolderError, match="out") as caught:
        execute.run_sweep(sweep, out)
    assert expected in str(caught.value)


def test_the_old_version_message_says_how_to_resume(tmp_path):
    out = tmp_path / "out"
    _old_version(out)
    with pytest.raises(SweepFolderError) as caught:
        check_sweep_target(out, "guard")
    message = str(caught.value)
    assert "choose another --out" in message
    assert str(out / MARKER) in message
    assert '{"generator": "energy-portfolio", "kind": "sweep", "name": "guard"}' in message


def test_the_sweeps_own_folder_is_resumed_and_only_new_scenarios_run(tmp_path, monkeypatch, capsys, fake_runs):
    out = tmp_path / "out"
    code, stdout, err = _cli(monkeypatch, capsys, "sweep", str(_spec(tmp_path)), "--out", str(out))
    assert code == 0, err
    assert "sweep guard: 2 scenarios, 2 to run on 2 workers" in err  # the count, before the cluster starts
    assert "2 of 2 scenarios complete" in stdout
    marker = json.loads((out / MARKER).read_text())
    assert (marker["generator"], marker["kind"], marker["name"]) == ("energy-portfolio", "sweep", "guard")
    assert {p.name for p in out.iterdir()} == {MARKER, "results.jsonl", "results.parquet", "results.csv",
                                               "report.html", "report.md", "cache"}
    (out / ".results.csv.k3j1x9.tmp").write_text("left by a killed run")  # its own temporary file: not foreign

    code, stdout, err = _cli(monkeypatch, capsys, "sweep", str(_spec(tmp_path, (100, 250, 400))), "--out", str(out))
    assert code == 0, err
    assert "3 scenarios, 1 to run on 2 workers (2 finished earlier)" in err
    assert "about 30 s at the pace of the earlier ones" in err  # the estimate from the rows of the first run
    assert "3 of 3 scenarios complete (2 found finished by an earlier run)" in stdout
    assert [len(ids) for ids in fake_runs] == [2, 1]
    assert not (out / ".results.csv.k3j1x9.tmp").exists()


def test_out_naming_an_existing_file_exits_2_with_the_path(tmp_path, monkeypatch, capsys, no_run):
    target = tmp_path / "results.txt"
    target.write_text("the user's file")
    code, _, err = _cli(monkeypatch, capsys, "sweep", str(_spec(tmp_path)), "--out", str(target))
    assert code == 2
    assert f"{target}: --out exists and is a file, not a folder" in err
    code, _, err = _cli(monkeypatch, capsys, "sweep", str(_spec(tmp_path)), "--out", str(target / "sub"))
    assert code == 2
    assert f"--out lies under {target}, which is a file" in err and "Traceback" not in err
    assert target.read_text() == "the user's file"


def test_a_read_only_out_exits_2_naming_the_path(tmp_path, monkeypatch, capsys, fake_runs):
    parent = tmp_path / "read_only"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        try:  # root writes into a read-only folder: then the refusal of the file system is injected
            (parent / "probe").touch()
        except PermissionError:
            pass
        else:
            (parent / "probe").unlink()
            real_open = os.open

            def read_only(path, *args, **kwargs):
                if str(path).startswith(str(parent)):
                    raise PermissionError(errno.EACCES, "Permission denied", str(path))
                return real_open(path, *args, **kwargs)

            monkeypatch.setattr(os, "open", read_only)
        code, _, err = _cli(monkeypatch, capsys, "sweep", str(_spec(tmp_path)), "--out", str(parent / "out"))
    finally:
        parent.chmod(0o755)
    assert code == 2, err
    assert f"{parent / 'out'}: cannot write the sweep's output there: Permission denied" in err
    assert "make it writable" in err and "Traceback" not in err and fake_runs == []


def test_a_full_disk_exits_2_naming_the_path(tmp_path, monkeypatch, capsys, fake_runs):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)  # every file the sweep writes is synced before it is moved into place
    out = tmp_path / "out"
    code, _, err = _cli(monkeypatch, capsys, "sweep", str(_spec(tmp_path)), "--out", str(out))
    assert code == 2, err
    assert f"{out / MARKER}: cannot write the sweep's output there: No space left on device" in err
    assert "free some space" in err and fake_runs == []


def test_a_full_disk_during_the_run_exits_2_naming_the_results_file(tmp_path, monkeypatch, capsys, fake_runs):
    real_fsync = os.fsync
    out = tmp_path / "out"

    def full_after_the_marker(fd):
        if (out / MARKER).exists():
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full_after_the_marker)
    code, _, err = _cli(monkeypatch, capsys, "sweep", str(_spec(tmp_path)), "--out", str(out))
    assert code == 2, err
    assert f"{out / 'results.jsonl'}: cannot write the sweep's output there: No space left on device" in err


# --------------------------------------------------------------------------------------
# Size: refused before the scenarios are expanded.
# --------------------------------------------------------------------------------------


def test_an_oversized_sweep_is_refused_with_its_count_before_expanding(tmp_path, monkeypatch, capsys, no_run):
    values = list(range(1, 102))
    path = tmp_path / "big.yaml"
    path.write_text(
        f"kind: sweep\nname: big\nportfolio: {ROOT / 'sites' / 'portfolio_energy_only.yaml'}\n"
        f"grid:\n  sites.fuzuli_bess.energy_mwh: {values}\n  sites.fuzuli_bess.power_mw: {values[:100]}\n"
    )
    monkeypatch.setattr(scenarios, "expand_scenarios", _never)
    code, _, err = _cli(monkeypatch, capsys, "sweep", str(path), "--out", str(tmp_path / "out"))
    assert code == 2
    assert "10,100 scenarios (grid 101 x 100 = 10,100), more than the limit of 10,000" in err
    assert "--max-scenarios 10100" in err
    assert not (tmp_path / "out").exists()
    monkeypatch.undo()
    assert len(load_sweep(path, max_scenarios=10_100).scenarios) == 10_100  # the limit raised explicitly


def test_the_cli_limit_is_the_apis():
    import inspect

    from energy_portfolio.cli import sweep

    assert inspect.signature(sweep).parameters["max_scenarios"].default == MAX_SCENARIOS == 10_000
    assert inspect.signature(load_sweep).parameters["max_scenarios"].default == MAX_SCENARIOS


def test_the_count_is_the_expansion_without_duplicates():
    from energy_portfolio.config.sweep import SweepSpec

    spec = SweepSpec.model_validate({
        "kind": "sweep", "name": "s", "portfolio": str(ROOT / "sites" / "portfolio_energy_only.yaml"),
        "grid": {"sites.fuzuli_bess.energy_mwh": [100, 200, 300], "sites.fuzuli_bess.power_mw": [50, 100]},
        "scenarios": [{"sites.fuzuli_bess.energy_mwh": 7}],
        "random": {"samples": 4, "seed": 1, "parameters": {"sites.fuzuli_bess.power_mw": {"low": 1, "high": 9}}},
        "weather_years": [1, 2],
    })
    count, how = scenarios.scenario_count(spec)
    assert count == len(expand_scenarios(spec)) == (6 + 1 + 4) * 2
    assert how == "(grid 3 x 2 = 6 + 1 listed + 4 random samples) x 2 weather_years values"


def test_weather_years_above_the_bound_are_refused_at_their_lines(tmp_path):
    path = tmp_path / "wy.yaml"
    path.write_text(
        f"kind: sweep\nname: wy\nportfolio: {ROOT / 'sites' / 'portfolio_energy_only.yaml'}\n"
        "grid:\n  options.weather_years: [10, 1000]\nscenarios:\n  - {options.weather_years: 101}\n"
    )
    with pytest.raises(ConfigError) as caught:
        load_sweep(path)
    problems = caught.value.problems
    assert [p.line for p in problems] == [5, 7]
    assert all(f"expected at most {MAX_WEATHER_YEARS}" in p.message for p in problems)
    assert MAX_WEATHER_YEARS == 100
    # validate finds the same problems at the same lines (one check, config.load.sweep_path_problems)
    check = check_file(path)
    assert [(p.line, p.message) for p in check.problems] == [(p.line, p.message) for p in problems]


def test_the_report_refuses_weather_years_above_the_bound(project_copy):
    path = project_copy / "sites" / "portfolio_energy_only.yaml"
    text = path.read_text()
    assert "  weather_years: 1 " in text
    path.write_text(text.replace("  weather_years: 1 ", f"  weather_years: {MAX_WEATHER_YEARS + 1} "))
    with pytest.raises(ConfigError, match="weather_years"):
        load_portfolio(path)


def test_the_start_line_states_the_count_and_the_estimate():
    from energy_portfolio.cli import _sweep_start_line
    from energy_portfolio.sweep import SweepStart

    fresh = SweepStart(total=12, to_run=11, finished=0, failed=1, workers=2, seconds_per_scenario=None)
    assert _sweep_start_line("s", fresh, None) == (
        "sweep s: 12 scenarios, 11 to run on 2 workers (1 invalid); "
        "the time left is estimated once the first scenarios finish")
    resumed = SweepStart(total=12, to_run=5, finished=7, failed=0, workers=2, seconds_per_scenario=40.0)
    assert resumed.estimate_s == 120.0  # 3 rounds of 2 workers
    assert _sweep_start_line("s", resumed, None).endswith("about 2 min at the pace of the earlier ones (40 s each)")
    remote = SweepStart(total=3, to_run=3, finished=0, failed=0, workers=None, seconds_per_scenario=40.0)
    assert "3 to run on the cluster at tcp://h:8786" in _sweep_start_line("s", remote, "tcp://h:8786")


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
