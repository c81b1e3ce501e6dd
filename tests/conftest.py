"""Shared fixtures: a scratch copy of the shipped configs that tests may edit."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITES = ROOT / "sites"


@pytest.fixture(scope="session", autouse=True)
def _private_cache_key(tmp_path_factory: pytest.TempPathFactory):
    """The sweep cache's signing key in a folder of the test session, not in the user's ~/.config
    (worker processes the tests start inherit the variable)."""
    config = tmp_path_factory.mktemp("config")
    previous = os.environ.get("XDG_CONFIG_HOME")
    os.environ["XDG_CONFIG_HOME"] = str(config)
    yield config
    if previous is None:
        os.environ.pop("XDG_CONFIG_HOME", None)
    else:
        os.environ["XDG_CONFIG_HOME"] = previous


@pytest.fixture
def project_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of sites/ and weather/ in a temporary folder, which is also the working directory."""
    shutil.copytree(ROOT / "sites", tmp_path / "sites")
    shutil.copytree(ROOT / "weather", tmp_path / "weather")
    monkeypatch.chdir(tmp_path)
    return tmp_path
