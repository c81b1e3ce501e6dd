"""The generated sentences that open the report's sections: what the figures mean and why.

Pure functions of figures taken from a result (numbers with units in their names, small frozen
dataclasses), returning plain text; nothing here reads a file or a ``PortfolioResult`` itself, so
each sentence is tested on hand-made figures (``tests/report/test_narrative.py``). ``build.py``
gathers the figures and places the sentences.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "NO_CURTAILMENT",
    "StoreUse",
    "curtailment_sentence",
    "economics_sentence",
    "generation_timing_sentence",
    "loss_sentence",
    "not_available",
    "portfolio_effect_sentence",
    "price_setter_sentence",
    "net_load_sentence",
    "solar_resource_sentence",
    "storage_sentence",
    "supply_sentence",
    "wind_resource_sentence",
]

NO_CURTAILMENT = "No curtailment in this year."
CURTAILMENT_FLOOR_MWH = 0.5
"""Curtailment below this over the year is solver noise, not a finding [MWh]."""

_CAUSES = {
    "system oversupply": "more wind and solar than demand, storage and exports could take",
    "line congestion": "a full line between zones",
    "own connection": "the plant's own grid connection",
}


def _share(part: float, whole: float) -> str:
    return f"{part / whole:.0%}" if whole > 0 else "n/a"


def _label(name: str) -> str:
    return name.replace("_", " ")


def not_available(what: str) -> str:
    """The one sentence that stands for a section with nothing to show."""
    return f"The {what} is not available in this run."


def price_setter_sentence(hours: Mapping[str, int], total_hours: int, label: str = "In this year") -> str:
    """Which technologies set the price and in how many hours, largest first (at most four named).

    Parameters
    ----------
    hours : mapping
        Price-setting technology -> hours it set the price (``DispatchResult.price_setting_hours``).
    total_hours : int
        Hours counted (hours x zones).
    """
    if not hours or total_hours <= 0:
        return ""
    ranked = sorted(hours.items(), key=lambda item: (-item[1], item[0]))
    (first, n), rest = ranked[0], ranked[1:4]
    text = f"{label}, {_label(first)} set the price in {n:,} of {total_hours:,} hours ({_share(n, total_hours)})"
    if rest:
        text += ", then " + ", ".join(f"{_label(k)} in {v:,} h" for k, v in rest)
    return text + "."


def curtailment_sentence(curtailed_mwh: Mapping[str, Mapping[str, float]], renewable_mwh: float) -> str:
    """Where curtailment comes from: the total, its share of wind and solar output, the main cause and plant.

    Parameters
    ----------
    curtailed_mwh : mapping
        Plant -> cause (``system oversupply``, ``line congestion``, ``own connection``) -> energy [MWh].
    renewable_mwh : float
        Wind and solar output available before curtailment [MWh].
    """
    by_cause: dict[str, float] = {}
    by_plant: dict[str, float] = {}
    for plant, causes in curtailed_mwh.items():
        for cause, mwh in causes.items():
            by_cause[cause] = by_cause.get(cause, 0.0) + mwh
            by_plant[plant] = by_plant.get(plant, 0.0) + mwh
    total = sum(by_cause.values())
    if total < CURTAILMENT_FLOOR_MWH:
        return NO_CURTAILMENT
    cause, cause_mwh = max(by_cause.items(), key=lambda kv: kv[1])
    plant, plant_mwh = max(by_plant.items(), key=lambda kv: kv[1])
    why = _CAUSES.get(cause, cause)
    return (f"{total / 1000:,.1f} GWh of wind and solar was curtailed ({_share(total, renewable_mwh)} of their "
            f"output); {_share(cause_mwh, total)} of it by {cause} ({why}), {_share(plant_mwh, total)} of it at "
            f"{plant}.")


@dataclass(frozen=True)
class StoreUse:
    """One storage asset's year, for :func:`storage_sentence` (figures of ``PortfolioResult.storage_table``)."""

    store: str
    technology: str
    new: bool
    equivalent_full_cycles: float
    discharge_mwh: float
    total_revenue_usd: float
    spread_captured_usd_per_mwh: float | None
    hours_at_soc_min_h: float
    hours_at_soc_max_h: float


def storage_sentence(use: StoreUse) -> str:
    """How one store was used and why: cycles, the price spread it captured, what it earned, time empty or full."""
    whose = "new" if use.new else "existing"
    if use.discharge_mwh < 1.0:
        return (f"{use.store} ({whose} {use.technology}) was not used: no price spread in the year paid for its "
                "round-trip losses.")
    spread = use.spread_captured_usd_per_mwh
    why = (f"charging in cheap hours and discharging in dear ones, {spread:,.0f} USD/MWh apart on average"
           if spread is not None and spread == spread else "charging in cheap hours and discharging in dear ones")
    return (f"{use.store} ({whose} {use.technology}) made {use.equivalent_full_cycles:,.0f} equivalent full cycles, "
            f"{why}; it earned {use.total_revenue_usd / 1e6:,.2f} M USD and was empty {use.hours_at_soc_min_h:,.0f} h "
            f"and full {use.hours_at_soc_max_h:,.0f} h of the year.")


