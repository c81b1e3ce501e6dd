"""The dispatch linear program, assembled directly as ``scipy.sparse`` matrices.

Variables (one block per kind, unit-major: column ``start + unit * T + t``):

=========== ========================= ======================== =======================================
block       bounds [MW or MWh]        cost [USD/MWh]           meaning
=========== ========================= ======================== =======================================
thermal     0 .. capacity x avail.    gas price x heat rate    gas unit output
                                      + variable O&M
hydro       min_output .. capacity    0                        hydro output (energy budget rows)
renewable   0 .. min(avail., conn.)   0                        wind/solar dispatched; curtailment =
                                                               available - dispatched
charge      0 .. power                0                        battery charging (AC side)
discharge   0 .. power                variable O&M + wear      battery discharging (AC side)
soc         soc_min .. soc_max        0                        state of charge at the end of hour t
export_firm firm band (fixed)         - contract price         firm contract sale (revenue only)
export      0 .. capacity - band      - export price (hourly)  opportunistic sale to a neighbour
import      0 .. import capacity      import price (hourly)    purchase from a neighbour
line        -capacity .. capacity     0                        flow from_zone -> to_zone (transport)
unserved    0 .. demand               value of lost load       demand not served (optional)
online      0 .. unit count (integer)  fuel x (no-load + rate_1   units online (unit commitment only)
                                      x min stable)
start       0 .. unit count           fuel x start fuel + wear units started in the hour
shutdown    0 .. unit count           0                        units shut down in the hour
thermal_segment_<k>  0 .. count x w_k fuel x rate_k            output of segment k above min stable
flexible_load    0 .. max draw         0                        a flexible load's draw (e-bus charging)
flexible_energy  floor .. period       0                        its energy drawn so far in the period
=========== ========================= ======================== =======================================

With unit commitment the ``thermal`` block costs only the variable O&M; fuel is priced on the
commitment blocks (:mod:`.components.commitment`).

(``spill``, 0 .. inflow, cost 0, follows ``soc`` for stores with a natural inflow.) Each block is
added by one component of :mod:`.components` to an :class:`LpBuilder`.

Rows, as named row families: zone energy balance ``balance:<zone>`` (equality; its dual is the
zone's marginal price), state-of-charge identity ``soc:<store>``: ``soc[t] = (1 - loss) soc[t-1] +
eta_c charge[t] - discharge[t] / eta_d + inflow[t] - spill[t]`` (equality; cyclic stores wrap
``t = -1`` to the last hour), shared connection of a coupled store and its plant
``plant + discharge - charge <= shared`` (``shared_connection:<store>``) and ``>= -shared``
(``shared_connection:<store>:reverse``), energy budgets ``budget:hydro:<plant>:<period>`` and
``budget:cycles:<store>:<year>`` and, with unit commitment (``u`` units online of
available size ``P``): ``p <= P u`` (``unit_commitment:<unit>:max``), ``min_stable x P u <= p``
(``unit_commitment:<unit>:min``), ``online_transition:<unit>``, ``min_up:<unit>``,
``min_down:<unit>``, ``ramp_up:<unit>``, ``ramp_down:<unit>``, ``thermal_segments:<unit>`` and
``thermal_segment_<k>:<unit>`` (see :mod:`.components.commitment`); a flexible load's energy
``flexible_energy:<load>`` (equality, :mod:`.components.flexible`).

Simultaneous charge and discharge are prevented by cost, not by binaries: the discharge cost is
strictly positive, and charging and discharging in the same hour only loses energy and adds that
cost, so it can be optimal only where wasting energy is worth something, i.e. where the price is
negative. Prices here are never negative while any renewable or hydro output above its minimum
can be turned down (curtailment is free); only must-run hydro above every other use, or with unit
commitment units held at their minimum stable level, could make them so. :mod:`.checks` verifies
after every solve that no hour charges and discharges a battery at once and raises
:class:`DispatchError` naming the battery and hour if one does. The one exception is a store with a
minimum release (``min_release:<store>``): while it pumps it may turbine up to its minimum release,
which beats spilling that water (a plant of several units pumps with one and generates with another).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..errors import InputError
from ..timeseries import hours_in_year
from .inputs import DispatchInputs

__all__ = [
    "BLOCKS",
    "ROW_ORDER",
    "Budget",
    "WindowState",
    "CommitmentState",
    "COMMITMENT_BLOCKS",
    "LinearProgram",
    "LpBuilder",
    "RowFamily",
    "VariableBlock",
    "add_budget",
    "thermal_cost_usd_per_mwh",
    "thermal_max_mw",
    "energy_budgets",
]

BLOCKS = (
    "thermal",
    "hydro",
    "renewable",
    "charge",
    "discharge",
    "soc",
    "spill",
    "export_firm",
    "export",
    "import",
    "line",
    "unserved",
    "online",
    "start",
    "shutdown",
    "flexible_load",
    "flexible_energy",
)
"""The variable blocks of the built-in components, in column order (the order the components run)."""

COMMITMENT_BLOCKS = ("online", "start", "shutdown")
"""The blocks of the commitment, fixed at the MILP's values for the LP re-solve that gives the duals."""

