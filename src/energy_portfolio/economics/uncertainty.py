"""P50/P90/P99 from year-to-year variability and an uncertainty stack, normal approximation.

The annual value (energy, delivered energy after dispatch, or revenue) is taken as normally
distributed about its P50 with a relative standard deviation that combines, in quadrature
(independent components), the year-to-year variability of the weather and a stack of
systematic uncertainties of the assessment itself::

    sigma_total = sqrt(sigma_interannual**2 / horizon_years + sum(sigma_i**2))
    P_x = P50 * (1 - z_x * sigma_total),   z_x = Phi^-1(x)   (z_90 = 1.2816, z_99 = 2.3263)

The year-to-year variability is measured from a sample of annual values, one per weather
year (generated years or real multi-year data), as the sample standard deviation over the
mean; it averages out over a horizon of several years, the stack does not.

References
----------
- IEA PVPS Task 13, "Uncertainties in PV System Yield Predictions and Assessments", Report
  IEA-PVPS T13-12:2018 (April 2018), chapter 3 "Modelling & uncertainties": long-term energy
  yield predictions, the overall uncertainty from independent components in quadrature, and
  exceedance probabilities under a normal distribution.
- J. C. Y. Lee and M. J. Fields, "An overview of wind-energy-production prediction bias,
  losses, and uncertainties", Wind Energ. Sci. 6 (2021) 311-365, doi:10.5194/wes-6-311-2021:
  the IEC 61400-15 uncertainty categories and the values reported for them.
- A. Clifton, A. Smith and M. Fields, "Wind Plant Preconstruction Energy Estimates: Current
  Practice and Opportunities", NREL/TP-5000-64735 (2016): P50/P90 under a normal
  distribution, 1-year and 10-year horizons.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from scipy.stats import norm

from ..errors import InputError
from ._checks import finite_array, finite_number

__all__ = [
    "PV_UNCERTAINTY_STACK",
    "WIND_UNCERTAINTY_STACK",
    "PV_RESOURCE_BY_KIND",
    "PV_MODEL_STACK",
    "WIND_RESOURCE_BY_KIND",
    "WIND_MODEL_STACK",
    "WAKE_MODEL_COMPONENT",
    "default_uncertainty_stack",
    "uncertainty_stack",
    "quadrature",
    "interannual_variability_fraction",
    "total_uncertainty_fraction",
    "exceedance_level",
    "PValues",
    "p_values",
    "p_values_from_fractions",
    "p_values_of_samples",
    "combined_stack_fraction",
    "WAKE_MODEL_SPREAD_COMPONENT",
    "wake_model_spread_fraction",
    "site_uncertainty_stack",
]

# Each stack has a part set by the kind of weather data the site is modelled from (the
# resource: how well its long-term mean is known) and a part set by the models, which does not
# depend on the data. The resource figures are 1-sigma fractions of annual energy.

PV_RESOURCE_BY_KIND: Mapping[str, Mapping[str, float]] = MappingProxyType(
    {
        # A pyranometer campaign at the site (a year or more, secondary-standard thermopile,
        # cleaned and calibrated), then correlated with a long satellite record: 3 % on the
        # annual irradiation and 2 % for the long-term correction. IEA-PVPS T13-12:2018 ch. 3
        # (ground measurements with maintained class A instruments; long-term correction of a
        # short campaign); our reading of its ranges.
        "on_site_measurement": MappingProxyType({"resource_measurement": 0.03, "long_term_correction": 0.02}),
        # A meteorological station's record or a typical year built from it (EPW): 5 % for the
        # long-term mean irradiation (Thevenard and Pelland 2013, whose figure covers satellite or
        # station data) plus 2 % for the station's distance from the site and the record's period
        # (assumption).
        "ground_station": MappingProxyType({"resource_measurement": 0.05, "long_term_correction": 0.03}),
        # Satellite-derived irradiance (PVGIS-SARAH, NSRDB, TMY3's modelled irradiance): 5 %
        # (Thevenard and Pelland 2013; IEA-PVPS T13-12 ch. 3 compares satellite data sets, whose
        # annual bias against ground stations is a few per cent), 2 % long-term (trends of GHI,
        # T13-12 ch. 3; assumption).
        "satellite": MappingProxyType({"resource_measurement": 0.05, "long_term_correction": 0.02}),
        # A reanalysis's irradiance (ERA5): its clouds are modelled, not observed, and its annual
        # GHI runs several per cent high with a wide spread between stations (R. Urraca et al.,
        # "Evaluation of global horizontal irradiance estimates from ERA5 and COSMO-REA6
        # reanalyses using ground and satellite-based data", Solar Energy 164 (2018) 339-354,
        # doi:10.1016/j.solener.2018.02.059): 8 % (assumption within their findings); its
        # record is long, 2 % long-term.
        "reanalysis": MappingProxyType({"resource_measurement": 0.08, "long_term_correction": 0.02}),
        # Hours generated from a monthly climatology (weather.generator): the monthly means
        # carry their own source's 5 % (the climatologies cite satellite or station means), and
        # generating the hours from them adds the error of the synthetic distribution of
        # clearness and of the diffuse split, 4 % (assumption: the generator reproduces the
        # monthly means exactly but not the real sequence of clear and cloudy hours that the
        # plane-of-array conversion and clipping see).
        "synthetic_climatology": MappingProxyType(
            {"resource_measurement": 0.05, "long_term_correction": 0.02, "synthetic_hours": 0.04}
        ),
        # Data whose origin is not stated are treated as the least certain measured kind
        # (assumption): 8 %.
        "unknown": MappingProxyType({"resource_measurement": 0.08, "long_term_correction": 0.03}),
    }
)
"""PV resource uncertainty by weather data kind (``config.site.DATA_KINDS``) [fraction of P50]."""

PV_MODEL_STACK: Mapping[str, float] = MappingProxyType(
    {
        # Horizontal to plane-of-array irradiance: 3 % (Thevenard and Pelland 2013;
        # IEA-PVPS T13-12 ch. 3, conversion to tilted plane).
        "transposition": 0.03,
        # PV model chain and module power rating: 3 % (Thevenard and Pelland 2013;
        # IEA-PVPS T13-12 ch. 2, module power rating, and ch. 3, module efficiency).
        "model": 0.03,
        # Soiling losses: 2 % (Thevenard and Pelland 2013; IEA-PVPS T13-12 section 3.5).
        "soiling": 0.02,
        # Plant availability against the modelled value; assumption: 1 %.
        "availability": 0.01,
    }
)
"""PV uncertainties of the models, whatever the data [fraction of P50]."""

WIND_RESOURCE_BY_KIND: Mapping[str, Mapping[str, float]] = MappingProxyType(
    {
        # The categories are those of IEC 61400-15-1 as reviewed by J. C. Y. Lee and M. J.
        # Fields (2021), in energy terms. A mean-wind-speed uncertainty becomes an energy one
        # through the farm's sensitivity, about 1.5-2 % of energy per 1 % of speed at the
        # capacity factors here (Clifton et al. 2016); we take 1.6 (assumption).
        # An on-site mast or lidar campaign, correlated with a long reference (MCP): 3 %
        # measurement, 3 % long-term correction, 2 % vertical extrapolation to hub height,
        # within the ranges Lee and Fields report for bankable campaigns.
        "on_site_measurement": MappingProxyType(
            {"resource_measurement": 0.03, "long_term_correction": 0.03, "vertical_extrapolation": 0.02}
        ),
        # A meteorological station away from the site, 10 m anemometer: its mean speed transferred
        # to the site at 4 % (x 1.6 = 6.5 % energy), a long record (2 %), and a long vertical
        # extrapolation from 10 m to hub height, 5 % (assumption within Lee and Fields' ranges,
        # whose largest vertical-extrapolation values are for tall hubs over short masts).
        "ground_station": MappingProxyType(
            {"resource_measurement": 0.065, "long_term_correction": 0.02, "vertical_extrapolation": 0.05}
        ),
        # Satellite winds (SAR scatterometry over sea, 10 m): mean speed within about 5 %
        # (x 1.6 = 8 % energy; assumption), extrapolated from 10 m to hub height, 5 %; records
        # of a decade or two, 3 % long-term.
        "satellite": MappingProxyType(
            {"resource_measurement": 0.08, "long_term_correction": 0.03, "vertical_extrapolation": 0.05}
        ),
        # A reanalysis at 100 m (ERA5): mean speed biased by several per cent against masts and
        # lidars offshore and needing a correction it cannot give itself (A. Gualtieri,
        # "Analysing the uncertainties of reanalysis data used for wind resource assessment: a
        # critical review", Renew. Sustain. Energy Rev. 167 (2022) 112741,
        # doi:10.1016/j.rser.2022.112741): 5 % on speed, 8 % on energy (assumption within that
        # review); 40 years of record, 1.5 % long-term; 100 m to hub height, 3 %.
        "reanalysis": MappingProxyType(
            {"resource_measurement": 0.08, "long_term_correction": 0.015, "vertical_extrapolation": 0.03}
        ),
        # Hours generated from a monthly climatology (weather.generator): the monthly mean speeds
        # carry their source's uncertainty, taken as a reanalysis or a derived proxy's 8 %; the
        # generated hourly distribution (a Weibull shape and a diurnal cycle, not the site's
        # real ones) adds 3 % (assumption); hub-height means derived by shear from lower masts,
        # 4 % (assumption); 2 % long-term.
        "synthetic_climatology": MappingProxyType(
            {
                "resource_measurement": 0.08,
                "long_term_correction": 0.02,
                "vertical_extrapolation": 0.04,
                "synthetic_hours": 0.03,
            }
        ),
        # Data whose origin is not stated (assumption): the largest measured-kind figures.
        "unknown": MappingProxyType(
            {"resource_measurement": 0.10, "long_term_correction": 0.03, "vertical_extrapolation": 0.05}
        ),
    }
)
"""Wind resource uncertainty by weather data kind (``config.site.DATA_KINDS``) [fraction of P50]."""

WAKE_MODEL_COMPONENT = "wake_model"
"""The stack's wake-model component, which the measured spread replaces when a range is run."""

