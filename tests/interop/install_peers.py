"""Install the independent peers of the interop tier into their own prefix, never into ours.

bovine-herd (PyPI, pinned in peers/requirements.txt) goes into a virtualenv, Fedify (npm,
pinned in peers/package.json and package-lock.json) into a node_modules folder, both under
`$TOWNHALL_INTEROP_CACHE` (default /tmp/townhall-interop), in a folder named after a hash of
the pin files: a changed pin makes a fresh install, an unchanged one is reused.

    python -m tests.interop.install_peers     # what .ci/run does; prints the prefix
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PEERS = Path(__file__).resolve().parent / "peers"
PIN_FILES = ("requirements.txt", "package.json", "package-lock.json")
INSTALL_TIMEOUT = 900.0
STAMP = "installed"


class PeerInstallError(RuntimeError):
    """The peers could not be installed; the message holds the command and its output."""


@dataclass(frozen=True)
class InstalledPeers:
    """Where the peers' programs are."""

    prefix: Path

    @property
    def python(self) -> Path:
        """The peers' virtualenv interpreter (bovine, bovine_tool, hypercorn)."""
        return self.prefix / "venv" / "bin" / "python"

    @property
    def node_dir(self) -> Path:
        """The folder holding node_modules with @fedify/fedify; Node scripts run from here."""
        return self.prefix / "npm"


def cache_root() -> Path:
    """Where installed peers are kept between runs."""
    return Path(os.environ.get("TOWNHALL_INTEROP_CACHE") or "/tmp/townhall-interop")


def pins_digest() -> str:
    """A short hash of the pin files."""
    digest = hashlib.sha256()
    for name in PIN_FILES:
        digest.update(name.encode() + b"\0" + (PEERS / name).read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def ensure_peers() -> InstalledPeers:
    """The installed peers, installing them first if this set of pins is not there yet."""
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    peers = InstalledPeers(root / f"peers-{pins_digest()}")
    with (root / "install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one installer at a time (parallel test workers)
        if not (peers.prefix / STAMP).is_file():
            _install(peers)
    return peers


def _install(peers: InstalledPeers) -> None:
    shutil.rmtree(peers.prefix, ignore_errors=True)
    peers.node_dir.mkdir(parents=True)
    _run([sys.executable, "-m", "venv", str(peers.prefix / "venv")])
    pip = [str(peers.python), "-m", "pip", "--disable-pip-version-check", "install", "--quiet"]
    _run([*pip, "--requirement", str(PEERS / "requirements.txt")])
    for name in ("package.json", "package-lock.json"):
        shutil.copy(PEERS / name, peers.node_dir / name)
    # Fedify declares node >= 22 but runs on the node 20 of Debian here.
    npm = ["npm", "ci", "--no-audit", "--no-fund", "--engine-strict=false", "--loglevel=error"]
    _run(npm, cwd=peers.node_dir)
    (peers.prefix / STAMP).write_text(pins_digest())


def _run(command: list[str], cwd: Path | None = None) -> None:
    try:
        result = subprocess.run(
            command,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT,
            check=False,
            env={**os.environ, "PIP_REQUIRE_VIRTUALENV": "0"},
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise PeerInstallError(f"{' '.join(command)}: {error}") from error
    if result.returncode != 0:
        raise PeerInstallError(
            f"{' '.join(command)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
        )


def main() -> int:
    """Install (or find) the peers and print their prefix."""
    try:
        peers = ensure_peers()
    except PeerInstallError as error:
        print(f"interop peers: {error}", file=sys.stderr)
        return 1
    print(f"interop peers ready in {peers.prefix}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
