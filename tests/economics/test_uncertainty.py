"""P-values under the normal approximation and the quadrature combination."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import norm

from energy_portfolio.economics import (
    PV_UNCERTAINTY_STACK,
    WIND_UNCERTAINTY_STACK,
    combined_stack_fraction,
    default_uncertainty_stack,
    exceedance_level,
    interannual_variability_fraction,
    p_values,
    p_values_from_fractions,
    quadrature,
    total_uncertainty_fraction,
)
from energy_portfolio.errors import InputError


def test_quadrature_hand_calculation():
    # 3-4-5 and 5-12-13 triangles: 0.03 and 0.04 give 0.05; with 0.12 of variability, 0.13.
    assert quadrature({"a": 0.03, "b": 0.04}) == pytest.approx(0.05, rel=1e-12)
    assert total_uncertainty_fraction(0.12, {"a": 0.03, "b": 0.04}) == pytest.approx(0.13, rel=1e-12)
    # Over a 4-year horizon the variability halves (0.12 / sqrt 4 = 0.06), the stack does not.
    assert total_uncertainty_fraction(0.12, [0.03, 0.04], horizon_years=4) == pytest.approx(math.sqrt(0.0061))
    # The PV default: sqrt(0.05^2 + 0.02^2 + 0.03^2 + 0.03^2 + 0.02^2 + 0.01^2) = sqrt(0.0052).
    assert quadrature(PV_UNCERTAINTY_STACK) == pytest.approx(math.sqrt(0.0052), rel=1e-12)
    # The wind default (on-site campaign): 0.03, 0.03, 0.02 of the resource; 0.02 horizontal
    # extrapolation, 0.02 wake model, 0.03 plant performance, 0.01 availability: sqrt(0.0040).
    assert quadrature(WIND_UNCERTAINTY_STACK) == pytest.approx(math.sqrt(0.0040), rel=1e-12)
    assert quadrature([]) == 0.0


# Hand sums of squares of each kind's stack (resource components + the model components: PV
# 0.03^2 + 0.03^2 + 0.02^2 + 0.01^2 = 0.0023; wind 0.02^2 + 0.02^2 + 0.03^2 + 0.01^2 = 0.0018).
_SUM_OF_SQUARES = {
    ("solar", "on_site_measurement"): 0.03**2 + 0.02**2 + 0.0023,
    ("solar", "ground_station"): 0.05**2 + 0.03**2 + 0.0023,
    ("solar", "satellite"): 0.05**2 + 0.02**2 + 0.0023,
    ("solar", "reanalysis"): 0.08**2 + 0.02**2 + 0.0023,
    ("solar", "synthetic_climatology"): 0.05**2 + 0.02**2 + 0.04**2 + 0.0023,
    ("solar", "unknown"): 0.08**2 + 0.03**2 + 0.0023,
    ("wind", "on_site_measurement"): 0.03**2 + 0.03**2 + 0.02**2 + 0.0018,
    ("wind", "ground_station"): 0.065**2 + 0.02**2 + 0.05**2 + 0.0018,
    ("wind", "satellite"): 0.08**2 + 0.03**2 + 0.05**2 + 0.0018,
    ("wind", "reanalysis"): 0.08**2 + 0.015**2 + 0.03**2 + 0.0018,
    ("wind", "synthetic_climatology"): 0.08**2 + 0.02**2 + 0.04**2 + 0.03**2 + 0.0018,
    ("wind", "unknown"): 0.10**2 + 0.03**2 + 0.05**2 + 0.0018,
}


@pytest.mark.parametrize(("technology", "kind"), sorted(_SUM_OF_SQUARES))
def test_each_data_kind_has_its_stack(technology, kind):
    from energy_portfolio.config.site import DATA_KINDS

    assert {k for t, k in _SUM_OF_SQUARES if t == technology} == set(DATA_KINDS)  # every kind has a stack
    stack = default_uncertainty_stack(technology, kind)
    assert quadrature(stack) == pytest.approx(math.sqrt(_SUM_OF_SQUARES[technology, kind]), rel=1e-12)


def test_measured_data_is_the_least_uncertain_and_synthetic_more_than_satellite():
    total = {key: math.sqrt(v) for key, v in _SUM_OF_SQUARES.items()}
    for technology in ("solar", "wind"):
        measured = total[technology, "on_site_measurement"]
        assert all(measured < v for (t, k), v in total.items() if t == technology and k != "on_site_measurement")
    assert total["solar", "synthetic_climatology"] > total["solar", "satellite"]
    assert total["wind", "synthetic_climatology"] > total["wind", "reanalysis"]


def test_p90_on_synthetic_weather_is_below_p90_on_measured_data():
    # One year, no variability: P90 = P50 (1 - z90 sigma), z90 = 1.2816 (closed form), so the
    # ratio of the two P90s is (1 - z90 s_synthetic) / (1 - z90 s_measured).
    z90 = norm.ppf(0.9)
    for technology in ("solar", "wind"):
        p90 = {kind: p_values_from_fractions(1000.0, 0.0, default_uncertainty_stack(technology, kind)).p90
               for kind in ("on_site_measurement", "synthetic_climatology")}
        s_syn = math.sqrt(_SUM_OF_SQUARES[technology, "synthetic_climatology"])
        s_meas = math.sqrt(_SUM_OF_SQUARES[technology, "on_site_measurement"])
        assert p90["synthetic_climatology"] / p90["on_site_measurement"] == pytest.approx(
            (1 - z90 * s_syn) / (1 - z90 * s_meas), rel=1e-12)
        assert p90["synthetic_climatology"] < p90["on_site_measurement"]


def test_an_unknown_data_kind_is_refused():
    with pytest.raises(InputError, match="data_kind = 'mast'; expected one of on_site_measurement"):
        default_uncertainty_stack("wind", "mast")


def test_p90_of_a_known_mean_and_sd():
    # Two years, 90 and 110: mean 100, sample sd (ddof 1) = 10 sqrt 2. With no stack the P90
    # is the 10th percentile of N(100, 10 sqrt 2), computed here by scipy's distribution.
    result = p_values([90.0, 110.0], {})
    sd = 10.0 * math.sqrt(2.0)
    reference = norm(loc=100.0, scale=sd)
    assert result.p50 == pytest.approx(100.0)
    assert result.p90 == pytest.approx(reference.ppf(0.10), rel=1e-12)
    assert result.p99 == pytest.approx(reference.ppf(0.01), rel=1e-12)
    assert result.interannual_fraction == pytest.approx(sd / 100.0)
    assert result.n_years == 2


def test_p90_with_a_stack_matches_the_normal_approximation():
    # Mean 1000 MWh, variability 5 %, stack 3 % and 4 % (5 % in quadrature): sigma = 1000 x
    # sqrt(0.05^2 + 0.05^2) MWh; P90 and P99 are N(1000, sigma)'s 10th and 1st percentiles.
    result = p_values_from_fractions(1000.0, 0.05, {"a": 0.03, "b": 0.04})
    reference = norm(loc=1000.0, scale=1000.0 * math.sqrt(0.005))
    assert result.p90 == pytest.approx(reference.ppf(0.10), rel=1e-12)
    assert result.p99 == pytest.approx(reference.ppf(0.01), rel=1e-12)
    assert result.level(0.75) == pytest.approx(reference.ppf(0.25), rel=1e-12)
    probabilities, values = result.curve()
    assert probabilities[0] == pytest.approx(0.01) and probabilities[-1] == pytest.approx(0.99)
    assert np.all(np.diff(values) < 0)  # exceeded more often -> lower value


def test_p90_of_a_large_normal_sample():
    # 100 000 draws of N(1000, 50): our P90 from the sample (no stack) against the exact
    # 1000 - 1.2816 x 50. Its standard error is about sqrt(50^2/n + (1.28 x 50)^2/(2n))
    # = 0.21 MWh; 1.5 MWh is 7 standard errors, and the draw is seeded.
    sample = np.random.default_rng(2032).normal(1000.0, 50.0, size=100_000)
    result = p_values(sample, {})
    assert result.p90 == pytest.approx(1000.0 - norm.ppf(0.9) * 50.0, abs=1.5)
    # The normal approximation and the sample's own 10th percentile agree for normal data.
    assert result.p90 == pytest.approx(np.percentile(sample, 10), abs=1.5)


def test_portfolio_stack_takes_sites_as_independent():
    # 3000 MWh at 6 % and 4000 MWh at 4.5 %: 180 and 180 MWh -> 180 sqrt 2 / 7000.
    assert combined_stack_fraction([3000.0, 4000.0], [0.06, 0.045]) == pytest.approx(180 * math.sqrt(2) / 7000)


def test_defaults_and_bad_input():
    assert default_uncertainty_stack("battery") == {}
    assert default_uncertainty_stack("solar") == dict(PV_UNCERTAINTY_STACK)
    with pytest.raises(InputError, match="technology = 'hydro'"):
        default_uncertainty_stack("hydro")
    with pytest.raises(InputError, match="at least 2"):
        p_values([100.0], {})
    with pytest.raises(InputError, match="annual_values has 1 missing"):
        interannual_variability_fraction([100.0, np.nan, 90.0])
    with pytest.raises(InputError, match="positive mean"):
        p_values([-10.0, 5.0], {})
    with pytest.raises(InputError, match="strictly between 0 and 1"):
        exceedance_level(100.0, 0.1, 1.0)
    with pytest.raises(InputError, match="uncertainty components"):
        quadrature({"a": -0.01})


def test_site_config_overrides_the_default_stack(project_copy):
    from energy_portfolio.config.load import load_site
    from energy_portfolio.economics import uncertainty_stack
    from energy_portfolio.errors import ConfigError

    path = project_copy / "sites" / "caspian_offshore_wind.yaml"
    text = path.read_text()
    assert uncertainty_stack("wind", load_site(path).energy_uncertainty) == dict(WIND_UNCERTAINTY_STACK)

    # A site modelled from generated weather alone states a larger resource uncertainty.
    path.write_text(text + "energy_uncertainty:\n  resource_measurement: 0.08\n  model: 0.04\n")
    stack = uncertainty_stack("wind", load_site(path).energy_uncertainty)
    assert stack == {"resource_measurement": 0.08, "model": 0.04}
    assert quadrature(stack) == pytest.approx(math.sqrt(0.0080))

    path.write_text(text + "energy_uncertainty:\n  resource_measurement: 8\n")
    with pytest.raises(ConfigError, match="looks like a percentage"):
        load_site(path)


def test_samples_of_energy_delivered_and_revenue():
    # Curtailment caps the good years, so delivered energy varies less than net energy;
    # each quantity gets its own variability and the same stack (0.05 here).
    from energy_portfolio.economics import p_values_of_samples, p_values_summary

    energy = [100.0, 120.0, 80.0, 110.0, 90.0]
    delivered = [95.0, 105.0, 78.0, 102.0, 88.0]
    revenue = [4000.0, 4300.0, 3500.0, 4200.0, 3800.0]
    result = p_values_of_samples([0.05], energy_mwh=energy, delivered_mwh=delivered, revenue_usd=revenue)
    for kind, sample in (("energy", energy), ("delivered", delivered), ("revenue", revenue)):
        mean, sd = np.mean(sample), np.std(sample, ddof=1)
        expected = norm(loc=mean, scale=mean * math.sqrt((sd / mean) ** 2 + 0.05**2)).ppf(0.10)
        assert result[kind].p90 == pytest.approx(expected, rel=1e-12)
    assert result["delivered"].interannual_fraction < result["energy"].interannual_fraction
    summary = p_values_summary(**result)
    assert summary["p90_delivered_mwh"] == result["delivered"].p90
    assert summary["p50_revenue_usd"] == pytest.approx(3960.0)
    assert summary["n_weather_years"] == 5
