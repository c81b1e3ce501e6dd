"""The command line: validate on the defaults, exit codes, python -m."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from energy_portfolio import __version__
from energy_portfolio.cli import app, run

from .conftest import ROOT


def test_validate_defaults_prints_one_ok_line_per_file(monkeypatch):
    monkeypatch.chdir(ROOT)
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "sites").glob("*.yaml"))
    result = CliRunner().invoke(app, ["validate", *files])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == len(files) == 9  # the five defaults, pumped_hydro.yaml, two variants and the 2024 back-cast
    assert all(line.startswith("OK sites/") for line in lines)


def test_validate_loads_a_portfolio_once(monkeypatch):
    """The weather checks plan the run on the portfolio check_file finished (each load is about 0.1-0.3 s)."""
    import energy_portfolio.config.load as load
    import energy_portfolio.config.validate as validate

    loads = []
    real = load.load_portfolio
    for module in (load, validate):  # validate's check_file calls load_portfolio by its own name
        monkeypatch.setattr(module, "load_portfolio", lambda path: loads.append(path) or real(path))
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, ["validate", "sites/portfolio.yaml"])
    assert result.exit_code == 0, result.output
    assert [str(p) for p in loads] == ["sites/portfolio.yaml"]


def test_missing_file_exits_2(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["validate", "nope.yaml"])
    assert result.exit_code == 2
    assert "nope.yaml" in result.output and "file not found" in result.output


def test_console_entry_point_maps_exit_codes(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["energy-portfolio", "validate", "nope.yaml"])
    with pytest.raises(SystemExit) as exit_info:
        run()
    assert exit_info.value.code == 2
    monkeypatch.setattr(sys, "argv", ["energy-portfolio", "no-such-command"])
    with pytest.raises(SystemExit) as exit_info:
        run()
    assert exit_info.value.code == 2  # click's usage error


def test_python_dash_m_runs_the_cli():
    out = subprocess.run(
        [sys.executable, "-m", "energy_portfolio", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == f"energy-portfolio {__version__}"
    out = subprocess.run(
        [sys.executable, "-m", "energy_portfolio", "validate", "sites/portfolio.yaml"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "OK sites/portfolio.yaml (portfolio)"


def test_report_refuses_a_folder_it_did_not_write_before_computing_anything(monkeypatch, tmp_path, capsys):
    # A folder with another program's manifest.json and the user's notes: refused with exit 2 at once
    # (the run is never started), and nothing in it is touched.
    import energy_portfolio.portfolio as portfolio_package

    def never(*args, **kwargs):
        raise AssertionError("the run started although --out was refused")

    monkeypatch.setattr(portfolio_package, "run_portfolio", never)
    monkeypatch.chdir(ROOT)
    out = tmp_path / "extension"
    out.mkdir()
    (out / "manifest.json").write_text('{"manifest_version": 3}')
    (out / "notes.txt").write_text("keep me")
    monkeypatch.setattr(sys, "argv", ["energy-portfolio", "report", "sites/portfolio.yaml", "--out", str(out)])
    with pytest.raises(SystemExit) as exit_info:
        run()
    assert exit_info.value.code == 2
    assert "not a report folder written by energy-portfolio" in capsys.readouterr().err
    assert (out / "notes.txt").read_text() == "keep me"


def test_the_dispatch_status_line_combines_both_solves_with_an_estimate():
    """Issue 16 item 7: the two solves run side by side, so the time left is the slower one's."""
    from energy_portfolio.cli import window_status

    # with: 120 days in 60 s (0.5 s a day, 246 left: 123 s); without: 95 days in 19 s (0.2 s, 271 left: 54 s)
    text = window_status({"with": (120, 366, 60.0), "without": (95, 366, 19.0)}, "day")
    assert text == "dispatch: day 120 of 366 with the portfolio, 95 of 366 without; about 2 min left"
    text = window_status({"with": (300, 366, 30.0), "without": (366, 366, 40.0)}, "day")
    assert text == "dispatch: day 300 of 366 with the portfolio, 366 of 366 without; about 7 s left"
    # no estimate before each unfinished run has solved a window
    assert window_status({"without": (10, 366, 5.0), "with": (0, 366, 0.1)}, "day") == (
        "dispatch: day 10 of 366 without, 0 of 366 with the portfolio"
    )
    assert window_status({"weather years": (500, 3660, 250.0)}, "day") == (
        "dispatch: day 500 of 3,660 in the weather years; about 26 min left"
    )


