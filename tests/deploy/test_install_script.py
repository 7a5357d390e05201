"""deploy/install.sh, staged with --root: the files it writes (units, site, settings), the
system commands it would run, its refusals, and a second run that changes nothing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "install.sh"


def install(stage: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPT), "--root", str(stage), *options],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


NODE = ("--domain", "talk.charity.test", "--name", "Carers Together", "--handle", "carers")


def test_a_sqlite_node_behind_nginx_is_staged_with_its_units_site_and_settings(
    tmp_path: Path,
) -> None:
    done = install(tmp_path, *NODE)
    assert done.returncode == 0, done.stderr
    units = tmp_path / "etc/systemd/system"
    for unit in ("townhall-web.service", "townhall-worker@.service"):
        assert (units / unit).read_text() == (ROOT / "deploy" / unit).read_text()
    site = (tmp_path / "etc/nginx/sites-available/townhall").read_text()
    assert "server_name talk.charity.test;" in site and "example.org" not in site
    assert (tmp_path / "etc/nginx/sites-enabled/townhall").is_symlink()
    settings = (tmp_path / "etc/townhall/townhall.env").read_text().splitlines()
    assert not [line for line in settings if line.startswith("TOWNHALL_DATABASE_URL=")]
    assert (tmp_path / "etc/townhall/townhall.env").stat().st_mode & 0o077 == 0
    said = done.stdout
    assert "would run: apt-get install -y python3-venv nginx certbot python3-certbot-nginx" in said
    assert (
        "townhall init --data-dir /var/lib/townhall --url https://talk.charity.test "
        "--name Carers\\ Together --handle carers" in said
    )
    assert "would run: systemctl enable --now townhall-web.service" in said
    assert "-d talk.charity.test" in said


def test_a_postgresql_node_behind_caddy_gets_its_own_database_password(tmp_path: Path) -> None:
    done = install(tmp_path, *NODE, "--database", "postgres", "--proxy", "caddy")
    assert done.returncode == 0, done.stderr
    settings = (tmp_path / "etc/townhall/townhall.env").read_text()
    assert settings.startswith("TOWNHALL_DATABASE_URL=postgres://townhall:")
    password = settings.split("townhall:")[1].split("@")[0]
    assert len(password) == 48 and password in done.stdout  # the role made with it
    caddy = (tmp_path / "etc/caddy/Caddyfile").read_text()
    assert caddy.startswith("# Caddy") and "talk.charity.test {" in caddy
    assert "reverse_proxy 127.0.0.1:8000" in caddy
    # a second run keeps the settings (and so the database password) as they are
    again = install(tmp_path, *NODE, "--database", "postgres", "--proxy", "caddy")
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "etc/townhall/townhall.env").read_text() == settings
    assert "CREATE ROLE" not in again.stdout


def test_an_initialised_node_is_left_as_it_is(tmp_path: Path) -> None:
    (tmp_path / "var/lib/townhall").mkdir(parents=True)
    (tmp_path / "var/lib/townhall/townhall.toml").write_text("[node]\n")
    done = install(tmp_path, *NODE)
    assert done.returncode == 0, done.stderr
    assert "initialised already: left as it is" in done.stdout
    assert "townhall init" not in done.stdout


@pytest.mark.parametrize(
    ("options", "says"),
    [
        (("--name", "X", "--handle", "x"), "--domain is required"),
        (("--domain", "talk.test", "--name", "X", "--handle", "Bad Handle"), "--handle must be"),
        (("--domain", "talk.test/../x", "--name", "X", "--handle", "x"), "is not a host name"),
        ((*NODE, "--database", "mysql"), "--database is sqlite or postgres"),
        ((*NODE, "--proxy", "apache"), "--proxy is nginx or caddy"),
    ],
)
def test_bad_options_are_refused_before_anything_is_written(
    tmp_path: Path, options: tuple[str, ...], says: str
) -> None:
    done = install(tmp_path, *options)
    assert done.returncode == 1 and says in done.stderr
    assert list(tmp_path.iterdir()) == []
