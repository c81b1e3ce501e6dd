"""The committed config reference is the one the specs render."""

from energy_portfolio.config.reference import render_reference

from ..conftest import SITES


def test_sites_readme_is_up_to_date():
    committed = (SITES / "README.md").read_text()
    assert committed == render_reference(), (
        "sites/README.md is stale: run `python -m energy_portfolio.config.reference > sites/README.md`"
    )


def test_reference_lists_every_kind_and_the_nested_blocks():
    text = render_reference()
    for heading in ("## kind: solar", "## kind: wind", "## kind: battery", "## kind: grid",
                    "## kind: portfolio", "### SingleAxisMount", "### PyWakeWakes", "### AcCoupled",
                    "### ThermalUnit", "### DispatchOptions"):
        assert heading in text
