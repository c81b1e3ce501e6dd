"""One LP builder function per component kind (in the spirit of PyPSA's ``define_*`` functions).

Each function ``add_<kind>(lp, inputs, state)`` adds its variable blocks, bounds, costs, rows and
its terms in other components' rows (e.g. its injection into ``balance:<zone>``) to an
:class:`~energy_portfolio.dispatch.lp.LpBuilder`. :func:`~energy_portfolio.dispatch.lp.build_lp`
runs :data:`COMPONENTS` in order; that order is the column order of the LP. A new kind of
component needs a builder function here and a block in :mod:`..result`.
"""

from .balance import add_balance
from .commitment import add_commitment
from .flexible import add_flexible_loads
from .hydro import add_hydro
from .lines import add_lines
from .renewables import add_renewables
from .reserves import add_reserves
from .storage import add_storage
from .thermal import add_thermal
from .trade import add_trade
from .unserved import add_unserved

__all__ = [
    "COMPONENTS",
    "add_balance",
    "add_commitment",
    "add_flexible_loads",
    "add_hydro",
    "add_lines",
    "add_renewables",
    "add_reserves",
    "add_storage",
    "add_thermal",
    "add_trade",
    "add_unserved",
]

COMPONENTS = (
    add_balance,
    add_thermal,
    add_hydro,
    add_renewables,
    add_storage,
    add_trade,
    add_lines,
    add_unserved,
    add_commitment,
    add_flexible_loads,
    add_reserves,
)
"""The builders in the order :func:`~energy_portfolio.dispatch.lp.build_lp` runs them (reserves last:
they add terms on every provider's blocks and use the unit-commitment ``online`` block if any)."""
