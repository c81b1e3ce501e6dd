"""Scenario sweeps: expansion, the spec's errors, dask execution (local and a real scheduler), resume.

The production cache on its own (keys, entry format, damaged entries) is tested in sweep/test_cache.py.

The end-to-end tests share one sweep of 8 scenarios over the default portfolio: 6 battery sizes
(energy x power), one that the run refuses on the worker (an unknown hydro scenario) and one
the config rejects before it reaches a worker (a negative battery energy). A full-year
dispatch takes 8-15 s here, so the sweep is run three times in all: by the CLI on its default
LocalCluster (killed part-way), resumed in-process (counting production model calls), and on
a scheduler and two workers started as separate processes.
"""

from __future__ import annotations

import collections
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from distributed import Client

from energy_portfolio.config import load_portfolio
from energy_portfolio.config.sweep import SweepSpec
from energy_portfolio.errors import ConfigError, InputError
from energy_portfolio.portfolio import plan_run
from energy_portfolio.portfolio import sites as portfolio_module
from energy_portfolio.report.document import render_markdown
from energy_portfolio.report.sweep import SweepReportInputs, sweep_document
from energy_portfolio.sweep import RUN_COLUMNS, expand_scenarios, load_sweep, run_sweep
from energy_portfolio.sweep.execute import metric_value, read_rows

from .conftest import ROOT
from .waiting import wait_until

SRC = ROOT / "src"
VALID = 6
SPEC = """\
kind: sweep
name: tiny
portfolio: sites/portfolio_energy_only.yaml
grid:
  sites.fuzuli_bess.energy_mwh: [100, 250, 600]
  sites.fuzuli_bess.power_mw: [50, 125]
scenarios:
  - {options.hydro_scenario: no_such_year}
  - {sites.fuzuli_bess.energy_mwh: -5}
metrics:
  - dispatch.gas_saved_mcm
  - dispatch.curtailment_mwh
  - dispatch.storage.equivalent_full_cycles
  - portfolio_economics.npv_usd
rank_by: portfolio_economics.npv_usd
best: 3
"""
SITES_WITH_PRODUCTION = {"caspian_offshore_wind", "fuzuli_solar", *(
    p.stem for p in (ROOT / "sites" / "reference").glob("*.yaml") if "bess" not in p.stem)}


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH", "")) if p)
    return env


