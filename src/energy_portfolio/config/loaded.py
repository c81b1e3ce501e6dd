"""What loading gives: a validated spec with its file, and a finished portfolio.

These types import no loading code, so the modules that load (``load``), change (``changes``)
and look up (``paths``) configs can all use them without importing each other in a circle.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar, Union

from ..errors import Problem
from .battery import BatterySite
from .climatology import ClimatologySpec
from .grid import GridSpec
from .portfolio import PortfolioSpec
from .pumped_hydro import PumpedHydroSite
from .solar import SolarSite
from .sweep import SweepSpec
from .wind import WindSite
from .yamlsource import YamlSource

__all__ = ["AnySpec", "FrozenMap", "LoadedConfig", "Portfolio", "SiteSpec"]

SiteSpec = Union[SolarSite, WindSite, BatterySite, PumpedHydroSite]
AnySpec = Union[SolarSite, WindSite, BatterySite, PumpedHydroSite, GridSpec, PortfolioSpec, ClimatologySpec, SweepSpec]

K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(Mapping[K, V]):
    """A read-only mapping that keeps its insertion order, pickles, and hashes like its items."""

    __slots__ = ("_data",)

    def __init__(self, items: Mapping[K, V] | Iterable[tuple[K, V]] = ()):
        self._data: dict[K, V] = dict(items)

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(tuple(self._data.items()))

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __getstate__(self) -> dict[K, V]:
        return self._data

    def __setstate__(self, state: dict[K, V]) -> None:
        self._data = dict(state)


@dataclass(frozen=True)
class LoadedConfig:
    """A validated spec with the file it came from (for line numbers in later checks)."""

    spec: AnySpec
    path: Path
    source: YamlSource
    warnings: tuple[Problem, ...] = ()
    """Legal but probably unintended values (:func:`~.plausibility.config_warnings`)."""


@dataclass(frozen=True)
class Portfolio:
    """A portfolio spec with every file it names loaded and cross-checked (a finished config).

    Attributes
    ----------
    spec : PortfolioSpec
    grid : GridSpec
        The whole grid file, every component whatever its years in service (so that a change such as
        ``grid.existing_renewables.<id>.in_service_year`` finds the component); a run uses
        :attr:`study_grid`.
    sites : tuple
        Site specs in the order of ``spec.sites``.
    zones : dict
        Site id -> grid zone id.
    path : Path
        The portfolio file.
    reference_sites : Mapping[str, SiteSpec]
        Id of each existing renewable of the grid whose profile comes from a site config
        (``profile.source: site``) -> that reference site's spec (solar or wind), in the grid's
        order, whatever the unit's years in service (each file is checked). Units with a file
        profile are absent.
    existing_storage : Mapping[str, BatterySite]
        Id of each ``existing_storage`` entry of the grid -> its battery spec (standalone), in
        the grid's order. The spec's own ``id`` is that of its file; the dispatch uses the key.
    files : tuple of Path
        Every file a run reads, recursively, each once, absolute: the portfolio, the grid, the
        site files, then every file the specs name (reference sites and their weather,
        existing storage, weather, climatology, demand and profile files). For the manifest.
    warnings : tuple of Problem
        Warnings about the configs (:func:`~.plausibility.config_warnings`), each naming the file,
        line, field and value; a run lists them among its warnings.
    """

    spec: PortfolioSpec
    grid: GridSpec
    sites: tuple[SiteSpec, ...]
    zones: dict[str, str]
    path: Path
    reference_sites: Mapping[str, SiteSpec] = field(default_factory=FrozenMap)
    existing_storage: Mapping[str, BatterySite] = field(default_factory=FrozenMap)
    files: tuple[Path, ...] = ()
    warnings: tuple[Problem, ...] = field(default=(), compare=False)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def grid_plants_in_portfolio(self) -> dict[str, str]:
        """Existing renewables of the study year's grid that are this portfolio's own sites: unit id -> site id.

        A portfolio that names the reference site file of a plant already in the grid (say the
        2024 back-cast evaluating Garadagh) studies that plant itself: the run counts it once, as the
        portfolio's site, and leaves it out of the grid (:attr:`study_grid`), so that the run without
        the portfolio is the system without the plant.
        """
        by_file = {entry.file.resolve(): site.id for entry, site in zip(self.spec.sites, self.sites, strict=True)}
        return {
            unit.id: by_file[unit.profile.site.resolve()]
            for unit in self.grid.in_year(self.spec.study_year).existing_renewables
            if getattr(unit.profile, "source", None) == "site" and unit.profile.site.resolve() in by_file
        }

    @property
    def study_grid(self) -> GridSpec:
        """The grid of the study year: only the components in service then (:meth:`GridSpec.in_year`),
        less the plants that are the portfolio's own sites (:attr:`grid_plants_in_portfolio`)."""
        grid = self.grid.in_year(self.spec.study_year)
        taken = self.grid_plants_in_portfolio
        if not taken:
            return grid
        kept = tuple(unit for unit in grid.existing_renewables if unit.id not in taken)
        return grid.model_copy(update={"existing_renewables": kept})

    def site(self, site_id: str) -> SiteSpec:
        for site in self.sites:
            if site.id == site_id:
                return site
        raise KeyError(site_id)


