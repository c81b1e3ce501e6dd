"""Balancing reserves co-optimised with energy: provision blocks, requirement rows, provider limits.

For each product and direction ``d`` (``up``, ``down``; a symmetric product has both):

- blocks ``reserve_<product>_<d>_<kind>`` [MW], one unit per provider, kinds ``thermal``,
  ``hydro``, ``storage`` and, where the product allows it, ``interconnector``; their cost is the
  grid's holding cost of the provider kind [USD/MW/h] (small: it orders providers that are
  otherwise equally cheap; the rest of what reserve costs is the energy it displaces);
- the requirement ``reserve:<product>:<d>``: ``sum of provisions >= static requirement`` (as
  ``-sum <= -requirement``; minus its dual is the reserve price [USD/MW/h], >= 0); for a
  largest-infeed product the static requirement is the largest thermal unit (size x
  availability), and ``reserve:<product>:<d>:infeed:<plant>`` adds ``sum >= dispatched output``
  of each new renewable plant in the up direction; the price of the product is minus the sum of
  the duals of all its families.

Hydro plants and wind and solar plants are pooled (:data:`POOLED_KINDS`): their only limit is each
plant's headroom summed over the products of a direction, so one provision per product and
direction for the whole kind (unit id :data:`POOL_ID`) within the kind's total headroom is exact
(any pooled provision within the total can be split among the plants within each one's headroom,
a transportation problem whose supply covers its demand); :func:`split_pooled` makes that split in
proportion to each plant's headroom. Pooling removes a third of the columns of a unit-commitment
window and makes it about 1.4 times faster.

Provider limits (rows ``reserve_headroom:<kind>:<id>:<d>``, summing every product of a direction):
thermal ``p + up <= max`` and ``p - down >= min`` (max = capacity x availability, min = 0;
with ``online``: ``max / units x online`` and ``min_stable x max / units x online``), each product
``<= ramp [MW/min] x activation [min] x units`` where the unit has ramp rates (with ``online``:
``x online``, and no row where that ramp reaches max - min stable, which the headroom rows imply);
hydro within the fleet's capacity and minimum output; storage ``discharge - charge + up <=
discharge power`` and ``charge - discharge + down <= charge power``, and the energy to sustain
them (``reserve_sustain:<id>:<d>``):
``soc - sum(up x sustain_h) / eta_d >= soc_min`` and ``soc + sum(down x sustain_h) x eta_c
<= soc_max`` (all products at once), with the state at the start and at the end of the hour;
interconnectors ``import + up <= import capacity`` and ``export + down <= export capacity``; wind
and solar plants downward only, ``down <= dispatched output`` (``reserve_headroom:renewable:pool:down``:
an inverter-based plant can reduce its output within seconds, the cheapest downward reserve
there is; it cannot raise output it does not have, so it holds no upward reserve).

References
----------
ENTSO-E, Commission Regulation (EU) 2017/1485 (SOGL), Art. 153 and 157; Ela, Milligan and Kirby
(2011), "Operating Reserves and Variable Generation", NREL/TP-5500-51978.
"""

from __future__ import annotations

import numpy as np

from ..inputs import DispatchInputs
from ..lp import LpBuilder, WindowState, thermal_max_mw
from ..system import ReserveProduct, thermal_unit_size_mw

__all__ = ["POOL_ID", "POOLED_KINDS", "PROVIDER_KINDS", "add_reserves", "provision_block", "provider_ids",
           "requirement_family", "split_pooled"]

PROVIDER_KINDS = ("thermal", "hydro", "storage", "interconnector", "renewable")
POOLED_KINDS = ("hydro", "renewable")
"""Provider kinds held as one pooled provision per product and direction (module docstring)."""
POOL_ID = "pool"


def provision_block(product: ReserveProduct, direction: str, kind: str) -> str:
    """Name of the provision block of one product, direction and provider kind."""
    return f"reserve_{product.id}_{direction}_{kind}"


def requirement_family(product: ReserveProduct, direction: str) -> str:
    return f"reserve:{product.id}:{direction}"


