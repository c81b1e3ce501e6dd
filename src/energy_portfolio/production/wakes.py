"""Wake losses of a wind farm from its layout, with PyWake as the engine.

The only py_wake importer (DESIGN.md, layer rule 4). The farm efficiency (wake-affected
power over free-stream power of all turbines) is computed once on a wind direction x wind
speed grid and applied hour by hour by bilinear interpolation, periodic in direction. The
table is computed with the standard-density curves; its efficiency (a ratio) is applied to
the density-corrected gross power, which neglects the small change of thrust with density.

Wakes as a range: every PyWake run computes the table under each model of
:data:`WAKE_RANGE_MODELS` (four engineering models), so that the farm's wake loss is reported
per model and the spread across them enters the P-values (``economics/uncertainty.py``); the
config's ``wake_model.model`` gives the production. For that model only, the same PyWake calls
also give the efficiency of each turbine (its power with wakes over its free-stream power), for
the wake loss per turbine. Tables are cached in memory and on disk
(:func:`wake_table_cache_folder`): one ``.npz`` file per layout, turbine and model, data only.

Also here, because they only concern wakes: the turbine positions from a grid or coordinate
layout, the minimum-spacing check, and the thrust curve of turbines that have none.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..config.wind import GridLayout, PyWakeWakes, WindSite
from ..errors import InputError
from ..files import replace_atomically

__all__ = [
    "FarmEfficiencyTable",
    "MIN_SPACING_ROTOR_DIAMETERS",
    "WAKE_RANGE_MODELS",
    "BLOCKAGE_MODEL",
    "blockage_table",
    "WAKE_TABLE_CACHE_ENV",
    "farm_efficiency_tables",
    "wake_table_cache_folder",
    "layout_xy_m",
    "check_spacing",
    "thrust_coefficient_from_power",
    "wake_expansion_k",
]

MIN_SPACING_ROTOR_DIAMETERS = 2.0
"""Turbines closer than this (centre to centre, in rotor diameters) are rejected."""

CONSTANT_THRUST_COEFFICIENT = 0.8
"""Thrust coefficient at maximum power coefficient for turbines without a thrust curve.

The value PyWake's generic turbine uses (``GenericWindTurbine(constant_ct=0.8)``), typical of
pitch-regulated turbines below rated (the IEA 15 MW reference turbine has 0.80)."""

STANDARD_AIR_DENSITY_KG_M3 = 1.225

WAKE_RANGE_MODELS: tuple[str, ...] = ("bastankhah_gaussian", "niayifar_gaussian", "turbopark", "noj")
"""The PyWake engineering models every PyWake run computes, for the wake loss as a range.

Gaussian wakes with a fixed expansion (Bastankhah) and with one from the local turbulence
(Niayifar), TurbOPark with its published calibration A = 0.04 (Nygaard et al. 2022) and the
top-hat Jensen/NOJ model: they span the engineering models PyWake ships for offshore farms.
Blockage is added to the range as :data:`BLOCKAGE_MODEL` (:func:`blockage_table`)."""

BLOCKAGE_MODEL = "turbopark_blockage"
"""TurbOPark with the farm's blockage (induction upstream of the rotors), as Nygaard et al. (2020)
model cluster wakes and blockage together: the TurbOPark table times a blockage ratio computed on a
coarse grid (:func:`blockage_table`). Reported in the range beside :data:`WAKE_RANGE_MODELS`."""

BLOCKAGE_DIRECTION_STEP_DEG = 30.0
BLOCKAGE_SPEED_STEP_M_S = 2.0
"""Grid of the blockage ratio: every 30 deg and 2 m/s from cut-in to the rated plateau (ratio 1 at
and above it, where a slower inflow does not change the power, and below cut-in). Blockage is a
slowing of the inflow by a few tenths of a per cent to about 2 % in front of the farm (Bleeg et al.
2018, doi:10.3390/en11061609), smooth in direction and speed, so the coarse grid, interpolated, holds
its effect on energy to a small fraction of itself (the test checks it against a finer grid). One
PyWake call with PropagateUpDownIterative costs about 3x a call without blockage per grid point,
so the full table's grid (180 x 44 points) would take minutes; the coarse one takes seconds."""

TURBOPARK_WAKE_EXPANSION_A = 0.04
"""TurbOPark's wake expansion calibration constant A (Nygaard et al. 2022, fitted to Walney and
Anholt SCADA data; PyWake's ``Nygaard_2022``)."""

WAKE_TABLE_CACHE_ENV = "ENERGY_PORTFOLIO_WAKE_CACHE"
"""Environment variable naming the folder of cached wake tables (default: ``~/.cache/energy_portfolio/wake_tables``)."""

