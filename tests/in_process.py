"""The CLI run in this process, as a user types it: exit code and what it printed."""

from __future__ import annotations

import sys

import pytest

from energy_portfolio.cli import run


def run_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str]:
    """``energy-portfolio ARGS`` through the CLI's own entry point (its error handling included):
    the exit code and standard output followed by standard error."""
    monkeypatch.setattr(sys, "argv", ["energy-portfolio", *args])
    with pytest.raises(SystemExit) as exit_info:
        run()
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out + captured.err
