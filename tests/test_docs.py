"""The README documents every command, setting and environment variable the code reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from node.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CODE = "\n".join(
    path.read_text(encoding="utf-8")
    for package in ("node", "federation", "web")
    for path in (ROOT / package).rglob("*.py")
)


def subcommands() -> list[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    names: list[str] = []
    for name, sub in action.choices.items():  # type: ignore[union-attr]
        nested = [a for a in sub._actions if getattr(a, "choices", None)]
        if nested and isinstance(nested[0].choices, dict):
            names += [f"{name} {child}" for child in nested[0].choices]
        else:
            names.append(name)
    return names


@pytest.mark.parametrize("command", subcommands())
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"townhall {command}" in README


@pytest.mark.parametrize("variable", sorted(set(re.findall(r"\"(TOWNHALL_[A-Z_]+)\"", CODE))))
def test_every_environment_variable_is_in_the_readme(variable: str) -> None:
    assert variable in README


@pytest.mark.parametrize(
    "setting",
    sorted(set(re.findall(r'_typed\(\s*\w+,\s*"(\w+)"', (ROOT / "node/config.py").read_text()))),
)
def test_every_setting_is_in_the_readme(setting: str) -> None:
    assert re.search(rf"^{setting} = ", README, re.MULTILINE), setting
