"""``python -m energy_portfolio``: the same as the ``energy-portfolio`` command."""

from .cli import entry_point

if __name__ == "__main__":
    entry_point()
