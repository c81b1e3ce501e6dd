"""Turn pydantic validation errors into problems a user can act on.

Each problem names the file, the line (from the YAML marks), the dotted field path, the
value found and what was expected. Unknown keys get a "did you mean" suggestion.
"""

from __future__ import annotations

import difflib
import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from ..errors import Problem
from .yamlsource import YamlSource, dotted_path

__all__ = ["problems_from_validation", "suggest", "problem_at"]


def suggest(word: str, options: list[str] | tuple[str, ...]) -> str:
    """A "; did you mean 'x'?" suffix, or an empty string when nothing is close."""
    close = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def problem_at(source: YamlSource, path: tuple[Any, ...], message: str, *, key: bool = False) -> Problem:
    """A problem at a path of a YAML source, with the line and the value found."""
    line = source.line_of(path, key=key)
    field = _field_label(source.data, path)
    return Problem(source.file, message, line, field)


def problems_from_validation(error: ValidationError, source: YamlSource, model: type[BaseModel]) -> list[Problem]:
    """Problems for every error of a pydantic validation of ``source.data`` against ``model``."""
    errors = error.errors(include_url=False)
    described = [(_describe(err, source.data, model), err["type"]) for err in errors]
    by_path: dict[tuple[Any, ...], list[tuple[str, bool]]] = {}
    for (path, message, on_key), kind in described:
        if kind in _CONSEQUENTIAL and any(
            other[0][: len(path)] == path and len(other[0]) > len(path) for other, _ in described
        ):
            continue  # a length error caused by an item that failed: the item's error says it
        by_path.setdefault(path, []).append((message, on_key))
    problems = []
    for path, messages in by_path.items():
        unique = list(dict.fromkeys(m for m, _ in messages))
        text = unique[0] if len(unique) == 1 else "expected one of: " + "; or ".join(unique)
        problems.append(problem_at(source, path, text, key=messages[0][1]))
    problems.sort(key=lambda p: (p.line or 0, p.field or ""))
    return problems


def _describe(err: dict[str, Any], data: Any, model: type[BaseModel]) -> tuple[tuple[Any, ...], str, bool]:
    loc = tuple(err["loc"])
    kind = err["type"]
    ctx = err.get("ctx") or {}
    path = _data_path(data, loc, names_field=kind in ("missing", "extra_forbidden", "union_tag_not_found"))
    if kind == "missing":
        owner = _model_at(model, loc[:-1])
        field = loc[-1]
        desc = ""
        if owner is not None and field in owner.model_fields:
            described = owner.model_fields[field].description
            desc = f" ({described})" if described else ""
        return path, f"required field '{field}' is missing{desc}", True
    if kind == "extra_forbidden":
        owner = _model_at(model, loc[:-1])
        allowed = sorted(owner.model_fields) if owner is not None else []
        hint = suggest(loc[-1], allowed)
        if not hint and allowed:
            hint = "; allowed here: " + ", ".join(allowed)
        return path, f"unknown field '{loc[-1]}'{hint}", True
    if kind == "cross_field":
        extra = tuple(int(p) if p.isdigit() else p for p in str(ctx["field"]).split("."))
        return path + extra, err["msg"], False
    if kind == "union_tag_invalid":
        disc = str(ctx.get("discriminator", "")).strip("'")
        tags = [t.strip(" '") for t in str(ctx.get("expected_tags", "")).split(",")]
        tag = ctx.get("tag")
        return (
            path + (disc,),
            f"{disc} = {tag!r} is not known; expected one of {', '.join(tags)}{suggest(tag, tags)}",
            False,
        )
    if kind == "union_tag_not_found":
        disc = str(ctx.get("discriminator", "")).strip("'")
        owner_tags = _tags_at(model, loc)
        choices = f": one of {', '.join(owner_tags)}" if owner_tags else ""
        return path, f"required field '{disc}' is missing{choices}", True
    found = _value_at(data, path)
    message = _expected(err)
    if kind == "literal_error":
        options = [o.strip(" '") for o in str(ctx.get("expected", "")).replace(" or ", ",").split(",")]
        message += suggest(str(found), options)
    return path, f"= {_show(found)}: {message}" if kind not in _VALUE_IN_MESSAGE else message, False


