"""The layers depend one way: web → node → federation → schemas (CONTRIBUTING.md)."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tortoise.models import Model

ROOT = Path(__file__).resolve().parent.parent

# node/ may import web/ only where the node is put together: node/app.py is the composition
# root (it mounts the web routes and middlewares), and node/server.py serves the first-run
# setup page (web.handlers.setup) and logs paths as web's middleware does.
NODE_MODULES_IMPORTING_WEB = {"node/app.py", "node/server.py"}


def _imported_modules(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
            # `from node import models` names the package through the alias
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _imports_of(package: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        found[path.relative_to(ROOT).as_posix()] = list(_imported_modules(path))
    return found


def _under(module: str, *packages: str) -> bool:
    return any(module == package or module.startswith(package + ".") for package in packages)


def test_web_reads_through_the_node_and_never_imports_node_models() -> None:
    offenders = {
        path: sorted({m for m in modules if _under(m, "node.models")})
        for path, modules in _imports_of("web").items()
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_federation_imports_neither_the_node_nor_the_web() -> None:
    offenders = {
        path: sorted({m for m in modules if _under(m, "node", "web")})
        for path, modules in _imports_of("federation").items()
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_only_the_composition_root_and_server_in_the_node_import_the_web() -> None:
    offenders = {
        path: sorted({m for m in modules if _under(m, "web")})
        for path, modules in _imports_of("node").items()
        if path not in NODE_MODULES_IMPORTING_WEB
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def _names_web_takes_from_node_services() -> dict[str, set[str]]:
    """{module: names} for every `from node.services[.x] import names` in web/, and for
    `from node.services import x`, the names web reads as `x.name`."""
    taken: dict[str, set[str]] = {}
    for path in sorted((ROOT / "web").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        modules: dict[str, str] = {}  # local name → a node.services module imported whole
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ImportFrom)
                and node.level == 0
                and _under(node.module or "", "node.services")
            ):
                for alias in node.names:
                    if node.module == "node.services":
                        modules[alias.asname or alias.name] = f"node.services.{alias.name}"
                        taken.setdefault(modules[alias.asname or alias.name], set())
                    else:
                        taken.setdefault(str(node.module), set()).add(alias.name)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in modules
            ):
                taken[modules[node.value.id]].add(node.attr)
    return taken


def _models_named_in(hint: Any, seen: set[int]) -> Iterator[str]:
    """The tortoise models a type hint names, through unions, containers and the fields of
    the dataclasses it names (a page's read model holding a row one level down counts)."""
    if id(hint) in seen:
        return
    seen.add(id(hint))
    if isinstance(hint, type) and issubclass(hint, Model):
        yield hint.__name__
    elif isinstance(hint, type) and dataclasses.is_dataclass(hint):
        for name, field_hint in typing.get_type_hints(hint).items():
            yield from (
                f"{hint.__name__}.{name}: {model}" for model in _models_named_in(field_hint, seen)
            )
    for argument in typing.get_args(hint):
        yield from _models_named_in(argument, seen)


def test_what_web_takes_from_the_node_services_is_no_database_model() -> None:
    """Web names no model through a service module (as `members` once re-exported Account and
    Actor for the signed-in member), and no service module web reads lists one in __all__."""
    offenders: dict[str, list[str]] = {}
    for module_name, names in _names_web_takes_from_node_services().items():
        module = importlib.import_module(module_name)
        exported = {*names, *getattr(module, "__all__", ())}
        models = sorted(
            name
            for name in exported
            if isinstance(getattr(module, name, None), type)
            and issubclass(getattr(module, name), Model)
        )
        if models:
            offenders[module_name] = models
    assert offenders == {}


def test_the_read_models_web_gets_hold_no_database_rows() -> None:
    """Every dataclass a service module web reads defines (the pages' read models) holds plain
    values: no field, however deep in other dataclasses, lists or unions, is a model row."""
    offenders: dict[str, list[str]] = {}
    for module_name in _names_web_takes_from_node_services():
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            if (
                isinstance(value, type)
                and dataclasses.is_dataclass(value)
                and value.__module__ == module_name
            ):
                rows = sorted(set(_models_named_in(value, set())))
                if rows:
                    offenders[f"{module_name}.{name}"] = rows
    assert offenders == {}


def test_the_node_functions_web_calls_return_no_rows() -> None:
    """What a node function web calls returns (however deep in dataclasses, lists or unions)
    is plain values, not a model row: web reads the node's read models, never its tables."""
    returning_rows: dict[str, list[str]] = {}
    for module_name, names in _names_web_takes_from_node_services().items():
        module = importlib.import_module(module_name)
        for name in names:
            function = getattr(module, name, None)
            if not inspect.isfunction(function):
                continue
            returned = typing.get_type_hints(function).get("return")
            rows = sorted(set(_models_named_in(returned, set())))
            if rows:
                returning_rows[f"{module_name}.{name}"] = rows
    assert returning_rows == {}