ROW_ORDER = ("balance", "soc", "shared_connection", "budget", "unit_commitment", "hydro_ramp", "min_release")
"""Row families are ordered by kind (the name before the first ``:``) in this order, then in the
order they were added; kinds not listed come last. Equality and inequality rows are separate
matrices, so the order is that of ``a_eq`` (balance, soc) and of ``a_ub`` (the rest)."""


def thermal_cost_usd_per_mwh(units, gas, gas_price_basis: str = "tariff", unit_commitment: bool = False) -> np.ndarray:
    """Marginal cost of each thermal unit: gas price [USD/GJ] x heat rate [GJ/MWh] + variable O&M [USD/MWh].

    Parameters
    ----------
    units : sequence of ThermalUnit
    gas : Gas
    gas_price_basis : {"tariff", "export_value"}
        The regulated price power plants pay, or the gas's export (opportunity) value.
    unit_commitment : bool
        True for the output's cost under unit commitment: the variable O&M only (the fuel is
        priced on the commitment blocks).
    """
    price = 0.0 if unit_commitment else gas.price_usd_per_gj(gas_price_basis)
    return np.array([price * u.heat_rate_gj_per_mwh + u.variable_om_usd_per_mwh for u in units])


def thermal_max_mw(units) -> np.ndarray:
    """Available capacity of each thermal unit: capacity x availability [MW]."""
    return np.array([u.capacity_mw * u.availability for u in units])


@dataclass(frozen=True)
class Budget:
    """An energy limit: ``sum(block[unit, hours in mask]) <= limit_mwh``.

    ``kind`` is ``"hydro"`` (block hydro) or ``"cycles"`` (block discharge); ``period`` labels it
    (``2032`` or ``2032-07``).
    """

    kind: str
    unit: int
    period: str
    mask: np.ndarray
    limit_mwh: float

    @property
    def block(self) -> str:
        return "hydro" if self.kind == "hydro" else "discharge"


def _periods(index: pd.DatetimeIndex, monthly: bool) -> list[tuple[str, np.ndarray, float]]:
    """(label, mask, fraction of the period's calendar hours present) for each year or month in ``index``."""
    years = np.asarray(index.year)
    months = np.asarray(index.month)
    out = []
    for year in np.unique(years):
        if not monthly:
            mask = years == year
            out.append((str(year), mask, mask.sum() / hours_in_year(int(year))))
            continue
        for month in np.unique(months[years == year]):
            mask = (years == year) & (months == month)
            days = pd.Period(year=int(year), month=int(month), freq="M").days_in_month
            out.append((f"{year}-{month:02d}", mask, mask.sum() / (24 * days)))
    return out


def energy_budgets(inputs: DispatchInputs) -> list[Budget]:
    """Hydro budgets (per year or month, chosen scenario) and storage cycle limits (per year).

    A period only partly inside the study gets its budget pro rata to the hours present.
    With a scenario, a monthly budget keeps its monthly shape scaled to the scenario's annual total.
    """
    budgets: list[Budget] = []
    scenario = inputs.hydro_scenario
    for k, hydro in enumerate(inputs.hydro):
        if hydro.monthly_energy_mwh is not None:
            monthly = np.array(hydro.monthly_energy_mwh, dtype=float)
            if scenario is not None:
                monthly = monthly * hydro.scenarios_annual_energy_mwh[scenario] / monthly.sum()
            for label, mask, share in _periods(inputs.index, monthly=True):
                month = int(label[-2:])
                budgets.append(Budget("hydro", k, label, mask, monthly[month - 1] * share))
        else:
            annual = hydro.annual_energy_mwh if scenario is None else hydro.scenarios_annual_energy_mwh[scenario]
            for label, mask, share in _periods(inputs.index, monthly=False):
                budgets.append(Budget("hydro", k, label, mask, float(annual) * share))
    for k, store in enumerate(inputs.storage):
        if store.cycle_limit_per_year is None:
            continue
        for label, mask, share in _periods(inputs.index, monthly=False):
            limit = store.cycle_limit_per_year * store.energy_mwh * share
            budgets.append(Budget("cycles", k, label, mask, limit))
    return budgets


