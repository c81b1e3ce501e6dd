"""Issue 16, item 4: hostile or mistaken config input is refused precisely, never run.

One row per case: an edit of a shipped config in a scratch copy (or a file that is not a config:
a FIFO, a link loop, a directory), the command (``validate FILE`` unless the row says otherwise),
the expected exit code and words the output must contain. Rows with exit 2 must also name the file,
and the line and field when the row gives them; no row may end in a traceback or exit 1. The
command runs through the console entry's error mapping (``cli.run``) under an alarm, so a case
that would block (a FIFO) or run without bound (an alias bomb) fails instead of hanging the suite.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from energy_portfolio.cli import run
from energy_portfolio.config.yamlsource import read_yaml

SOLAR, WIND, BESS, GRID, PORT = (
    "fuzuli_solar.yaml",
    "caspian_offshore_wind.yaml",
    "fuzuli_bess.yaml",
    "azerbaijan_grid.yaml",
    "portfolio.yaml",
)


@dataclass(frozen=True)
class Row:
    id: str
    file: str  # the file edited (or made by `setup`), relative to sites/
    edits: tuple[tuple[str, str], ...] = ()  # (old, new): each old text occurs once in the file
    append: str = ""  # text added at the end of the file
    says: tuple[str, ...] = ()  # fragments the output must contain
    exit: int = 2
    line_of: str | None = None  # text on the line the message names (default: the first new text)
    field: str | None = None  # field named on that line
    args: tuple[str, ...] | None = None  # command (default: validate sites/<file>)
    setup: Callable[[Path], None] | None = None  # makes what is not text (relative to the project copy)
    absent: tuple[str, ...] = ()  # fragments the output must not contain


def _fifo(name: str) -> Callable[[Path], None]:
    return lambda root: os.mkfifo(root / name)


def _link_loop(root: Path) -> None:
    os.symlink("loop_b.yaml", root / "sites" / "loop_a.yaml")
    os.symlink("loop_a.yaml", root / "sites" / "loop_b.yaml")


def _bomb(levels: int) -> str:
    """An alias bomb: each level is a list of ten aliases of the level below (10**levels leaves)."""
    lines = ["bomb_0: &b0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"bomb_{i}: &b{i} [{', '.join([f'*b{i - 1}'] * 10)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


FIXED_MOUNT = (
    ("type: single_axis ", "type: fixed       "),
    ("axis_tilt_deg: 0 ", "tilt_deg: 25     "),
    ("  max_angle_deg: 55", "  "),
    ("  backtrack: true\n", ""),
)


def _fixed(azimuth: int) -> tuple[tuple[str, str], ...]:
    return (*FIXED_MOUNT, ("axis_azimuth_deg: 180", f"azimuth_deg: {azimuth}"))


def _rows() -> list[Row]:
    return [
        # --- strict scalars: a boolean is not a number, text is not a number --------------------------------
        Row("true-in-number", SOLAR, (("capacity_ac_mw: 240 ", "capacity_ac_mw: true "),),
            says=("= true: expected a number", "not numbers"), field="capacity_ac_mw"),
        Row("true-in-integer", WIND, (("rows: 7 ", "rows: true "),), says=("= true: expected a number",),
            field="layout.rows"),
        Row("false-in-number-list", SOLAR, (("soiling: [0.02, 0.02,", "soiling: [0.02, false,"),),
            says=("= false: expected a number",), field="losses.soiling[1]"),
        Row("quoted-number", BESS, (("power_mw: 125", 'power_mw: "125"'),),
            says=("= '125': expected a valid number, found text", "write it as a plain number"), field="power_mw"),
        Row("number-in-boolean", WIND, (("offshore: true", "offshore: 1"),), says=("= 1: expected true or false",),
            field="offshore"),
        # --- YAML 1.2 core schema: YAML 1.1 forms are text, and number fields say why ----------------------
        Row("sexagesimal", SOLAR, (("max_angle_deg: 55", "max_angle_deg: 1:30"),),
            says=("= '1:30'", "base-60", "YAML 1.2", "write the number in decimal"), field="mounting.max_angle_deg"),
        Row("leading-zero-octal", SOLAR, (("seed: 2026                #", "seed: 017                 #"),),
            says=("= '017'", "leading zero"), field="weather_years.seed"),
        Row("0o-octal", WIND, (("seed: 2032                #", "seed: 0o17                #"),),
            says=("= '0o17'", "write the number in decimal"), field="weather_years.seed"),
        Row("hexadecimal", WIND, (("hub_height_m: 150", "hub_height_m: 0x96"),),
            says=("= '0x96'", "write the number in decimal"), field="hub_height_m"),
        Row("underscores", SOLAR, (("capacity_ac_mw: 240 ", "capacity_ac_mw: 2_40 "),),
            says=("= '2_40'", "without underscores: 240"), field="capacity_ac_mw"),
        Row("on-is-not-true", WIND, (("offshore: true", "offshore: on"),),
            says=("= 'on': expected true or false", "YAML 1.1 read on as a boolean"), field="offshore"),
        Row("no-is-text", SOLAR, (("name: Fuzuli solar PV plant", "name: no"),), exit=0,
            says=("OK sites/fuzuli_solar.yaml (solar)",)),
        # --- tags: data never constructs objects ------------------------------------------------------------
        Row("python-tag", SOLAR, (("albedo: 0.25", 'albedo: !!python/object/apply:os.system ["true"]'),),
            says=("YAML tag !!python/object/apply:os.system is not supported",), field="albedo"),
        Row("local-tag-on-mapping", SOLAR, (("location:", "location: !site"),),
            says=("YAML tag !site is not supported",), field="location"),
        Row("timestamp-tag", SOLAR, (("commissioning_year: 2028", "commissioning_year: !!timestamp 2028-01-01"),),
            says=("YAML tag !!timestamp is not supported",), field="commissioning_year"),
        # --- merge keys and aliases -------------------------------------------------------------------------
        Row("merge-non-mapping", SOLAR, (("  latitude: 39.600", "  <<: 5\n  latitude: 39.600"),),
            says=("merge key << = 5: expected a mapping to merge",), field="location.<<"),
        Row("recursive-alias", SOLAR, append="extra: &loop [1, *loop]\n",
            says=("recursive alias *loop",), line_of="extra: &loop"),
        Row("alias-bomb", SOLAR, append=_bomb(6),
            says=("alias *b3 (11,111 nodes) brings the document to more than 50,000 nodes", "expected at most 50,000"),
            line_of="bomb_4:"),
        Row("deep-nesting", SOLAR, append="extra: " + "[" * 5000 + "]" * 5000 + "\n",
            says=("nested more than 100 levels deep; expected at most 100",), line_of="extra: "),
        # --- absurd numbers ----------------------------------------------------------------------------------
        Row("5000-digit-integer", SOLAR, (("capacity_ac_mw: 240 ", "capacity_ac_mw: " + "9" * 5000 + " "),),
            says=("a number with 5,000 digits; expected at most 30 digits",), field="capacity_ac_mw"),
        Row("huge-number", SOLAR, (("capacity_ac_mw: 240 ", "capacity_ac_mw: 1e300 "),),
            says=("= 1e300: a number above 1e15 in magnitude",), field="capacity_ac_mw"),
        # --- files that are not config files -----------------------------------------------------------------
        Row("fifo-config", "pipe.yaml", setup=_fifo("sites/pipe.yaml"),
            says=("sites/pipe.yaml", "a named pipe (FIFO), which would block reading; expected a regular YAML file")),
        Row("fifo-weather-file", SOLAR, (("path: ../weather/fuzuli_synthetic_2032.csv", "path: ../weather/pipe.csv"),),
            setup=_fifo("weather/pipe.csv"), says=("pipe.csv is a named pipe (FIFO); expected a regular file",),
            field="weather.path"),
        Row("symlink-loop", "loop_a.yaml", setup=_link_loop,
            says=("a symbolic link loop (too many levels of symbolic links)",)),
        Row("symlink-loop-named", PORT, (("file: fuzuli_solar.yaml", "file: loop_a.yaml"),), setup=_link_loop,
            says=("loop_a.yaml is a symbolic link loop",), field="sites[1].file"),
        Row("directory", "reference", says=("sites/reference", "a directory; expected a regular YAML file")),
        # --- value of lost load -------------------------------------------------------------------------------
        Row("voll-tiny", GRID, (("value_of_lost_load_usd_per_mwh: 3000", "value_of_lost_load_usd_per_mwh: 1e-6"),),
            says=("= 1e-06: expected a value from 1,000 to 100,000 USD/MWh", "shed load"),
            field="value_of_lost_load_usd_per_mwh"),
        Row("voll-huge", GRID, (("value_of_lost_load_usd_per_mwh: 3000", "value_of_lost_load_usd_per_mwh: 1e7"),),
            says=("= 10000000.0: expected a value from 1,000 to 100,000 USD/MWh", "numerical conditioning"),
            field="value_of_lost_load_usd_per_mwh"),
        Row("voll-below-imports", GRID,
            (("import_price_usd_per_mwh: 120  # assumption: imports are rare",
              "import_price_usd_per_mwh: 5000  # assumption: imports are rare"),),
            says=("= 3000: not above the most expensive way to serve load, imports from georgia (5,000.0 USD/MWh)",),
            line_of="value_of_lost_load_usd_per_mwh:", field="value_of_lost_load_usd_per_mwh"),
        Row("voll-below-gas-units", GRID,
            (("power_plant_price_usd_per_1000m3: 109 ", "power_plant_price_usd_per_1000m3: 20000 "),),
            says=("not above the most expensive way to serve load, thermal unit", "at the dearer gas price"),
            line_of="value_of_lost_load_usd_per_mwh:", field="value_of_lost_load_usd_per_mwh"),
        # --- the operating year of `yield` ----------------------------------------------------------------------
        Row("yield-year-beyond-lifetime", SOLAR, args=("yield", "sites/fuzuli_solar.yaml", "--year", "100"),
            says=("--year 100 is outside the life of site 'fuzuli_solar'", "expected an operating year from 1 to 30"),
            line_of="lifetime_years:", field="lifetime_years"),
        # --- resources a wind farm may ask for --------------------------------------------------------------------
        Row("90000-turbines", WIND,
            (("rows: 7 ", "rows: 300 "), ("columns: 10 ", "columns: 300 "), ("n_turbines: 67 ", "n_turbines: 90000 ")),
            says=("90,000 turbines: expected at most 2,000", "split the farm"), line_of="n_turbines:",
            field="layout.n_turbines"),
        Row("wake-direction-step", WIND, (("direction_step_deg: 2 ", "direction_step_deg: 0.001 "),),
            says=("= 0.001: expected a value from 1 to 30 deg", "tens of GiB"), field="wake_model.direction_step_deg"),
        Row("wake-speed-step", WIND, (("speed_step_m_s: 0.5 ", "speed_step_m_s: 0.001 "),),
            says=("= 0.001: expected a value from 0.1 to 2 m/s",), field="wake_model.speed_step_m_s"),
        Row("wake-table-memory", WIND,
            (("rows: 7 ", "rows: 20 "), ("columns: 10 ", "columns: 20 "), ("n_turbines: 67 ", "n_turbines: 400 "),
             ("direction_step_deg: 2 ", "direction_step_deg: 1 ")),
            says=("the wake table of 400 turbines every 1 deg and 0.5 m/s needs about 10.7 GiB",
                  "expected at most 4 GiB"), line_of="direction_step_deg:", field="wake_model.direction_step_deg"),
        # --- a fixed array facing the pole: a warning, not an error ---------------------------------------------
        Row("pole-facing-array", SOLAR, _fixed(0), exit=0,
            says=("OK sites/fuzuli_solar.yaml", "warning: sites/fuzuli_solar.yaml, line {line}: mounting.azimuth_deg",
                  "= 0: site 'fuzuli_solar' at 39.6 N has a fixed array tilted 25 deg facing the north pole"),
            line_of="azimuth_deg: 0"),
        Row("pole-facing-array-in-portfolio", SOLAR, _fixed(315), exit=0, args=("validate", "sites/portfolio.yaml"),
            says=("OK sites/portfolio.yaml", "warning: sites/fuzuli_solar.yaml, line {line}: mounting.azimuth_deg",
                  "135 deg away from the equator-facing azimuth 180"), line_of="azimuth_deg: 315"),
        Row("equator-facing-array", SOLAR, _fixed(200), exit=0, says=("OK sites/fuzuli_solar.yaml",),
            absent=("warning",)),
    ]


ROWS = _rows()


class _Timeout(BaseException):
    """Raised by the alarm; a BaseException so that the CLI's ``except Exception`` does not swallow it."""