def loss_sentence(reference: str, reference_mwh: float, steps: Sequence[tuple[str, float]], net_mwh: float) -> str:
    """From the resource to the grid: the overall ratio, the largest losses and every gain.

    Parameters
    ----------
    reference : str
        What the chain starts from (e.g. ``GHI at STC efficiency``).
    steps : sequence of (name, loss [MWh])
        Each step's loss; a negative loss is a gain.
    """
    if reference_mwh <= 0:
        return ""
    losses = sorted((s for s in steps if s[1] > 0), key=lambda s: -s[1])[:3]
    gains = [s for s in steps if s[1] < 0]
    text = (f"From {reference_mwh / 1000:,.1f} GWh ({reference}) to {net_mwh / 1000:,.1f} GWh at the grid "
            f"({net_mwh / reference_mwh:.1%})")
    if losses:
        text += "; the largest losses: " + ", ".join(f"{_label(n)} {m / reference_mwh:.1%}" for n, m in losses)
    if gains:
        text += "; gains: " + ", ".join(f"{_label(n)} +{-m / reference_mwh:.1%}" for n, m in gains)
    return text + " (each as a share of the starting energy)."


def wind_resource_sentence(mean_speed_m_s: float, hub_height_m: float, prevailing_deg: float, prevailing_share: float,
                           share_above_rated: float, rated_speed_m_s: float | None) -> str:
    """Mean wind speed at hub height, the prevailing direction and how often the turbines run at rated power."""
    text = (f"Mean wind speed {mean_speed_m_s:.1f} m/s at {hub_height_m:,.0f} m hub height; the wind blows most "
            f"often from {prevailing_deg:.0f}° ({prevailing_share:.0%} of hours in that 22.5° sector)")
    if rated_speed_m_s is not None:
        text += f"; {share_above_rated:.0%} of hours are at or above the rated speed of {rated_speed_m_s:.1f} m/s"
    return text + "."


def solar_resource_sentence(ghi_kwh_m2: float, poa_kwh_m2: float, performance_ratio: float,
                            best_month: str, worst_month: str) -> str:
    """Irradiation on the horizontal and on the array, the performance ratio and the months that bound it."""
    gain = poa_kwh_m2 / ghi_kwh_m2 - 1 if ghi_kwh_m2 > 0 else float("nan")
    return (f"Global horizontal irradiation {ghi_kwh_m2:,.0f} kWh/m2, {poa_kwh_m2:,.0f} kWh/m2 on the array "
            f"({gain:+.0%} from its tilt and tracking); performance ratio {performance_ratio:.1%}, "
            f"highest in {best_month} and lowest in {worst_month}.")


def supply_sentence(energy_mwh: Mapping[str, float], demand_mwh: float) -> str:
    """What met demand over the year: each supply group's share of demand, largest first."""
    if demand_mwh <= 0:
        return ""
    ranked = sorted(((k, v) for k, v in energy_mwh.items() if v > 0), key=lambda kv: -kv[1])
    parts = ", ".join(f"{_label(k)} {v / demand_mwh:.0%}" for k, v in ranked)
    return f"Over the year, demand of {demand_mwh / 1e6:,.2f} TWh was met by {parts} (shares of demand)."


def portfolio_effect_sentence(gas_saved_mcm: float, curtailed_added_mwh: float, export_added_mwh: float) -> str:
    """What the portfolio changes in the system: gas saved, and how much of its energy is curtailed or exported."""
    text = f"With the portfolio, the gas fleet burns {gas_saved_mcm:,.0f} million m3 less in the year"
    if export_added_mwh > CURTAILMENT_FLOOR_MWH:
        text += f", exports rise by {export_added_mwh / 1000:,.1f} GWh"
    if curtailed_added_mwh > CURTAILMENT_FLOOR_MWH:
        text += f" and curtailment rises by {curtailed_added_mwh / 1000:,.1f} GWh"
    return text + "."


def net_load_sentence(peak_with_mw: float, peak_without_mw: float, min_with_mw: float, hours_negative: int) -> str:
    """Net load (demand less wind and solar): how the portfolio changes its peak and its low end."""
    text = (f"Net load peaks at {peak_with_mw:,.0f} MW with the portfolio and {peak_without_mw:,.0f} MW without "
            f"it; its lowest hour is {min_with_mw:,.0f} MW")
    if hours_negative:
        text += f", and in {hours_negative:,} h wind and solar alone exceed demand"
    return text + "."


def generation_timing_sentence(mean_mw: Mapping[tuple[str, int], float]) -> str:
    """When the new sites generate: the month and hour of day with the highest and the lowest mean output.

    Parameters
    ----------
    mean_mw : mapping
        (month name, hour of day) -> mean output [MW].
    """
    if not mean_mw:
        return ""
    (top_month, top_hour), top = max(mean_mw.items(), key=lambda kv: kv[1])
    (low_month, low_hour), low = min(mean_mw.items(), key=lambda kv: kv[1])
    return (f"The new sites generate most in {top_month} at {top_hour:02d}:00 ({top:,.0f} MW on average) and least "
            f"in {low_month} at {low_hour:02d}:00 ({low:,.0f} MW).")


def economics_sentence(site: str, lcoe_usd_per_mwh: float | None, market_value_usd_per_mwh: float | None,
                       npv_usd: float | None) -> str:
    """Why a project's NPV has its sign: its cost of energy against the value of the energy it sells."""
    if lcoe_usd_per_mwh is None or market_value_usd_per_mwh is None or npv_usd is None:
        return ""
    relation = "below" if lcoe_usd_per_mwh < market_value_usd_per_mwh else "above"
    return (f"{site}: energy costs {lcoe_usd_per_mwh:,.1f} USD/MWh (LCOE), {relation} the "
            f"{market_value_usd_per_mwh:,.1f} USD/MWh its output is worth where it sells it, so its NPV is "
            f"{npv_usd / 1e6:,.1f} M USD.")
