"""The source comments of a config file: each figure with the comment that says where it comes from.

Default configs carry a comment on every figure (a FACTS section or ``assumption:``); the
report lists them under "Inputs and assumptions".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Annotation", "read_annotations"]

_LINE = re.compile(
    r"^(?P<indent>\s*)(?P<dash>-\s+)?(?P<key>[A-Za-z_][\w]*):\s*(?P<value>[^#]*?)\s*(#\s*(?P<note>.*))?$"
)


@dataclass(frozen=True)
class Annotation:
    """A field, its value as written, and its comment."""

    field: str
    value: str
    note: str


def read_annotations(path: Path | str) -> list[Annotation]:
    """Every ``key: value  # comment`` line of a YAML file, with the key's dotted path.

    Lines without a value (block openers) set the path of the lines below them; list items
    are shown with their ``id`` when the item starts with it.
    """
    out: list[Annotation] = []
    stack: list[tuple[int, str]] = []
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        match = _LINE.match(raw)
        if not match:
            continue
        indent = len(match["indent"]) + (len(match["dash"]) if match["dash"] else 0)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        key, value, note = match["key"], match["value"].strip(), (match["note"] or "").strip()
        if match["dash"] and key == "id":
            if stack and stack[-1][0] == indent - len(match["dash"]):
                stack.pop()
            stack.append((indent - len(match["dash"]), f"[{value}]"))
        prefix = ".".join(name for _, name in stack).replace(".[", "[")
        dotted = f"{prefix}.{key}" if prefix else key
        if value == "":
            stack.append((indent, key))
        elif note:
            out.append(Annotation(dotted, value, note))
    return out