_VALUE_IN_MESSAGE = {"fraction_as_percentage"}
_CONSEQUENTIAL = {"too_short", "too_long"}


def _expected(err: dict[str, Any]) -> str:
    msg = str(err["msg"])
    kind = err["type"]
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return "expected a value " + msg.removeprefix("Input should be ")
    if msg.startswith("Input should be "):
        return "expected " + msg.removeprefix("Input should be ")
    if msg.startswith("Value error, "):
        return msg.removeprefix("Value error, ")
    return msg[:1].lower() + msg[1:]


def _show(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]  # as written in YAML
    if isinstance(value, (dict, list)):
        text = repr(value)
        return text if len(text) < 60 else text[:57] + "..."
    return repr(value) if isinstance(value, str) else str(value)


def _data_path(data: Any, loc: tuple[Any, ...], names_field: bool) -> tuple[Any, ...]:
    """Map a pydantic location onto the data, dropping union tags and validator markers.

    ``names_field`` says the last element is a field absent from the data (a missing or an
    unknown key) rather than a union tag.
    """
    out: list[Any] = []
    cur = data
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(cur, dict) and part in cur:
            out.append(part)
            cur = cur[part]
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            out.append(part)
            cur = cur[part]
        elif last and names_field and isinstance(part, (str, int)) and not _is_marker(part):
            out.append(part)
            cur = None
    return tuple(out)


def _is_marker(part: Any) -> bool:
    return isinstance(part, str) and ("[" in part or part in ("float", "int", "str", "bool"))


def _value_at(data: Any, path: tuple[Any, ...]) -> Any:
    cur = data
    for part in path:
        try:
            cur = cur[part]
        except (KeyError, IndexError, TypeError):
            return None
    return cur


def _field_label(data: Any, path: tuple[Any, ...]) -> str:
    """Dotted path, with the id of list items when they have one: ``thermal_units[2](janub).zone``."""
    label = dotted_path(path)
    cur = data
    parts = []
    for part in path:
        try:
            cur = cur[part]
        except (KeyError, IndexError, TypeError):
            cur = None
        if isinstance(part, int):
            item_id = cur.get("id") if isinstance(cur, dict) else None
            parts.append(f"[{part}]" + (f"({item_id})" if item_id else ""))
        else:
            parts.append(f".{part}" if parts else str(part))
    return "".join(parts) or label


def _unwrap(tp: Any) -> Any:
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    return tp


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _literal_values(model: type[BaseModel]) -> set[Any]:
    values: set[Any] = set()
    for f in model.model_fields.values():
        ann = _unwrap(f.annotation)
        if get_origin(ann) is Literal:
            values.update(get_args(ann))
    return values


def _model_at(tp: Any, loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class found by following a pydantic location through annotations."""
    tp = _unwrap(tp)
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        members = [_unwrap(a) for a in get_args(tp) if a is not type(None)]
        if loc:
            for member in members:
                if _is_model(member) and loc[0] in _literal_values(member) and loc[0] not in member.model_fields:
                    return _model_at(member, loc[1:])
        for member in members:
            found = _model_at(member, loc)
            if found is not None:
                return found
        return None
    if not loc:
        return tp if _is_model(tp) else None
    head, rest = loc[0], loc[1:]
    if _is_model(tp):
        field = tp.model_fields.get(head)
        return _model_at(field.annotation, rest) if field is not None else None
    if origin in (list, tuple) and isinstance(head, int):
        return _model_at(get_args(tp)[0], rest)
    if origin is dict:
        return _model_at(get_args(tp)[1], rest)
    return None


def _tags_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    owner = _model_at(model, loc[:-1])
    if owner is None or loc[-1] not in owner.model_fields:
        return []
    ann = _unwrap(owner.model_fields[loc[-1]].annotation)
    tags: list[str] = []
    for member in get_args(ann):
        member = _unwrap(member)
        if _is_model(member):
            tags.extend(str(v) for v in sorted(_literal_values(member), key=str))
    return tags