WIND_MODEL_STACK: Mapping[str, float] = MappingProxyType(
    {
        # Horizontal extrapolation across the farm (flow model): 2 %; wake model: 2 %; together
        # the 3 % (2.8 %) this stack carried as one "model" component before the wake range was
        # run, within Lee and Fields' ranges. With a wake range, the measured spread
        # (WAKE_MODEL_SPREAD_COMPONENT) takes the place of the wake_model figure, so the wake
        # model is not counted twice.
        "horizontal_extrapolation": 0.02,
        WAKE_MODEL_COMPONENT: 0.02,
        "plant_performance": 0.03,  # power curve and turbine performance
        "availability": 0.01,
    }
)
"""Wind uncertainties of the models, whatever the data [fraction of P50]."""

PV_UNCERTAINTY_STACK: Mapping[str, float] = MappingProxyType(
    {**PV_RESOURCE_BY_KIND["satellite"], **PV_MODEL_STACK}
)
"""The PV stack on satellite irradiance, the kind of most published PV assessments [fraction of P50]."""

WIND_UNCERTAINTY_STACK: Mapping[str, float] = MappingProxyType(
    {**WIND_RESOURCE_BY_KIND["on_site_measurement"], **WIND_MODEL_STACK}
)
"""The wind stack of an on-site measurement campaign [fraction of P50]."""

