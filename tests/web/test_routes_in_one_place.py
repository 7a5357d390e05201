"""Every URL the node serves is registered in web/routes.py, and nowhere else."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REGISTERS_A_ROUTE = re.compile(r"\brouter\.add_\w+\(|\bdef add_routes\(|\.add_routes\(")


def test_no_module_but_web_routes_registers_a_route() -> None:
    elsewhere = [
        f"{path.relative_to(ROOT)}:{number}"
        for package in ("node", "federation", "web")
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != ROOT / "web" / "routes.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if REGISTERS_A_ROUTE.search(line)
    ]
    assert elsewhere == []
