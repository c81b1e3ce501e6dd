"""Input checks shared by the economics modules: finite arrays of the expected shape."""

from __future__ import annotations

import numpy as np

from ..errors import InputError

__all__ = ["finite_array", "finite_number"]


def finite_array(name: str, values, *, min_length: int = 1, non_negative: bool = False) -> np.ndarray:
    """``values`` as a 1-D float array, or an :class:`InputError` naming ``name``.

    NaN and infinity are errors (never turned into 0); so is a negative value when
    ``non_negative`` is set.
    """
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"economics: {name} could not be read as numbers; expected a sequence of numbers") from None
    if array.ndim == 0:
        array = array.reshape(1)
    if array.ndim != 1:
        raise InputError(f"economics: {name} has shape {array.shape}; expected a 1-D sequence")
    if array.size < min_length:
        raise InputError(f"economics: {name} has {array.size} values; expected at least {min_length}")
    bad = ~np.isfinite(array)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"economics: {name} has {int(bad.sum())} missing or infinite values (first at index {first},"
            f" value {array[first]}); expected a finite number in every position"
        )
    if non_negative and (array < 0).any():
        first = int(np.flatnonzero(array < 0)[0])
        raise InputError(f"economics: {name}[{first}] = {array[first]:g}; expected a value of 0 or more")
    return array


def finite_number(name: str, value, *, low: float | None = None, high: float | None = None) -> float:
    """``value`` as a float within [low, high], or an :class:`InputError` naming ``name``."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"economics: {name} = {value!r}; expected a number") from None
    if not np.isfinite(number):
        raise InputError(f"economics: {name} = {number}; expected a finite number")
    if low is not None and number < low:
        raise InputError(f"economics: {name} = {number:g}; expected at least {low:g}")
    if high is not None and number > high:
        raise InputError(f"economics: {name} = {number:g}; expected at most {high:g}")
    return number
