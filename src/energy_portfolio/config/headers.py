"""Cheap checks of the data files a config names: the first lines only, never a whole file.

Loading a portfolio runs these so that a weather file in the wrong format or an hourly CSV
without the named column is reported with the config's file, line and field, before a run
reads the data. Each check returns ``None`` when the file looks right, else what is wrong (a
message fragment the caller puts after the field and value). The weather readers check the
data themselves when a run reads it.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["CANONICAL_HEADER_KEYS", "weather_header", "csv_columns"]

CANONICAL_HEADER_KEYS = ("latitude", "longitude", "elevation_m", "timezone", "source", "interval")
"""Header keys every canonical weather file has (as ``weather.canonical`` requires them)."""

_HEAD_BYTES = 64 * 1024
_HEAD_LINES = 200


def _head(path: Path) -> tuple[bytes | None, str | None]:
    """The first bytes of a file, or why it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return handle.read(_HEAD_BYTES), None
    except OSError as exc:
        return None, f"cannot read the file ({exc.strerror or exc})"


def _lines(path: Path) -> tuple[list[str] | None, str | None]:
    data, error = _head(path)
    if data is None:
        return None, error
    if not data.strip():
        return None, "the file is empty"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(data) - 4:  # not just a character cut at the end of the sample
            return None, "not a UTF-8 text file"
        text = data[: exc.start].decode("utf-8-sig")
    return text.splitlines()[:_HEAD_LINES], None


def _split(header_line: str) -> list[str]:
    return [c.strip().strip('"').strip() for c in header_line.split(",")]


def _canonical(lines: list[str]) -> tuple[str | None, tuple[str, ...] | None]:
    comments = [line for line in lines if line.startswith("#")]
    n_header = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    keys = {line[1:].split(":", 1)[0].strip() for line in comments if ":" in line}
    missing = [k for k in CANONICAL_HEADER_KEYS if k not in keys]
    if missing:
        return (
            f"header lacks {', '.join(missing)}; expected a canonical weather file (format: canonical) that starts "
            f"with '# key: value' lines for {', '.join(CANONICAL_HEADER_KEYS)}, or the format: of this file",
            None,
        )
    if n_header >= len(lines):
        return "no table after the '#' header; expected a 'time' column and the data", None
    columns = tuple(_split(lines[n_header]))
    if "time" not in columns:
        return f"no 'time' column in the table header (found {', '.join(columns)}); expected the canonical table", None
    return None, columns


def weather_header(path: Path | str, format: str) -> tuple[str | None, tuple[str, ...] | None]:
    """Check the start of a weather file against its declared format.

    Returns
    -------
    problem : str or None
        What is wrong, or None.
    columns : tuple of str or None
        The table's columns when the format names them in a header line (canonical), else None.
    """
    path = Path(path)
    if format == "era5_netcdf":
        data, error = _head(path)
        if data is None:
            return error, None
        if not (data.startswith(b"CDF") or data.startswith(b"\x89HDF")):
            return "not a NetCDF file (no NetCDF or HDF5 signature); expected an ERA5 NetCDF from the CDS", None
        return None, None
    lines, error = _lines(path)
    if lines is None:
        return error, None
    first = next((line for line in lines if line.strip()), "")
    if format == "canonical":
        return _canonical(lines)
    if format == "epw" and not first.startswith("LOCATION"):
        return "the first line is not the EPW LOCATION record; expected an EnergyPlus weather file", None
    if format == "pvgis_json" and not first.lstrip().startswith("{"):
        return "not JSON; expected a PVGIS TMY file in JSON as PVGIS serves it", None
    if format == "plain_csv" and not any(line.startswith("# column:") for line in lines):
        return (
            "no '# column: NAME = quantity [unit]' header lines; expected a plain CSV that declares its columns",
            None,
        )
    return None, None


def csv_columns(path: Path | str) -> tuple[tuple[str, ...] | None, str | None]:
    """The columns of an hourly CSV (the first line that is not a ``#`` comment), or why there are none."""
    lines, error = _lines(Path(path))
    if lines is None:
        return None, error
    header = next((line for line in lines if line.strip() and not line.startswith("#")), None)
    if header is None:
        return None, "no header line with column names after the '#' comments"
    return tuple(_split(header.split("#", 1)[0])), None