SPEEDS_PER_CALL = 6
"""Wind speeds per PyWake call. On the default farm's 2 deg x 0.5 m/s grid (67 turbines x 180
directions x 44 running speeds) TurbOPark took 4.9 s of CPU in one call on the whole grid and 2.2 s
in blocks of 6 speeds (benchmarks/wake_range.py, on a shared 2-core machine): the arrays PyWake
works on (turbines x directions x speeds) stay small, with the same figures to 1e-12, and the
directions whose turbines all run on the rated plateau are left out of the faster blocks (4,200
of the 7,920 direction-speed cases computed). Blocks of 4 to 8 speeds took the same time."""

PLATEAU_POWER_TOLERANCE = 5e-4
"""Relative spread of the power curve above rated that still counts as its plateau
(:func:`plateau_speed_m_s`; the IEA 15 MW table wobbles by 0.03 % there, 14,994 to 14,998 kW);
the farm efficiency set to 1 above the plateau speed is exact to this."""

_WAKE_TABLE_SCHEMA = 3
"""Version of the cached file layout and of the table computation; a change makes old files unused."""


@dataclass(frozen=True)
class FarmEfficiencyTable:
    """Farm efficiency on a direction x speed grid.

    Attributes
    ----------
    direction_deg : numpy.ndarray
        Wind directions, from north clockwise, ascending in [0, 360) and evenly spaced [deg].
    wind_speed_m_s : numpy.ndarray
        Free-stream hub-height wind speeds, ascending [m/s].
    efficiency : numpy.ndarray
        Shape (direction, speed): farm power with wakes over farm power without [-]; 1 where
        the free-stream power is zero.
    turbine_efficiency : numpy.ndarray or None
        Shape (turbine, direction, speed): each turbine's power with wakes over its free-stream
        power [-], 1 where that is zero; its mean over the turbines is ``efficiency``. Computed
        for the model the production uses only (None for the others of the range).
    """

    direction_deg: np.ndarray
    wind_speed_m_s: np.ndarray
    efficiency: np.ndarray
    turbine_efficiency: np.ndarray | None = None

    def at(self, direction_deg: np.ndarray, wind_speed_m_s: np.ndarray) -> np.ndarray:
        """Farm efficiency per hour [-]: :meth:`interpolate` of ``efficiency``."""
        return self.interpolate(self.efficiency, direction_deg, wind_speed_m_s)

    def turbine_at(self, direction_deg: np.ndarray, wind_speed_m_s: np.ndarray) -> np.ndarray:
        """Efficiency of each turbine per hour, shape (turbine, hour) [-]: :meth:`interpolate` of
        ``turbine_efficiency`` (which must be there)."""
        if self.turbine_efficiency is None:
            raise ValueError("this wake table has no per-turbine efficiency (only the production's model has)")
        return self.interpolate(self.turbine_efficiency, direction_deg, wind_speed_m_s)

    def interpolate(self, table: np.ndarray, direction_deg: np.ndarray, wind_speed_m_s: np.ndarray) -> np.ndarray:
        """Bilinear interpolation, periodic in direction, held constant beyond the speed range.

        Linear in the table, so the mean over turbines of the interpolated turbine efficiencies is
        the interpolated farm efficiency.

        Parameters
        ----------
        table : numpy.ndarray
            Shape (..., direction, speed), on this table's grid [-].
        direction_deg : numpy.ndarray
            Hourly wind direction [deg].
        wind_speed_m_s : numpy.ndarray
            Hourly free-stream hub-height wind speed [m/s].

        Returns
        -------
        numpy.ndarray
            Shape (..., hour) [-].
        """
        step = self.direction_deg[1] - self.direction_deg[0] if len(self.direction_deg) > 1 else 360.0
        pos = np.mod(np.asarray(direction_deg, dtype=float) - self.direction_deg[0], 360.0) / step
        i0 = np.floor(pos).astype(int) % len(self.direction_deg)
        i1 = (i0 + 1) % len(self.direction_deg)
        fd = pos - np.floor(pos)
        speeds = self.wind_speed_m_s
        ws = np.clip(np.asarray(wind_speed_m_s, dtype=float), speeds[0], speeds[-1])
        j1 = np.clip(np.searchsorted(speeds, ws, side="right"), 1, len(speeds) - 1)
        j0 = j1 - 1
        fs = (ws - speeds[j0]) / (speeds[j1] - speeds[j0])
        e = table
        low = e[..., i0, j0] * (1 - fd) + e[..., i1, j0] * fd
        high = e[..., i0, j1] * (1 - fd) + e[..., i1, j1] * fd
        return low * (1 - fs) + high * fs


