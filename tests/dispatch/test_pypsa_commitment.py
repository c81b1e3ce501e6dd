"""Unit commitment against PyPSA's committable generators on the exported network.

Each thermal group is exported as ``unit_count`` committable Generators; the fuel curve is reduced
to one segment (PyPSA takes one marginal cost per generator). Integer: both are MILPs solved to a
gap of 0.5 % (ours of its objective or of the cost of the demand at the cheapest gas unit,
``solve.mip_abs_gap_usd``), so the objectives agree within the two gaps (not exactly: either solver may
stop anywhere inside its gap) and the starts per plant are compared with a tolerance of a few starts, since
equal-cost commitments are not unique. Relaxed against PyPSA's ``linearized_unit_commitment``: the
same optimum to 1e-6 without start costs; with them two different relaxations, checked against
the bounds every relaxation of the problem must respect.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from energy_portfolio.dispatch import solve
from energy_portfolio.dispatch.pypsa_export import pypsa_totals, to_pypsa
from energy_portfolio.dispatch.solve import mip_abs_gap_usd

from .default_problem import default_inputs

pytest.importorskip("pypsa")

WEEKS = {"winter": slice(24 * 14, 24 * 21), "summer": slice(24 * 196, 24 * 203)}


def _single_segment(unit):
    width = unit.size_mw * (1.0 - unit.min_stable_fraction)
    return dataclasses.replace(unit, segments_mw=(width,), segment_heat_rates_gj_per_mwh=(unit.heat_rate_gj_per_mwh,))


def _inputs(week: str, commitment: str):
    inputs = default_inputs(hours=WEEKS[week])
    options = dataclasses.replace(inputs.options, operations="unit_commitment", commitment=commitment)
    units = tuple(_single_segment(u) for u in inputs.thermal_units)
    return dataclasses.replace(inputs, options=options, thermal_units=units)


def _pypsa(inputs, linearized: bool):
    network = to_pypsa(inputs)
    kwargs = {"linearized_unit_commitment": True} if linearized else {"mip_rel_gap": inputs.options.mip_rel_gap}
    status, condition = network.optimize(solver_name="highs", log_to_console=False,
                                         include_objective_constant=False, **kwargs)
    assert status == "ok", condition
    return network


@pytest.mark.slow
@pytest.mark.parametrize("week", sorted(WEEKS))
def test_integer_commitment_matches_pypsa(week):
    inputs = _inputs(week, "integer")
    ours = solve(inputs)
    network = _pypsa(inputs, linearized=False)
    theirs = pypsa_totals(network, inputs)
    gap = inputs.options.mip_rel_gap
    # Each MILP stops anywhere within its gap of the optimum: ours within mip_rel_gap of its objective or
    # within mip_abs_gap_usd (0.5 % of the cost of the week's demand at the cheapest gas unit), PyPSA's
    # within mip_rel_gap of its objective; so the two differ by at most the sum of the two.
    bound = max(gap * abs(ours.objective_usd), mip_abs_gap_usd(inputs)) + gap * abs(theirs["objective_usd"])
    assert abs(theirs["objective_usd"] - ours.objective_usd) <= bound
    status = network.generators_t.status
    for unit in inputs.thermal_units:
        names = [f"{unit.id}#{k}" for k in range(unit.unit_count)]
        online = status[names].to_numpy()
        starts = float(np.maximum(np.diff(online, axis=0), 0.0).sum() + np.maximum(online[0] - 1, 0).sum())
        assert starts == pytest.approx(float(ours.starts[unit.id].sum()), abs=max(2.0, 0.1 * starts)), unit.id


@pytest.mark.slow
@pytest.mark.parametrize("week", sorted(WEEKS))
def test_relaxed_commitment_matches_pypsa_linearized(week):
    # Without start costs the relaxed clustered commitment and PyPSA's linearised unit commitment
    # are the same LP optimum (identical units are interchangeable): 1e-6 relative, HiGHS' tolerances.
    free = _inputs(week, "relaxed")
    free = dataclasses.replace(free, thermal_units=tuple(
        dataclasses.replace(u, start_fuel_gj=0.0, start_wear_usd=0.0) for u in free.thermal_units))
    ours_free = solve(free).objective_usd
    assert pypsa_totals(_pypsa(free, linearized=True), free)["objective_usd"] == pytest.approx(ours_free, rel=1e-6)
    # With start costs the two are different relaxations: ours counts a cluster's starts from the
    # change in its units online, PyPSA's from each unit's own status, with its start-up and
    # shut-down ramp rows (Hua et al. 2017), so their fractional starts differ (measured on the
    # winter week: 4e-5 of the objective). Both must lie between the LP without start costs and
    # our integer commitment's cost, which bound any relaxation of the same problem from below
    # and above (the integer solution is feasible for both relaxations).
    inputs = _inputs(week, "relaxed")
    ours = solve(inputs).objective_usd
    theirs = pypsa_totals(_pypsa(inputs, linearized=True), inputs)["objective_usd"]
    integer = solve(_inputs(week, "integer")).objective_usd
    for relaxed in (ours, theirs):
        assert ours_free * (1 - 1e-6) <= relaxed <= integer * (1 + 1e-6)
