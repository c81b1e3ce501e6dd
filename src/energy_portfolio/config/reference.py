"""Render the config reference (sites/README.md) from the specs themselves.

The reference cannot drift from the code: a test renders it and compares it with the
committed file; ``python -m energy_portfolio.config.reference > sites/README.md`` rewrites it.
"""

from __future__ import annotations

import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from .load import KINDS
from .yamlsource import MAX_DEPTH, MAX_DIGITS, MAX_FILE_BYTES, MAX_NODES

__all__ = ["render_reference"]

_NODES, _DEPTH, _DIGITS, _MIB = f"{MAX_NODES:,}", MAX_DEPTH, MAX_DIGITS, f"{MAX_FILE_BYTES / 1024**2:g}"

_INTRO = f"""# Config reference

Generated from the specs in `src/energy_portfolio/config/` by
`python -m energy_portfolio.config.reference`; do not edit by hand.

Every config file is YAML with a top-level `kind`: `solar`, `wind`, `battery`, `pumped_hydro` (sites),
`grid` or `portfolio`. Check files with `energy-portfolio validate FILE...`.

Conventions (see `../docs/architecture.md`): units are in the field names (`_mw`, `_mwh`, `_m_s`,
`_deg`, `_c`, `_usd_per_...`); fractions are 0..1, never percentages; relative file paths are
read from the folder of the file that names them; azimuths are degrees clockwise from north.
Unknown keys are errors. Where a block has several forms, its `type`, `model`, `source` or
`method` field chooses the form, and each form is listed below.

How files are read: as YAML 1.2 (core schema), so no value changes meaning with the YAML version.
`true` and `false` are booleans, `yes`, `no`, `on` and `off` are text; numbers are decimal (`1e-6`
is a number; `1:30`, `017`, `0o17`, `0x1F` and `1_000` are text, which a number field refuses with
a hint). A number field takes a number only (not `true`, not quoted text); a true/false field takes
`true` or `false` only. Refused, with the file and line: YAML tags (`!!python/...`, `!foo`), a merge
key `<<` whose value is not a mapping, recursive aliases, documents that expand through aliases to
more than {_NODES} nodes or nest more than {_DEPTH} levels, numbers with more than {_DIGITS} digits or above
1e15 in magnitude, files larger than {_MIB} MiB, and anything that is not a regular file (a FIFO, a
directory, a device, a symbolic-link loop). Plausible but probably unintended values (a fixed array
facing the pole) are reported as warnings by `validate` and in a run's warnings.

"""


def render_reference() -> str:
    """Markdown tables of every spec reachable from the five file kinds."""
    out = [_INTRO]
    seen: set[type] = set()
    for kind, model in KINDS.items():
        out.append(f"## kind: {kind}\n")
        _render(model, out, seen, top=True)
    return "\n".join(out).rstrip() + "\n"


def _render(model: type[BaseModel], out: list[str], seen: set[type], top: bool = False) -> None:
    if model in seen:
        return
    seen.add(model)
    doc = (model.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
    if not top:
        out.append(f"### {model.__name__}\n")
    out.append(f"{doc}\n")
    out.append("| field | type | required | description |")
    out.append("|---|---|---|---|")
    nested: list[type[BaseModel]] = []
    for name, field in model.model_fields.items():
        required = "yes" if field.is_required() else f"no (default `{_default(field)}`)"
        kind = "fraction (0..1)" if _is_fraction(field.metadata) else _type_name(field.annotation, nested)
        out.append(f"| `{name}` | {kind} | {required} | {field.description or ''} |")
    out.append("")
    for sub in nested:
        _render(sub, out, seen)


def _default(field: Any) -> str:
    if field.default is PydanticUndefined:
        factory = field.default_factory
        if isinstance(factory, type) and issubclass(factory, BaseModel):
            return "each field's default"
        return "[]" if factory is not None else ""
    return "null" if field.default is None else str(field.default)


def _is_fraction(metadata: Any) -> bool:
    return any(getattr(getattr(m, "func", None), "__name__", "") == "_fraction" for m in metadata)


def _type_name(tp: Any, nested: list[type[BaseModel]]) -> str:
    while get_origin(tp) is Annotated:
        if _is_fraction(tp.__metadata__):
            return "fraction (0..1)"
        tp = get_args(tp)[0]
    origin = get_origin(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        nested.append(tp)
        return f"[{tp.__name__}](#{tp.__name__.lower()})"
    if origin is Literal:
        return " \\| ".join(f"`{v}`" for v in get_args(tp))
    if origin in (Union, types.UnionType):
        return " or ".join(_type_name(a, nested) for a in get_args(tp) if a is not type(None))
    if origin in (tuple, list):
        return f"list of {_type_name(get_args(tp)[0], nested)}"
    if origin is dict:
        return f"mapping of name to {_type_name(get_args(tp)[1], nested)}"
    return getattr(tp, "__name__", str(tp)).replace("PosixPath", "path").replace("Path", "path")


if __name__ == "__main__":
    print(render_reference(), end="")