def layout_xy_m(spec: WindSite, rotor_diameter_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Turbine positions east (x) and north (y) of the farm centre [m].

    A grid layout places ``rows`` rows along north at ``row_spacing_rotor_diameters`` and
    ``columns`` columns along east at ``column_spacing_rotor_diameters``, filled row by row up
    to ``n_turbines``, centred on its centroid and turned clockwise by ``rotation_deg``.
    Coordinates are returned as given.

    Parameters
    ----------
    spec : WindSite
    rotor_diameter_m : float
        Rotor diameter [m].

    Returns
    -------
    tuple of numpy.ndarray
        x and y [m].
    """
    layout = spec.layout
    if not isinstance(layout, GridLayout):
        return np.asarray(layout.x_m, dtype=float), np.asarray(layout.y_m, dtype=float)
    index = np.arange(layout.turbine_count)
    row, column = np.divmod(index, layout.columns)
    x = column * layout.column_spacing_rotor_diameters * rotor_diameter_m
    y = row * layout.row_spacing_rotor_diameters * rotor_diameter_m
    x, y = x - x.mean(), y - y.mean()
    theta = np.deg2rad(layout.rotation_deg)
    return x * np.cos(theta) + y * np.sin(theta), -x * np.sin(theta) + y * np.cos(theta)


def check_spacing(x_m: np.ndarray, y_m: np.ndarray, rotor_diameter_m: float, site_id: str) -> None:
    """Raise InputError when two turbines stand closer than two rotor diameters.

    Parameters
    ----------
    x_m, y_m : numpy.ndarray
        Turbine positions [m].
    rotor_diameter_m : float
        Rotor diameter [m].
    site_id : str
        For the message.
    """
    if len(x_m) < 2:
        return
    distance = np.hypot(x_m[:, None] - x_m[None, :], y_m[:, None] - y_m[None, :])
    np.fill_diagonal(distance, np.inf)
    i, j = np.unravel_index(np.argmin(distance), distance.shape)
    closest = distance[i, j]
    if closest < MIN_SPACING_ROTOR_DIAMETERS * rotor_diameter_m:
        raise InputError(
            f"site '{site_id}': layout\n  turbines {i} and {j} are {closest:.0f} m apart "
            f"({closest / rotor_diameter_m:.2f} rotor diameters of {rotor_diameter_m:g} m); expected at least "
            f"{MIN_SPACING_ROTOR_DIAMETERS:g} rotor diameters between turbines"
        )


def thrust_coefficient_from_power(
    wind_speed_m_s: np.ndarray, power_kw: np.ndarray, rotor_diameter_m: float
) -> np.ndarray:
    """Thrust curve of a turbine known only by its power curve.

    The power coefficient ``Cp = P / (0.5 rho0 A v^3)`` gives the axial induction ``a`` from
    one-dimensional momentum theory, ``Cp = 4 a (1 - a)^2`` (``a <= 1/3``), hence
    ``Ct = 4 a (1 - a)``. As the electrical Cp is below the aerodynamic one, Ct is scaled so
    that at maximum Cp it equals ``CONSTANT_THRUST_COEFFICIENT`` (0.8), and capped at 8/9.
    This is the method of PyWake's ``standard_power_ct_curve`` (after DTU's WETB), applied to
    the given power curve.

    Parameters
    ----------
    wind_speed_m_s : numpy.ndarray
        Power curve wind speeds [m/s].
    power_kw : numpy.ndarray
        Power [kW].
    rotor_diameter_m : float
        Rotor diameter [m].

    Returns
    -------
    numpy.ndarray
        Thrust coefficient [-], 0 where the power is 0.

    References
    ----------
    Burton T. et al., Wind Energy Handbook, 2nd ed., Wiley 2011, sec. 3.2 (actuator disc);
    ``py_wake.utils.generic_power_ct_curves.standard_power_ct_curve``.
    """
    speed = np.asarray(wind_speed_m_s, dtype=float)
    area_m2 = np.pi * rotor_diameter_m**2 / 4.0
    with np.errstate(divide="ignore", invalid="ignore"):
        cp = np.where(speed > 0, power_kw * 1e3 / (0.5 * STANDARD_AIR_DENSITY_KG_M3 * area_m2 * speed**3), 0.0)
    cp = np.clip(cp, 0.0, 16.0 / 27.0)
    # Cp = 4a(1-a)^2 solved for the root a in [0, 1/3] (trigonometric form of the cubic).
    y = 27.0 / 16.0 * cp
    a = 2.0 / 3.0 * (1.0 - np.cos(np.arctan2(2.0 * np.sqrt(y * (1.0 - y)), 1.0 - 2.0 * y) / 3.0))
    ct = 4.0 * a * (1.0 - a)
    ct_at_max_cp = ct[np.argmax(cp)]
    if ct_at_max_cp <= 0:
        return np.zeros_like(ct)
    return np.minimum(ct * CONSTANT_THRUST_COEFFICIENT / ct_at_max_cp, 8.0 / 9.0)


def wake_expansion_k(turbulence_intensity: float) -> float:
    """Gaussian wake expansion rate from the ambient turbulence intensity.

    ``k = 0.3837 TI + 0.003678`` (Niayifar and Porté-Agel 2016, eq. 4), used for the
    Bastankhah-Gaussian model, which leaves k to the user.

    References
    ----------
    Niayifar A., Porté-Agel F., Analytical modeling of wind farms: a new approach for power
    prediction, Energies 9 (2016) 741, doi:10.3390/en9090741.
    """
    return 0.3837 * turbulence_intensity + 0.003678


def noj_wake_decay(offshore: bool) -> float:
    """Top-hat wake decay constant of the Jensen model: 0.04 offshore, 0.075 onshore.

    References
    ----------
    Barthelmie R. J. et al., Modelling and measuring flow and wind turbine wakes in large
    wind farms offshore, Wind Energy 12 (2009) 431-444, doi:10.1002/we.348 (0.04 offshore);
    WAsP's onshore default 0.075.
    """
    return 0.04 if offshore else 0.075


def _wind_farm_model(wake: PyWakeWakes, turbulence_intensity: float, offshore: bool, wind_turbine):
    """The PyWake engineering model named in the config."""
    from py_wake.deficit_models.gaussian import (
        BastankhahGaussianDeficit,
        NiayifarGaussianDeficit,
        TurboGaussianDeficit,
    )
    from py_wake.deficit_models.noj import NOJDeficit
    from py_wake.deficit_models.utils import ct2a_mom1d
    from py_wake.ground_models import Mirror
    from py_wake.rotor_avg_models import AreaOverlapAvgModel, GaussianOverlapAvgModel
    from py_wake.site import UniformSite
    from py_wake.superposition_models import LinearSum, MaxSum, SqrMaxSum, SquaredSum
    from py_wake.turbulence_models import CrespoHernandez
    from py_wake.wind_farm_models import PropagateDownwind

    superposition = {"squared_sum": SquaredSum, "linear_sum": LinearSum, "max_sum": MaxSum}[wake.superposition]()
    site = UniformSite(ti=turbulence_intensity)
    turbulence = None
    if wake.model == "bastankhah_gaussian":
        # Bastankhah and Porté-Agel 2014, doi:10.1016/j.renene.2014.01.002
        deficit = BastankhahGaussianDeficit(
            k=wake_expansion_k(turbulence_intensity), ct2a=ct2a_mom1d, use_effective_ws=True
        )
    elif wake.model == "niayifar_gaussian":
        # Niayifar and Porté-Agel 2016, doi:10.3390/en9090741: k from the local TI
        deficit = NiayifarGaussianDeficit(
            a=[0.3837, 0.003678],
            ct2a=ct2a_mom1d,
            rotorAvgModel=GaussianOverlapAvgModel(),
            use_effective_ws=True,
            use_effective_ti=True,
        )
        turbulence = CrespoHernandez(
            ct2a=ct2a_mom1d, c=[0.73, 0.8325, 0.0325, -0.32], addedTurbulenceSuperpositionModel=SqrMaxSum()
        )
    elif wake.model == "turbopark":
        # Nygaard et al. 2022, doi:10.1088/1742-6596/2265/2/022019 (PyWake's Nygaard_2022), A = 0.04
        deficit = TurboGaussianDeficit(
            ct2a=ct2a_mom1d,
            A=TURBOPARK_WAKE_EXPANSION_A,
            groundModel=Mirror(superpositionModel=SquaredSum()),
            rotorAvgModel=GaussianOverlapAvgModel(),
            ctlim=0.96,
        )
        deficit.WS_key = "WS_jlk"
    else:
        # Jensen 1983 / Katic et al. 1986: top hat, induction from 1D momentum theory, area overlap
        deficit = NOJDeficit(k=noj_wake_decay(offshore), ct2a=ct2a_mom1d, rotorAvgModel=AreaOverlapAvgModel())
    return PropagateDownwind(
        site, wind_turbine, wake_deficitModel=deficit, superpositionModel=superposition, turbulenceModel=turbulence
    )


def _hashable_farm(x_m, y_m, wind_speed_m_s, power_kw, thrust_coefficient, rotor_diameter_m,
                   max_wind_speed_m_s) -> tuple:
    """The farm's layout and turbine curves as tuples of floats: a key of the in-memory and disk caches."""
    arrays = (x_m, y_m, wind_speed_m_s, power_kw, thrust_coefficient)
    return (*(tuple(map(float, a)) for a in arrays), float(rotor_diameter_m), float(max_wind_speed_m_s))