def provider_ids(inputs: DispatchInputs, product: ReserveProduct, direction: str) -> dict[str, list[str]]:
    """The providers of a product and direction by kind: interconnectors only where the product
    allows them; wind and solar plants downward only (by turning down what they dispatch)."""
    links = inputs.interconnectors if product.interconnectors_may_provide else ()
    plants = inputs.renewables if direction == "down" else ()
    return {"thermal": [u.id for u in inputs.thermal_units], "hydro": [h.id for h in inputs.hydro],
            "storage": [s.id for s in inputs.storage], "interconnector": [i.id for i in links],
            "renewable": [p.id for p in plants]}


def _lp_provider_ids(inputs: DispatchInputs, product: ReserveProduct, direction: str) -> dict[str, list[str]]:
    """:func:`provider_ids` with each pooled kind as the single unit :data:`POOL_ID` (if it has any plant)."""
    ids = provider_ids(inputs, product, direction)
    return {kind: ([POOL_ID] if members else []) if kind in POOLED_KINDS else members
            for kind, members in ids.items()}


def _pooled_headroom(inputs: DispatchInputs, kind: str, direction: str) -> list[tuple[str, float, float]]:
    """(block, coefficient, limit [MW]) of each plant of a pooled kind: ``coefficient x output + held <= limit``."""
    if kind == "hydro":
        if direction == "up":
            return [("hydro", 1.0, h.capacity_mw) for h in inputs.hydro]
        return [("hydro", -1.0, -h.min_output_mw) for h in inputs.hydro]
    return [("renewable", -1.0, 0.0) for _ in inputs.renewables] if direction == "down" else []


def split_pooled(inputs: DispatchInputs, kind: str, direction: str, pooled_mw: np.ndarray,
                 output_mw: np.ndarray) -> np.ndarray:
    """The pooled provision of one product (hours) split among the plants of ``kind`` in proportion
    to each plant's headroom in the direction (``output_mw``: plants x hours) [MW, plants x hours].

    Each plant's share of every product is the same fraction of its headroom, so a plant holds at
    most its headroom in total whenever the pool does."""
    terms = _pooled_headroom(inputs, kind, direction)
    headroom = np.array([limit - coefficient * output_mw[k] for k, (_, coefficient, limit) in enumerate(terms)])
    headroom = np.clip(headroom.reshape(len(terms), -1), 0.0, None)
    total = headroom.sum(axis=0)
    share = np.divide(headroom, total, out=np.zeros_like(headroom), where=total > 0)
    return share * pooled_mw


def add_reserves(lp: LpBuilder, inputs: DispatchInputs, state: WindowState) -> None:
    """Every product's provision blocks and requirement rows, then the providers' limits.

    Adds nothing without reserve products (the LP is then the energy-only one).
    """
    if not inputs.reserves:
        return
    for product in inputs.reserves:
        for direction in product.directions:
            _provision_blocks(lp, inputs, product, direction)
            _requirement_rows(lp, inputs, product, direction)
    _thermal_limits(lp, inputs)
    for kind in POOLED_KINDS:  # hydro within the fleet's headroom; wind and solar down within their output
        for direction in ("up", "down"):
            terms = _pooled_headroom(inputs, kind, direction)
            own = [(lp.columns(block, k), coefficient) for k, (block, coefficient, _) in enumerate(terms)]
            _headroom(lp, inputs, kind, 0, POOL_ID, direction, sum(limit for *_, limit in terms), own)
    for b, store in enumerate(inputs.storage):
        own = [(lp.columns("discharge", b), 1.0), (lp.columns("charge", b), -1.0)]
        _headroom(lp, inputs, "storage", b, store.id, "up", store.discharge_power_mw, own)
        _headroom(lp, inputs, "storage", b, store.id, "down", store.charge_power_mw, [(c, -k) for c, k in own])
        _storage_sustain(lp, inputs, b, state.soc_start_mwh[b])
    for i, link in enumerate(inputs.interconnectors):
        _headroom(lp, inputs, "interconnector", i, link.id, "up", link.import_capacity_mw,
                  [(lp.columns("import", i), 1.0)])
        _headroom(lp, inputs, "interconnector", i, link.id, "down", link.export_capacity_mw,
                  [(lp.columns("export", i), 1.0), (lp.columns("export_firm", i), 1.0)])


def _unit_count(unit) -> int:
    return int(getattr(unit, "unit_count", 1) or 1)


