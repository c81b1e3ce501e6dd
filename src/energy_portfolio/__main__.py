"""``python -m energy_portfolio``: the same as the ``energy-portfolio`` command."""

from .cli import run

if __name__ == "__main__":
    run()