_DEFAULT_KIND = {"solar": "satellite", "wind": "on_site_measurement"}


WAKE_MODEL_SPREAD_COMPONENT = "wake_model_spread"
"""Name of the stack component added to a wind site with a PyWake wake model: the spread of the
farm's energy across PyWake's engineering wake models (:func:`wake_model_spread_fraction`)."""


def wake_model_spread_fraction(
    wake_loss_fraction_by_model: Mapping[str, float], default_wake_loss_fraction: float
) -> float:
    """1-sigma uncertainty of the energy from the choice of wake model: half the range of the models.

    The energy after wakes under model ``m`` is ``E_gross (1 - L_m)``; relative to the energy of
    the default model (``L_0``) the models span ``(max L - min L) / (1 - L_0)``, and half of that
    is taken as one standard deviation::

        sigma_wake_model = (max_m L_m - min_m L_m) / (2 (1 - L_0))

    Half the range, rather than the standard deviation of three or four models (a poor
    estimate from so few values) or the range over sqrt(3) of a rectangular distribution
    (GUM 4.3.7, which assumes the truth lies within the models' range), is our choice and the
    more cautious one: the models do not bound the truth (Nygaard et al. 2022 find the older
    models under-predict wake losses in large offshore clusters by several points).

    Parameters
    ----------
    wake_loss_fraction_by_model : Mapping
        Model name -> farm wake loss [fraction of gross energy], at least one model.
    default_wake_loss_fraction : float
        Wake loss of the model the production uses [fraction].

    Returns
    -------
    float
        The component [fraction of P50].

    References
    ----------
    JCGM 100:2008 (GUM), 4.3.7 (an input known only by its bounds); Lee and Fields (2021),
    section on wake-model uncertainty in the IEC 61400-15 categories; N. G. Nygaard et al.,
    "Modelling cluster wakes and wind farm blockage", J. Phys.: Conf. Ser. 1618 (2020) 062072,
    doi:10.1088/1742-6596/1618/6/062072, and Nygaard et al. 2022, doi:10.1088/1742-6596/2265/2/022019.
    """
    losses = finite_array("wake_loss_fraction_by_model", list(wake_loss_fraction_by_model.values()), min_length=1)
    default = finite_number("default_wake_loss_fraction", default_wake_loss_fraction, low=0.0, high=1.0)
    if default >= 1.0:
        raise InputError("economics: default_wake_loss_fraction = 1; the farm produces nothing after wakes")
    return float((losses.max() - losses.min()) / (2.0 * (1.0 - default)))


