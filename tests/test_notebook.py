"""The example notebook runs from top to bottom (nbclient), so it cannot rot."""

from __future__ import annotations

import os

import nbformat
import pytest
from nbclient import NotebookClient

from .conftest import ROOT

pytestmark = pytest.mark.slow  # runs the whole portfolio in a kernel


def test_example_notebook_executes(tmp_path):
    notebook = nbformat.read(ROOT / "examples" / "azerbaijan_portfolio.ipynb", as_version=4)
    env_path = os.environ.get("PYTHONPATH")
    client = NotebookClient(notebook, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}})
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = [o for o in outputs if "text/html" in o.get("data", {})]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert html and len(images) >= 2  # the key-figure table and the two charts
    last = notebook.cells[-1].outputs[-1]["data"]["text/plain"]
    assert "storage" in last or "discharge" in last
    assert env_path == os.environ.get("PYTHONPATH")