def _invoke(args: tuple[str, ...], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    def expire(signum, frame):
        raise _Timeout(f"{' '.join(args)} did not finish in 60 s")

    monkeypatch.setattr(sys, "argv", ["energy-portfolio", *args])
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(60)
    try:
        with pytest.raises(SystemExit) as exit_info:
            run()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out + captured.err


def _apply(root: Path, row: Row) -> int | None:
    """Make the row's input; the line of ``line_of`` (or of the first new text) in the edited file."""
    if row.setup is not None:
        row.setup(root)
    path = root / "sites" / row.file
    if not (row.edits or row.append or row.line_of):
        return None
    text = path.read_text()
    for old, new in row.edits:
        assert text.count(old) == 1, f"row {row.id}: {old!r} must occur once in {row.file}"
        text = text.replace(old, new)
    text += row.append
    path.write_text(text)
    marker = row.line_of or (row.edits[0][1] if row.edits else row.append).strip().splitlines()[0]
    return text.count("\n", 0, text.index(marker)) + 1


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_hostile_input_is_refused_precisely(project_copy: Path, row: Row, capsys, monkeypatch):
    line = _apply(project_copy, row)
    code, output = _invoke(row.args or ("validate", f"sites/{row.file}"), capsys, monkeypatch)
    assert code == row.exit, output
    assert "Traceback" not in output and "unexpected failure" not in output, output
    for fragment in row.says:
        assert fragment.format(line=line) in output, output
    for fragment in row.absent:
        assert fragment not in output, output
    if row.exit == 2:
        where = f"sites/{row.file}" + (f", line {line}" if line else "")
        assert where in output, output
        if row.field:
            assert f"line {line}: {row.field}\n" in output, output


def test_table_covers_the_issue():
    assert len(ROWS) >= 20
    assert len({r.id for r in ROWS}) == len(ROWS)


def test_merge_keys_merge_and_the_mapping_own_keys_win(tmp_path: Path):
    path = tmp_path / "merge.yaml"
    path.write_text("base: &base {a: 1, b: 2}\nmore: &more {c: 3}\nuse:\n  <<: [*base, *more]\n  b: 20\n")
    source = read_yaml(path)
    assert source.data["use"] == {"b": 20, "a": 1, "c": 3}
    assert source.problems == []  # an own key over a merged one is not a duplicate
    assert source.line_of(("use", "b")) == 5


def test_yaml_12_core_scalars(tmp_path: Path):
    path = tmp_path / "scalars.yaml"
    path.write_text("a: 1e-6\nb: .5\nc: ~\nd:\ne: TRUE\nf: yes\ng: 2024-01-01\nh: -.inf\ni: +12\nj: 1:30\n")
    data = read_yaml(path).data
    assert data == {"a": 1e-6, "b": 0.5, "c": None, "d": None, "e": True, "f": "yes", "g": "2024-01-01",
                    "h": float("-inf"), "i": 12, "j": "1:30"}
