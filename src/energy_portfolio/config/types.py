"""Field types shared by the config specs: fractions, identifiers, time zones, file paths.

Every spec derives from :class:`Spec`: frozen, unknown keys forbidden, no NaN or infinity.
"""

from __future__ import annotations

import errno
import stat
import zoneinfo
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
)
from pydantic_core import PydanticCustomError

__all__ = [
    "Spec",
    "spec_files",
    "Fraction",
    "MonthlyFractions",
    "Identifier",
    "TimeZone",
    "ExistingFile",
    "PositiveFloat",
    "NonNegativeFloat",
    "Year",
]


class Spec(BaseModel):
    """Base of every config spec: immutable, strict about keys, finite numbers only."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


def _fraction(value: float) -> float:
    if 0.0 <= value <= 1.0:
        return value
    if 1.0 < value <= 100.0:
        raise PydanticCustomError(
            "fraction_as_percentage",
            "expected a fraction between 0 and 1; {value} looks like a percentage, write {suggestion}",
            {"value": _fmt(value), "suggestion": _fmt(value / 100.0)},
        )
    raise PydanticCustomError("fraction_range", "expected a fraction between 0 and 1", {"value": _fmt(value)})


def _fmt(value: float) -> str:
    return f"{value:g}"


Fraction = Annotated[float, AfterValidator(_fraction)]
"""A number in [0, 1]; a value in (1, 100] is reported as a probable percentage."""


def _twelve(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [value] * 12
    if isinstance(value, (list, tuple)) and len(value) != 12:
        raise PydanticCustomError(
            "monthly_length",
            "expected one value for all months or a list of 12 monthly values, found {n} values",
            {"n": len(value)},
        )
    return value


MonthlyFractions = Annotated[tuple[Fraction, ...], BeforeValidator(_twelve)]
"""Twelve monthly fractions (January first); a single number applies to every month."""

Identifier = Annotated[
    str,
    Field(pattern=r"^[a-z][a-z0-9_]*$", min_length=1, max_length=64),
]
"""Lower-case identifier: a letter, then letters, digits or underscores."""

PositiveFloat = Annotated[float, Field(gt=0)]
NonNegativeFloat = Annotated[float, Field(ge=0)]
Year = Annotated[int, Field(ge=1990, le=2100)]


def _timezone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise PydanticCustomError(
            "timezone",
            "expected an IANA time zone name such as 'Asia/Baku' or 'UTC'",
            {},
        ) from None
    return value


TimeZone = Annotated[str, AfterValidator(_timezone)]


def _existing_file(value: Path, info: ValidationInfo) -> Path:
    base = (info.context or {}).get("base_dir")
    path = value if value.is_absolute() or base is None else Path(base) / value
    try:
        path = path.resolve()
        mode = path.stat().st_mode
    except (OSError, RuntimeError) as exc:  # Python 3.11's resolve() raises RuntimeError for a symlink loop
        if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP:
            raise PydanticCustomError(
                "file_symlink_loop",
                "{path} is a symbolic link loop (too many levels of symbolic links); expected a file",
                {"path": str(path)},
            ) from None
        raise PydanticCustomError(
            "file_not_found",
            "file not found: {path} (relative paths are read from the folder of the config file)",
            {"path": str(path)},
        ) from None
    if not stat.S_ISREG(mode):
        kind = "a directory" if stat.S_ISDIR(mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device"
        raise PydanticCustomError(
            "file_not_regular", "{path} is {kind}; expected a regular file", {"path": str(path), "kind": kind}
        )
    return path


ExistingFile = Annotated[Path, AfterValidator(_existing_file)]
"""A path to an existing file; relative paths are resolved against the config file's folder."""


def cross_field_error(field: str, message: str, **ctx: Any) -> PydanticCustomError:
    """An error raised by a model validator that belongs to one of the model's fields.

    The message formatter appends ``field`` to the error location, so the user sees the
    line of that field rather than of the enclosing block.
    """
    return PydanticCustomError("cross_field", message, {"field": field, **ctx})


def spec_files(value: Any) -> list[Path]:
    """Every file path inside a spec (or a tuple, list or dict of them), recursively, in field order."""
    if isinstance(value, Path):
        return [value]
    if isinstance(value, BaseModel):
        return [p for name in type(value).model_fields for p in spec_files(getattr(value, name))]
    if isinstance(value, (tuple, list)):
        return [p for item in value for p in spec_files(item)]
    if isinstance(value, dict):
        return [p for item in value.values() for p in spec_files(item)]
    return []
