"""Checks of physical plausibility that need a config's file: warnings, and the operating year a command asks for.

A warning does not stop a run: the value is legal but probably not meant (a fixed array facing
the pole). Each is a :class:`~energy_portfolio.errors.Problem` naming the file, the line, the
field and the value, as errors do; ``validate`` prints them and a run lists them among its
warnings.
"""

from __future__ import annotations

from typing import Any

from ..errors import Problem
from .messages import problem_at
from .solar import FixedMount, SolarSite
from .yamlsource import YamlSource

__all__ = ["POLE_FACING_DEG", "config_warnings", "operating_year_problem", "warning_line"]

POLE_FACING_DEG = 90.0
"""A fixed array whose azimuth is more than this from the equator-facing azimuth (180 in the northern
hemisphere, 0 in the southern) faces the pole, and loses a large share of its yield (issue 16: 39 %
for a north-facing array at 39.6 N)."""


def config_warnings(spec: Any, source: YamlSource) -> list[Problem]:
    """Warnings about a validated spec read from ``source``."""
    warnings: list[Problem] = []
    if isinstance(spec, SolarSite) and isinstance(spec.mounting, FixedMount):
        warnings.extend(_pole_facing(spec, spec.mounting, source))
    return warnings


def _pole_facing(spec: SolarSite, mount: FixedMount, source: YamlSource) -> list[Problem]:
    latitude = spec.location.latitude
    if mount.tilt_deg == 0 or latitude == 0:
        return []  # a flat array, or one on the equator, faces no pole
    equator = 180.0 if latitude > 0 else 0.0
    off = abs((mount.azimuth_deg - equator + 180.0) % 360.0 - 180.0)
    if off <= POLE_FACING_DEG:
        return []
    hemisphere, pole = ("N", "north") if latitude > 0 else ("S", "south")
    return [
        problem_at(
            source,
            ("mounting", "azimuth_deg"),
            f"= {mount.azimuth_deg:g}: site '{spec.id}' at {abs(latitude):g} {hemisphere} has a fixed array tilted "
            f"{mount.tilt_deg:g} deg facing the {pole} pole, {off:g} deg away from the equator-facing azimuth "
            f"{equator:g}; such an array loses a large share of its yield (39 % at 39.6 N facing north); expected "
            f"an azimuth within {POLE_FACING_DEG:g} deg of {equator:g} unless the site forces it",
        )
    ]


def operating_year_problem(
    spec: Any, source: YamlSource, operating_year: int, option: str = "--year"
) -> Problem | None:
    """A problem when ``operating_year`` lies outside the site's life (1 to ``lifetime_years``), else None."""
    lifetime = getattr(spec, "lifetime_years", None)
    if lifetime is None or 1 <= operating_year <= lifetime:
        return None
    return problem_at(
        source,
        ("lifetime_years",),
        f"= {lifetime}: {option} {operating_year} is outside the life of site '{spec.id}'; expected an operating "
        f"year from 1 to {lifetime} (commissioning year {spec.commissioning_year} to "
        f"{spec.commissioning_year + lifetime - 1})",
    )


def warning_line(problem: Problem) -> str:
    """A warning on one line: ``file, line N: field: message``."""
    return str(problem).replace("\n  ", ": ", 1)