def _spec(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sweep.yaml"
    path.write_text(text)
    return path


# --------------------------------------------------------------------------------------
# Fast: the spec, the expansion, the report.
# --------------------------------------------------------------------------------------


def _sweep_spec(**fields) -> SweepSpec:
    return SweepSpec.model_validate(
        {"kind": "sweep", "name": "s", "portfolio": str(ROOT / "sites" / "portfolio_energy_only.yaml"), **fields}
    )


def test_grid_lists_random_and_weather_years_expand():
    spec = _sweep_spec(
        grid={"sites.fuzuli_bess.energy_mwh": [100, 200], "sites.fuzuli_bess.power_mw": [50, 100]},
        scenarios=[{"sites.fuzuli_bess.energy_mwh": 100, "sites.fuzuli_bess.power_mw": 50},  # a duplicate
                   {"grid.thermal_units.janub_ccgt.capacity_mw": 900,
                    "grid.thermal_units.janub_ccgt.unit_size_mw": 450}],
        random={"samples": 3, "seed": 7, "parameters": {"sites.fuzuli_bess.energy_mwh": {"low": 0.5, "high": 9.5,
                                                                                       "integer": True}}},
        weather_years=[1, 3],
    )
    scenarios = expand_scenarios(spec)
    assert len(scenarios) == (4 + 1 + 3) * 2
    assert all(s.changes["options.weather_years"] in (1, 3) for s in scenarios)
    drawn = [s.changes["sites.fuzuli_bess.energy_mwh"] for s in scenarios[10:16:2]]
    assert all(isinstance(v, int) and 1 <= v <= 9 for v in drawn)
    again = expand_scenarios(spec)
    assert [s.id for s in again] == [s.id for s in scenarios]  # the seed makes the samples reproducible


def test_a_spec_without_changes_is_the_base_portfolio():
    assert [s.changes for s in expand_scenarios(_sweep_spec())] == [{}]


def test_unknown_field_path_is_reported_with_file_line_and_field(tmp_path):
    path = _spec(tmp_path, f"kind: sweep\nname: bad\nportfolio: {ROOT / 'sites' / 'portfolio.yaml'}\n"
                           "grid:\n  sites.fuzuli_bess.energy_mwh: [1, 2]\n  sites.fuzuli_bess.energy_gwh: [1]\n")
    with pytest.raises(ConfigError) as caught:
        load_sweep(path)
    (problem,) = caught.value.problems
    assert problem.line == 6
    assert "no field 'energy_gwh'" in problem.message and "energy_mwh" in problem.message
    assert problem.field == "grid.sites.fuzuli_bess.energy_gwh"
    result = subprocess.run([sys.executable, "-m", "energy_portfolio", "validate", str(path)], env=_env(),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "line 6" in result.stderr and "no field 'energy_gwh'" in result.stderr


def test_schema_errors_name_the_line(tmp_path):
    path = _spec(tmp_path, f"kind: sweep\nname: bad\nportfolio: {ROOT / 'sites' / 'portfolio.yaml'}\n"
                           "best: 6\nrank_by: dispatch.nothing\n")
    with pytest.raises(ConfigError) as caught:
        load_sweep(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (5, "rank_by")
    assert "expected one of the metrics" in problem.message


def test_example_sweep_validates():
    result = subprocess.run([sys.executable, "-m", "energy_portfolio", "validate", "examples/battery_sweep.yaml"],
                            cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    sweep = load_sweep(ROOT / "examples" / "battery_sweep.yaml")
    assert len(sweep.scenarios) == 6
    assert sweep.parameters == ("sites.fuzuli_bess.energy_mwh", "sites.fuzuli_bess.power_mw")


def test_metric_value_refuses_unknown_keys():
    summary = {"dispatch": {"gas_saved_mcm": 5, "storage": {"equivalent_full_cycles": 1.5}}}
    assert metric_value(summary, "dispatch.storage.equivalent_full_cycles") == 1.5
    with pytest.raises(InputError, match=r"not a key of summary\.json"):
        metric_value(summary, "dispatch.gas_saved_bcm")
    with pytest.raises(InputError, match="expected a number"):
        metric_value(summary, "dispatch.storage")


def test_local_workers_start_without_dasks_malloc_trim_threshold():
    # dask's nanny sets MALLOC_TRIM_THRESHOLD_=65536 in its workers, which turns off glibc's
    # dynamic mmap threshold: a scenario then faults in 12 times the pages (see WORKER_ENVIRON).
    # The sweep's local cluster removes it and keeps dask's other settings (one BLAS thread).
    from energy_portfolio.sweep import sweep_client

    with sweep_client(workers=1) as client:
        environ = client.run(lambda: (os.environ.get("MALLOC_TRIM_THRESHOLD_"), os.environ.get("OMP_NUM_THREADS")))
    assert list(environ.values()) == [(None, "1")]


def test_report_states_n_of_m_and_ranks_only_completed():
    table = pd.DataFrame({
        "scenario_id": ["a", "b", "c"], "x_mwh": [1.0, 2.0, 3.0], "status": ["ok", "ok", "failed"],
        "npv_usd": [5.0, 7.0, None], "error": [None, None, "DispatchError: infeasible"],
    })
    doc = sweep_document(SweepReportInputs("t", "", table, ["x_mwh"], ["npv_usd"], "npv_usd", "highest", 5))
    text = render_markdown(doc)
    assert "2 of 3 scenarios complete, 1 failed" in text
    assert "DispatchError: infeasible" in text
    best = text.split("**Best scenarios**")[1]
    assert best.index("| b |") < best.index("| a |") and "| c |" not in best


# --------------------------------------------------------------------------------------
# End to end on dask (marked slow): the CLI killed part-way and resumed, then a scheduler and two workers.
# --------------------------------------------------------------------------------------


def _ok_rows(path: Path) -> list[dict]:
    return [r for r in read_rows(path).values() if r["status"] == "ok"]


def _kill_group(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sweep")
    shutil.copytree(ROOT / "sites", root / "sites")
    shutil.copytree(ROOT / "weather", root / "weather")
    (root / "sweep.yaml").write_text(SPEC)
    return root


@pytest.fixture(scope="module")
def resumed(project):
    """The CLI's sweep killed after two scenarios finished, then resumed in-process with a cold cache."""
    out = project / "local"
    command = [sys.executable, "-m", "energy_portfolio", "-q", "sweep", "sweep.yaml", "--out", str(out),
               "--workers", "2"]
    process = subprocess.Popen(command, cwd=project, env=_env(), start_new_session=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    def two_finished() -> bool:
        assert process.poll() is None, process.communicate()  # the sweep must not end (or die) first
        return len(_ok_rows(out / "results.jsonl")) >= 2

    try:
        # 150 s: starting the cluster, the production of 4 sites and the first full-year dispatches;
        # this wait and the resumed sweep after it took 21 s (idle) to 57 s (loaded) on 2 shared cores.
        wait_until(two_finished, timeout_s=150, what="two scenarios of the CLI's sweep to finish", interval_s=0.5)
    finally:
        _kill_group(process)
    before = read_rows(out / "results.jsonl")
    lines_before = len((out / "results.jsonl").read_text().splitlines())
    shutil.rmtree(out / "cache")  # count the production of the remaining scenarios from a cold cache
    calls: collections.Counter[str] = collections.Counter()
    simulate = portfolio_module.simulate_site

    def counting(spec, weather, operating_year=1):
        calls[spec.id] += 1
        return simulate(spec, weather, operating_year)

    with pytest.MonkeyPatch.context() as patch, Client(processes=False, n_workers=1, threads_per_worker=2,
                                                       dashboard_address=None) as client:
        patch.chdir(project)
        patch.setattr(portfolio_module, "simulate_site", counting)
        result = run_sweep(load_sweep("sweep.yaml"), out, client=client)
    new_lines = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()[lines_before:]]
    return {"before": before, "result": result, "calls": calls, "new_rows": new_lines, "out": out}


@pytest.mark.slow
def test_failed_scenarios_are_reported_and_the_others_complete(resumed):
    result = resumed["result"]
    assert (result.total, result.complete, result.failed) == (VALID + 2, VALID, 2)
    assert result.status_line == f"{VALID} of {VALID + 2} scenarios complete, 2 failed"
    failed = result.table[result.table["status"] == "failed"].set_index("options.hydro_scenario")
    assert "no_such_year" in failed.loc["no_such_year", "error"]
    assert "energy_mwh" in failed["error"].iloc[-1]
    ok = result.table[result.table["status"] == "ok"]
    assert ok["dispatch.gas_saved_mcm"].notna().all() and ok["error"].isna().all()
    assert ok["sites.fuzuli_bess.energy_mwh"].tolist() == [100, 100, 250, 250, 600, 600]


@pytest.mark.slow
def test_resume_runs_only_the_missing_scenarios(resumed):
    finished = {k for k, row in resumed["before"].items() if row["status"] == "ok"}
    assert 2 <= len(finished) < VALID
    result = resumed["result"]
    assert result.skipped == len(finished)
    rerun = {row["scenario_id"] for row in resumed["new_rows"] if row["status"] == "ok"}
    assert rerun == set(result.table.loc[result.table["status"] == "ok", "scenario_id"]) - finished
    assert not rerun & finished


@pytest.mark.slow
def test_production_runs_once_per_site_when_only_the_battery_changes(resumed):
    assert resumed["calls"] and set(resumed["calls"]) == SITES_WITH_PRODUCTION
    assert all(n == 1 for n in resumed["calls"].values()), resumed["calls"]
    assert resumed["result"].production_runs == len(SITES_WITH_PRODUCTION)
    rows = [r for r in resumed["new_rows"] if r["status"] == "ok"]
    plan = plan_run(load_portfolio(ROOT / "sites" / "portfolio_energy_only.yaml"))
    asked = len(plan.new_sites) + len(plan.reference_sites)  # each new site and each plant of the fleet, once
    assert all(r["production_runs"] == 0 and r["production_cache_hits"] == asked for r in rows)


@pytest.mark.slow
def test_results_files_hold_one_row_per_scenario(resumed):
    out = resumed["out"]
    parquet = pd.read_parquet(out / "results.parquet")
    csv = pd.read_csv(out / "results.csv")
    assert len(parquet) == len(csv) == VALID + 2
    assert list(parquet.columns[:3]) == ["scenario_id", "sites.fuzuli_bess.energy_mwh", "sites.fuzuli_bess.power_mw"]
    assert {"status", "error", "dispatch.gas_saved_mcm", "portfolio_economics.npv_usd"} <= set(parquet.columns)


@pytest.mark.slow
def test_cli_reruns_nothing_finished_and_writes_the_report(project, resumed):
    """The CLI on the finished folder: finished scenarios skipped, failures printed, N of M in the report."""
    result = subprocess.run([sys.executable, "-m", "energy_portfolio", "sweep", "sweep.yaml", "--out", "local",
                             "--workers", "1"], cwd=project, env=_env(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 3, result.stderr  # some scenarios failed: the solve exit code, results written
    assert f"{VALID} of {VALID + 2} scenarios complete, 2 failed ({VALID} found finished" in result.stdout
    assert "no_such_year" in result.stderr
    html = (project / "local" / "report.html").read_text()
    assert f"{VALID} of {VALID + 2} scenarios complete, 2 failed" in html and "src='data:image/png" in html
    markdown = (project / "local" / "report.md").read_text()
    assert "## Best scenarios by NPV" in markdown  # the metric by its label (config/metrics.py), not its path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def scheduler(project):
    """A dask scheduler and two single-threaded workers on loopback, as separate processes."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    common = dict(cwd=project, env=_env(), start_new_session=True, stdout=subprocess.DEVNULL,
                  stderr=subprocess.DEVNULL)
    processes = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                   "--port", str(port), "--no-dashboard"], **common)]
    try:
        for i in range(2):
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1",
                 "--no-dashboard", "--name", f"w{i}", "--local-directory", str(project / f"worker{i}")], **common))
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=90)
        yield address
    finally:
        for process in reversed(processes):
            _kill_group(process)


@pytest.mark.slow
def test_a_scheduler_and_two_workers_give_the_same_table(project, scheduler, resumed):
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        remote = run_sweep(load_sweep("sweep.yaml"), project / "remote", scheduler=scheduler)
    assert remote.status_line == resumed["result"].status_line
    assert remote.production_runs == len(SITES_WITH_PRODUCTION)
    local = resumed["result"].table.drop(columns=list(RUN_COLUMNS))
    pd.testing.assert_frame_equal(remote.table.drop(columns=list(RUN_COLUMNS)), local, check_exact=False,
                                  rtol=1e-9)


def test_report_ranks_scenarios_within_the_tolerance_as_tied_and_says_so():
    """Issue 19 item 5: gas saved 944.65 and 944.65 x (1 + 2e-6) million m3 are LP noise (the tolerance is
    1e-5 relative): both rank first and the report says they tie; 1 % less is a real second."""
    from energy_portfolio.report.sweep import rank_with_ties

    table = pd.DataFrame({
        "scenario_id": ["a", "b", "c"], "sites.fuzuli_bess.energy_mwh": [250.0, 500.0, 750.0],
        "status": ["ok", "ok", "ok"], "error": [None, None, None],
        "dispatch.gas_saved_mcm": [944.65, 944.65 * (1 + 2e-6), 944.65 * 0.99],
    })
    inputs = SweepReportInputs("t", "", table, ["sites.fuzuli_bess.energy_mwh"], ["dispatch.gas_saved_mcm"],
                               "dispatch.gas_saved_mcm", "highest", 5)
    from energy_portfolio.config.metrics import LP_TOLERANCE

    ranks = rank_with_ties(table["dispatch.gas_saved_mcm"], True, LP_TOLERANCE)
    assert ranks.to_dict() == {1: 1, 0: 1, 2: 2}
    text = render_markdown(sweep_document(inputs))
    assert "2 scenarios tie for best" in text and "noise, not a finding" in text
    assert "gas saved [million m³]" in text and "fuzuli_bess: energy [MWh]" in text  # names and units, not paths
    assert "dispatch.gas_saved_mcm" not in text


def test_sweep_chart_axes_have_no_offset_and_noise_is_drawn_flat():
    """The issue's chart showed +9.4465e2 as an offset (matplotlib's default for these points) and a 2e-6
    difference as a peak."""
    from energy_portfolio.report import plots

    points = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [944.65, 944.65 * (1 + 2e-6), 944.65]})
    raw = plots.sweep_chart(points, "x", "y")  # no band: the noise fills the axis, still written in full
    plots.figure_png(raw)  # draws, which sets the tick labels and any offset
    assert [axis.get_major_formatter().get_offset() for axis in (raw.axes[0].xaxis, raw.axes[0].yaxis)] == ["", ""]
    band = 2 * 1e-5 * 944.65
    fig = plots.sweep_chart(points, "x", "y", x_label="energy [MWh]", y_label="gas saved [million m³]",
                            min_span=band)
    plots.figure_png(fig)
    ax = fig.axes[0]
    assert ax.yaxis.get_major_formatter().get_offset() == ""
    low, high = ax.get_ylim()
    assert high - low >= band * 0.999  # the tolerance band, not the 2e-6 noise, sets the scale
    assert ax.get_ylabel() == "gas saved [million m³]"
