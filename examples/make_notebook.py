"""Write examples/azerbaijan_portfolio.ipynb from the cells below (keeps the notebook diff-able).

Run: python examples/make_notebook.py
"""

from pathlib import Path

import nbformat

CELLS = [
    ("markdown", """# The Azerbaijan portfolio in a notebook

Load the shipped defaults (1 GW Caspian offshore wind, 240 MWac Fuzuli solar, a 125 MW / 250 MWh
battery, the 2032 Azerbaijan grid), run them, look at the results, then make the battery bigger
and compare. Run this notebook from the repository root.

It loads the screening variant, `sites/portfolio_energy_only.yaml` (the dispatch as one linear
programme of the year: seconds per run). `sites/portfolio.yaml`, the default of `energy-portfolio
report`, commits every gas unit and holds reserves (about two minutes per run) and gives the
answers to quote; every call below works on it unchanged."""),
    ("code", """import energy_portfolio as ep

portfolio = ep.load_portfolio("sites/portfolio_energy_only.yaml")
result = ep.run_portfolio(portfolio)
result  # key figures"""),
    ("code", """import pandas as pd

sites = result.site_table()  # one row per site, units in the column names
sites[["technology", "capacity_mw", "annual_energy_mwh", "capacity_factor", "delivered_mwh", "lcoe_usd_per_mwh"]]"""),
    ("code", """%matplotlib inline
from energy_portfolio.report import plots

new_output = sum(run.production.net_mw for run in result.sites.values())
plots.month_hour_heatmap(new_output, "New portfolio generation")"""),
    ("code", """offshore = result.sites["caspian_offshore_wind"].production
plots.waterfall_chart(offshore.waterfall, "Offshore wind losses")"""),
    ("markdown", """## A bigger battery

`with_changes` changes fields by their dotted path and validates the result like a config file."""),
    ("code", """bigger = ep.with_changes(portfolio, {
    "sites.fuzuli_bess.power_mw": 250,
    "sites.fuzuli_bess.energy_mwh": 1000,
    "sites.fuzuli_bess.grid_connection_mw": 250,
})
bigger_result = ep.run_portfolio(bigger)"""),
    ("code", """from energy_portfolio.compare import config_differences, metric_table

print([d.path for d in config_differences([portfolio, bigger])])
rows = metric_table([result.metrics(), bigger_result.metrics()])
pd.DataFrame([(r.path, *r.values, *r.deltas) for r in rows],
             columns=["metric", "default", "bigger battery", "difference"]).set_index("metric")"""),
]


def main() -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell(src) if kind == "markdown" else nbformat.v4.new_code_cell(src)
        for kind, src in CELLS
    ]
    path = Path(__file__).with_name("azerbaijan_portfolio.ipynb")
    nbformat.write(nb, path)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
