"""townhall.toml: validated at start with clear errors; environment overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from node.config import (
    ConfigError,
    check_handle,
    load_config,
    mask_password,
    normalise_url,
    resolve_data_dir,
)
from tests.support.processes import assert_refused, cli_env, free_port, townhall

SECRET = "k" * 48
GOOD = f"""
[node]
url = "https://talk.example.org"
secret_key = "{SECRET}"

[federation]
allow_private_addresses = false
"""


def write(data_dir: Path, text: str) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "townhall.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_config_loads_with_defaults(data_dir: Path) -> None:
    write(data_dir, GOOD)
    config = load_config(data_dir, environ={})
    assert config.url == "https://talk.example.org"
    assert config.host == "talk.example.org"
    assert config.secret_key == SECRET
    assert config.database_url == f"sqlite://{data_dir / 'townhall.sqlite3'}"
    assert config.federation.allow_private_addresses is False
    assert config.federation.delivery_workers == 16


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[node\nurl = 1", "is not valid TOML"),
        ('[node]\nurl = "a"\nurl = "b"', "is not valid TOML"),
        (f'[node]\nsecret_key = "{SECRET}"', "missing required setting [node] url"),
        ('[node]\nurl = "https://x.org"', "missing required setting [node] secret_key"),
        ("", "missing required setting [node] url"),
        (f'[node]\nurl = 8000\nsecret_key = "{SECRET}"', "[node] url must be a string"),
        ('[node]\nurl = "https://x.org"\nsecret_key = 12345', "[node] secret_key must be a string"),
        ('[node]\nurl = "https://x.org"\nsecret_key = "short"', "at least 32 characters"),
        ('node = "x"', "[node] must be a table"),
        (f'[node]\nurl = "ftp://x.org"\nsecret_key = "{SECRET}"', "[node] url: bad URL"),
        (
            f'{GOOD}\n[database]\nurl = "mysql://u@h/db"',
            "unsupported database URL 'mysql://u@h/db'",
        ),
        (f"{GOOD}\n[database]\nurl = 5", "[database] url must be a string"),
        (
            GOOD.replace("allow_private_addresses = false", 'allow_private_addresses = "yes"'),
            "[federation] allow_private_addresses must be true or false",
        ),
        (f"{GOOD}delivery_workers = true", "[federation] delivery_workers must be an integer"),
        (f"{GOOD}delivery_workers = 0", "delivery_workers must be between 1 and 64"),
        (f"{GOOD}delivery_workers = 65", "delivery_workers must be between 1 and 64"),
    ],
)
def test_a_bad_config_is_refused_with_a_message_naming_the_setting(
    data_dir: Path, text: str, message: str
) -> None:
    path = write(data_dir, text)
    with pytest.raises(ConfigError) as refused:
        load_config(data_dir, environ={})
    assert message in str(refused.value)
    assert str(path) in str(refused.value)


def test_a_wrongly_typed_secret_key_is_not_echoed(data_dir: Path) -> None:
    write(data_dir, '[node]\nurl = "https://x.org"\nsecret_key = 918273645')
    with pytest.raises(ConfigError) as refused:
        load_config(data_dir, environ={})
    assert "918273645" not in str(refused.value)


def test_a_missing_data_dir_or_config_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist: run 'townhall init' first"):
        load_config(tmp_path / "absent", environ={})
    with pytest.raises(ConfigError, match=r"townhall\.toml is missing: run 'townhall init' first"):
        load_config(tmp_path, environ={})


def test_database_url_comes_from_the_environment_before_the_config(data_dir: Path) -> None:
    write(data_dir, f'{GOOD}\n[database]\nurl = "postgres://u@db.internal/a"')
    assert load_config(data_dir, environ={}).database_url == "postgres://u@db.internal/a"
    environ = {"TOWNHALL_DATABASE_URL": "postgres://v@127.0.0.1:5432/b"}
    assert load_config(data_dir, environ=environ).database_url == environ["TOWNHALL_DATABASE_URL"]
    with pytest.raises(ConfigError, match="unsupported database URL"):
        load_config(data_dir, environ={"TOWNHALL_DATABASE_URL": "mysql://x@y/z"})


@pytest.mark.parametrize(
    ("in_file", "in_env", "allowed"),
    [
        (False, None, False),
        (False, "1", True),
        (False, "true", True),
        (False, "", False),
        (True, None, True),
        (True, "0", False),
        (True, "false", False),
    ],
)
def test_allow_private_addresses_comes_from_the_environment_before_the_config(
    data_dir: Path, in_file: bool, in_env: str | None, allowed: bool
) -> None:
    write(data_dir, GOOD.replace("= false", "= true") if in_file else GOOD)
    environ = {} if in_env is None else {"TOWNHALL_ALLOW_PRIVATE_ADDRESSES": in_env}
    assert load_config(data_dir, environ=environ).federation.allow_private_addresses is allowed


def test_an_unclear_allow_private_addresses_override_is_refused(data_dir: Path) -> None:
    write(data_dir, GOOD)
    with pytest.raises(ConfigError, match="TOWNHALL_ALLOW_PRIVATE_ADDRESSES='maybe'"):
        load_config(data_dir, environ={"TOWNHALL_ALLOW_PRIVATE_ADDRESSES": "maybe"})


def test_data_dir_is_the_option_then_the_environment_then_townhall_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TOWNHALL_DATA_DIR", str(tmp_path / "env"))
    assert resolve_data_dir(str(tmp_path / "option")) == tmp_path / "option"
    assert resolve_data_dir(None) == tmp_path / "env"
    monkeypatch.delenv("TOWNHALL_DATA_DIR")
    assert resolve_data_dir(None) == tmp_path / "townhall-data"


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("https://Talk.Example.org/", "https://talk.example.org"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("http://[::1]:8000", "http://[::1]:8000"),
        (" https://xn--bcher-kva.example ", "https://xn--bcher-kva.example"),
    ],
)
def test_a_good_url_is_normalised(url: str, normal: str) -> None:
    assert normalise_url(url) == normal


@pytest.mark.parametrize(
    "url",
    [
        "ftp://talk.example.org",
        "talk.example.org",
        "https://",
        "https://talk.example.org/some/path",
        "https://talk.example.org?x=1",
        "https://talk.example.org#top",
        "https://exa mple.org",
        "https://-talk.example.org",
        "http://[::1",
        "https://talk.example.org:99999",
        "https://user:pw@talk.example.org",
    ],
)
def test_a_bad_url_is_refused(url: str) -> None:
    with pytest.raises(ConfigError, match=r"^bad URL"):
        normalise_url(url)


@pytest.mark.parametrize("handle", ["a", "org_2", "z" * 30])
def test_a_good_handle_is_accepted(handle: str) -> None:
    assert check_handle(handle) == handle


@pytest.mark.parametrize("handle", ["", "Org", "z" * 31, "the-org", "a.b", "ørg", "a b", "a\n"])
def test_a_bad_handle_is_refused(handle: str) -> None:
    with pytest.raises(ConfigError, match="invalid handle"):
        check_handle(handle)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgres://user:s3cret@127.0.0.1:1/x", "postgres://user:***@127.0.0.1:1/x"),
        ("postgres://:s3cret@db/x", "postgres://:***@db/x"),
        ("postgres://u@db/x?password=s3cret&sslmode=require", "postgres://u@db/x?password=***"),
        ("postgres://u@db/x", "postgres://u@db/x"),
        ("sqlite:///var/lib/townhall/townhall.sqlite3", "sqlite:///var/lib/townhall/"),
    ],
)
def test_database_passwords_are_masked(url: str, shown: str) -> None:
    masked = mask_password(url)
    assert masked.startswith(shown)
    assert "s3cret" not in masked


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[node\n", "is not valid TOML"),
        ('[node]\nurl = "https://x.org"', "missing required setting [node] secret_key"),
        (f'[node]\nurl = ["https://x.org"]\nsecret_key = "{SECRET}"', "url must be a string"),
    ],
    ids=["toml", "missing", "type"],
)
def test_run_refuses_a_bad_config_in_one_line_without_serving(
    data_dir: Path, text: str, message: str
) -> None:
    path = write(data_dir, text)
    result = townhall(
        "run", "--data-dir", str(data_dir), "--port", str(free_port()), env=cli_env({}), timeout=30
    )
    assert_refused(result, str(path), message)
    assert result.stdout == ""
