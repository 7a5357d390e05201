"""Typed node settings read from `townhall.toml` in the data dir, with environment overrides."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import tomli_w

CONFIG_FILE = "townhall.toml"
SQLITE_FILE = "townhall.sqlite3"
DEFAULT_DATA_DIR = "townhall-data"
HANDLE_PATTERN = re.compile(r"[a-z0-9_]{1,30}")
HOST_PATTERN = re.compile(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?|[0-9a-f:.]*:[0-9a-f:.]*")
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


class ConfigError(Exception):
    """The settings cannot be used; the message says which one and why."""


@dataclass(frozen=True)
class FederationConfig:
    """Settings of the ActivityPub layer."""

    allow_private_addresses: bool = False
    delivery_workers: int = 16


@dataclass(frozen=True)
class EmailConfig:
    """How the node sends mail: an SMTP server, or (no `smtp_url`) .eml files in the data dir."""

    smtp_url: str = ""  # smtp://, smtp+starttls:// or smtps://[user:password@]host[:port]
    sender: str = ""  # the From address; empty: noreply@ the node's host

    @property
    def writes_files(self) -> bool:
        """Whether messages are written under the data dir instead of sent."""
        return not self.smtp_url


@dataclass(frozen=True)
class Config:
    """Everything a node needs to start, validated."""

    data_dir: Path
    url: str
    database_url: str
    federation: FederationConfig = field(default_factory=FederationConfig)
    secret_key: str = ""
    email: EmailConfig = field(default_factory=EmailConfig)

    @property
    def host(self) -> str:
        """The public authority (host[:port]) of the node, as used in handles and ids."""
        return urlsplit(self.url).netloc


def resolve_data_dir(cli_value: str | None) -> Path:
    """The data dir: the command-line value, else $TOWNHALL_DATA_DIR, else ./townhall-data."""
    value = cli_value or os.environ.get("TOWNHALL_DATA_DIR") or DEFAULT_DATA_DIR
    return Path(value).expanduser().resolve()


def is_initialised(data_dir: Path) -> bool:
    """Whether the data dir already holds a node's settings."""
    return (data_dir / CONFIG_FILE).is_file()


def normalise_url(url: str) -> str:
    """Check that `url` is an absolute http(s) base URL and return it without a trailing slash."""
    try:
        parts = urlsplit(url.strip())
    except ValueError as error:
        raise ConfigError(f"bad URL {url!r}: {error}") from None
    if parts.scheme not in ("http", "https"):
        raise ConfigError(f"bad URL {url!r}: it must start with https:// (or http:// for testing)")
    if not parts.hostname:
        raise ConfigError(f"bad URL {url!r}: it has no host name")
    if "@" in parts.netloc:
        raise ConfigError(f"bad URL {url!r}: it must not hold a user name or password")
    if not HOST_PATTERN.fullmatch(parts.hostname):
        raise ConfigError(f"bad URL {url!r}: {parts.hostname!r} is not a host name")
    if parts.query or parts.fragment or parts.path not in ("", "/"):
        raise ConfigError(f"bad URL {url!r}: give only scheme, host and port, with no path")
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as error:
        raise ConfigError(f"bad URL {url!r}: {error}") from None
    return urlunsplit((parts.scheme, parts.netloc.lower(), "", "", ""))


def check_handle(handle: str) -> str:
    """Return `handle` if it matches [a-z0-9_]{1,30}, else raise ConfigError."""
    if not HANDLE_PATTERN.fullmatch(handle):
        raise ConfigError(
            f"invalid handle {handle!r}: use 1 to 30 lower-case letters, digits or underscores"
        )
    return handle


def default_database_url(data_dir: Path) -> str:
    """The embedded SQLite database in the data dir."""
    return f"sqlite://{data_dir / SQLITE_FILE}"