def default_uncertainty_stack(technology: str, data_kind: str | None = None) -> dict[str, float]:
    """The default stack for ``"solar"`` or ``"wind"`` on weather of ``data_kind``; empty for ``"battery"``.

    A battery has no resource of its own: the variability of what it earns comes only
    from the weather years run through the dispatch.

    Parameters
    ----------
    technology : str
        ``"solar"``, ``"wind"`` or ``"battery"``.
    data_kind : str, optional
        What the site's weather is made from, one of ``config.site.DATA_KINDS``; None for the
        kind the constants ``PV_UNCERTAINTY_STACK`` (satellite) and ``WIND_UNCERTAINTY_STACK``
        (on-site measurement) stand for.

    Returns
    -------
    dict
        Component name -> 1-sigma uncertainty [fraction of P50]: the resource components of
        ``PV_RESOURCE_BY_KIND``/``WIND_RESOURCE_BY_KIND`` for the kind, then the model components.
    """
    if technology == "battery":
        return {}
    stacks = {"solar": (PV_RESOURCE_BY_KIND, PV_MODEL_STACK), "wind": (WIND_RESOURCE_BY_KIND, WIND_MODEL_STACK)}
    if technology not in stacks:
        raise InputError(
            f"economics: technology = {technology!r}; expected one of 'solar', 'wind', 'battery'"
        )
    by_kind, models = stacks[technology]
    kind = _DEFAULT_KIND[technology] if data_kind is None else data_kind
    if kind not in by_kind:
        raise InputError(f"economics: data_kind = {kind!r}; expected one of {', '.join(by_kind)}")
    return {**by_kind[kind], **models}


