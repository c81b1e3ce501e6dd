"""Report layer: summary.json and hourly.csv from a result (summary.py), the report document and
charts (build.py, plots.py, document.py), writers (the only report module touching files), and a
result's HTML view in notebooks (notebook.py).

The names below load their modules on first use, so that importing one report module (the CLI's
writers, the notebook display) does not import the model layers.
"""

from importlib import import_module

__all__ = ["html_report", "hourly_table", "key_figures_html", "register_notebook_display", "summary_document"]

_LAZY = {
    "html_report": "notebook",
    "key_figures_html": "notebook",
    "register_notebook_display": "notebook",
    "hourly_table": "summary",
    "summary_document": "summary",
}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'energy_portfolio.report' has no attribute {name!r}")
