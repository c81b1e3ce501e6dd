"""The dispatch LP of a window: every component kind's builder run on one :class:`~.lp.LpBuilder`.

Kept apart from :mod:`.lp` (the builder) because the components import the builder: the builder
knows no component, and this module knows both.
"""

from __future__ import annotations

from .components import COMPONENTS
from .inputs import DispatchInputs
from .lp import LinearProgram, LpBuilder, WindowState

__all__ = ["build_lp"]


def build_lp(inputs: DispatchInputs, state: WindowState) -> LinearProgram:
    """Assemble the dispatch LP (or MILP with ``options.unit_commitment``) for ``inputs``' hours.

    Each component of :data:`~energy_portfolio.dispatch.components.COMPONENTS` adds its
    variables, rows and costs to one :class:`LpBuilder`.

    Parameters
    ----------
    inputs : DispatchInputs
        The window's inputs (all hours of the window).
    state : WindowState
        Initial and final state of charge and the window's energy budgets.

    Returns
    -------
    LinearProgram
    """
    builder = LpBuilder(inputs.hours)
    for add in COMPONENTS:
        add(builder, inputs, state)
    return builder.build()
