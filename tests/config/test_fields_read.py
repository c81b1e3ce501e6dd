"""No config field is accepted and then ignored: every spec field is read outside config/.

An AST walk over the package's sources outside ``config/`` collects the attribute names read
(``spec.capacity_mw``) and the string constants (``getattr(spec, "capacity_mw")``,
``data["capacity_mw"]`` after ``model_dump``). A field counts as read when its name is among
them, or when a property or method of its model (or of a model it inherits from) reads it
(``self.heat_rate_gj_per_mwh``) and that property or method is read outside ``config/``, directly
or through another such member (``GridSpec.in_year`` calls each component's ``in_service``).
The match is by name, so a field whose name is common (``id``, ``name``) passes when any object's
attribute of that name is read: the test catches fields nobody reads at all, which is the defect it guards against.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import textwrap
from pathlib import Path

import energy_portfolio.config as config_package
from energy_portfolio.config.types import Spec

PACKAGE = Path(config_package.__file__).resolve().parents[1]

ALLOWED_UNREAD = {
    # Only one value is accepted, so nothing is ignored: a file with another fuel is refused.
    ("ThermalUnit", "fuel"): "Literal['gas']: states in the file that the dispatch models gas-fired units",
    # The string is sized in config/catalogs.py (string_fit), so that validate refuses a module that fits no
    # string on its inverter as the run does; production/solar_plant.py sizes the plant with that function.
    ("SolarSite", "string_design"): "read by config.catalogs.string_fit, which production/solar_plant.py calls",
    ("StringDesign", "min_cell_temp_c"): "read by config.catalogs.string_fit (Voc at the coldest cell)",
    ("StringDesign", "max_cell_temp_c"): "read by config.catalogs.string_fit (Vmp at the hottest cell)",
}


def _models() -> dict[str, type[Spec]]:
    models: dict[str, type[Spec]] = {}
    for info in pkgutil.iter_modules(config_package.__path__):
        module = importlib.import_module(f"{config_package.__name__}.{info.name}")
        for obj in vars(module).values():
            if inspect.isclass(obj) and issubclass(obj, Spec) and obj is not Spec and obj.__module__ == module.__name__:
                models[obj.__name__] = obj
    return models


def _names_read_outside_config() -> set[str]:
    names: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if path.relative_to(PACKAGE).parts[0] == "config":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names.add(node.value)
    return names


def _attribute_reads(function) -> set[str]:
    """Attribute names the function reads: its own fields (``self.x``) and members of other specs."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    return {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}


def _read_through_members(model: type[Spec], read: set[str]) -> set[str]:
    """Names read by the model's properties and methods (its own or inherited) that are in ``read``."""
    out: set[str] = set()
    owners = {klass.__name__ for klass in model.__mro__}
    for name, member in inspect.getmembers(model):
        if name.startswith("_") or name not in read:
            continue
        function = member.fget if isinstance(member, property) else member
        if inspect.isfunction(function) and function.__qualname__.split(".")[0] in owners:
            out |= _attribute_reads(function)
    return out


def _unread() -> list[tuple[str, str]]:
    models = _models()
    read = _names_read_outside_config()
    while True:  # members read by members read outside config/, to the fixed point
        grown = read.union(*(_read_through_members(model, read) for model in models.values()))
        if grown == read:
            break
        read = grown
    return [(name, field) for name, model in sorted(models.items()) for field in model.model_fields
            if field not in read]


def test_every_config_field_is_read_outside_config():
    unread = [key for key in _unread() if key not in ALLOWED_UNREAD]
    assert not unread, (
        "config fields accepted but read nowhere outside config/ (wire them, remove them, or add them to "
        f"ALLOWED_UNREAD with the reason): {unread}"
    )


def test_allowlist_is_short_and_current():
    unread = set(_unread())
    stale = [key for key in ALLOWED_UNREAD if key not in unread]
    assert not stale, f"ALLOWED_UNREAD names fields that are read now; remove them: {stale}"
    models = _models()
    unknown = [key for key in ALLOWED_UNREAD if key[0] not in models or key[1] not in models[key[0]].model_fields]
    assert not unknown, f"ALLOWED_UNREAD names no field: {unknown}"
    assert len(ALLOWED_UNREAD) <= 5
    assert all(reason.strip() for reason in ALLOWED_UNREAD.values())


def test_the_walk_sees_reads():
    read = _names_read_outside_config()
    assert {"capacity_mw", "commissioning_year", "hydro_scenario"} <= read