def farm_efficiency_tables(
    spec: WindSite,
    wake: PyWakeWakes,
    x_m: np.ndarray,
    y_m: np.ndarray,
    wind_speed_m_s: np.ndarray,
    power_kw: np.ndarray,
    thrust_coefficient: np.ndarray,
    rotor_diameter_m: float,
    max_wind_speed_m_s: float,
    models: tuple[str, ...] = WAKE_RANGE_MODELS,
) -> dict[str, FarmEfficiencyTable]:
    """Farm efficiency over direction x speed under each named PyWake model.

    Each table uses the config's superposition and resolution with its own deficit model
    (``wake.model`` says which one the production uses, ``models`` which ones are computed).
    The table of ``wake.model`` also holds the efficiency of each turbine.

    Parameters
    ----------
    spec : WindSite
        For the turbulence intensity, hub height and offshore flag.
    wake : PyWakeWakes
        Superposition and table resolution.
    x_m, y_m : numpy.ndarray
        Turbine positions [m].
    wind_speed_m_s, power_kw, thrust_coefficient : numpy.ndarray
        The turbine's power and thrust curves as used [m/s, kW, -].
    rotor_diameter_m : float
        Rotor diameter [m].
    max_wind_speed_m_s : float
        Upper end of the table's speed axis (the cut-out speed) [m/s].
    models : tuple of str
        Models to compute, each one of :data:`WAKE_RANGE_MODELS`; default all of them.

    Returns
    -------
    dict
        Model name -> FarmEfficiencyTable, in the order of ``models``.

    References
    ----------
    Pedersen M. M. et al., PyWake 2.5.0: An open-source wind farm simulation tool, DTU Wind,
    2023, https://gitlab.windenergy.dtu.dk/TOPFARM/PyWake.
    """
    inputs = _hashable_farm(x_m, y_m, wind_speed_m_s, power_kw, thrust_coefficient, rotor_diameter_m,
                            max_wind_speed_m_s)
    site = (spec.turbulence_intensity, spec.hub_height_m, spec.offshore)
    return {
        model: _cached_table((wake.model_copy(update={"model": model}), *site), *inputs, model == wake.model)
        for model in models
    }