def uncertainty_stack(
    technology: str, override: Mapping[str, float] | None = None, data_kind: str | None = None
) -> dict[str, float]:
    """The stack a site uses: its own ``energy_uncertainty`` when given, else the default for its data.

    Parameters
    ----------
    technology : str
        ``"solar"``, ``"wind"`` or ``"battery"``.
    override : Mapping, optional
        The site config's ``energy_uncertainty`` [fraction of P50 per source]; it replaces
        the default stack as a whole (sources it leaves out count as 0).
    data_kind : str, optional
        The kind of the site's weather data (:func:`default_uncertainty_stack`).

    Returns
    -------
    dict
        Component name -> 1-sigma uncertainty [fraction of P50].
    """
    if override is not None:
        return {
            name: finite_number(f"energy_uncertainty.{name}", value, low=0.0, high=1.0)
            for name, value in override.items()
        }
    return default_uncertainty_stack(technology, data_kind)


def quadrature(components) -> float:
    """Root sum of squares of independent standard uncertainties.

    Parameters
    ----------
    components : iterable of float or Mapping
        Standard uncertainties (any one unit, e.g. fractions); a mapping's values are used.

    Returns
    -------
    float
        ``sqrt(sum(u_i ** 2))``, 0 for no components.

    References
    ----------
    JCGM 100:2008 (GUM), eq. (10) with uncorrelated inputs and unit sensitivities.
    """
    values = list(components.values()) if isinstance(components, Mapping) else list(components)
    if not values:
        return 0.0
    array = finite_array("uncertainty components", values, non_negative=True)
    return float(np.sqrt(np.sum(array**2)))


def interannual_variability_fraction(annual_values) -> float:
    """Year-to-year variability: sample standard deviation over the mean.

    Parameters
    ----------
    annual_values : array-like
        One value per weather year (energy [MWh] or revenue [USD]), at least 2.

    Returns
    -------
    float
        ``std(values, ddof=1) / mean(values)`` [fraction].

    References
    ----------
    IEA-PVPS T13-12:2018, ch. 3 (inter-annual variability of irradiation).
    """
    values = finite_array("annual_values", annual_values, min_length=2)
    mean = float(values.mean())
    if mean <= 0.0:
        raise InputError(f"economics: annual_values have mean {mean:g}; P-values need a positive mean")
    return float(values.std(ddof=1)) / mean


def total_uncertainty_fraction(interannual_fraction: float, stack, horizon_years: int = 1) -> float:
    """Combined 1-sigma uncertainty of the mean annual value over a horizon.

    Parameters
    ----------
    interannual_fraction : float
        Year-to-year variability [fraction].
    stack : Mapping or iterable of float
        Systematic 1-sigma uncertainties [fraction], e.g. :data:`PV_UNCERTAINTY_STACK`.
    horizon_years : int, optional
        Years averaged (1 for a single year's P90, 10 for the 10-year P90) [yr].

    Returns
    -------
    float
        ``sqrt(interannual_fraction**2 / horizon_years + quadrature(stack)**2)`` [fraction].

    References
    ----------
    Clifton, Smith and Fields, NREL/TP-5000-64735 (2016); IEA-PVPS T13-12:2018, ch. 3.
    """
    variability = finite_number("interannual_fraction", interannual_fraction, low=0.0)
    horizon = finite_number("horizon_years", horizon_years, low=1)
    return float(np.sqrt(variability**2 / horizon + quadrature(stack) ** 2))


def exceedance_level(p50: float, total_fraction: float, probability: float) -> float:
    """The value exceeded with ``probability`` under the normal approximation.

    Parameters
    ----------
    p50 : float
        Median (= mean) value [MWh or USD].
    total_fraction : float
        Combined 1-sigma uncertainty [fraction of P50].
    probability : float
        Probability of exceedance, strictly between 0 and 1 (0.9 for P90).

    Returns
    -------
    float
        ``p50 * (1 - norm.ppf(probability) * total_fraction)`` in the unit of ``p50``. With a
        very large uncertainty a high exceedance level can come out negative: the normal
        approximation then no longer describes an energy, and the value is returned as is.

    References
    ----------
    ``scipy.stats.norm.ppf``; IEA-PVPS T13-12:2018, ch. 3.
    """
    level = finite_number("probability", probability, low=0.0, high=1.0)
    if level in (0.0, 1.0):
        raise InputError(f"economics: probability = {level:g}; expected a value strictly between 0 and 1")
    sigma = finite_number("total_fraction", total_fraction, low=0.0)
    return float(p50 * (1.0 - norm.ppf(level) * sigma))


