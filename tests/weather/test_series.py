"""Hourly CSV series (demand, capacity-factor profiles, inflows): what a run reads and what it says.

Issue 16: "weather stamped at :30 is snapped to the hour without a note" held for these CSVs too
after the weather files got their note; every correction is now said in the run's notes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from energy_portfolio.errors import InputError
from energy_portfolio.weather.series import read_hourly_column


def _write(path, start: str, hours: int = 8784) -> None:
    index = pd.date_range(start, periods=hours, freq="h", tz="Asia/Baku")
    times = [t.isoformat() for t in index]
    pd.DataFrame({"time": times, "demand_mw": np.arange(hours, dtype=float)}).to_csv(path, index=False)


def test_half_past_labels_are_moved_to_the_hour_and_said(tmp_path):
    # 2032 at :30 read for 2032: the value of 00:30 is the first hour's (00:00-01:00), and one note
    # names the file, the column, the 30 minutes and the zone.
    path = tmp_path / "demand.csv"
    _write(path, "2032-01-01 00:30")
    notes: list[str] = []
    series = read_hourly_column(path, "demand_mw", "Asia/Baku", 2032, notes)
    assert series.index[0] == pd.Timestamp("2032-01-01 00:00", tz="Asia/Baku")
    assert series.iloc[:3].tolist() == [0.0, 1.0, 2.0] and len(series) == 8784
    assert len(notes) == 1
    assert "demand.csv: demand_mw: labels 30 min past the hour of Asia/Baku were moved 30 min earlier" in notes[0]


def test_on_the_hour_in_the_study_year_says_nothing(tmp_path):
    path = tmp_path / "demand.csv"
    _write(path, "2032-01-01 00:00")
    notes: list[str] = []
    read_hourly_column(path, "demand_mw", "Asia/Baku", 2032, notes)
    assert notes == []


def test_laying_another_year_onto_the_study_year_is_said(tmp_path):
    # a leap year's 8,784 hours read for 2031: 29 February is dropped, and the notes say so
    path = tmp_path / "demand.csv"
    _write(path, "2032-01-01 00:00")
    notes: list[str] = []
    series = read_hourly_column(path, "demand_mw", "Asia/Baku", 2031, notes)
    assert len(series) == 8760
    assert any("29 February dropped" in n for n in notes) and all("demand.csv" in n for n in notes)


def test_a_text_value_names_the_file_column_and_row(tmp_path):
    path = tmp_path / "demand.csv"
    _write(path, "2032-01-01 00:00", hours=30)
    path.write_text(path.read_text().replace(",5.0\n", ",five\n"))
    with pytest.raises(InputError, match=r"demand.csv: demand_mw: value 'five' at data row 6 is not a number"):
        read_hourly_column(path, "demand_mw", "Asia/Baku", 2032)
