"""Usable energy of a store over its life: calendar fade plus fade per equivalent full cycle.

Model: in each operating year the store loses ``calendar_fade_per_year`` of its energy and
``capacity_fade_per_cycle`` per equivalent full cycle, at the dispatch year's cycles per year,
compounded: ``annual_fade = 1 - (1 - calendar) (1 - per_cycle x cycles_per_year)`` and the usable
energy at the start of operating year ``y`` is ``(1 - annual_fade) ** (y - 1)`` of nameplate. The
end-of-life year is the first operating year that starts at or below
``end_of_life_capacity_fraction``. The economics carry the reduced energy (no augmentation or
replacement is bought): output and revenue fall with ``annual_fade``, so a store that reaches
its end of life within the economic lifetime keeps operating at the reduced energy, stated in
the summary as ``usable_energy_fraction_final_year``.

References
----------
Xu, B., Oudalov, A., Ulbig, A., Andersson, G. and Kirschen, D. S. (2018), "Modeling of lithium-ion
battery degradation for cell life assessment", IEEE Trans. Smart Grid 9(2), 1131-1140,
doi:10.1109/TSG.2016.2578950 (calendar and cycle ageing combined as separate fade terms).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._checks import finite_number

__all__ = ["StorageFade", "storage_fade"]


@dataclass(frozen=True)
class StorageFade:
    """The fade of a store over its life.

    Attributes
    ----------
    annual_fade : float
        Loss of usable energy per operating year, calendar and cycling together [fraction/yr].
    usable_energy_fraction_by_year : numpy.ndarray
        Usable energy at the start of operating years 1..N [fraction of nameplate].
    end_of_life_operating_year : int or None
        First operating year starting at or below the end-of-life fraction (may lie beyond the
        lifetime); None without an end-of-life fraction or without fade.
    """

    annual_fade: float
    usable_energy_fraction_by_year: np.ndarray
    end_of_life_operating_year: int | None

    @property
    def end_of_life_within_lifetime(self) -> bool:
        year = self.end_of_life_operating_year
        return year is not None and year <= self.usable_energy_fraction_by_year.size


def storage_fade(
    calendar_fade_per_year: float,
    capacity_fade_per_cycle: float,
    cycles_per_year: float,
    lifetime_years: int,
    end_of_life_capacity_fraction: float | None = None,
) -> StorageFade:
    """Calendar and cycle fade of a store compounded over ``lifetime_years`` (see the module text).

    Parameters
    ----------
    calendar_fade_per_year : float
        [fraction/yr].
    capacity_fade_per_cycle : float
        [fraction per equivalent full cycle].
    cycles_per_year : float
        Equivalent full cycles a year, from the dispatch (discharge / energy) [1/yr].
    lifetime_years : int
    end_of_life_capacity_fraction : float, optional
        Usable energy at which the store counts as worn out [fraction of nameplate].
    """
    calendar = finite_number("calendar_fade_per_year", calendar_fade_per_year, low=0.0, high=1.0)
    per_cycle = finite_number("capacity_fade_per_cycle", capacity_fade_per_cycle, low=0.0, high=1.0)
    cycles = finite_number("cycles_per_year", cycles_per_year, low=0.0)
    annual = 1.0 - (1.0 - calendar) * max(0.0, 1.0 - per_cycle * cycles)
    years = np.arange(int(lifetime_years))
    fractions = (1.0 - annual) ** years
    end_of_life = None
    if end_of_life_capacity_fraction is not None and 0.0 < annual < 1.0:
        end_of_life = 1 + math.ceil(math.log(end_of_life_capacity_fraction) / math.log(1.0 - annual) - 1e-12)
    return StorageFade(annual, fractions, end_of_life)