@dataclass(frozen=True)
class PValues:
    """Exceedance levels of an annual quantity (energy [MWh] or revenue [USD]).

    Attributes
    ----------
    p50, p90, p99 : float
        Values exceeded with probability 0.5, 0.9 and 0.99.
    n_years : int
        Weather years in the sample (0 when the variability was given, not measured).
    interannual_fraction, stack_fraction, total_fraction : float
        Year-to-year variability, the stack in quadrature, and their combination [fraction of P50].
    horizon_years : int
        Years the P-values average over.
    """

    p50: float
    p90: float
    p99: float
    n_years: int
    interannual_fraction: float
    stack_fraction: float
    total_fraction: float
    horizon_years: int

    def level(self, probability: float) -> float:
        """The value exceeded with ``probability`` (see :func:`exceedance_level`)."""
        return exceedance_level(self.p50, self.total_fraction, probability)

    def curve(self, probabilities=None) -> tuple[np.ndarray, np.ndarray]:
        """Exceedance curve for a chart: (probabilities, values), 1 % to 99 % by default."""
        probs = np.linspace(0.01, 0.99, 99) if probabilities is None else np.asarray(probabilities, dtype=float)
        return probs, np.array([self.level(p) for p in probs])


def p_values_from_fractions(p50: float, interannual_fraction: float, stack, horizon_years: int = 1) -> PValues:
    """P-values from a P50, a year-to-year variability and an uncertainty stack.

    Parameters
    ----------
    p50 : float
        Median annual value [MWh or USD], positive.
    interannual_fraction : float
        Year-to-year variability [fraction].
    stack : Mapping or iterable of float
        Systematic 1-sigma uncertainties [fraction].
    horizon_years : int, optional
        Averaging horizon [yr].

    Returns
    -------
    PValues
        With ``n_years = 0``.

    References
    ----------
    See the module docstring.
    """
    median = finite_number("p50", p50)
    if median <= 0.0:
        raise InputError(f"economics: p50 = {median:g}; P-values need a positive P50")
    return _build(median, float(interannual_fraction), stack, horizon_years, n_years=0)


def p_values(annual_values, stack, horizon_years: int = 1) -> PValues:
    """P50/P90/P99 from one annual value per weather year and an uncertainty stack.

    Parameters
    ----------
    annual_values : array-like
        One value per weather year [MWh or USD], at least 2: gross or net energy from the
        production runs, or delivered energy and revenue from a dispatch run per year.
    stack : Mapping or iterable of float
        Systematic 1-sigma uncertainties [fraction of P50], e.g.
        :func:`uncertainty_stack`; empty for variability alone. For delivered energy and
        revenue after dispatch, pass the site's energy stack: an error in the resource or
        the model moves them by about the same fraction as the energy (a simplification,
        since curtailment damps a high year more than a low one; the year-to-year part is
        measured on the dispatched values themselves and carries that effect exactly).
    horizon_years : int, optional
        Averaging horizon [yr], 1 by default.

    Returns
    -------
    PValues
        P50 is the sample mean (the median of the normal approximation).

    References
    ----------
    See the module docstring.
    """
    values = finite_array("annual_values", annual_values, min_length=2)
    variability = interannual_variability_fraction(values)
    return _build(float(values.mean()), variability, stack, horizon_years, n_years=int(values.size))


def p_values_of_samples(
    stack,
    *,
    energy_mwh=None,
    delivered_mwh=None,
    revenue_usd=None,
    horizon_years: int = 1,
) -> dict[str, PValues]:
    """P-values of a site's (or the portfolio's) per-weather-year samples, with one stack.

    Parameters
    ----------
    stack : Mapping or iterable of float
        The site's energy stack [fraction of P50] (see :func:`p_values` on using it for
        delivered energy and revenue); for the portfolio, ``[combined_stack_fraction(...)]``.
    energy_mwh, delivered_mwh, revenue_usd : array-like, optional
        One value per weather year: net energy before dispatch [MWh], delivered energy
        after dispatch [MWh], revenue at the hourly marginal prices [USD].
    horizon_years : int, optional
        Averaging horizon [yr].

    Returns
    -------
    dict
        ``{"energy": PValues, "delivered": PValues, "revenue": PValues}`` for the samples
        given; pass it on as ``p_values_summary(**result)``.
    """
    samples = {"energy": energy_mwh, "delivered": delivered_mwh, "revenue": revenue_usd}
    return {kind: p_values(values, stack, horizon_years) for kind, values in samples.items() if values is not None}


