"""Waterfall bookkeeping against hand-computed chains."""

import numpy as np
import pytest

from energy_portfolio.production.losses import waterfall_from_stages


def test_waterfall_of_fixed_fractions_multiplies_out():
    reference = np.full(10, 100.0)  # 1,000 MWh over 10 h
    after_soiling = reference * 0.98
    after_mismatch = after_soiling * 0.99
    after_clip = np.minimum(after_mismatch, 95.0)  # 97.02 -> 95 MW: clipping 2.082 %
    w = waterfall_from_stages("dc", reference, [("soiling", after_soiling), ("mismatch", after_mismatch),
                                                ("clipping", after_clip)])
    f = w.fractions()
    assert f["soiling"] == pytest.approx(0.02)
    assert f["mismatch"] == pytest.approx(0.01)
    assert f["clipping"] == pytest.approx(1 - 95 / 97.02)
    assert w.final_mwh == pytest.approx(950.0)
    assert w.implied_final_mwh() == pytest.approx(950.0)
    assert w.reconcile(950.0) and not w.reconcile(955.0)  # 0.5 % off is outside 0.1 %


def test_a_gain_is_a_negative_fraction():
    w = waterfall_from_stages("front", [10.0], [("bifacial_gain", [10.5])])
    assert w.fractions()["bifacial_gain"] == pytest.approx(-0.05)


def test_zero_input_step_is_not_a_division_by_zero():
    w = waterfall_from_stages("night", [0.0, 0.0], [("anything", [0.0, 0.0])])
    assert w.fractions() == {"anything": 0.0}
