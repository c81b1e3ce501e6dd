"""Hourly axes and unit conversions against closed-form values."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from energy_portfolio.errors import InputError
from energy_portfolio.timeseries import check_hourly_index, hourly_year, hours_in_year
from energy_portfolio.units import celsius_to_kelvin, gas_mcm_from_gj, kelvin_to_celsius


@pytest.mark.parametrize("year", [2030, 2032, 2100, 2000])
def test_hourly_year_has_the_calendar_hours_and_starts_at_midnight(year):
    index = hourly_year(year, "Asia/Baku")
    assert len(index) == hours_in_year(year)
    assert index[0] == pd.Timestamp(f"{year}-01-01 00:00", tz="Asia/Baku")
    assert index[-1] == pd.Timestamp(f"{year}-12-31 23:00", tz="Asia/Baku")
    check_hourly_index(index, "test")


def test_leap_years_keep_29_february():
    index = hourly_year(2032, "Asia/Baku")
    assert ((index.month == 2) & (index.day == 29)).sum() == 24
    assert hours_in_year(2100) == 8760  # century rule


def test_check_hourly_index_names_the_problem():
    index = hourly_year(2030, "Asia/Baku")
    with pytest.raises(InputError, match="no time zone"):
        check_hourly_index(index.tz_localize(None), "f.csv")
    with pytest.raises(InputError, match="duplicate timestamp 2030-01-01T01:00:00"):
        check_hourly_index(index[:3].append(index[1:2]).sort_values(), "f.csv")
    with pytest.raises(InputError, match=re.escape("f.csv: step from 2030-01-01T01:00:00+04:00")):
        check_hourly_index(index.delete(2), "f.csv")


def test_gas_volume_from_energy():
    # 34.2 MJ/m3: 1 million m3 holds 34,200 GJ.
    assert gas_mcm_from_gj(34_200.0, 34.2) == pytest.approx(1.0)
    assert kelvin_to_celsius(celsius_to_kelvin(14.5)) == pytest.approx(14.5)
    assert celsius_to_kelvin(0.0) == 273.15
