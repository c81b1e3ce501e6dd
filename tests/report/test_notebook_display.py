"""A PortfolioResult shows as its key figures in IPython, registered by the report layer."""

from __future__ import annotations

from energy_portfolio.report.notebook import key_figures_html, register_notebook_display


class _Formatter:
    def __init__(self):
        self.registered = []

    def for_type_by_name(self, module, name, func):
        self.registered.append((module, name, func))


class _Shell:
    def __init__(self):
        self.formatter = _Formatter()
        self.display_formatter = type("DisplayFormatter", (), {"formatters": {"text/html": self.formatter}})()


def test_registers_the_key_figures_for_portfolio_results():
    shell = _Shell()
    assert register_notebook_display(shell)
    assert shell.formatter.registered == [
        ("energy_portfolio.portfolio.result", "PortfolioResult", key_figures_html)
    ]
    # the registered name is where the class lives
    from energy_portfolio.portfolio.result import PortfolioResult

    assert (PortfolioResult.__module__, PortfolioResult.__name__) == shell.formatter.registered[0][:2]

