"""A typed codec for the sweep cache: frozen dataclasses as JSON plus parquet and ``.npy`` files, and back.

:func:`encode` walks a value along its *declared* type (the dataclass field annotations, not
the value's class) and returns a JSON tree and the data files the tree names; :func:`decode`
walks the same declared type to build the value again from them. The types come from the code,
so the data of an entry cannot choose what is built: nothing in it is imported, called or
unpickled, and data that do not fit the declared type are an :class:`EntryError`.

==========================================  ====================================================
declared type                               stored as
==========================================  ====================================================
``bool``, ``int``, ``str``                  JSON
``float``                                   JSON number (shortest repr: exact), or ``"nan"``,
                                            ``"inf"``, ``"-inf"``; a ``numpy.float64`` comes back
                                            as the equal Python float, an int as the int
``X | None``                                ``null``, or X
``tuple[X, ...]``, ``tuple[X, Y]``,         JSON array
``list[X]``
``dict[str, X]``                            JSON object (order kept)
a dataclass                                 JSON object of its fields; ``cls(**fields)`` on read
a pydantic model, or a union of models      ``TypeAdapter(type).dump_python(mode="json")``; read
                                            with ``validate_python``
``pandas.DataFrame``, ``Series``,           a parquet file (pyarrow with pandas' metadata:
``Index`` (``DatetimeIndex`` ...)           dtypes, time zone, index and column names and
                                            levels), plus in JSON what parquet does not keep
                                            (the index frequency, a ``RangeIndex`` of columns,
                                            object dtypes, a series' name)
``numpy.ndarray``                           a ``.npy`` file (``allow_pickle=False``)
``typing.Any``                              JSON data only: None, bool, int, float, str, lists
                                            and dicts with str keys; a non-finite float as
                                            ``{"$float": "nan"}``
==========================================  ====================================================

Anything else is refused with a ``TypeError`` naming the field (e.g.
``SiteRun.production.details['sizing']``): another declared type, a value not exactly of its
declared type (a subclass included: it would come back as the base class), a tuple inside
``Any`` (it would come back a list), an object array, a frame with ``attrs``. Every frame,
series, index and pydantic model is read back once when written and compared exactly
(``pandas.testing`` with ``check_exact``, ``check_freq`` and exact index classes; ``==``), and one
that would not come back identical is refused the same way. So a value either round-trips
exactly or is not stored.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import math
import types
import typing
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel, TypeAdapter

__all__ = ["EntryError", "decode", "encode"]


class EntryError(ValueError):
    """Stored data that do not decode as the declared type (damaged, foreign or of another version)."""


def encode(value: Any, hint: Any, where: str) -> tuple[Any, dict[str, bytes]]:
    """The JSON tree of ``value`` as declared type ``hint``, and the data files it names.

    Parameters
    ----------
    value : object
        What to store.
    hint : type
        Its declared type (e.g. ``SiteRun``).
    where : str
        Its name in messages (``"SiteRun"``); fields are named below it.

    Returns
    -------
    tree : JSON-ready object
    files : dict
        File name (``"<n>.parquet"``, ``"<n>.npy"``) -> bytes.

    Raises
    ------
    TypeError
        A field the codec cannot store exactly, named by its path.
    """
    files: dict[str, bytes] = {}
    return _encode(value, hint, where, files), files


def decode(tree: Any, files: Mapping[str, bytes], hint: Any, where: str) -> Any:
    """The value of declared type ``hint`` stored as ``tree`` and ``files`` by :func:`encode`.

    Raises
    ------
    EntryError
        The tree or a file does not fit ``hint`` (the message names the field and the file).
    """
    try:
        return _decode(tree, files, hint, where)
    except EntryError:
        raise
    except Exception as error:  # a validator or constructor refusing the data: the entry is not ours
        raise EntryError(f"{where}: {type(error).__name__}: {error}") from error


# --------------------------------------------------------------------------------------
# Declared types
# --------------------------------------------------------------------------------------

_NON_FINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
_UNIONS = (typing.Union, types.UnionType)


@functools.cache
def _fields(cls: type) -> tuple[tuple[str, Any], ...]:
    """(name, declared type) of each field of dataclass ``cls``; refused when one is not an init field."""
    hints = typing.get_type_hints(cls, include_extras=True)
    out = []
    for field in dataclasses.fields(cls):
        if not field.init:
            raise TypeError(f"{cls.__name__}.{field.name} is not an __init__ field: the cache cannot build it again")
        out.append((field.name, hints[field.name]))
    return tuple(out)


def _is_pydantic(hint: Any) -> bool:
    """A pydantic model, or a union (possibly ``Annotated``, e.g. discriminated) of models."""
    if isinstance(hint, type):
        return issubclass(hint, BaseModel)
    origin = typing.get_origin(hint)
    if origin is typing.Annotated:
        return _is_pydantic(typing.get_args(hint)[0])
    return origin in _UNIONS and all(_is_pydantic(a) for a in typing.get_args(hint))


def _adapter(hint: Any) -> TypeAdapter:
    try:
        return _cached_adapter(hint)
    except TypeError:  # an unhashable hint
        return TypeAdapter(hint)


@functools.lru_cache(maxsize=32)
def _cached_adapter(hint: Any) -> TypeAdapter:
    return TypeAdapter(hint)


def _optional(hint: Any) -> Any | None:
    """X of ``X | None`` (or of ``Optional[X]``); None for any other hint."""
    if typing.get_origin(hint) not in _UNIONS:
        return None
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    return args[0] if len(args) == 1 and len(typing.get_args(hint)) == 2 else None


# --------------------------------------------------------------------------------------
# Encoding
# --------------------------------------------------------------------------------------


def _encode(value: Any, hint: Any, where: str, files: dict[str, bytes]) -> Any:
    if hint is Any:
        return _encode_data(value, where)
    if _is_pydantic(hint):
        return _encode_model(value, hint, where)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Annotated:
        return _encode(value, args[0], where, files)
    if origin in _UNIONS:
        inner = _optional(hint)
        if inner is None:
            raise TypeError(f"{where}: the cache cannot store a union {hint!r} (only X | None)")
        return None if value is None else _encode(value, inner, where, files)
    if origin in (tuple, list):
        _require(type(value) is origin and bool(args), value, hint, where)
        return [_encode(item, h, f"{where}[{i}]", files) for i, (item, h) in enumerate(_items(value, hint, where))]
    if origin is dict:
        _require(type(value) is dict and len(args) == 2, value, hint, where)
        key_hint, value_hint = args
        if key_hint is not str or not all(type(k) is str for k in value):
            raise TypeError(f"{where}: the cache stores dicts with str keys only, not {hint!r}")
        return {k: _encode(v, value_hint, f"{where}[{k!r}]", files) for k, v in value.items()}
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        _require(type(value) is hint, value, hint, where)
        return {name: _encode(getattr(value, name), h, f"{where}.{name}", files) for name, h in _fields(hint)}
    if hint is bool or hint is str:
        _require(type(value) is hint, value, hint, where)
        return value
    if hint is int:
        _require(type(value) is int, value, hint, where)
        return value
    if hint is float:
        _require(isinstance(value, float | int) and not isinstance(value, bool), value, hint, where)
        if type(value) is int:
            return value
        return float(value) if math.isfinite(value) else repr(float(value))
    if isinstance(hint, type) and issubclass(hint, pd.DataFrame | pd.Series | pd.Index):
        return _encode_pandas(value, hint, where, files)
    if hint is np.ndarray:
        _require(type(value) is np.ndarray, value, hint, where)
        buffer = io.BytesIO()
        try:
            np.save(buffer, value, allow_pickle=False)
        except ValueError as error:
            raise TypeError(f"{where}: an array of dtype {value.dtype} cannot be stored without pickle") from error
        return {"file": _add(files, "npy", buffer.getvalue())}
    raise TypeError(f"{where}: the cache cannot store a field declared {hint!r}")


def _require(ok: bool, value: Any, hint: Any, where: str) -> None:
    if not ok:
        raise TypeError(f"{where}: declared {hint!r}, holds a {type(value).__qualname__}; "
                        "the cache stores values of their declared types only")


def _items(value: Any, hint: Any, where: str) -> list[tuple[Any, Any]]:
    """Each item of a tuple or list with its declared type."""
    args = typing.get_args(hint)
    if typing.get_origin(hint) is tuple and not (len(args) == 2 and args[1] is Ellipsis):
        if len(args) != len(value):
            raise TypeError(f"{where}: declared {hint!r}, holds {len(value)} items")
        return list(zip(value, args, strict=True))
    return [(item, args[0]) for item in value]


def _add(files: dict[str, bytes], suffix: str, data: bytes) -> str:
    name = f"{len(files)}.{suffix}"
    files[name] = data
    return name


def _encode_data(value: Any, where: str) -> Any:
    """JSON data of a field declared ``Any``."""
    if value is None or type(value) in (bool, int, str):
        return value
    if isinstance(value, float):  # numpy.float64 too: stored and read back as the same float
        return float(value) if math.isfinite(value) else {"$float": repr(float(value))}
    if type(value) is list:
        return [_encode_data(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if type(value) is dict and all(type(k) is str for k in value):
        if set(value) == {"$float"}:
            raise TypeError(f"{where}: a dict whose only key is '$float' would read back as a float")
        return {k: _encode_data(v, f"{where}[{k!r}]") for k, v in value.items()}
    raise TypeError(f"{where}: {type(value).__qualname__} in a field declared Any; the cache stores JSON data only "
                    "(None, bool, int, float, str, list, dict with str keys)")


def _encode_model(value: Any, hint: Any, where: str) -> Any:
    adapter = _adapter(hint)
    data = adapter.dump_python(value, mode="json")
    if adapter.validate_python(data) != value:
        raise TypeError(f"{where}: the {type(value).__name__} does not read back equal from its JSON dump")
    return data


def _encode_pandas(value: Any, hint: type, where: str, files: dict[str, bytes]) -> dict[str, Any]:
    _require(isinstance(value, hint) and (hint is pd.Index or type(value) is hint), value, hint, where)
    if not isinstance(value, pd.Index) and value.attrs:
        raise TypeError(f"{where}: a {hint.__name__} with attrs; parquet would not keep them")
    meta: dict[str, Any] = {}
    if isinstance(value, pd.Index):
        frame, index = pd.DataFrame(index=value), value
    elif isinstance(value, pd.Series):
        if not (value.name is None or type(value.name) in (str, int)):
            raise TypeError(f"{where}: a series named {value.name!r}; the cache stores str or int names only")
        frame, index = value.to_frame(name="values"), value.index
        meta["name"] = value.name
    else:
        frame, index = value, value.index
        if isinstance(value.columns, pd.RangeIndex):
            meta["range_columns"] = [value.columns.start, value.columns.stop, value.columns.step]
    if isinstance(index, pd.DatetimeIndex) and index.freq is not None:
        meta["freq"] = index.freqstr
    if pd.api.types.is_object_dtype(index.dtype):
        meta["object_index"] = True
    if objects := [i for i, dtype in enumerate(frame.dtypes) if pd.api.types.is_object_dtype(dtype)]:
        meta["object_columns"] = objects  # read back as pandas' str dtype otherwise
    buffer = io.BytesIO()
    try:
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=None), buffer)
    except (pa.ArrowException, ValueError, TypeError) as error:
        raise TypeError(f"{where}: the {hint.__name__} cannot be written as parquet: {error}") from error
    meta["file"] = _add(files, "parquet", buffer.getvalue())
    try:
        _assert_identical(_decode_pandas(meta, files, hint, where), value)
    except (AssertionError, EntryError, ValueError) as error:
        raise TypeError(f"{where}: the {hint.__name__} does not come back from parquet identical: {error}") from error
    return meta


def _assert_identical(back: Any, value: Any) -> None:
    exact = {"check_exact": True, "check_index_type": True}
    if isinstance(value, pd.DataFrame):
        pd.testing.assert_frame_equal(back, value, check_column_type=True, check_freq=True, check_flags=True, **exact)
    elif isinstance(value, pd.Series):
        pd.testing.assert_series_equal(back, value, check_series_type=True, check_freq=True, check_flags=True, **exact)
    else:
        assert getattr(back, "freq", None) == getattr(value, "freq", None), "index frequencies differ"
        pd.testing.assert_index_equal(back, value, exact=True, check_exact=True)


# --------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------


def _decode(tree: Any, files: Mapping[str, bytes], hint: Any, where: str) -> Any:
    if hint is Any:
        return _decode_data(tree, where)
    if _is_pydantic(hint):
        return _adapter(hint).validate_python(tree)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Annotated:
        return _decode(tree, files, args[0], where)
    if origin in _UNIONS:
        return None if tree is None else _decode(tree, files, _optional(hint), where)
    if origin in (tuple, list):
        _expect(isinstance(tree, list), tree, "an array", where)
        fixed = origin is tuple and not (len(args) == 2 and args[1] is Ellipsis)
        if fixed and len(tree) != len(args):
            raise EntryError(f"{where}: {len(tree)} items, expected {len(args)}")
        hints = args if fixed else [args[0]] * len(tree)
        pairs = enumerate(zip(tree, hints, strict=True))
        return origin(_decode(item, files, h, f"{where}[{i}]") for i, (item, h) in pairs)
    if origin is dict:
        _expect(isinstance(tree, dict), tree, "an object", where)
        return {k: _decode(v, files, args[1], f"{where}[{k!r}]") for k, v in tree.items()}
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        _expect(isinstance(tree, dict), tree, "an object", where)
        names = [name for name, _ in _fields(hint)]
        if list(tree) != names:
            raise EntryError(f"{where}: fields {list(tree)}, expected {names}")
        return hint(**{name: _decode(tree[name], files, h, f"{where}.{name}") for name, h in _fields(hint)})
    if hint is float:
        if isinstance(tree, str) and tree in _NON_FINITE:
            return _NON_FINITE[tree]
        _expect(isinstance(tree, float | int) and not isinstance(tree, bool), tree, "a number", where)
        return tree
    if hint in (bool, int, str):
        _expect(type(tree) is hint, tree, hint.__name__, where)
        return tree
    if isinstance(hint, type) and issubclass(hint, pd.DataFrame | pd.Series | pd.Index):
        _expect(isinstance(tree, dict), tree, "an object", where)
        return _decode_pandas(tree, files, hint, where)
    if hint is np.ndarray:
        _expect(isinstance(tree, dict), tree, "an object", where)
        try:
            return np.load(io.BytesIO(_file(tree, files, "npy", where)), allow_pickle=False)
        except ValueError as error:  # a pickled (object) array among them: never loaded
            raise EntryError(f"{where}: unreadable npy {tree['file']}: {error}") from error
    raise EntryError(f"{where}: no decoder for {hint!r}")


def _expect(ok: bool, tree: Any, what: str, where: str) -> None:
    if not ok:
        raise EntryError(f"{where}: expected {what}, found {type(tree).__name__}")


def _file(tree: dict, files: Mapping[str, bytes], suffix: str, where: str) -> bytes:
    name = tree.get("file")
    if not isinstance(name, str) or not name.endswith(f".{suffix}") or name not in files:
        raise EntryError(f"{where}: names no {suffix} file of the entry ({name!r})")
    return files[name]


def _decode_data(tree: Any, where: str) -> Any:
    if isinstance(tree, list):
        return [_decode_data(v, f"{where}[{i}]") for i, v in enumerate(tree)]
    if isinstance(tree, dict):
        if set(tree) == {"$float"}:
            _expect(tree["$float"] in _NON_FINITE, tree["$float"], "nan, inf or -inf", where)
            return _NON_FINITE[tree["$float"]]
        return {k: _decode_data(v, f"{where}[{k!r}]") for k, v in tree.items()}
    return tree


def _decode_pandas(tree: dict, files: Mapping[str, bytes], hint: type, where: str) -> Any:
    data = _file(tree, files, "parquet", where)
    try:
        frame = pq.read_table(pa.BufferReader(data)).to_pandas()
    except (pa.ArrowException, ValueError, TypeError, KeyError) as error:
        raise EntryError(f"{where}: unreadable parquet {tree['file']}: {error}") from error
    if "freq" in tree:
        frame.index = pd.DatetimeIndex(frame.index, freq=tree["freq"])
    if tree.get("object_index"):
        frame.index = frame.index.astype(object)
    for i in tree.get("object_columns", ()):
        frame.isetitem(i, frame.iloc[:, i].astype(object))
    if "range_columns" in tree:
        frame.columns = pd.RangeIndex(*tree["range_columns"])
    if issubclass(hint, pd.Index):
        value = frame.index
    elif issubclass(hint, pd.Series):
        _expect(list(frame.columns) == ["values"], list(frame.columns), "one column 'values'", where)
        value = frame["values"]
        value.name = tree.get("name")
    else:
        value = frame
    if not isinstance(value, hint):
        raise EntryError(f"{where}: parquet {tree['file']} holds a {type(value).__name__}, expected {hint.__name__}")
    return value