def _ramp_mw(unit, product: ReserveProduct, direction: str) -> float | None:
    """What one unit can ramp within the product's activation time [MW], None without ramp rates."""
    rate = getattr(unit, f"ramp_{direction}_mw_per_min", None)
    return None if rate is None else float(rate) * product.activation_min


def _provision_blocks(lp: LpBuilder, inputs: DispatchInputs, product: ReserveProduct, direction: str) -> None:
    """Blocks of the product's providers, bounded by what each could give on its own [MW]."""
    ids = _lp_provider_ids(inputs, product, direction)
    units = inputs.thermal_units
    thermal = thermal_max_mw(units)
    if not lp.has_block("online"):  # with `online` the ramp limit is a row per hour
        ramps = [_ramp_mw(u, product, direction) for u in units]
        thermal = np.array([m if r is None else min(m, r * _unit_count(u))
                            for m, r, u in zip(thermal, ramps, units, strict=True)])
    upper = {"thermal": thermal,
             "hydro": [sum(h.capacity_mw - h.min_output_mw for h in inputs.hydro)] * len(ids["hydro"]),
             "storage": [s.charge_power_mw + s.discharge_power_mw for s in inputs.storage]}
    if product.interconnectors_may_provide:
        upper["interconnector"] = [i.import_capacity_mw if direction == "up" else i.export_capacity_mw
                                   for i in inputs.interconnectors]
    if direction == "down":
        upper["renewable"] = [sum(p.connection_mw for p in inputs.renewables)] * len(ids["renewable"])
    for kind, limit in upper.items():
        lp.add_block(provision_block(product, direction, kind), ids[kind], 0.0, limit,
                     cost=product.holding_cost(kind))


def _provisions(lp: LpBuilder, product: ReserveProduct, direction: str):
    """(columns, kind, unit) of every provider of one product and direction."""
    for kind in PROVIDER_KINDS:
        block = provision_block(product, direction, kind)
        if lp.has_block(block):
            for unit in range(len(lp.blocks[block].ids)):
                yield lp.columns(block, unit), kind, unit


def _requirement_rows(lp: LpBuilder, inputs: DispatchInputs, product: ReserveProduct, direction: str) -> None:
    """``reserve:<product>:<d>`` and, for the largest infeed, one row per new plant's infeed.

    The largest-infeed requirement is at least the largest thermal unit (the reference incident of
    SOGL Art. 153(2), a fixed figure: one unit of each group is online in practically every hour,
    and an endogenous "largest unit online" needs a binary per group and hour, which made each
    unit-commitment window 10-40 times slower) and at least each new plant's dispatched output
    (its grid connection can be lost at once; the requirement follows it and vanishes without it).
    That endogenous part is upward only: losing an infeed calls for upward reserve; the downward
    half of a symmetric product keeps the static reference incident.
    """
    name = requirement_family(product, direction)
    requirement = inputs.reserve_requirement_mw(product)
    if product.largest_infeed:
        sizes = [thermal_unit_size_mw(u) for u in inputs.thermal_units]
        requirement = np.maximum(requirement, max(sizes, default=0.0))
    infeeds = [(name, None, 0, 0.0)]
    if product.largest_infeed and direction == "up":  # losing an infeed calls for upward reserve
        infeeds += [(f"{name}:infeed:{p.id}", "renewable", k, 1.0)
                    for k, p in enumerate(inputs.renewables) if p.new]
    for family, block, unit, coefficient in infeeds:
        lp.add_rows(family, "<=", -requirement if block is None else np.zeros(lp.hours))
        if block is not None:
            lp.add_terms(family, lp.hour_index, lp.columns(block, unit), coefficient)
        for columns, _, _ in _provisions(lp, product, direction):
            lp.add_terms(family, lp.hour_index, columns, -1.0)


