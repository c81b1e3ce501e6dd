"""YAML reading that remembers the line of every key and value, within stated limits.

PyYAML composes nodes with marks; we construct plain Python data from them ourselves and keep
a map from each path (tuple of keys and indexes) to its line, so validation errors can name
the line. The file is read as YAML 1.2 (core schema), not PyYAML's YAML 1.1, so that no value
changes meaning behind the user's back:

- ``true``/``false`` (also ``True``, ``TRUE``, ...) are booleans; ``yes``, ``no``, ``on``, ``off``
  are text (YAML 1.1 read them as booleans).
- Numbers are decimal: ``42``, ``-3.5``, ``1e-6`` (YAML 1.1 read ``1e-6`` as text). Forms whose
  value differs between YAML versions or readers are text, which a number field refuses with a
  hint: ``1:30`` (YAML 1.1: 90, base 60), ``017`` (YAML 1.1: 15, octal), ``0o17``, ``0x1F``,
  ``1_000``.
- ``null``, ``~`` or nothing is null.

Refused with the file and line (each a :class:`~energy_portfolio.errors.ConfigError`):

- anything but a regular file (a FIFO would block forever, a directory or device is no config),
  a symbolic-link loop, a file above :data:`MAX_FILE_BYTES`;
- tags other than the core ones (``!!python/object``, ``!foo``): data never executes;
- a merge key (``<<``) whose value is not a mapping or a list of mappings;
- a recursive alias, and documents that expand (through aliases) to more than
  :data:`MAX_NODES` nodes or nest deeper than :data:`MAX_DEPTH` levels (an "alias bomb" of a
  few KB would otherwise expand to billions of nodes);
- numbers with more than :data:`MAX_DIGITS` digits or a magnitude above :data:`MAX_MAGNITUDE`
  (no input of this tool is that large; a 5,000-digit integer is a typo or an attack);
- duplicate keys, which YAML 1.1 readers silently overwrite.
"""

from __future__ import annotations

import errno
import math
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml

from ..errors import ConfigError, Problem

__all__ = [
    "MAX_DEPTH",
    "MAX_DIGITS",
    "MAX_FILE_BYTES",
    "MAX_MAGNITUDE",
    "MAX_NODES",
    "YamlSource",
    "dotted_path",
    "read_yaml",
]

Path_ = tuple[Any, ...]

MAX_FILE_BYTES = 4 * 1024 * 1024
"""Largest config file read [bytes]: the largest shipped config (the grid) is about 26 KB."""

MAX_NODES = 50_000
"""Most nodes (mappings, lists, keys, values) a document may expand to, aliases counted at their
expanded size: about 70 times the largest shipped config (the grid, about 740 nodes), with room
for a 2,000-turbine coordinate layout (4,000 numbers)."""

MAX_DEPTH = 100
"""Deepest nesting of mappings and lists: the shipped configs nest at most 5 levels."""

MAX_DIGITS = 30
"""Most digits in a number: more than any measured quantity has (double precision keeps 17)."""

MAX_MAGNITUDE = 1e15
"""Largest number in magnitude: above any quantity in these configs (a country's annual demand
is about 3e7 MWh; costs are per kW or per MWh)."""

_MAGNITUDE_TEXT = "1e15"
_TAG = "tag:yaml.org,2002:"
_MERGE = _TAG + "merge"
_NULL, _BOOL, _INT, _FLOAT, _STR = (_TAG + t for t in ("null", "bool", "int", "float", "str"))
_MAP, _SEQ = _TAG + "map", _TAG + "seq"

# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution), integers in decimal only.
_NULL_RE = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL_RE = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT_RE = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT_RE = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*|[0-9]+(?:\.[0-9]*)?[eE][-+]?[0-9]+|\.[0-9]+[eE][-+]?[0-9]+)"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_INF_NAN_RE = re.compile(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")