def wake_table_cache_folder() -> Path:
    """Folder of the cached wake tables: $ENERGY_PORTFOLIO_WAKE_CACHE, else ~/.cache/energy_portfolio/wake_tables."""
    configured = os.environ.get(WAKE_TABLE_CACHE_ENV)
    return Path(configured) if configured else Path.home() / ".cache" / "energy_portfolio" / "wake_tables"


def _table_key(site_key: tuple, *arrays_and_scalars) -> str:
    """SHA-256 of everything a table depends on: wake settings, site, layout, turbine, whether it
    holds the turbines' efficiency, PyWake version."""
    from importlib.metadata import version

    wake, turbulence_intensity, hub_height_m, offshore = site_key
    document = {
        "schema": _WAKE_TABLE_SCHEMA,
        "py_wake": version("py_wake"),
        "wake": wake.model_dump(mode="json"),
        "site": [turbulence_intensity, hub_height_m, offshore],
        "inputs": arrays_and_scalars,
    }
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()


def _read_cached(path: Path, n_turbines: int | None) -> FarmEfficiencyTable | None:
    """A cached table, or None when the file is missing or not a table (it is then computed again).

    ``n_turbines``: the turbine count its per-turbine efficiency must have, None for a table without.
    """
    try:
        with np.load(path, allow_pickle=False) as data:
            turbines = data["turbine_efficiency"] if n_turbines is not None else None
            table = FarmEfficiencyTable(data["direction_deg"], data["wind_speed_m_s"], data["efficiency"], turbines)
    except (OSError, KeyError, ValueError):
        return None
    grid = (len(table.direction_deg), len(table.wind_speed_m_s))
    if table.efficiency.shape != grid:
        return None
    if turbines is not None and turbines.shape != (n_turbines, *grid):
        return None
    return table