def _headroom(lp: LpBuilder, inputs: DispatchInputs, kind: str, unit: int, unit_id: str, direction: str,
              rhs, own) -> str | None:
    """``sum(coef x own columns) + sum(provisions of the direction) <= rhs`` as
    ``reserve_headroom:<kind>:<id>:<d>`` (``own``: (columns, coefficient) pairs); nothing when no
    product of the direction uses the provider."""
    columns = [c for p in inputs.reserves if direction in p.directions
               for c, k, u in _provisions(lp, p, direction) if k == kind and u == unit]
    if not columns:
        return None
    name = f"reserve_headroom:{kind}:{unit_id}:{direction}"
    lp.add_rows(name, "<=", np.broadcast_to(np.asarray(rhs, dtype=float), (lp.hours,)).copy())
    for own_columns, coefficient in own:
        lp.add_terms(name, lp.hour_index, own_columns, coefficient)
    for c in columns:
        lp.add_terms(name, lp.hour_index, c, 1.0)
    return name


def _thermal_limits(lp: LpBuilder, inputs: DispatchInputs) -> None:
    """Headroom of each thermal group; with ``online``, per-unit limits and ramp rows."""
    online = lp.has_block("online")
    for g, unit in enumerate(inputs.thermal_units):
        per_unit = unit.max_mw / _unit_count(unit)
        limits = {"up": (unit.max_mw, 1.0, -per_unit), "down": (0.0, -1.0, unit.min_stable_fraction * per_unit)}
        for direction, (static, sign, per_online) in limits.items():
            own = [(lp.columns("thermal", g), sign)] + ([(lp.columns("online", g), per_online)] if online else [])
            name = _headroom(lp, inputs, "thermal", g, unit.id, direction, 0.0 if online else static, own)
            if name is None or not online:
                continue
            for product in inputs.reserves:
                ramp = _ramp_mw(unit, product, direction)
                if ramp is None or direction not in product.directions or ramp >= unit.unit_max_mw - unit.unit_min_mw:
                    continue  # a unit online holds at most max - min stable anyway (the headroom rows)
                row = f"reserve_ramp:{unit.id}:{product.id}:{direction}"
                lp.add_rows(row, "<=", np.zeros(lp.hours))
                lp.add_terms(row, lp.hour_index, lp.columns(provision_block(product, direction, "thermal"), g), 1.0)
                lp.add_terms(row, lp.hour_index, lp.columns("online", g), -ramp)


def _storage_sustain(lp: LpBuilder, inputs: DispatchInputs, b: int, soc_start_mwh: float) -> None:
    """``reserve_sustain:<id>:up``: ``sum(up x sustain_h) / eta_d - soc[t-1] <= -soc_min`` and
    ``reserve_sustain:<id>:down``: ``sum(down x sustain_h) x eta_c + soc[t-1] <= soc_max``
    (``soc[-1]`` is the window's start, or the last hour for a cyclic store), and the same with
    the state at the end of the hour, ``soc[t]`` (``...:end``), so that the energy is there
    whenever in the hour the reserve is called, after the hour's scheduled dispatch."""
    store = inputs.storage[b]
    soc = lp.columns("soc", b)
    bounds = {"up": (-store.soc_min_fraction * store.energy_mwh, -1.0, 1.0 / store.discharge_efficiency),
              "down": (store.soc_max_fraction * store.energy_mwh, 1.0, store.charge_efficiency)}
    for direction, (rhs, sign, efficiency) in bounds.items():
        terms = [(c, p.sustain_h * efficiency) for p in inputs.reserves if direction in p.directions
                 for c, k, u in _provisions(lp, p, direction) if k == "storage" and u == b and p.sustain_h > 0]
        if not terms:
            continue
        for when, name in (("start", f"reserve_sustain:{store.id}:{direction}"),
                           ("end", f"reserve_sustain:{store.id}:{direction}:end")):
            rhs_h = np.full(lp.hours, rhs)
            if when == "end":
                lp.add_rows(name, "<=", rhs_h)
                lp.add_terms(name, lp.hour_index, soc, sign)
            elif np.isnan(soc_start_mwh):
                lp.add_rows(name, "<=", rhs_h)
                lp.add_terms(name, lp.hour_index[:1], soc[-1:], sign)
            else:
                rhs_h[0] -= sign * soc_start_mwh
                lp.add_rows(name, "<=", rhs_h)
            if when == "start":
                lp.add_terms(name, lp.hour_index[1:], soc[:-1], sign)
            for columns, coefficient in terms:
                lp.add_terms(name, lp.hour_index, columns, coefficient)
