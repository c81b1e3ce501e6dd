"""YAML reading that remembers the line of every key and value.

PyYAML's composer gives nodes with marks; we construct plain Python data from them
ourselves and keep a map from each path (tuple of keys and indexes) to its line, so
validation errors can name the line. Duplicate keys, which PyYAML silently overwrites,
are reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem

__all__ = ["YamlSource", "read_yaml", "dotted_path"]

Path_ = tuple[Any, ...]


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


def read_yaml(path: Path, display: str | None = None) -> YamlSource:
    """Read a YAML file into a :class:`YamlSource`.

    Raises
    ------
    ConfigError
        When the file cannot be read, is not valid YAML, or is empty.
    """
    from ..errors import ConfigError

    name = display or str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(problems=[Problem(name, "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(problems=[Problem(name, f"cannot read the file: {exc}")]) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        raise ConfigError(problems=[Problem(name, f"not valid YAML: {what}", line)]) from None
    except yaml.YAMLError as exc:
        raise ConfigError(problems=[Problem(name, f"not valid YAML: {exc}")]) from None
    if node is None:
        raise ConfigError(problems=[Problem(name, "the file is empty; expected a mapping with a 'kind' key")])
    builder = _Builder(name)
    data = builder.build(node, ())
    return YamlSource(name, data, builder.value_lines, builder.key_lines, builder.problems)


class _Builder:
    def __init__(self, file: str):
        self.file = file
        self.value_lines: dict[Path_, int] = {}
        self.key_lines: dict[Path_, int] = {}
        self.problems: list[Problem] = []
        self._constructor = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.value_lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            self._constructor.flatten_mapping(node)
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self._constructor.construct_object(key_node, deep=True)
                if isinstance(key, (list, dict)):
                    key = str(key)
                child = path + (key,)
                if key in out:
                    self.problems.append(
                        Problem(
                            self.file,
                            f"duplicate key '{key}' (first at line {self.key_lines[child]}); "
                            "YAML keeps only one, so remove the other",
                            key_node.start_mark.line + 1,
                            dotted_path(child),
                        )
                    )
                    continue
                self.key_lines[child] = key_node.start_mark.line + 1
                out[key] = self.build(value_node, child)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        return self._constructor.construct_object(node, deep=True)


def dotted_path(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
