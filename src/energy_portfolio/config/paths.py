"""Reading config fields by dotted path (``sites.<id>.<field>``, ``grid.<field>``, ``<field>``).

:func:`field_value` is what a sweep compares its changes against; writing by path is in
``changes``. List items are found by id (``grid.thermal_units.janub_ccgt.capacity_mw``) or by
index.
"""

from __future__ import annotations

from typing import Any

from ..errors import ConfigError
from .loaded import Portfolio

__all__ = ["field_value"]


def _item(node: list, part: str, path: str) -> Any:
    match = [item for item in node if isinstance(item, dict) and item.get("id") == part]
    if len(match) == 1:
        return match[0]
    if part.isdigit() and int(part) < len(node):
        return node[int(part)]
    ids = [str(item.get("id")) for item in node if isinstance(item, dict)]
    raise ConfigError(f"{path}: no item with id '{part}'; the ids are {', '.join(ids)}")


def _get(data: Any, parts: list[str], path: str) -> Any:
    node = data
    for part in parts:
        if isinstance(node, list):
            node = _item(node, part, path)
        elif isinstance(node, dict):
            if part not in node:
                raise ConfigError(f"{path}: no field '{part}'; the fields here are {', '.join(sorted(node))}")
            node = node[part]
        else:
            raise ConfigError(f"{path}: '{part}' is inside a value that has no fields")
    if isinstance(node, dict) or (isinstance(node, list) and any(isinstance(item, (dict, list)) for item in node)):
        raise ConfigError(f"{path}: names a block of fields; expected the path of a single value")
    return node


def field_value(portfolio: Portfolio, path: str) -> Any:
    """The value of the field at dotted ``path`` (as :func:`~.changes.with_changes` takes it), JSON-ready.

    Raises
    ------
    ConfigError
        The path names no field, or a block of fields rather than one value.
    """
    head, _, rest = path.partition(".")
    if head == "sites" and rest:
        site_id, _, rest = rest.partition(".")
        ids = [s.id for s in portfolio.sites]
        if site_id not in ids:
            raise ConfigError(f"{path}: no site '{site_id}' in portfolio {portfolio.name}; the sites are "
                              + ", ".join(ids))
        return _get(portfolio.site(site_id).model_dump(mode="json"), rest.split(".") if rest else [], path)
    if head == "grid" and rest:
        return _get(portfolio.grid.model_dump(mode="json"), rest.split("."), path)
    return _get(portfolio.spec.model_dump(mode="json"), path.split("."), path)