def test_the_status_line_hears_the_solves_only_on_a_terminal(monkeypatch):
    """Not a terminal (or --quiet): the status does nothing, so nothing is printed beyond today's output."""
    from energy_portfolio import cli

    with cli._progress(True, "day") as status:
        status("dispatch (with and without the portfolio)")
        status.window("with", 0, 366)
        status.window("with", 1, 366)
    assert status._bar is None and status._solves == {}


def test_the_status_line_on_a_terminal_shows_the_windows_and_the_stage(monkeypatch):
    import io

    from rich.console import Console

    from energy_portfolio import cli

    monkeypatch.setattr(cli, "_err", Console(file=io.StringIO(), force_terminal=True, width=200))
    with cli._progress(True, "day") as status:
        status("weather and production")
        status.window("without", 0, 366)  # the system without the portfolio starts during production
        status.window("without", 1, 366)
        description = status._bar.tasks[0].description
        assert description.startswith("weather and production; dispatch: day 1 of 366 without; about ")
        status("dispatch (with and without the portfolio)")
        status.window("with", 0, 366)
        assert status._bar.tasks[0].description == "dispatch: day 1 of 366 without, 0 of 366 with the portfolio"
        status.window("without", 366, 366)
        status.window("with", 366, 366)
        status("economics")
        assert status._bar.tasks[0].description == "economics"  # finished solves leave the line
        assert status._bar.tasks[0].completed == 3


def test_verbose_logs_the_tools_stages_and_keeps_the_libraries_at_warning(capsys):
    import logging

    from energy_portfolio import cli
    from energy_portfolio.config import load_portfolio

    try:
        cli.configure_logging(verbose=True, quiet=False, debug_libraries=False)
        cli._log_plan(load_portfolio(ROOT / "sites" / "portfolio_energy_only.yaml"))
        with cli._progress(False) as status:
            status("economics")
        err = capsys.readouterr().err
        assert "INFO stage: economics" in err and "INFO stage done: economics (" in err
        assert "INFO dispatch: perfect foresight (one solve of the year), energy only" in err
        for name in ("matplotlib.font_manager", "h5py._conv", "distributed.scheduler", "PIL.PngImagePlugin"):
            assert not logging.getLogger(name).isEnabledFor(logging.INFO), name
        assert logging.getLogger("energy_portfolio.portfolio").isEnabledFor(logging.DEBUG)
        cli.configure_logging(verbose=False, quiet=False, debug_libraries=True)  # asked for: they log
        assert logging.getLogger("matplotlib.font_manager").isEnabledFor(logging.DEBUG)
    finally:
        cli.configure_logging(verbose=False, quiet=False, debug_libraries=False)
    assert not logging.getLogger("energy_portfolio.cli").isEnabledFor(logging.INFO)  # quiet by default


@pytest.mark.slow  # one report of the energy-only portfolio, about 12 s
def test_verbose_report_prints_the_stages_and_no_library_debug(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "energy_portfolio", "--verbose", "report", "sites/portfolio_energy_only.yaml",
         "--out", str(tmp_path / "report")],
        capture_output=True, text=True, cwd=ROOT, timeout=900,
    )
    assert out.returncode == 0, out.stderr
    lines = out.stderr.splitlines()
    for expected in ("stage: demand and the existing fleet", "stage done: weather and production (",
                     "stage done: dispatch (with and without the portfolio) (", "site caspian_offshore_wind: ",
                     "site caspian_offshore_wind: wake model ", "dispatch with the portfolio: ",
                     "dispatch without the portfolio: ", "P-values fuzuli_solar: P50 ", "stage: economics",
                     "stage done: writing the report ("):
        assert any(expected in line for line in lines), expected
    libraries = [line for line in lines if any(name in line for name in ("matplotlib", "h5py", "font_manager", "PIL"))]
    assert not libraries, libraries[:5]
