"""The layers depend one way: web → node → federation → schemas (CONTRIBUTING.md)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

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
