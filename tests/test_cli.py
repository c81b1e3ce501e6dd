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
    assert len(lines) == len(files) == 8  # the five defaults, pumped_hydro.yaml and two portfolio variants
    assert all(line.startswith("OK sites/") for line in lines)


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
