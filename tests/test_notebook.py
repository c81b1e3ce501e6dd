"""The example notebook runs from top to bottom (nbclient), so it cannot rot: with its kernel started in
examples/ (where JupyterLab and `jupyter execute` start it) and at the repository root."""

from __future__ import annotations

import os
import re

import nbformat
import pytest
from nbclient import NotebookClient

from .conftest import ROOT

pytestmark = pytest.mark.slow  # runs the energy-only portfolio twice in a kernel, about 30 s


@pytest.mark.parametrize("kernel_folder", ["examples", "."])
def test_example_notebook_executes(kernel_folder):
    notebook = nbformat.read(ROOT / "examples" / "azerbaijan_portfolio.ipynb", as_version=4)
    env_path = os.environ.get("PYTHONPATH")
    folder = (ROOT / kernel_folder).resolve()
    client = NotebookClient(notebook, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(folder)}})
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(html) == 3 and len(images) >= 2  # key figures, the site and comparison tables; the two charts
    sites, comparison = html[1], html[2]
    assert "capacity factor [%]" in sites and "LCOE [USD/MWh]" in sites
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", sites + comparison)
    assert cells and not [c for c in cells if re.search(r"\de[+-]?\d", c)]  # no scientific notation
    assert "sites.fuzuli_bess.delivered_mwh" in comparison
    assert env_path == os.environ.get("PYTHONPATH")