def _write_cached(path: Path, table: FarmEfficiencyTable) -> None:
    """Store a table as compressed ``.npz`` (arrays only), atomically; a folder that cannot be written is skipped."""
    def write(temporary: Path) -> None:
        with open(temporary, "wb") as handle:
            turbines = {} if table.turbine_efficiency is None else {"turbine_efficiency": table.turbine_efficiency}
            # compressed: the turbine table of the default farm is 4.9 MB raw, 1.2 MB so (62 % of it is
            # exactly 1: speeds on the plateau or stopped), read in 8 ms instead of 2 ms
            np.savez_compressed(handle, direction_deg=table.direction_deg, wind_speed_m_s=table.wind_speed_m_s,
                                efficiency=table.efficiency, **turbines)

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_atomically(path, write)
    except OSError:
        pass  # a read-only cache folder costs the computation next time, nothing else


@lru_cache(maxsize=16)
def _cached_table(
    site_key: tuple, x_m, y_m, wind_speed_m_s, power_kw, thrust_coefficient, rotor_diameter_m, max_wind_speed_m_s,
    per_turbine: bool = False,
) -> FarmEfficiencyTable:
    """The table, computed once per farm, turbine and wake settings: in memory, then on disk.

    ``per_turbine``: also the efficiency of each turbine (from the same PyWake calls).

    Runs of several operating years or weather years, and sweeps over economics, reuse it. The
    key holds every input the table depends on (and the PyWake version); the arrays returned
    are read-only. The file holds arrays only and is read with ``allow_pickle=False``.
    """
    inputs = (x_m, y_m, wind_speed_m_s, power_kw, thrust_coefficient, rotor_diameter_m, max_wind_speed_m_s)
    path = wake_table_cache_folder() / f"{_table_key(site_key, *inputs, per_turbine)}.npz"
    table = _read_cached(path, len(x_m) if per_turbine else None)
    if table is None:
        table = _compute_table(site_key, *inputs, per_turbine)
        _write_cached(path, table)
    for array in (table.direction_deg, table.wind_speed_m_s, table.efficiency, table.turbine_efficiency):
        if array is not None:
            array.flags.writeable = False
    return table


def _pywake_turbine(wind_speed_m_s, power_kw, thrust_coefficient, rotor_diameter_m: float, hub_height_m: float):
    """PyWake's turbine from the power and thrust curves as used [m/s, kW, -] and its rotor and hub [m]."""
    from py_wake.wind_turbines import WindTurbine
    from py_wake.wind_turbines.power_ct_functions import PowerCtTabular

    return WindTurbine(
        name="turbine",
        diameter=rotor_diameter_m,
        hub_height=hub_height_m,
        powerCtFunction=PowerCtTabular(wind_speed_m_s, power_kw, "kW", thrust_coefficient),
    )


def _compute_table(
    site_key: tuple, x_m, y_m, wind_speed_m_s, power_kw, thrust_coefficient, rotor_diameter_m, max_wind_speed_m_s,
    per_turbine: bool = False,
) -> FarmEfficiencyTable:
    """The table computed by PyWake (see :func:`farm_efficiency_tables`), with the turbines'
    efficiency when ``per_turbine`` (each turbine's power of the same calls).

    PyWake is called on blocks of :data:`SPEEDS_PER_CALL` speeds (the same results as one call
    on the whole grid, in a fraction of the time: the arrays stay small). The blocks go up in
    speed; once every turbine runs on the power curve's plateau at a block's top speed in a
    direction, the faster speeds of that direction are unwaked (:func:`plateau_speed_m_s`), their
    efficiency is 1, and the next blocks leave that direction out.
    """

    wake, turbulence_intensity, hub_height_m, offshore = site_key
    x_m, y_m = np.array(x_m), np.array(y_m)
    wind_speed_m_s, power_kw = np.array(wind_speed_m_s), np.array(power_kw)
    thrust_coefficient = np.array(thrust_coefficient)
    wind_turbine = _pywake_turbine(wind_speed_m_s, power_kw, thrust_coefficient, rotor_diameter_m, hub_height_m)
    n_directions = max(1, round(360.0 / wake.direction_step_deg))
    directions = np.linspace(0.0, 360.0, n_directions, endpoint=False)
    speeds = np.arange(0.0, max_wind_speed_m_s + wake.speed_step_m_s / 2, wake.speed_step_m_s)
    free_kw = np.interp(speeds, wind_speed_m_s, power_kw, left=0.0, right=0.0)
    running = np.flatnonzero(free_kw > 0)
    efficiency = np.ones((len(directions), len(speeds)))
    turbine_efficiency = np.ones((len(x_m), len(directions), len(speeds))) if per_turbine else None
    model = _wind_farm_model(wake, turbulence_intensity, offshore, wind_turbine) if len(running) else None
    plateau_m_s = plateau_speed_m_s(wind_speed_m_s, power_kw, thrust_coefficient, max_wind_speed_m_s)
    waked = np.arange(len(directions))  # directions with a turbine below the plateau at the last speed
    for first in range(0, len(running), SPEEDS_PER_CALL):
        block = running[first:first + SPEEDS_PER_CALL]
        ws_eff, _, power_w, *_ = model(
            x_m, y_m, wd=directions[waked], ws=speeds[block], return_simulationResult=False
        )
        turbine_kw = np.asarray(power_w) / 1e3  # (turbine, wd, ws) [kW]
        efficiency[np.ix_(waked, block)] = turbine_kw.sum(axis=0) / (len(x_m) * free_kw[block])
        if turbine_efficiency is not None:
            turbine_efficiency[np.ix_(np.arange(len(x_m)), waked, block)] = turbine_kw / free_kw[block]
        # every turbine on the plateau at the block's top speed: the faster speeds are unwaked (efficiency 1)
        waked = waked[np.asarray(ws_eff)[:, :, -1].min(axis=0) < plateau_m_s]
        if len(waked) == 0:
            break
    return FarmEfficiencyTable(directions, speeds, efficiency, turbine_efficiency)