def combined_stack_fraction(p50_by_site, stack_fraction_by_site) -> float:
    """Stack uncertainty of a portfolio from its sites', taking the sites as independent.

    Parameters
    ----------
    p50_by_site : array-like
        Each site's P50 [MWh or USD].
    stack_fraction_by_site : array-like
        Each site's stack in quadrature [fraction of its P50].

    Returns
    -------
    float
        ``quadrature(p50_i * s_i) / sum(p50_i)`` [fraction of the portfolio P50]. The
        year-to-year variability of the portfolio is not combined this way: it is measured
        on the portfolio's own annual sample, whose years keep the sites' correlation.

    References
    ----------
    JCGM 100:2008 (GUM), eq. (10), uncorrelated sites (different technologies and
    assessments; a shared systematic error would need the correlated form, eq. (13)).
    """
    p50 = finite_array("p50_by_site", p50_by_site, non_negative=True)
    fractions = finite_array("stack_fraction_by_site", stack_fraction_by_site, non_negative=True)
    if p50.size != fractions.size:
        raise InputError(
            f"economics: p50_by_site has {p50.size} sites but stack_fraction_by_site has {fractions.size};"
            " expected one stack per site"
        )
    total = float(p50.sum())
    if total <= 0.0:
        raise InputError("economics: p50_by_site sums to 0; expected a positive portfolio P50")
    return quadrature(p50 * fractions) / total


def _build(p50: float, interannual_fraction: float, stack, horizon_years: int, n_years: int) -> PValues:
    stack_fraction = quadrature(stack)
    total = total_uncertainty_fraction(interannual_fraction, stack, horizon_years)
    return PValues(
        p50=p50,
        p90=exceedance_level(p50, total, 0.9),
        p99=exceedance_level(p50, total, 0.99),
        n_years=n_years,
        interannual_fraction=interannual_fraction,
        stack_fraction=stack_fraction,
        total_fraction=total,
        horizon_years=int(horizon_years),
    )


def site_uncertainty_stack(
    technology: str,
    override: Mapping[str, float] | None = None,
    wake_loss_fraction_by_model: Mapping[str, float] | None = None,
    default_wake_loss_fraction: float = 0.0,
    data_kind: str | None = None,
) -> dict[str, float]:
    """A site's stack (:func:`uncertainty_stack`) for its data kind, with the wake-model spread when a range was run.

    Parameters
    ----------
    technology, override, data_kind
        As :func:`uncertainty_stack`.
    wake_loss_fraction_by_model : Mapping, optional
        A wind farm's wake loss under each PyWake model [fraction]; empty or None adds nothing.
    default_wake_loss_fraction : float
        The wake loss of the model the production uses [fraction].

    Returns
    -------
    dict
        Component name -> 1-sigma uncertainty [fraction of P50]. With a range, the default
        stack's :data:`WAKE_MODEL_COMPONENT` is replaced by :data:`WAKE_MODEL_SPREAD_COMPONENT`
        (:func:`wake_model_spread_fraction`), so the wake model is counted once; a site's own
        ``energy_uncertainty`` is kept as written, the spread added unless it names it.
    """
    stack = uncertainty_stack(technology, override, data_kind)
    if wake_loss_fraction_by_model:
        if override is None:
            stack.pop(WAKE_MODEL_COMPONENT, None)
        stack.setdefault(
            WAKE_MODEL_SPREAD_COMPONENT,
            wake_model_spread_fraction(wake_loss_fraction_by_model, default_wake_loss_fraction),
        )
    return stack
