"""Row-to-row effects on the front side against hand calculations (production/solar.py).

A fixed south-facing row of slant width L at tilt b, rows a pitch p = L / gcr apart on flat
ground, sun in the meridian at elevation a. The top edge of the row in front, at
(L cos b, L sin b) from its lower edge, casts a ray north and down that meets the next row at
distance s from its lower edge where (L - s) sin(a + b) = p sin(a), so the shaded part of the
collector width is

    f = 1 - p sin(a) / (L sin(a + b)) = 1 - sin(a) / (gcr sin(a + b))    (f >= 0).

On the winter solstice at solar noon a = 90 - latitude - 23.44 deg (declination -23.44 deg).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from energy_portfolio.config.solar import FixedMount, model_choice_problems
from energy_portfolio.errors import InputError
from energy_portfolio.production.solar import simulate_solar

from .solar_fixtures import fuzuli_clear_weather, fuzuli_spec, spec_from

LATITUDE, TILT_DEG, GCR, BLOCKS = 45.0, 30.0, 0.6, 2
# 7.07 E puts solar noon of 21 December at 11:30 UTC (12:00 - 7.07/15 h - 1.7 min equation of
# time), the midpoint of the 11:00 interval at which the model takes the sun position.
LONGITUDE = 7.07
NOON_HOUR = pd.Timestamp("2019-12-21 11:00", tz="UTC")


def hand_shaded_fraction(elevation_deg: float, tilt_deg: float, gcr: float) -> float:
    a, b = math.radians(elevation_deg), math.radians(tilt_deg)
    return max(0.0, 1.0 - math.sin(a) / (gcr * math.sin(a + b)))


def solstice_case(beam_shade_model: str):
    """One lit hour (solstice noon), beam only (no diffuse, albedo 0), so every waterfall step
    is that hour's ratio and the diffuse terms of the shading models vanish."""
    spec = spec_from(
        fuzuli_spec(),
        location={"latitude": LATITUDE, "longitude": LONGITUDE, "elevation_m": 0.0, "timezone": "UTC"},
        mounting={"type": "fixed", "tilt_deg": TILT_DEG, "azimuth_deg": 180.0, "gcr": GCR},
        bifacial=None,
        albedo=0.0,
        transposition_model="isotropic",
        row_shading={"front_irradiance_model": "infinite_sheds", "beam_shade_model": beam_shade_model,
                     "blocks_across_row": BLOCKS, "height_m": 1.5, "pitch_m": 2.0 / GCR},
    )
    weather = fuzuli_clear_weather(2019, spec)
    dark = weather.index != NOON_HOUR
    weather.loc[dark, ["ghi", "dni", "dhi"]] = 0.0
    elevation = 90.0 - LATITUDE - 23.44
    weather.loc[NOON_HOUR, ["dni", "dhi"]] = [900.0, 0.0]
    weather.loc[NOON_HOUR, "ghi"] = 900.0 * math.sin(math.radians(elevation))
    return simulate_solar(spec, weather), hand_shaded_fraction(elevation, TILT_DEG, GCR)


def _step_loss(result, name: str) -> float:
    return next(fraction for step, _, fraction, _ in result.waterfall.rows() if step == name)


def test_winter_solstice_noon_row_shading_matches_hand_calculation():
    result, hand = solstice_case("martinez")
    assert hand == pytest.approx(0.2181, abs=1e-4)  # sin 21.56 / (0.6 sin 51.56): about a fifth of the row
    # The model's sun (NREL SPA with refraction, +0.04 deg at 21.6 deg elevation; the sun within
    # 0.1 deg of the meridian at the interval midpoint) differs from the hand elevation by < 0.1
    # deg; df/da = sin b / (gcr sin^2(a + b)) = 1.36 per rad gives < 0.0025.
    assert result.hourly.loc[NOON_HOUR, "row_shaded_fraction"] == pytest.approx(hand, abs=0.0025)
    # Beam only: the beam shading step removes exactly the shaded fraction of that hour's POA ...
    assert _step_loss(result, "row_beam_shading") == pytest.approx(result.hourly.loc[NOON_HOUR, "row_shaded_fraction"],
                                                                   rel=1e-9)
    # ... and Martinez eq. 6 takes ceil(f n) = 1 of n + 1 = 3 from the rest (no diffuse to keep).
    assert _step_loss(result, "row_shading_electrical") == pytest.approx(1 / (BLOCKS + 1), rel=1e-9)
    # no sky diffuse, no albedo: nothing for the rows to mask
    assert _step_loss(result, "row_sky_masking") == pytest.approx(0.0, abs=1e-12)


def test_linear_shade_model_has_no_electrical_step():
    result, _ = solstice_case("linear")
    assert _step_loss(result, "row_shading_electrical") == 0.0
    assert _step_loss(result, "row_beam_shading") > 0.2


def test_summer_noon_rows_do_not_shade():
    # 21 June: a = 90 - 45 + 23.44 = 68.4 deg, f = 1 - sin a / (0.6 sin 98.4) < 0: no shadow
    spec = spec_from(fuzuli_spec(), row_shading={"front_irradiance_model": "unobstructed",
                                                 "beam_shade_model": "martinez", "blocks_across_row": 2},
                     mounting={"type": "fixed", "tilt_deg": TILT_DEG, "azimuth_deg": 180.0, "gcr": GCR})
    assert hand_shaded_fraction(68.44, TILT_DEG, GCR) == 0.0
    weather = fuzuli_clear_weather(2019, spec)
    result = simulate_solar(spec, weather)
    june = result.hourly.loc["2019-06-21", "row_shaded_fraction"]
    at_noon = june.iloc[11:14]  # Fuzuli solar noon ~12:50 local
    assert (at_noon == 0.0).all()
    assert _step_loss(result, "row_sky_masking") == 0.0  # unobstructed front: the old chain


def test_reference_energy_is_the_unobstructed_poa():
    result, _ = solstice_case("martinez")
    poa = result.hourly["poa_w_m2"].to_numpy()
    assert result.waterfall.reference_mwh == pytest.approx(float(np.sum(poa)) * result.details["dc_capacity_mwp"]
                                                           / 1000.0, rel=1e-12)


def test_row_shading_needs_gcr_and_row_geometry():
    spec = fuzuli_spec()
    fixed = FixedMount(type="fixed", tilt_deg=30.0, azimuth_deg=180.0)
    no_gcr = spec.model_copy(update={"mounting": fixed, "bifacial": None})
    fields = [field for field, _ in model_choice_problems(no_gcr)]
    assert fields == ["row_shading", "row_shading"]  # no gcr, and no height/pitch without bifacial
    messages = " ".join(message for _, message in model_choice_problems(no_gcr))
    assert "needs mounting.gcr" in messages and "row_shading.height_m and pitch_m" in messages
    with pytest.raises(InputError, match=r"row_shading needs mounting\.gcr"):
        simulate_solar(no_gcr, fuzuli_clear_weather(2019, spec).iloc[:24])
