"""The interconnector spec's own rules: one price basis, a firm band within capacity in every month,
a shape that sums to 1, and no firm band on a link that carries only renewables or named plants."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from energy_portfolio.config.grid import Interconnector

BASE = {"id": "tie", "zone": "a", "neighbour": "N", "export_capacity_mw": 100, "import_capacity_mw": 100}
FIXED = {"basis": "fixed", "export_price_usd_per_mwh": 20, "import_price_usd_per_mwh": 80}


def _error(**fields) -> str:
    with pytest.raises(ValidationError) as caught:
        Interconnector.model_validate({**BASE, **fields})
    return str(caught.value)


def test_old_price_fields_keep_their_meaning_as_a_fixed_basis():
    link = Interconnector.model_validate({**BASE, "export_price_usd_per_mwh": 20, "import_price_usd_per_mwh": 80})
    assert link.price_basis == "fixed" and link.fixed_prices_usd_per_mwh == (20, 80)


@pytest.mark.parametrize(("fields", "says"), [
    ({"export_price_usd_per_mwh": 20, "import_price_usd_per_mwh": 80, "opportunistic": FIXED}, "not both"),
    ({}, "or an opportunistic block with its price basis"),
    ({"opportunistic": {**FIXED, "import_price_usd_per_mwh": 10}}, "import price below export price"),
    ({"opportunistic": {"basis": "market_reference", "market": "X", "export_discount_usd_per_mwh": 1,
                        "import_premium_usd_per_mwh": 1}}, "exactly one of monthly_price_usd_per_mwh"),
    ({"opportunistic": FIXED, "carries": "renewables",
      "firm_export": {"monthly_energy_mwh": [1000] * 12, "price_usd_per_mwh": 50}}, "expected carries: any"),
    ({"opportunistic": FIXED, "firm_export": {"annual_energy_mwh": 1000, "price_usd_per_mwh": 50}},
     "needs a monthly_shape"),
    ({"opportunistic": FIXED, "firm_export": {"annual_energy_mwh": 1000, "monthly_shape": [0.1] * 12,
                                              "price_usd_per_mwh": 50}}, "shares sum to 1.2; expected 1"),
    # February of a common year has 672 h: 70,000 MWh is a 104.2 MW band on a 100 MW link.
    ({"opportunistic": FIXED, "firm_export": {"monthly_energy_mwh": [0, 70000] + [0] * 10, "price_usd_per_mwh": 50}},
     "link tie, February: the firm band 104.2 MW (70,000 MWh over 672 h) exceeds export_capacity_mw = 100 MW"),
    ({"opportunistic": FIXED, "carries": []}, "an empty list of plants"),
])
def test_invalid_links_are_refused_with_the_rule(fields, says):
    assert says in _error(**fields)
