"""Field types shared by the config specs: fractions, identifiers, time zones, file paths.

Every spec derives from :class:`Spec`: frozen, unknown keys forbidden, no NaN or infinity, and
strict scalars: a number field takes a number only (not ``true``, which Python counts as 1, and
not text such as ``"240"`` or YAML 1.1's ``1:30``), a true/false field takes ``true`` or ``false``
only (not ``yes``, ``on`` or 1).
"""

from __future__ import annotations

import errno
import re
import stat
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    ValidationInfo,
)
from pydantic_core import PydanticCustomError, core_schema

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
    "within",
]


_STRICT_MARK = "energy_portfolio_strict_scalar"
_SKIPPED_KEYS = ("metadata", "serialization", "ref", "cls", "config")


def _strict_scalars(schema: Any) -> Any:
    """The core schema with each float, int and bool schema behind :func:`_scalar_check`."""
    if isinstance(schema, list):
        return [_strict_scalars(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if (schema.get("metadata") or {}).get(_STRICT_MARK):
        return schema
    kind = schema.get("type")
    if kind in ("float", "int", "bool"):
        return core_schema.no_info_before_validator_function(
            _scalar_check(kind), schema, metadata={_STRICT_MARK: True}
        )
    return {key: value if key in _SKIPPED_KEYS else _strict_scalars(value) for key, value in schema.items()}


_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$")
_LEADING_ZERO = re.compile(r"^[-+]?0[0-9_]+$")
_BASE_PREFIX = re.compile(r"^[-+]?0[oOxXbB][0-9a-fA-F_]+$")
_YAML11_BOOLEANS = {"yes", "no", "on", "off", "y", "n"}


def _number_text_hint(text: str) -> str:
    """Why a piece of text that looks like a number is not read as one, and what to write."""
    stripped = text.strip()
    if _SEXAGESIMAL.match(stripped):
        return (f"; YAML 1.1 read {stripped} as a base-60 number, configs are read as YAML 1.2, where it is "
                "text: write the number in decimal")
    if _LEADING_ZERO.match(stripped):
        return (f"; a leading zero made {stripped} octal in YAML 1.1 and decimal elsewhere: write it without "
                "the leading zero")
    if _BASE_PREFIX.match(stripped):
        return "; write the number in decimal"
    if "_" in stripped and stripped.replace("_", "").lstrip("+-").replace(".", "", 1).isdigit():
        return f"; write it without underscores: {stripped.replace('_', '')}"
    try:
        float(stripped)
    except ValueError:
        return ""
    return "; it is quoted or otherwise written as text: write it as a plain number"


def _scalar_check(kind: str) -> Callable[[Any], Any]:
    """A before-validator that lets through only the values a ``kind`` field takes without conversion."""

    def number(value: Any) -> Any:
        if isinstance(value, bool):
            raise PydanticCustomError(
                "number_is_bool",
                "expected a number; true and false are not numbers (they would be read as 1 and 0)",
            )
        if isinstance(value, str):
            raise PydanticCustomError("number_is_text", "expected a valid number, found text{hint}",
                                      {"hint": _number_text_hint(value)})
        return value

    def boolean(value: Any) -> Any:
        if isinstance(value, bool):
            return value
        hint = ""
        if isinstance(value, str) and value.strip().lower() in _YAML11_BOOLEANS:
            hint = (f"; YAML 1.1 read {value.strip()} as a boolean, configs are read as YAML 1.2, where it is "
                    "text")
        raise PydanticCustomError("bool_strict", "expected true or false{hint}", {"hint": hint})

    return boolean if kind == "bool" else number


class Spec(BaseModel):
    """Base of every config spec: immutable, strict about keys, finite numbers only, strict scalars.

    Every ``float``, ``int`` and ``bool`` in a spec's schema, however deeply nested (in tuples,
    dicts, unions, annotated constraints), refuses the values pydantic would otherwise convert: a
    boolean where a number is expected, text where a number or a boolean is expected, a number
    where a boolean is expected.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return _strict_scalars(handler(source))


def within(low: float, high: float, unit: str, reason: str) -> AfterValidator:
    """A validator refusing values outside [low, high], with the reason for the bounds in the message.

    Use for plausibility bounds whose reason the user needs to see:
    ``Annotated[float, within(1_000, 100_000, "USD/MWh", "below 1,000 ...")]``.
    """

    def check(value: float) -> float:
        if low <= value <= high:
            return value
        raise PydanticCustomError(
            "out_of_bounds",
            "expected a value from {low} to {high}{unit}: {reason}",
            {"low": f"{low:,g}", "high": f"{high:,g}", "unit": f" {unit}" if unit else "", "reason": reason},
        )

    return AfterValidator(check)


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