@dataclass(frozen=True)
class CommitmentState:
    """Unit-commitment state before a window's first hour, per thermal group.

    Attributes
    ----------
    online : numpy.ndarray
        Units online in the hour before the window.
    output_mw : numpy.ndarray or None
        Output in the hour before the window [MW]; None for none known (no ramp limit in hour 0).
    starts, shutdowns : numpy.ndarray
        Starts and shutdowns of each group in the hours before the window, shape (groups, H),
        the last column the hour just before (H = the longest minimum up or down time).
    """

    online: np.ndarray
    output_mw: np.ndarray | None
    starts: np.ndarray
    shutdowns: np.ndarray

    @classmethod
    def initial(cls, units) -> "CommitmentState":
        """Before the study: every unit online for longer than its minimum up time (no history of
        starts or shutdowns), no known output (PyPSA's default ``up_time_before``)."""
        history = max([max(u.min_up_h, u.min_down_h) for u in units] + [1])
        zeros = np.zeros((len(units), history))
        return cls(np.array([float(u.unit_count) for u in units]), None, zeros, zeros.copy())


@dataclass(frozen=True)
class WindowState:
    """Boundary conditions of one solve window.

    Attributes
    ----------
    soc_start_mwh : numpy.ndarray
        State of charge before the first hour, per store; NaN means cyclic (wrap to the last hour).
    soc_end_mwh : numpy.ndarray
        Required state of charge at the end of the last hour, per store; NaN means free.
    budgets : list of Budget
        Energy limits with masks over the window's hours.
    commitment : CommitmentState or None
        Units online, last output and recent starts and shutdowns before the window (unit
        commitment only; None means :meth:`CommitmentState.initial`).
    integer_hours : int or None
        With integer commitment, the first hours whose commitment is integer (the hours a rolling
        window keeps); the look-ahead after them is relaxed. None: every hour integer.
    hydro_before_mw : numpy.ndarray or None
        Output of each hydro plant in the hour before the window [MW], for the ramp limits of its
        first hour; None (the study's first window) leaves the first hour free.
    flexible_delivered_mwh : numpy.ndarray or None
        Energy each flexible load drew in its period in progress before the window's first hour
        [MWh] (0 when the window starts a period); None for none (the study's first window).
    """

    soc_start_mwh: np.ndarray
    soc_end_mwh: np.ndarray
    budgets: list[Budget]
    commitment: CommitmentState | None = None
    integer_hours: int | None = None
    hydro_before_mw: np.ndarray | None = None
    flexible_delivered_mwh: np.ndarray | None = None


@dataclass(frozen=True)
class VariableBlock:
    """One kind of variable: ``len(ids)`` units x ``hours`` columns from ``start``, unit-major."""

    name: str
    ids: tuple[str, ...]
    start: int


@dataclass(frozen=True)
class RowFamily:
    """Named rows of ``a_eq`` (``sense == "="``) or ``a_ub`` (``"<="``) from ``start``.

    ``hours`` is None for an hourly family (row ``t`` belongs to hour ``t`` of the window) and
    otherwise the window hours a single row covers (an energy budget).
    """

    name: str
    sense: str
    start: int
    size: int
    hours: np.ndarray | None = None

    @property
    def kind(self) -> str:
        return self.name.split(":", 1)[0]


