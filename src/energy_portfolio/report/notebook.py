"""A PortfolioResult in a notebook: its key figures as HTML, and the whole report as one HTML page.

:func:`register_notebook_display` tells IPython to show a :class:`PortfolioResult` as its key
figures (``import energy_portfolio`` registers it when IPython is running), so the result itself
carries no reference to the report layer.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..portfolio import PortfolioResult

__all__ = ["html_report", "key_figures_html", "register_notebook_display"]

_RESULT_MODULE, _RESULT_CLASS = "energy_portfolio.portfolio.result", "PortfolioResult"


def html_report(result: PortfolioResult) -> str:
    """The self-contained HTML report of ``result`` (as report.html)."""
    from .build import build_document
    from .document import render_html

    return render_html(build_document(result))


def key_figures_html(result: PortfolioResult) -> str:
    """A compact HTML table of the key figures (what a notebook shows for a result)."""
    from .build import key_figures

    body = "".join(
        f"<tr><td style='text-align:left'>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>"
        for k, v in key_figures(result)
    )
    title = html.escape(f"PortfolioResult: {result.portfolio.name} ({len(result.index)} h)")
    return f"<table><caption>{title}</caption><tbody>{body}</tbody></table>"


def register_notebook_display(shell=None) -> bool:
    """Show results as :func:`key_figures_html` in IPython's rich display; True when registered.

    Parameters
    ----------
    shell : IPython InteractiveShell, optional
        Default: the running one, if any.
    """
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None:
        return False
    formatter = shell.display_formatter.formatters["text/html"]
    formatter.for_type_by_name(_RESULT_MODULE, _RESULT_CLASS, key_figures_html)
    return True
