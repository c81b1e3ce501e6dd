"""Write examples/azerbaijan_portfolio.ipynb from the cells below (keeps the notebook diff-able).

Run: python examples/make_notebook.py
"""

from pathlib import Path

import nbformat

CELLS = [
    ("markdown", """# The Azerbaijan portfolio in a notebook

Load the shipped defaults (1 GW Caspian offshore wind, 240 MWac Fuzuli solar, a 125 MW / 250 MWh
battery, the 2032 Azerbaijan grid), run them, look at the results, then make the battery bigger
and compare.

It loads the screening variant, `sites/portfolio_energy_only.yaml` (the dispatch as one linear
programme of the year: seconds per run). `sites/portfolio.yaml`, the default of `energy-portfolio
report`, commits every gas unit and holds reserves (about two minutes per run) and gives the
answers to quote; every call below works on it unchanged.

The notebook finds the shipped configs from the folder its kernel starts in: JupyterLab and
`jupyter execute` start it in `examples/`, a script may start at the repository root; both work.
From there on no path depends on the working directory: a config names its grid, sites and weather
files relative to its own folder."""),
    ("code", """from pathlib import Path

import energy_portfolio as ep


def shipped_configs(start: Path | None = None) -> Path:
    \"\"\"The repository's sites/ folder: the first folder at or above ``start`` (by default the kernel's
    working folder) that holds sites/portfolio.yaml.\"\"\"
    start = Path.cwd() if start is None else start
    for folder in (start, *start.parents):
        if (folder / "sites" / "portfolio.yaml").is_file():
            return folder / "sites"
    raise FileNotFoundError(
        f"no sites/portfolio.yaml in {start} or a folder above it: open the notebook inside the "
        "energy-portfolio repository, or give ep.load_portfolio the path of your own portfolio file"
    )


SITES = shipped_configs()
portfolio = ep.load_portfolio(SITES / "portfolio_energy_only.yaml")
result = ep.run_portfolio(portfolio)
result  # key figures"""),
    ("code", """import pandas as pd

sites = result.site_table()  # one row per site, units in the column names
pd.DataFrame({
    "technology": sites["technology"],
    "capacity [MW]": sites["capacity_mw"],
    "net energy [GWh]": sites["annual_energy_mwh"] / 1e3,
    "capacity factor [%]": sites["capacity_factor"] * 100,
    "delivered [GWh]": sites["delivered_mwh"] / 1e3,
    "LCOE [USD/MWh]": sites["lcoe_usd_per_mwh"],
}).style.format(precision=1, thousands=",", na_rep="")"""),
    ("code", """%matplotlib inline
from energy_portfolio.report import plots

new_output = sum(run.production.net_mw for run in result.sites.values())
plots.month_hour_heatmap(new_output, "New portfolio generation")"""),
    ("code", """offshore = result.sites["caspian_offshore_wind"].production
plots.waterfall_chart(offshore.waterfall, "Offshore wind losses")"""),
    ("markdown", """## A bigger battery

`with_changes` changes fields by their dotted path and validates the result like a config file.
The table lists the key metrics that change (each metric's unit is the end of its name: `_mwh`,
`_usd`, `_mcm` million m³, `_share` and `_fraction` 0..1); a difference below a millionth of the
value is the solver's rounding, not a change, and is left out."""),
    ("code", """bigger = ep.with_changes(portfolio, {
    "sites.fuzuli_bess.power_mw": 250,
    "sites.fuzuli_bess.energy_mwh": 1000,
    "sites.fuzuli_bess.grid_connection_mw": 250,
})
bigger_result = ep.run_portfolio(bigger)"""),
    ("code", """from energy_portfolio.compare import config_differences, metric_table

print("changed fields:", ", ".join(d.path for d in config_differences([portfolio, bigger])))
rows = [r for r in metric_table([result.metrics(), bigger_result.metrics()])
        if None not in r.values and abs(r.deltas[0]) > 1e-6 * max(abs(r.values[0]), 1.0)]
comparison = pd.DataFrame(
    [(r.path, *r.values, *r.deltas, r.relative_deltas[0]) for r in rows],
    columns=["metric", "default", "bigger battery", "difference", "difference [%]"],
).set_index("metric")
comparison["difference [%]"] = pd.to_numeric(comparison["difference [%]"]) * 100


def number(value: float) -> str:
    \"\"\"Whole numbers with thousands separators from 1,000, two decimals from 1, four below: never an exponent.\"\"\"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.2f}" if abs(value) >= 1 else f"{value:.4f}"


comparison.style.format(number, subset=["default", "bigger battery", "difference"]).format(
    "{:+.2f}", subset=["difference [%]"], na_rep="")"""),
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
