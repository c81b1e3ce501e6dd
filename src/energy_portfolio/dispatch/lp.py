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
export      0 .. export capacity      - export price           sale to a neighbour
import      0 .. import capacity      import price             purchase from a neighbour
line        -capacity .. capacity     0                        flow from_zone -> to_zone (transport)
unserved    0 .. demand               value of lost load       demand not served (optional)
commit      {0, 1}                    0                        unit on (unit-commitment option only)
=========== ========================= ======================== =======================================

Rows: zone energy balance (equality; its dual is the zone's marginal price), state-of-charge
identity ``soc[t] = (1 - loss) soc[t-1] + eta_c charge[t] - discharge[t] / eta_d`` (equality;
cyclic batteries wrap ``t = -1`` to the last hour), shared connection of a coupled battery and
its plant ``|plant + discharge - charge| <= shared`` (two inequalities), energy budgets (hydro per
year or month, battery cycles per year) and, with unit commitment,
``min_stable x avail. x cap x u <= p <= avail. x cap x u``.

Simultaneous charge and discharge are prevented by cost, not by binaries: the discharge cost is
strictly positive, and charging and discharging in the same hour only loses energy and adds that
cost, so it can be optimal only where wasting energy is worth something, i.e. where the price is
negative. Prices here are never negative while any renewable or hydro output above its minimum
can be turned down (curtailment is free); only must-run hydro above every other use, or with unit
commitment units held at their minimum stable level, could make them so. :mod:`.checks` verifies
after every solve that no hour charges and discharges a battery at once and raises
:class:`DispatchError` naming the battery and hour if one does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..config.grid import GridSpec
from ..errors import InputError
from ..timeseries import hours_in_year
from .inputs import DispatchInputs

__all__ = [
    "BLOCKS",
    "Budget",
    "WindowState",
    "LinearProgram",
    "thermal_cost_usd_per_mwh",
    "thermal_max_mw",
    "energy_budgets",
    "build_lp",
]

BLOCKS = (
    "thermal",
    "hydro",
    "renewable",
    "charge",
    "discharge",
    "soc",
    "export",
    "import",
    "line",
    "unserved",
    "commit",
)


def thermal_cost_usd_per_mwh(grid: GridSpec, gas_price_basis: str = "tariff") -> np.ndarray:
    """Marginal cost of each thermal unit: gas price [USD/GJ] x heat rate [GJ/MWh] + variable O&M.

    ``gas_price_basis`` is ``"tariff"`` (the price power plants pay) or ``"export_value"`` (the
    gas's opportunity cost), as in ``DispatchOptions.gas_price_basis``.
    """
    price = grid.gas.price_usd_per_gj(gas_price_basis)
    return np.array([price * u.heat_rate + u.variable_om_usd_per_mwh for u in grid.thermal_units])


def thermal_max_mw(grid: GridSpec) -> np.ndarray:
    """Available capacity of each thermal unit: capacity x availability [MW]."""
    return np.array([u.capacity_mw * u.availability for u in grid.thermal_units])


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
    """Hydro budgets (per year or month, chosen scenario) and battery cycle limits (per year).

    A period only partly inside the study gets its budget pro rata to the hours present.
    With a scenario, a monthly budget keeps its monthly shape scaled to the scenario's annual total.
    """
    budgets: list[Budget] = []
    scenario = inputs.hydro_scenario
    for k, hydro in enumerate(inputs.grid.hydro):
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
    for k, battery in enumerate(inputs.batteries):
        if battery.cycle_limit_per_year is None:
            continue
        for label, mask, share in _periods(inputs.index, monthly=False):
            limit = battery.cycle_limit_per_year * battery.energy_mwh * share
            budgets.append(Budget("cycles", k, label, mask, limit))
    return budgets


@dataclass(frozen=True)
class WindowState:
    """Boundary conditions of one solve window.

    Attributes
    ----------
    soc_start_mwh : numpy.ndarray
        State of charge before the first hour, per battery; NaN means cyclic (wrap to the last hour).
    soc_end_mwh : numpy.ndarray
        Required state of charge at the end of the last hour, per battery; NaN means free.
    budgets : list of Budget
        Energy limits with masks over the window's hours.
    """

    soc_start_mwh: np.ndarray
    soc_end_mwh: np.ndarray
    budgets: list[Budget]


@dataclass(frozen=True)
class LinearProgram:
    """``min c x`` s.t. ``a_ub x <= b_ub``, ``a_eq x = b_eq``, ``lower <= x <= upper`` (CSR matrices)."""

    c: np.ndarray
    a_ub: sp.csr_matrix
    b_ub: np.ndarray
    a_eq: sp.csr_matrix
    b_eq: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    integrality: np.ndarray | None
    hours: int
    counts: dict[str, int]
    starts: dict[str, int]
    balance_rows: int
    """Number of zone-balance rows (the first rows of ``a_eq``, zone-major)."""

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
        start = self.starts[block] + unit * self.hours
        return np.arange(start, start + self.hours)

    def values(self, x: np.ndarray, block: str) -> np.ndarray:
        """A block's values from a solution vector, shape (units, hours)."""
        start = self.starts[block]
        return x[start : start + self.counts[block] * self.hours].reshape(self.counts[block], self.hours)


class _Triplets:
    """Accumulates COO entries of one matrix."""

    def __init__(self) -> None:
        self.rows: list[np.ndarray] = []
        self.cols: list[np.ndarray] = []
        self.vals: list[np.ndarray] = []

    def add(self, rows, cols, vals) -> None:
        rows = np.asarray(rows, dtype=np.int64)
        self.rows.append(rows)
        self.cols.append(np.asarray(cols, dtype=np.int64))
        self.vals.append(np.broadcast_to(np.asarray(vals, dtype=float), rows.shape))

    def matrix(self, n_rows: int, n_cols: int) -> sp.csr_matrix:
        if not self.rows:
            return sp.csr_matrix((n_rows, n_cols))
        coo = sp.coo_matrix(
            (np.concatenate(self.vals), (np.concatenate(self.rows), np.concatenate(self.cols))),
            shape=(n_rows, n_cols),
        )
        return coo.tocsr()


def build_lp(inputs: DispatchInputs, state: WindowState) -> LinearProgram:
    """Assemble the dispatch LP (or MILP with ``options.unit_commitment``) for ``inputs``' hours.

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
    grid = inputs.grid
    n_hours = inputs.hours
    hours = np.arange(n_hours)
    zones = {z: i for i, z in enumerate(grid.zone_ids)}
    plants = {p.id: i for i, p in enumerate(inputs.renewables)}
    commit = inputs.options.unit_commitment
    counts = {
        "thermal": len(grid.thermal_units),
        "hydro": len(grid.hydro),
        "renewable": len(inputs.renewables),
        "charge": len(inputs.batteries),
        "discharge": len(inputs.batteries),
        "soc": len(inputs.batteries),
        "export": len(grid.interconnectors),
        "import": len(grid.interconnectors),
        "line": len(grid.lines),
        "unserved": len(zones) if inputs.allow_unserved else 0,
        "commit": len(grid.thermal_units) if commit else 0,
    }
    starts, offset = {}, 0
    for name in BLOCKS:
        starts[name] = offset
        offset += counts[name] * n_hours
    n_vars = offset

    def full(block: str, per_unit: np.ndarray) -> np.ndarray:
        """Per-unit constants (n,) or hourly values (n, T) as a block's flat vector."""
        per_unit = np.asarray(per_unit, dtype=float)
        if per_unit.ndim == 1:
            per_unit = np.repeat(per_unit[:, None], n_hours, axis=1)
        return per_unit.reshape(counts[block] * n_hours)

    def cols(block: str, unit: int) -> np.ndarray:
        return starts[block] + unit * n_hours + hours

    demand = inputs.demand_mw.to_numpy(dtype=float).T  # (Z, T)
    batteries = inputs.batteries
    thermal_max = thermal_max_mw(grid)
    cost_parts = {
        "thermal": thermal_cost_usd_per_mwh(grid, inputs.options.gas_price_basis),
        "hydro": np.zeros(counts["hydro"]),
        "renewable": np.zeros(counts["renewable"]),
        "charge": np.zeros(counts["charge"]),
        "discharge": np.array([b.discharge_cost_usd_per_mwh for b in batteries]),
        "soc": np.zeros(counts["soc"]),
        "export": -np.array([i.export_price_usd_per_mwh for i in grid.interconnectors]),
        "import": np.array([i.import_price_usd_per_mwh for i in grid.interconnectors]),
        "line": np.zeros(counts["line"]),
        "unserved": np.full(counts["unserved"], grid.value_of_lost_load_usd_per_mwh),
        "commit": np.zeros(counts["commit"]),
    }
    available = np.array([p.available_mw for p in inputs.renewables]).reshape(counts["renewable"], n_hours)
    connection = np.array([p.connection_mw for p in inputs.renewables])
    soc_lo = np.array([b.soc_min_fraction * b.energy_mwh for b in batteries])
    soc_hi = np.array([b.soc_max_fraction * b.energy_mwh for b in batteries])
    bounds = {
        "thermal": (np.zeros(counts["thermal"]), thermal_max),
        "hydro": (np.array([h.min_output_mw for h in grid.hydro]), np.array([h.capacity_mw for h in grid.hydro])),
        "renewable": (np.zeros_like(available), np.minimum(available, connection[:, None])),
        "charge": (np.zeros(len(batteries)), np.array([b.power_mw for b in batteries])),
        "discharge": (np.zeros(len(batteries)), np.array([b.power_mw for b in batteries])),
        "soc": (soc_lo, soc_hi),
        "export": (np.zeros(counts["export"]), np.array([i.export_capacity_mw for i in grid.interconnectors])),
        "import": (np.zeros(counts["import"]), np.array([i.import_capacity_mw for i in grid.interconnectors])),
        "line": (-np.array([ln.capacity_mw for ln in grid.lines]), np.array([ln.capacity_mw for ln in grid.lines])),
        "unserved": (np.zeros_like(demand[: counts["unserved"]]), demand[: counts["unserved"]]),
        "commit": (np.zeros(counts["commit"]), np.ones(counts["commit"])),
    }
    c = np.concatenate([full(name, cost_parts[name]) for name in BLOCKS])
    lower = np.concatenate([full(name, bounds[name][0]) for name in BLOCKS])
    upper = np.concatenate([full(name, bounds[name][1]) for name in BLOCKS])
    for b in range(len(batteries)):
        if not np.isnan(state.soc_end_mwh[b]):
            last = starts["soc"] + b * n_hours + n_hours - 1
            lower[last] = upper[last] = state.soc_end_mwh[b]

    # Equalities: zone balance (Z x T rows), then state of charge (B x T rows).
    eq = _Triplets()

    def balance(block: str, unit_zones: list[str], sign: float) -> None:
        for unit, zone in enumerate(unit_zones):
            eq.add(zones[zone] * n_hours + hours, cols(block, unit), sign)

    balance("thermal", [u.zone for u in grid.thermal_units], 1.0)
    balance("hydro", [h.zone for h in grid.hydro], 1.0)
    balance("renewable", [p.zone for p in inputs.renewables], 1.0)
    balance("discharge", [b.zone for b in batteries], 1.0)
    balance("charge", [b.zone for b in batteries], -1.0)
    balance("import", [i.zone for i in grid.interconnectors], 1.0)
    balance("export", [i.zone for i in grid.interconnectors], -1.0)
    balance("line", [ln.to_zone for ln in grid.lines], 1.0)
    balance("line", [ln.from_zone for ln in grid.lines], -1.0)
    if inputs.allow_unserved:
        balance("unserved", list(grid.zone_ids), 1.0)
    n_balance = len(zones) * n_hours
    b_eq = [demand.reshape(-1)]
    for b, battery in enumerate(batteries):
        rows = n_balance + b * n_hours + hours
        keep = 1.0 - battery.standing_loss_per_hour
        eq.add(rows, cols("soc", b), 1.0)
        eq.add(rows[1:], cols("soc", b)[:-1], -keep)
        eq.add(rows, cols("charge", b), -battery.charge_efficiency)
        eq.add(rows, cols("discharge", b), 1.0 / battery.discharge_efficiency)
        rhs = np.zeros(n_hours)
        if np.isnan(state.soc_start_mwh[b]):
            eq.add(rows[:1], cols("soc", b)[-1:], -keep)
        else:
            rhs[0] = keep * state.soc_start_mwh[b]
        b_eq.append(rhs)
    n_eq = n_balance + len(batteries) * n_hours

    # Inequalities: shared connections, energy budgets, unit commitment.
    ub = _Triplets()
    b_ub: list[np.ndarray] = []
    row = 0
    for b, battery in enumerate(batteries):
        if battery.coupled_plant is None:
            continue
        p = plants[battery.coupled_plant]
        for sign in (1.0, -1.0):
            rows = row + hours
            ub.add(rows, cols("renewable", p), sign)
            ub.add(rows, cols("discharge", b), sign)
            ub.add(rows, cols("charge", b), -sign)
            b_ub.append(np.full(n_hours, battery.shared_connection_mw))
            row += n_hours
    for budget in state.budgets:
        hours_in = np.flatnonzero(budget.mask)
        if hours_in.size == 0:
            continue
        ub.add(np.full(hours_in.size, row), cols(budget.block, budget.unit)[hours_in], 1.0)
        b_ub.append(np.array([budget.limit_mwh]))
        row += 1
    if commit:
        min_stable = np.array([u.min_stable_fraction for u in grid.thermal_units]) * thermal_max
        for g in range(counts["thermal"]):
            ub.add(row + hours, cols("thermal", g), 1.0)
            ub.add(row + hours, cols("commit", g), -thermal_max[g])
            ub.add(row + n_hours + hours, cols("thermal", g), -1.0)
            ub.add(row + n_hours + hours, cols("commit", g), min_stable[g])
            b_ub.append(np.zeros(2 * n_hours))
            row += 2 * n_hours
    integrality = None
    if commit:
        integrality = np.zeros(n_vars)
        integrality[starts["commit"] : starts["commit"] + counts["commit"] * n_hours] = 1
    if np.any(lower > upper + 1e-9):
        bad = int(np.argmax(lower > upper + 1e-9))
        block = next(name for name in reversed(BLOCKS) if counts[name] and starts[name] <= bad)
        raise InputError(f"dispatch: {block} variable {bad - starts[block]} has lower bound above upper bound")
    return LinearProgram(
        c=c,
        a_ub=ub.matrix(row, n_vars),
        b_ub=np.concatenate(b_ub) if b_ub else np.zeros(0),
        a_eq=eq.matrix(n_eq, n_vars),
        b_eq=np.concatenate(b_eq),
        lower=lower,
        upper=upper,
        integrality=integrality,
        hours=n_hours,
        counts=counts,
        starts=starts,
        balance_rows=n_balance,
    )