@dataclass(frozen=True)
class LinearProgram:
    """``min c x`` s.t. ``a_ub x <= b_ub``, ``a_eq x = b_eq``, ``lower <= x <= upper`` (CSR matrices).

    ``blocks`` names the columns (variable blocks in column order) and ``rows`` the rows (row
    families in row order, equality and inequality).
    """

    c: np.ndarray
    a_ub: sp.csr_matrix
    b_ub: np.ndarray
    a_eq: sp.csr_matrix
    b_eq: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    integrality: np.ndarray | None
    hours: int
    blocks: dict[str, VariableBlock]
    rows: dict[str, RowFamily]

    @property
    def counts(self) -> dict[str, int]:
        """Units per variable block."""
        return {name: len(block.ids) for name, block in self.blocks.items()}

    @property
    def starts(self) -> dict[str, int]:
        """First column of each variable block."""
        return {name: block.start for name, block in self.blocks.items()}

    @property
    def balance_rows(self) -> int:
        """Number of zone-balance rows (the first rows of ``a_eq``, zone-major)."""
        return sum(f.size for f in self.rows.values() if f.kind == "balance")

    @property
    def n_variables(self) -> int:
        return len(self.c)

    @property
    def n_constraints(self) -> int:
        return self.a_ub.shape[0] + self.a_eq.shape[0]

    @property
    def n_nonzeros(self) -> int:
        return self.a_ub.nnz + self.a_eq.nnz

    def columns(self, block: str, unit: int) -> np.ndarray:
        """Column indices of one unit's hourly variables."""
        start = self.blocks[block].start + unit * self.hours
        return np.arange(start, start + self.hours)

    def values(self, x: np.ndarray, block: str) -> np.ndarray:
        """A block's values from a solution vector, shape (units, hours)."""
        start, n = self.blocks[block].start, len(self.blocks[block].ids)
        return x[start : start + n * self.hours].reshape(n, self.hours)

    def row_duals(self, eq_duals: np.ndarray, ub_duals: np.ndarray) -> dict[str, np.ndarray]:
        """Split the duals of ``a_eq`` and ``a_ub`` rows by row family name."""
        out = {}
        for name, f in self.rows.items():
            out[name] = (eq_duals if f.sense == "=" else ub_duals)[f.start : f.start + f.size]
        return out


class _Family:
    """A row family while it is being built: sense, right-hand side and COO entries with local rows."""

    def __init__(self, sense: str, rhs: np.ndarray, hours: np.ndarray | None) -> None:
        self.sense, self.rhs, self.hours = sense, rhs, hours
        self.rows: list[np.ndarray] = []
        self.cols: list[np.ndarray] = []
        self.vals: list[np.ndarray] = []