def plateau_speed_m_s(
    wind_speed_m_s: np.ndarray, power_kw: np.ndarray, thrust_coefficient: np.ndarray, max_wind_speed_m_s: float
) -> float:
    """Lowest curve speed from which the turbine is on its rated plateau up to ``max_wind_speed_m_s`` [m/s].

    On the plateau the power stays within :data:`PLATEAU_POWER_TOLERANCE` of its maximum and the
    thrust coefficient does not rise with speed. The models of the range scale the wake's speed
    deficit with the upstream speed, and it shrinks as the thrust coefficient falls, so once every
    turbine's waked speed is on the plateau at one free-stream speed it stays there at the faster
    ones, and the farm efficiency there is 1 to within the plateau tolerance (an argument, not a
    proof for every model: Niayifar's wake width also follows the added turbulence;
    ``tests/production/test_wake_range.py`` checks each model's table against one whole-grid
    PyWake call). Infinite when the curve has no such plateau (every speed is then computed).

    Parameters
    ----------
    wind_speed_m_s, power_kw, thrust_coefficient : numpy.ndarray
        The turbine's power and thrust curves [m/s, kW, -].
    max_wind_speed_m_s : float
        Cut-out speed [m/s].

    Returns
    -------
    float
        Plateau start [m/s], or ``inf``.
    """
    inside = wind_speed_m_s <= max_wind_speed_m_s
    speed, power, thrust = wind_speed_m_s[inside], power_kw[inside], thrust_coefficient[inside]
    if len(speed) == 0:
        return np.inf
    rated = power >= (1.0 - PLATEAU_POWER_TOLERANCE) * power.max()
    # from the top down: a point belongs to the plateau when it and every faster point do
    not_rising = np.append(np.diff(thrust) <= 0, True)
    on_plateau = np.logical_and.accumulate((rated & not_rising)[::-1])[::-1]
    return float(speed[on_plateau][0]) if on_plateau.any() else np.inf


def blockage_table(
    turbopark: FarmEfficiencyTable,
    spec: WindSite,
    wake: PyWakeWakes,
    farm: tuple,
) -> FarmEfficiencyTable:
    """The TurbOPark table with the farm's blockage: ``turbopark`` times the blockage ratio.

    The ratio is the farm's power with PyWake's self-similar induction-zone model
    (``SelfSimilarityDeficit2020``, upstream only, with ``PropagateUpDownIterative``) over its power
    without it, both with TurbOPark wakes on the effective wind speed, which that solver needs; it
    is computed on the coarse grid of :data:`BLOCKAGE_DIRECTION_STEP_DEG` x
    :data:`BLOCKAGE_SPEED_STEP_M_S` (cached on disk like the tables) and interpolated onto the
    TurbOPark table's grid.

    Parameters
    ----------
    turbopark : FarmEfficiencyTable
        The TurbOPark table of the farm (:func:`farm_efficiency_tables`).
    spec, wake
        As :func:`farm_efficiency_tables`.
    farm : tuple
        The farm arguments of :func:`farm_efficiency_tables`, in its order: ``x_m``, ``y_m``,
        ``wind_speed_m_s``, ``power_kw``, ``thrust_coefficient``, ``rotor_diameter_m``,
        ``max_wind_speed_m_s``.

    Returns
    -------
    FarmEfficiencyTable
        On ``turbopark``'s grid: farm power with wakes and blockage over power without either [-].

    References
    ----------
    N. G. Nygaard et al., "Modelling cluster wakes and wind farm blockage", J. Phys.: Conf. Ser.
    1618 (2020) 062072, doi:10.1088/1742-6596/1618/6/062072; N. Troldborg and A. R. Meyer Forsting,
    "A simple model of the wind turbine induction zone derived from numerical simulations", Wind
    Energy 20 (2017) 2011-2020 (the self-similar induction model PyWake implements).
    """
    inputs = _hashable_farm(*farm)
    key = (wake.model_copy(update={"model": "turbopark"}), spec.turbulence_intensity, spec.hub_height_m, spec.offshore)
    ratio = _cached_blockage_ratio(key, *inputs)
    directions, speeds = np.meshgrid(turbopark.direction_deg, turbopark.wind_speed_m_s, indexing="ij")
    efficiency = turbopark.efficiency * ratio.at(directions.ravel(), speeds.ravel()).reshape(directions.shape)
    return FarmEfficiencyTable(turbopark.direction_deg, turbopark.wind_speed_m_s, efficiency)