def mask_password(database_url: str) -> str:
    """The database URL with any password (in the authority or the query) replaced by ***."""
    try:
        parts = urlsplit(database_url)
        password = parts.password
    except ValueError:
        return "***"
    if password is None and "password" not in parts.query.lower():
        return database_url
    if password is not None:
        userinfo, _, host = parts.netloc.rpartition("@")
        user = userinfo.split(":", 1)[0]
        parts = parts._replace(netloc=f"{user}:***@{host}")
    if "password" in parts.query.lower():
        query = [
            (key, "***" if key.lower() == "password" else value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
        ]
        parts = parts._replace(query=urlencode(query, safe="*"))
    return urlunsplit(parts)


def write_config(
    data_dir: Path, url: str, secret_key: str, database_url: str | None = None
) -> Path:
    """Write a new townhall.toml (readable by its owner only); refuse to overwrite one."""
    path = data_dir / CONFIG_FILE
    document: dict[str, Any] = {
        "node": {"url": url, "secret_key": secret_key},
        "federation": {"allow_private_addresses": False},
    }
    if database_url:
        document["database"] = {"url": database_url}
    with path.open("xb") as handle:
        tomli_w.dump(document, handle)
    path.chmod(0o600)
    return path


def load_config(data_dir: Path, environ: dict[str, str] | None = None) -> Config:
    """Read and validate townhall.toml in `data_dir`, then apply environment overrides."""
    env = dict(os.environ if environ is None else environ)
    path = data_dir / CONFIG_FILE
    if not data_dir.is_dir():
        raise ConfigError(f"data dir {data_dir} does not exist: run 'townhall init' first")
    if not path.is_file():
        raise ConfigError(f"{path} is missing: run 'townhall init' first")
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from None
    return _config_from_document(data_dir, document, env, path)


def _config_from_document(
    data_dir: Path, document: dict[str, Any], env: dict[str, str], path: Path
) -> Config:
    node = _table(document, "node", path)
    federation = _table(document, "federation", path)
    database = _table(document, "database", path)
    try:
        url = normalise_url(_typed(node, "url", str, path, required=True, table="node"))
    except ConfigError as error:
        raise ConfigError(f"{path}: [node] url: {error}") from None
    secret_key = _typed(node, "secret_key", str, path, required=True, table="node")
    if len(secret_key) < 32:
        raise ConfigError(f"{path}: [node] secret_key must be at least 32 characters")
    from_file = _typed(database, "url", str, path, table="database")
    database_url = env.get("TOWNHALL_DATABASE_URL") or from_file or default_database_url(data_dir)
    try:
        check_database_url(database_url)
    except ConfigError as error:
        source = "TOWNHALL_DATABASE_URL" if env.get("TOWNHALL_DATABASE_URL") else f"{path}"
        raise ConfigError(f"{source}: {error}") from None
    allow_private = bool(
        _typed(federation, "allow_private_addresses", bool, path, table="federation")
    )
    allow_private = _env_flag(env, "TOWNHALL_ALLOW_PRIVATE_ADDRESSES", allow_private)
    workers = _typed(federation, "delivery_workers", int, path, table="federation")
    workers = FederationConfig.delivery_workers if workers is None else workers
    if not 1 <= workers <= 64:
        raise ConfigError(f"{path}: [federation] delivery_workers must be between 1 and 64")
    return Config(
        data_dir=data_dir,
        url=url,
        database_url=database_url,
        federation=FederationConfig(
            allow_private_addresses=allow_private, delivery_workers=workers
        ),
        secret_key=secret_key,
        email=_email_config(_table(document, "email", path), env, path),
    )


def _email_config(email: dict[str, Any], env: dict[str, str], path: Path) -> EmailConfig:
    smtp_url = env.get("TOWNHALL_SMTP_URL") or _typed(email, "smtp_url", str, path, table="email")
    source = "TOWNHALL_SMTP_URL" if env.get("TOWNHALL_SMTP_URL") else f"{path}: [email] smtp_url"
    if smtp_url:
        try:
            check_smtp_url(smtp_url)
        except ConfigError as error:
            raise ConfigError(f"{source}: {error}") from None
    sender = env.get("TOWNHALL_MAIL_FROM") or _typed(email, "from", str, path, table="email")
    if sender and not SENDER_PATTERN.fullmatch(sender):
        raise ConfigError(
            f"{path}: [email] from must be one address like townhall@example.org, not {sender!r}"
        )
    return EmailConfig(smtp_url=smtp_url or "", sender=sender or "")


SMTP_SCHEMES = ("smtp", "smtp+starttls", "smtps")
SENDER_PATTERN = re.compile(r"[^@\s<>\"(),;:]+@[a-z0-9.-]+\.[a-z0-9-]+", re.IGNORECASE)


def check_smtp_url(smtp_url: str) -> None:
    """Accept smtp://, smtp+starttls:// and smtps:// URLs with a host, else say what to use."""
    try:
        parts = urlsplit(smtp_url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as error:
        raise ConfigError(f"bad SMTP URL: {error}") from None
    if parts.scheme not in SMTP_SCHEMES or not parts.hostname:
        raise ConfigError(
            f"unsupported SMTP URL {mask_password(smtp_url)!r}: use "
            "smtp://HOST:25 (STARTTLS when offered), smtp+starttls://USER:PASSWORD@HOST:587 "
            "or smtps://USER:PASSWORD@HOST:465"
        )


def check_database_url(database_url: str) -> None:
    """Accept sqlite:// and postgres:// URLs only, with a clear message otherwise."""
    try:
        scheme = urlsplit(database_url).scheme
    except ValueError:
        scheme = ""
    if scheme not in ("sqlite", "postgres", "postgresql", "asyncpg"):
        raise ConfigError(
            f"unsupported database URL {mask_password(database_url)!r}: "
            "use sqlite://PATH or postgres://USER@HOST:PORT/DB"
        )


def _env_flag(env: dict[str, str], name: str, default: bool) -> bool:
    """A yes/no override: unset or empty keeps `default`; anything unclear is refused."""
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ConfigError(f"{name}={env[name]!r} is not understood: use 1 or 0")


def _table(document: dict[str, Any], name: str, path: Path) -> dict[str, Any]:
    value = document.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: [{name}] must be a table")
    return value


def _typed(
    values: dict[str, Any],
    key: str,
    kind: type,
    path: Path,
    required: bool = False,
    *,
    table: str = "",
) -> Any:
    where = f"[{table}] {key}" if table else key
    if key not in values:
        if required:
            raise ConfigError(f"{path}: missing required setting {where}")
        return None
    value = values[key]
    if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
        names = {str: "a string", int: "an integer", bool: "true or false"}
        expected = names.get(kind, kind.__name__)
        shown = "" if "secret" in key else f", not {value!r}"
        raise ConfigError(f"{path}: {where} must be {expected}{shown}")
    return value
