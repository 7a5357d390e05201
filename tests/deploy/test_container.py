"""What can be checked here of the container (no image is built: this machine has no Docker
daemon): the Dockerfile's build stage, copying what its COPY lines name and installing it, gives
a node that serves its pages from the installed package alone; and `docker-compose config`
accepts deploy/compose.yaml with the example environment filled in, and refuses it without."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tests.support.processes import Answer, free_port, http

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def copied_as_the_dockerfile_copies(target: Path) -> list[str]:
    """Copy what the build stage's COPY lines name into `target`; those names."""
    build_stage = (ROOT / "Dockerfile").read_text(encoding="utf-8").split("\nFROM ")[1]
    names: list[str] = []
    for line in build_stage.splitlines():
        if line.startswith("COPY ") and "--from" not in line:
            names.extend(line.split()[1:-1])
    for name in names:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / name)
    return names


def test_the_image_install_steps_give_a_node_that_serves_from_the_installed_package(
    tmp_path: Path,
) -> None:
    # Given the sources the Dockerfile copies, and nothing else
    source = tmp_path / "src"
    source.mkdir()
    assert "pyproject.toml" in copied_as_the_dockerfile_copies(source)
    # When they are built and installed (dependencies from this venv, the package apart)
    wheels, installed = tmp_path / "wheels", tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    built = subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(source)],
                           capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("townhall-*.whl")
    done = subprocess.run([*pip, "install", "--no-deps", "--target", str(installed), str(wheel)],
                          capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    # Then a node made and served from the installed package answers its pages and migrates
    env = {"PYTHONPATH": str(installed), "PATH": "/usr/bin:/bin"}
    run = [sys.executable, "-m", "node.cli"]
    port = free_port()
    init = subprocess.run(
        [*run, "init", "--data-dir", str(tmp_path / "data"), "--url", f"http://127.0.0.1:{port}",
         "--name", "Org", "--handle", "org"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert init.returncode == 0, init.stderr
    node = subprocess.Popen(
        [*run, "run", "--data-dir", str(tmp_path / "data"), "--port", str(port)],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        home = served(f"http://127.0.0.1:{port}/", node)
        assert home.status == 200 and "Org" in home.body
        css = http(f"http://127.0.0.1:{port}/static/townhall.css")
        assert css.status == 200
        assert str(installed) in subprocess.run(
            [sys.executable, "-c", "import web; print(web.__file__)"],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False,
        ).stdout  # fmt: skip
    finally:
        node.terminate()
        node.wait(timeout=15)


def served(url: str, node: subprocess.Popen[str], seconds: float = 30) -> Answer:
    """The first answer of a node that is starting (it fails if the node exits first)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return http(url)
        except OSError:
            assert node.poll() is None, node.stderr.read() if node.stderr else "it exited"
            assert time.monotonic() < deadline, f"nothing answered at {url} in {seconds} s"
            time.sleep(0.1)


def compose(env_file: Path) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("docker-compose")
    assert tool is not None, "docker-compose is missing (Debian: apt install docker-compose)"
    return subprocess.run(
        [tool, "--env-file", str(env_file), "-f", str(DEPLOY / "compose.yaml"), "config"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_compose_accepts_the_file_once_the_example_environment_is_filled_in(
    tmp_path: Path,
) -> None:
    example = (DEPLOY / "townhall.env.example").read_text(encoding="utf-8")
    filled = re.sub(
        r"^POSTGRES_PASSWORD=$", "POSTGRES_PASSWORD=s3cret-for-the-test", example, flags=re.M
    )
    (tmp_path / "filled.env").write_text(filled, encoding="utf-8")
    accepted = compose(tmp_path / "filled.env")
    assert accepted.returncode == 0, accepted.stderr
    for service in ("townhall:", "worker:", "postgres:", "caddy:"):
        assert f"  {service}" in accepted.stdout
    assert "postgres://townhall:s3cret-for-the-test@postgres:5432/townhall" in accepted.stdout

    (tmp_path / "empty.env").write_text(example, encoding="utf-8")
    refused = compose(tmp_path / "empty.env")
    assert refused.returncode != 0 and "set POSTGRES_PASSWORD in .env" in refused.stderr