class _RefusedError(Exception):
    """A document this reader will not read: a message and where."""

    def __init__(self, message: str, line: int | None = None, path: Path_ | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.path = path


class _Loader(yaml.SafeLoader):
    """PyYAML's pure-Python safe loader with YAML 1.2 core resolution and bounded composition."""

    yaml_implicit_resolvers: ClassVar[dict[Any, Any]] = {}

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0
        self._open: set[str] = set()  # anchors of the collections being composed
        self._nodes = 0  # nodes of the document so far, aliases at their expanded size
        self._sizes: dict[str, int] = {}  # anchor -> expanded node count of its node

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in self._open:
                raise _RefusedError(
                    f"recursive alias *{event.anchor}: it refers to the collection that contains it, which would "
                    "expand without end; expected an alias of a node defined before and outside it",
                    line,
                )
            node = super().compose_node(parent, index)
            self._count(self._sizes.get(event.anchor, 1), line, event.anchor)
            return node
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _RefusedError(
                f"nested more than {MAX_DEPTH} levels deep; expected at most {MAX_DEPTH} (the shipped configs nest 5)",
                line,
            )
        anchor = event.anchor
        if anchor is not None:
            self._open.add(anchor)
        before = self._nodes
        self._count(1, line, None)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
            if anchor is not None:
                self._open.discard(anchor)
        if anchor is not None:
            self._sizes[anchor] = self._nodes - before
        return node

    def _count(self, n: int, line: int, alias: str | None) -> None:
        self._nodes += n
        if self._nodes > MAX_NODES:
            what = f"alias *{alias} ({n:,} nodes) brings" if alias else "this brings"
            raise _RefusedError(
                f"{what} the document to more than {MAX_NODES:,} nodes (mappings, lists and values, aliases "
                f"counted at their expanded size); expected at most {MAX_NODES:,}",
                line,
            )


def _add_core_resolvers() -> None:
    """The YAML 1.2 core schema's implicit tags (decimal integers only), and the merge key ``<<``."""
    for tag, regex, first in (
        (_NULL, _NULL_RE, ["~", "n", "N", ""]),  # "" is the empty plain scalar
        (_BOOL, _BOOL_RE, list("tTfF")),
        (_INT, _INT_RE, list("-+0123456789")),
        (_FLOAT, _FLOAT_RE, list("-+.0123456789")),
        (_MERGE, re.compile(r"^<<$"), ["<"]),
    ):
        _Loader.add_implicit_resolver(tag, regex, first)


_add_core_resolvers()


@dataclass(frozen=True)
class YamlSource:
    """Data read from a YAML file with the line of each element.

    Attributes
    ----------
    file : str
        The path as given by the user.
    data : Any
        Plain Python data (dicts, lists, scalars).
    value_lines : dict
        Path -> 1-based line of the value at that path.
    key_lines : dict
        Path -> 1-based line of the key that introduces that path (mappings only).
    problems : list of Problem
        Problems found while reading (duplicate keys).
    """

    file: str
    data: Any
    value_lines: dict[Path_, int] = field(default_factory=dict)
    key_lines: dict[Path_, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, path: Path_, *, key: bool = False) -> int | None:
        """Line of the element at ``path``, or of its nearest existing ancestor."""
        path = tuple(path)
        while True:
            table = self.key_lines if key else self.value_lines
            if path in table:
                return table[path]
            if key and path in self.value_lines:
                return self.value_lines[path]
            if not path:
                return None
            path = path[:-1]
            key = True


def _file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO), which would block reading"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _read_text(path: Path, name: str) -> str:
    """The file's text, refusing anything but a regular file of at most MAX_FILE_BYTES."""

    def refuse(message: str) -> ConfigError:
        return ConfigError(problems=[Problem(name, message)])

    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise refuse(f"{_file_kind(info.st_mode)}; expected a regular YAML file")
        # Opened without blocking, and checked again: the path may have changed since the stat.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise refuse("file not found") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise refuse("a symbolic link loop (too many levels of symbolic links); expected a YAML file") from None
        raise refuse(f"cannot read the file: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise refuse(f"{_file_kind(info.st_mode)}; expected a regular YAML file")
        if info.st_size > MAX_FILE_BYTES:
            raise refuse(f"{info.st_size:,} bytes; expected a config file of at most {MAX_FILE_BYTES:,} bytes")
        raw = handle.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise refuse(f"more than {MAX_FILE_BYTES:,} bytes; expected a config file of at most that")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise refuse(f"cannot read the file: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def read_yaml(path: Path, display: str | None = None) -> YamlSource:
    """Read a YAML file into a :class:`YamlSource` (YAML 1.2 core schema, within the module's limits).

    Raises
    ------
    ConfigError
        When the file cannot be read, is not valid YAML, is empty, or is refused (see the module).
    """
    name = display or str(path)
    text = _read_text(Path(path), name)
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
        if node is None:
            raise ConfigError(problems=[Problem(name, "the file is empty; expected a mapping with a 'kind' key")])
        builder = _Builder(name)
        data = builder.build(node, ())
    except _RefusedError as exc:
        where = dotted_path(exc.path) if exc.path else None
        raise ConfigError(problems=[Problem(name, exc.message, exc.line, where)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        raise ConfigError(problems=[Problem(name, f"not valid YAML: {what}", line)]) from None
    except yaml.YAMLError as exc:
        raise ConfigError(problems=[Problem(name, f"not valid YAML: {exc}")]) from None
    return YamlSource(name, data, builder.value_lines, builder.key_lines, builder.problems)


class _Builder:
    """Plain data from composed nodes: core-schema scalars, merge keys, the depth limit through aliases."""

    def __init__(self, file: str):
        self.file = file
        self.value_lines: dict[Path_, int] = {}
        self.key_lines: dict[Path_, int] = {}
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, path: Path_) -> Any:
        line = node.start_mark.line + 1
        if len(path) > MAX_DEPTH:
            raise _RefusedError(
                f"nested more than {MAX_DEPTH} levels deep through aliases; expected at most {MAX_DEPTH}", line, path
            )
        self.value_lines.setdefault(path, line)
        if isinstance(node, yaml.MappingNode):
            _check_tag(node, _MAP, path)
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            _check_tag(node, _SEQ, path)
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        return _scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key_node, value_node, merged in _pairs(node, path):
            if not isinstance(key_node, yaml.ScalarNode):
                raise _RefusedError(
                    "a mapping or list used as a key; expected a plain key such as a field name",
                    key_node.start_mark.line + 1,
                    path,
                )
            key = _scalar(key_node, path)
            child = path + (key,)
            if key in out:
                if not merged:
                    self.problems.append(
                        Problem(
                            self.file,
                            f"duplicate key '{key}' (first at line {self.key_lines[child]}); "
                            "YAML keeps only one, so remove the other",
                            key_node.start_mark.line + 1,
                            dotted_path(child),
                        )
                    )
                continue  # a key of the mapping itself wins over a merged one (YAML merge key spec)
            self.key_lines.setdefault(child, key_node.start_mark.line + 1)
            out[key] = self.build(value_node, child)
        return out


def _pairs(node: yaml.MappingNode, path: Path_) -> list[tuple[yaml.Node, yaml.Node, bool]]:
    """The mapping's own pairs, then those of the mappings its ``<<`` keys merge (earlier first)."""
    own = [(k, v, False) for k, v in node.value if k.tag != _MERGE]
    merged: list[tuple[yaml.Node, yaml.Node, bool]] = []
    for key_node, value_node in node.value:
        if key_node.tag != _MERGE:
            continue
        sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                found = source.value if isinstance(source, yaml.ScalarNode) else "a list"
                raise _RefusedError(
                    f"merge key << = {_short(found)}: expected a mapping to merge, usually an alias such as "
                    "<<: *defaults, or a list of them",
                    source.start_mark.line + 1,
                    path + ("<<",),
                )
            merged += [(k, v, True) for k, v, _ in _pairs(source, path)]
    return own + merged


def _check_tag(node: yaml.Node, expected: str, path: Path_) -> None:
    if node.tag != expected:
        raise _unknown_tag(node, path)


def _unknown_tag(node: yaml.Node, path: Path_) -> _RefusedError:
    tag = node.tag.replace(_TAG, "!!")
    return _RefusedError(
        f"YAML tag {tag} is not supported; expected plain values (numbers, text, true/false, null, lists and "
        "mappings) without tags: a config is data and never constructs objects",
        node.start_mark.line + 1,
        path,
    )


def _scalar(node: yaml.Node, path: Path_) -> Any:
    text = node.value
    line = node.start_mark.line + 1
    tag = node.tag
    if tag == _STR:
        return text
    if tag == _NULL and _NULL_RE.match(text):
        return None
    if tag == _BOOL and _BOOL_RE.match(text):
        return text.lower() == "true"
    if tag == _INT and _INT_RE.match(text):
        return _number(text, line, path)
    if tag == _FLOAT and (_INT_RE.match(text) or _FLOAT_RE.match(text)):
        return float(_number(text, line, path))
    if tag in (_NULL, _BOOL, _INT, _FLOAT):
        kind = {_NULL: "null", _BOOL: "true or false", _INT: "a decimal integer", _FLOAT: "a decimal number"}[tag]
        raise _RefusedError(f"= {_short(text)} tagged {tag.replace(_TAG, '!!')}: expected {kind}", line, path)
    raise _unknown_tag(node, path)


def _number(text: str, line: int, path: Path_) -> int | float:
    """An int or float from a core-schema number, refusing absurd lengths and magnitudes."""
    if _INF_NAN_RE.match(text):
        return float(text.replace(".", "", 1))  # Python reads inf, -inf, nan in any case
    mantissa = re.split(r"[eE]", text)[0]
    digits = sum(c.isdigit() for c in mantissa)
    limits = (f"expected at most {MAX_DIGITS} digits and a magnitude of at most {_MAGNITUDE_TEXT}: "
              "no input of this tool is that large or that precise")
    if digits > MAX_DIGITS:
        raise _RefusedError(f"= {_short(text)}: a number with {digits:,} digits; {limits}", line, path)
    value: int | float = int(text) if _INT_RE.match(text) else float(text)
    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        raise _RefusedError(f"= {_short(text)}: a number above {_MAGNITUDE_TEXT} in magnitude; {limits}", line, path)
    return value


def _short(text: str) -> str:
    return text if len(text) <= 24 else f"{text[:20]}... ({len(text):,} characters)"


def dotted_path(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
