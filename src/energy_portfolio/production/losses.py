"""Loss waterfall bookkeeping shared by the solar and wind models.

A waterfall starts from a reference energy (plane-of-array irradiation times the array's
STC efficiency for PV, gross no-wake energy for wind) and lists each loss step in the order
the model applies it, with the energy entering and leaving the step. A step's loss fraction
is ``1 - out / in`` ("fraction of the energy entering that step", the ``losses`` block of
``summary.json``). Gains (bifacial rear-side irradiance) are steps with a negative fraction.

Because every step records the energy actually simulated, the product of ``1 - fraction``
over the steps reproduces the final energy exactly; ``reconcile`` checks this against an
independently summed output.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["LossStep", "Waterfall", "waterfall_from_stages"]


@dataclass(frozen=True)
class LossStep:
    """One step of a waterfall.

    Attributes
    ----------
    name : str
        Loss name, snake_case (``soiling``, ``inverter_clipping``, ``wakes``...).
    energy_in_mwh, energy_out_mwh : float
        Energy entering and leaving the step over the period [MWh].
    """

    name: str
    energy_in_mwh: float
    energy_out_mwh: float

    @property
    def fraction(self) -> float:
        """Loss as a fraction of the energy entering the step (negative for a gain)."""
        if self.energy_in_mwh == 0:
            return 0.0
        return 1.0 - self.energy_out_mwh / self.energy_in_mwh

    @property
    def loss_mwh(self) -> float:
        return self.energy_in_mwh - self.energy_out_mwh


@dataclass(frozen=True)
class Waterfall:
    """An ordered chain of loss steps from a reference energy to the delivered energy.

    Attributes
    ----------
    reference : str
        What the starting energy is (e.g. ``"poa_irradiation_at_stc_efficiency"``).
    reference_mwh : float
        Starting energy [MWh].
    steps : tuple of LossStep
    """

    reference: str
    reference_mwh: float
    steps: tuple[LossStep, ...]

    @property
    def final_mwh(self) -> float:
        return self.steps[-1].energy_out_mwh if self.steps else self.reference_mwh

    def fractions(self) -> dict[str, float]:
        """``{name: fraction}`` in order, the ``losses`` block of summary.json."""
        return {step.name: step.fraction for step in self.steps}

    def implied_final_mwh(self) -> float:
        """Reference energy times the product of (1 - fraction) over all steps [MWh]."""
        return self.reference_mwh * float(np.prod([1.0 - s.fraction for s in self.steps]))

    def reconcile(self, output_mwh: float, rel_tol: float = 1e-3) -> bool:
        """True when the waterfall reproduces ``output_mwh`` within ``rel_tol``.

        Parameters
        ----------
        output_mwh : float
            The energy summed independently from the model's hourly output [MWh].
        rel_tol : float
            Relative tolerance (issues 4 and 5 ask for 0.1 %).
        """
        implied = self.implied_final_mwh()
        scale = max(abs(output_mwh), abs(implied), 1e-12)
        return abs(implied - output_mwh) <= rel_tol * scale

    def rows(self) -> list[tuple[str, float, float, float]]:
        """(name, energy in [MWh], fraction, energy out [MWh]) for printing."""
        return [(s.name, s.energy_in_mwh, s.fraction, s.energy_out_mwh) for s in self.steps]


def waterfall_from_stages(
    reference: str,
    reference_mw: Sequence[float] | np.ndarray,
    stages: Iterable[tuple[str, Sequence[float] | np.ndarray]],
    hours_per_step: float = 1.0,
) -> Waterfall:
    """Build a waterfall from hourly power after each stage.

    Parameters
    ----------
    reference : str
        Name of the starting quantity.
    reference_mw : array-like
        Hourly power (or power-equivalent) before any loss [MW].
    stages : iterable of (name, array-like)
        Hourly power after each loss step, in the order applied [MW].
    hours_per_step : float
        Length of one time step [h]; energy = sum(power) x hours_per_step.

    Returns
    -------
    Waterfall
    """
    energy_in = float(np.nansum(reference_mw)) * hours_per_step
    start = energy_in
    steps = []
    for name, power_mw in stages:
        energy_out = float(np.nansum(power_mw)) * hours_per_step
        steps.append(LossStep(name, energy_in, energy_out))
        energy_in = energy_out
    return Waterfall(reference, start, tuple(steps))
