"""The systemd units in deploy/ pass `systemd-analyze verify`: no unknown key, no typo in a
hardening option, a command that exists (the units' /opt path is swapped for this venv's)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = ("townhall-web.service", "townhall-worker@.service")
INSTALLED = "/opt/townhall/.venv/bin/townhall"


@pytest.mark.parametrize("unit", UNITS)
def test_the_unit_passes_systemd_analyze_verify(unit: str, tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    assert analyze is not None, "systemd-analyze is missing (Debian: apt install systemd)"
    townhall = Path(sys.executable).with_name("townhall")
    assert townhall.is_file(), f"{townhall} is missing: install the project into its venv"
    text = (DEPLOY / unit).read_text(encoding="utf-8")
    assert INSTALLED in text
    name = unit.replace("@.service", "@1.service")  # verify wants an instance of a template
    (tmp_path / unit).write_text(text.replace(INSTALLED, str(townhall)), encoding="utf-8")
    if name != unit:
        (tmp_path / name).symlink_to(tmp_path / unit)
    result = subprocess.run(
        [analyze, "verify", str(tmp_path / name)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr  # unknown keys are only warnings


def test_both_units_run_the_node_hardened_alike() -> None:
    web, worker = ((DEPLOY / unit).read_text(encoding="utf-8") for unit in UNITS)
    hardening = [
        line for line in web.splitlines() if line.startswith(("Protect", "Restrict", "NoNew"))
    ]
    assert "ProtectSystem=strict" in hardening and "NoNewPrivileges=true" in hardening
    assert all(line in worker.splitlines() for line in hardening)
