"""A run's messages about a site name the site and its config file (issue 16, messages).

The weather layer names the weather file and the production models name the site; a user with
several copies of a site config must also see which file the run read. The file is added where
the run gathers its messages (``naming_config_files``), so a site run kept in a sweep's cache
stays true whichever portfolio file names the same site.
"""

from __future__ import annotations

import pandas as pd
import pytest

import energy_portfolio as ep
from energy_portfolio.portfolio import naming_config_files
from energy_portfolio.portfolio.sites import about_site, site_config_files

FILES = {"fuzuli_solar": "sites/fuzuli_solar.yaml", "fuzuli": "sites/other.yaml"}


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        # the weather layer names the site inside its message: the file goes right after it
        ("w.csv: 68 km from site 'fuzuli_solar'; expected ...",
         "w.csv: 68 km from site 'fuzuli_solar' (sites/fuzuli_solar.yaml); expected ..."),
        # a production model's message, named by about_site: the file goes after the site
        (about_site("fuzuli_solar", "fixed array facing the pole"),
         "site 'fuzuli_solar' (sites/fuzuli_solar.yaml): fixed array facing the pole"),
        # named already with its file: unchanged, however often the run gathers it
        ("site 'fuzuli_solar' (sites/fuzuli_solar.yaml): x", "site 'fuzuli_solar' (sites/fuzuli_solar.yaml): x"),
        # a site whose id starts another's is not mistaken for it
        ("site 'fuzuli': y", "site 'fuzuli' (sites/other.yaml): y"),
        # a message about no site (a zone's demand) is left as it is
        ("zone 'baku' demand: z", "zone 'baku' demand: z"),
    ],
)
def test_each_message_names_the_config_file_of_its_site(message, expected):
    assert naming_config_files([message], FILES) == (expected,)


def _half_past(project):
    """The shipped solar weather with every label at half past the hour: a correction and a warning of the run."""
    source = project / "weather" / "fuzuli_synthetic_2032.csv"
    lines = source.read_text().splitlines()
    header = [line for line in lines if line.startswith("#")]
    table = pd.read_csv(source, comment="#")
    table["time"] = [t.isoformat() for t in pd.date_range("2032-01-01 00:30", periods=len(table), freq="h",
                                                            tz="Asia/Baku")]
    (project / "weather" / "half.csv").write_text("\n".join(header) + "\n" + table.to_csv(index=False))
    site = project / "sites" / "fuzuli_solar.yaml"
    text = site.read_text()
    assert "path: ../weather/fuzuli_synthetic_2032.csv" in text
    site.write_text(text.replace("path: ../weather/fuzuli_synthetic_2032.csv", "path: ../weather/half.csv"))


@pytest.mark.slow  # a portfolio run of the energy-only variant, about 15 s
def test_a_run_names_the_site_and_its_config_file_in_warnings_corrections_and_notes(project_copy):
    _half_past(project_copy)
    portfolio = ep.load_portfolio("sites/portfolio_energy_only.yaml")
    files = site_config_files(portfolio)
    assert {k: files[k] for k in ("fuzuli_solar", "caspian_offshore_wind", "fuzuli_bess")} == {
        "fuzuli_solar": "sites/fuzuli_solar.yaml",
        "caspian_offshore_wind": "sites/caspian_offshore_wind.yaml",
        "fuzuli_bess": "sites/fuzuli_bess.yaml",
    }
    # each reference site of the grid's fleet by its own file (the generic steps of a region share one)
    assert files["garadagh_solar"] == "sites/reference/garadagh_solar.yaml"
    assert files["generic_solar_kur_araz"] == "sites/reference/generic_solar_kur_araz.yaml"
    result = ep.run_portfolio(portfolio)
    named = "site 'fuzuli_solar' (sites/fuzuli_solar.yaml)"
    half_past = [w for w in result.warnings if "30 min past the hour" in w]
    assert half_past and all(named in w and "half.csv" in w for w in half_past), result.warnings
    moved = [c for c in result.corrections if "half.csv" in c]
    assert moved and all(named in c for c in moved), result.corrections
    # a method note of a site, named with its file
    assert any("site 'fuzuli_solar' (sites/fuzuli_solar.yaml)" in n for n in result.notes), result.notes