class LpBuilder:
    """What the components add to: named variable blocks and named row families.

    A component calls :meth:`add_block` for its variables (bounds and costs per unit, or per unit
    and hour), :meth:`add_rows` for its constraints and :meth:`add_terms` for its coefficients in
    any family (e.g. its injection into ``balance:<zone>``); :meth:`build` assembles the
    :class:`LinearProgram`. Columns follow the order of :meth:`add_block` calls, rows the
    :data:`ROW_ORDER` of their kinds.
    """

    def __init__(self, hours: int) -> None:
        self.hours = hours
        self.hour_index = np.arange(hours)
        self.blocks: dict[str, VariableBlock] = {}
        self._lower: list[np.ndarray] = []
        self._upper: list[np.ndarray] = []
        self._cost: list[np.ndarray] = []
        self._integer_columns: list[np.ndarray] = []
        self._fixed: list[tuple[int, float]] = []
        self._families: dict[str, _Family] = {}
        self._n = 0

    def _flat(self, values, n: int) -> np.ndarray:
        """Scalars, per-unit (n,) or per-unit-and-hour (n, T) values as a block's flat vector."""
        values = np.asarray(values, dtype=float)
        if values.ndim == 0:
            return np.full(n * self.hours, float(values))
        if values.ndim == 1:
            values = np.repeat(values[:, None], self.hours, axis=1)
        return values.reshape(n * self.hours)

    def add_block(
        self, name: str, ids: Sequence[str], lower, upper, cost=0.0, integer: bool | np.ndarray = False
    ) -> None:
        """Add ``len(ids)`` units x ``hours`` variables; bounds [MW, MWh or 1] and cost [USD per unit].

        ``integer`` is True (every hour integer), False, or a boolean mask over the hours (integer
        in the hours where it is True, e.g. the kept hours of a rolling window).

        Raises
        ------
        InputError
            A lower bound above its upper bound, naming the block, unit id and hour.
        """
        if name in self.blocks:
            raise ValueError(f"variable block {name!r} added twice")
        n = len(ids)
        lo, hi, c = self._flat(lower, n), self._flat(upper, n), self._flat(cost, n)
        bad = lo > hi + 1e-9
        if bad.any():
            i = int(np.argmax(bad))
            raise InputError(
                f"dispatch: {name} variable of {ids[i // self.hours]} at hour {i % self.hours}: lower bound "
                f"{lo[i]:g} above upper bound {hi[i]:g}"
            )
        self.blocks[name] = VariableBlock(name, tuple(ids), self._n)
        self._lower.append(lo)
        self._upper.append(hi)
        self._cost.append(c)
        if isinstance(integer, np.ndarray):
            hours = np.flatnonzero(np.asarray(integer, dtype=bool))
            self._integer_columns.append((self._n + np.arange(n)[:, None] * self.hours + hours).ravel())
        elif integer:
            self._integer_columns.append(np.arange(self._n, self._n + n * self.hours))
        self._n += n * self.hours

    def columns(self, block: str, unit: int) -> np.ndarray:
        """Column indices of one unit's hourly variables."""
        return self.blocks[block].start + unit * self.hours + self.hour_index

    def has_block(self, name: str) -> bool:
        """Whether a component has added the variable block ``name`` (e.g. ``online``)."""
        return name in self.blocks

    def unit(self, block: str, unit_id: str) -> int:
        """Position of ``unit_id`` in a block."""
        return self.blocks[block].ids.index(unit_id)

    def fix(self, block: str, unit: int, hour: int, value: float) -> None:
        """Fix one variable (e.g. the state of charge at the end of a window)."""
        self._fixed.append((int(self.columns(block, unit)[hour]), float(value)))

    def add_rows(self, name: str, sense: str, rhs, hours: np.ndarray | None = None) -> None:
        """Add a row family ``name`` (``sense`` ``"="`` or ``"<="``) with right-hand side ``rhs``.

        ``hours`` is None for one row per hour, else the window hours a single row covers.
        """
        if name in self._families:
            raise ValueError(f"row family {name!r} added twice")
        if sense not in ("=", "<="):
            raise ValueError(f"row family {name!r}: sense {sense!r}; expected '=' or '<='")
        self._families[name] = _Family(sense, np.asarray(rhs, dtype=float).reshape(-1), hours)

    def add_terms(self, family: str, rows, cols, vals) -> None:
        """Coefficients ``vals`` at (``rows`` of ``family``, ``cols``); ``vals`` broadcasts."""
        f = self._families[family]
        rows = np.asarray(rows, dtype=np.int64)
        f.rows.append(rows)
        f.cols.append(np.asarray(cols, dtype=np.int64))
        f.vals.append(np.broadcast_to(np.asarray(vals, dtype=float), rows.shape))

    def _matrix(self, names: list[str], sense: str, rows: dict) -> tuple[sp.csr_matrix, np.ndarray]:
        rank = {kind: i for i, kind in enumerate(ROW_ORDER)}
        ordered = sorted(names, key=lambda n: rank.get(n.split(":", 1)[0], len(ROW_ORDER)))
        r, c, v, rhs, offset = [], [], [], [], 0
        for name in ordered:
            f = self._families[name]
            rows[name] = RowFamily(name, sense, offset, len(f.rhs), f.hours)
            r += [x + offset for x in f.rows]
            c += f.cols
            v += f.vals
            rhs.append(f.rhs)
            offset += len(f.rhs)
        if not r:
            return sp.csr_matrix((offset, self._n)), np.concatenate(rhs) if rhs else np.zeros(0)
        coo = sp.coo_matrix((np.concatenate(v), (np.concatenate(r), np.concatenate(c))), shape=(offset, self._n))
        return coo.tocsr(), np.concatenate(rhs)

    def build(self) -> LinearProgram:
        """The assembled :class:`LinearProgram`."""
        lower, upper = np.concatenate(self._lower), np.concatenate(self._upper)
        for column, value in self._fixed:
            lower[column] = upper[column] = value
        rows: dict[str, RowFamily] = {}
        a_eq, b_eq = self._matrix([n for n, f in self._families.items() if f.sense == "="], "=", rows)
        a_ub, b_ub = self._matrix([n for n, f in self._families.items() if f.sense == "<="], "<=", rows)
        integrality = None
        if self._integer_columns:
            integrality = np.zeros(self._n)
            for columns in self._integer_columns:
                integrality[columns] = 1
        return LinearProgram(
            c=np.concatenate(self._cost), a_ub=a_ub, b_ub=b_ub, a_eq=a_eq, b_eq=b_eq, lower=lower, upper=upper,
            integrality=integrality, hours=self.hours, blocks=dict(self.blocks), rows=rows,
        )


def add_budget(lp: LpBuilder, budget: Budget, unit_id: str) -> None:
    """The row ``sum(block[unit, hours in mask]) <= limit_mwh`` as family ``budget:<kind>:<unit id>:<period>``."""
    hours_in = np.flatnonzero(budget.mask)
    if hours_in.size == 0:
        return
    name = f"budget:{budget.kind}:{unit_id}:{budget.period}"
    lp.add_rows(name, "<=", [budget.limit_mwh], hours=hours_in)
    lp.add_terms(name, np.zeros(hours_in.size, dtype=np.int64), lp.columns(budget.block, budget.unit)[hours_in], 1.0)
