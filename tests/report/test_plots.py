"""Every chart renders to a PNG with labelled axes."""

import numpy as np
import pandas as pd
import pytest

from energy_portfolio.production.losses import waterfall_from_stages
from energy_portfolio.report import plots
from energy_portfolio.timeseries import hourly_year

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def year():
    index = hourly_year(2030, "Asia/Baku")
    solar = pd.Series(np.clip(np.sin((index.hour - 6) / 12 * np.pi), 0, None) * 200, index=index)
    return index, solar


def _ylabels(fig):
    return [ax.get_ylabel() for ax in fig.axes if ax.get_ylabel()]


def test_charts_render_with_units(year):
    index, solar = year
    monthly = pd.DataFrame({"solar": solar.groupby(index.month).sum().to_numpy() / 1000})
    w = waterfall_from_stages("poa", solar * 1.2, [("soiling", solar * 1.1), ("inverter", solar)])
    figs = [
        plots.monthly_energy_chart(monthly, "monthly"),
        plots.waterfall_chart(w, "waterfall"),
        plots.month_hour_heatmap(solar, "heatmap"),
        plots.duration_curve_chart(solar, "net load [MW]", "duration"),
        plots.dispatch_stack_chart(pd.DataFrame({"solar": solar[:168], "gas": 300 - solar[:168],
                                                 "battery_charge": -solar[:168] * 0.1}), solar[:168] * 0 + 300, "w"),
        plots.state_of_charge_chart(pd.DataFrame({"bess": solar / 2}), "soc"),
        plots.curtailment_chart(pd.DataFrame({"oversupply": [1.0, 2.0]}, index=["a", "b"]), "curtailment"),
        plots.exceedance_chart(pd.DataFrame({"a": [1.0, 2.0, 3.0]}), "energy [GWh]", "P"),
    ]
    for fig in figs:
        assert plots.figure_png(fig, dpi=40).startswith(PNG_MAGIC)
        assert any("[" in label for label in _ylabels(fig)), fig.axes[0].get_title()