@lru_cache(maxsize=4)
def _cached_blockage_ratio(site_key: tuple, *inputs) -> FarmEfficiencyTable:
    """The blockage ratio on its coarse grid, once per farm and turbine: in memory, then on disk."""
    grid = ("blockage", BLOCKAGE_DIRECTION_STEP_DEG, BLOCKAGE_SPEED_STEP_M_S)
    path = wake_table_cache_folder() / f"{_table_key(site_key, *grid, *inputs)}.npz"
    table = _read_cached(path, None)
    if table is None:
        table = _compute_blockage_ratio(site_key, *inputs)
        _write_cached(path, table)
    return table


def _compute_blockage_ratio(
    site_key: tuple, x_m, y_m, wind_speed_m_s, power_kw, thrust_coefficient, rotor_diameter_m, max_wind_speed_m_s
) -> FarmEfficiencyTable:
    """The coarse blockage ratio (see :func:`blockage_table`); 1 below cut-in and from the rated plateau up."""
    from py_wake.deficit_models import SelfSimilarityDeficit2020
    from py_wake.wind_farm_models import PropagateDownwind, PropagateUpDownIterative

    wake, turbulence_intensity, hub_height_m, offshore = site_key
    x_m, y_m = np.array(x_m), np.array(y_m)
    wind_speed_m_s, power_kw = np.array(wind_speed_m_s), np.array(power_kw)
    thrust_coefficient = np.array(thrust_coefficient)
    wind_turbine = _pywake_turbine(wind_speed_m_s, power_kw, thrust_coefficient, rotor_diameter_m, hub_height_m)
    cut_in_m_s = float(wind_speed_m_s[np.flatnonzero(power_kw > 0)[0]])
    plateau_m_s = min(plateau_speed_m_s(wind_speed_m_s, power_kw, thrust_coefficient, max_wind_speed_m_s),
                      max_wind_speed_m_s)
    computed = np.arange(np.ceil(cut_in_m_s), plateau_m_s, BLOCKAGE_SPEED_STEP_M_S)
    speeds = np.unique(np.concatenate([[0.0, cut_in_m_s], computed, [plateau_m_s, max_wind_speed_m_s]]))
    directions = np.arange(0.0, 360.0, BLOCKAGE_DIRECTION_STEP_DEG)
    ratio = np.ones((len(directions), len(speeds)))
    if len(computed):
        base = _wind_farm_model(wake, turbulence_intensity, offshore, wind_turbine)
        deficit = _wind_farm_model(wake, turbulence_intensity, offshore, wind_turbine).wake_deficitModel
        deficit.WS_key = "WS_eff_ilk"  # the up-down solver needs wakes that scale with the effective speed
        blockage = SelfSimilarityDeficit2020(use_effective_ws=True, upstream_only=True)
        models = [
            PropagateDownwind(base.site, wind_turbine, wake_deficitModel=deficit,
                              superpositionModel=base.superpositionModel),
            PropagateUpDownIterative(base.site, wind_turbine, wake_deficitModel=deficit,
                                     superpositionModel=base.superpositionModel, blockage_deficitModel=blockage),
        ]
        without, with_blockage = (
            np.asarray(model(x_m, y_m, wd=directions, ws=computed, return_simulationResult=False)[2]).sum(axis=0)
            for model in models
        )
        ratio[:, np.searchsorted(speeds, computed)] = with_blockage / without
    return FarmEfficiencyTable(directions, speeds, ratio)
