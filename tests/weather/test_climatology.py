"""The climatology file kind: validation with file:line messages."""

from __future__ import annotations

import pytest

from energy_portfolio.config import read_config
from energy_portfolio.config.validate import validate_file
from energy_portfolio.errors import ConfigError

from .conftest import CLIMATOLOGIES


@pytest.mark.parametrize("name", sorted(CLIMATOLOGIES))
def test_shipped_climatologies_validate(name):
    kind, problems = validate_file(CLIMATOLOGIES[name])
    assert (kind, problems) == ("climatology", [])


def test_bad_sector_shares_and_month_count_are_reported(tmp_path):
    text = CLIMATOLOGIES["offshore"].read_text()
    text = text.replace("[0.22, 0.14, 0.05,", "[0.52, 0.14, 0.05,").replace(
        "monthly_mean_c: [4.0, 4.5, 7.0, 12.5, 18.0, 23.0, 26.0, 26.0, 21.5, 16.0, 10.5, 6.5]",
        "monthly_mean_c: [4.0, 4.5, 7.0]",
    )
    path = tmp_path / "bad_climatology.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        read_config(path)
    message = str(err.value)
    assert "bad_climatology.yaml, line 17: temperature.monthly_mean_c" in message
    assert "expected 12 monthly values (January to December), found 3" in message
    assert "wind.direction_sector_frequencies" in message and "sum to 1.300; expected 1" in message
