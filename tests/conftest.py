"""Shared fixtures: a scratch copy of the shipped configs that tests may edit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITES = ROOT / "sites"


@pytest.fixture
def project_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of sites/ and weather/ in a temporary folder, which is also the working directory."""
    shutil.copytree(ROOT / "sites", tmp_path / "sites")
    shutil.copytree(ROOT / "weather", tmp_path / "weather")
    monkeypatch.chdir(tmp_path)
    return tmp_path
