"""Initialising a data dir: checked settings, a migrated database, the organisation, a config."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tortoise.transactions import in_transaction

from node.config import (
    HANDLE_PATTERN,
    SQLITE_FILE,
    Config,
    ConfigError,
    check_database_url,
    check_handle,
    default_database_url,
    is_initialised,
    load_config,
    normalise_url,
    write_config,
)
from node.db import close_database, open_database
from node.i18n import gettext_ as _
from node.models.accounts import AccessRole
from node.services.errors import ServiceError
from node.services.members import MIN_PASSWORD_LENGTH, add_member
from node.services.organisations import create_first_organisation
from node.urls import NodeUrls


@dataclass(frozen=True)
class FirstAdmin:
    """The first administrator, made by the setup page."""

    handle: str
    password: str


@dataclass(frozen=True)
class NodeSettings:
    """What a new node is made from."""

    url: str
    name: str
    handle: str
    admin: FirstAdmin | None = None


def check_settings(settings: NodeSettings) -> NodeSettings:
    """Validate every field before anything is touched; return them normalised."""
    url = normalise_url(settings.url)
    check_handle(settings.handle)
    if not settings.name.strip():
        raise ConfigError("the organisation needs a name")
    if settings.admin is not None:
        check_handle(settings.admin.handle)
        if settings.admin.handle == settings.handle:
            raise ConfigError("the admin's handle must differ from the organisation's")
        if len(settings.admin.password) < MIN_PASSWORD_LENGTH:
            raise ConfigError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    return NodeSettings(url, settings.name.strip(), settings.handle, settings.admin)


def setting_problems(settings: NodeSettings) -> dict[str, str]:
    """Every field's problem at once, by field name, in words for the setup page (in the
    page's language); empty when check_settings would accept them."""
    problems: dict[str, str] = {}
    if not settings.name.strip():
        problems["name"] = _("Give the organisation's name.")
    handle_words = _("Use 1 to 30 lower-case letters, digits or underscores.")
    if not HANDLE_PATTERN.fullmatch(settings.handle):
        problems["handle"] = handle_words
    try:
        normalise_url(settings.url)
    except ConfigError:
        problems["url"] = _(
            "Give the address starting with https:// and holding only the host name (and a "
            "port, if any), such as https://talk.example.org."
        )
    if settings.admin is not None:
        if not HANDLE_PATTERN.fullmatch(settings.admin.handle):
            problems["admin_handle"] = handle_words
        elif settings.admin.handle == settings.handle:
            problems["admin_handle"] = _("Choose a handle other than the organisation's.")
        if len(settings.admin.password) < MIN_PASSWORD_LENGTH:
            problems["admin_password"] = _("Use at least %(num)d characters.") % {
                "num": MIN_PASSWORD_LENGTH
            }
    return problems


@dataclass(frozen=True)
class SetUp:
    """A node just made: its config, and its first admin's account as (id, session epoch)
    when one was made with it (the setup page signs them in)."""

    config: Config
    admin_account: tuple[int, int] | None = None


async def initialise(data_dir: Path, settings: NodeSettings) -> Config:
    """Create a node in `data_dir`; on any refusal nothing in the data dir is changed."""
    return (await set_up(data_dir, settings)).config


async def set_up(data_dir: Path, settings: NodeSettings) -> SetUp:
    """initialise, telling also which account its first admin has."""
    settings = check_settings(settings)
    if is_initialised(data_dir):
        raise ConfigError(f"{data_dir} is already initialised; nothing was changed")
    database_from_env = os.environ.get("TOWNHALL_DATABASE_URL")
    if database_from_env:
        check_database_url(database_from_env)
    undo = _prepare_data_dir(data_dir)
    try:
        await open_database(database_from_env or default_database_url(data_dir))
        try:
            admin = await _create_actors(NodeUrls(settings.url), settings)
        finally:
            await close_database()
    except BaseException:
        undo()
        raise
    write_config(data_dir, settings.url, secrets.token_urlsafe(48), database_from_env)
    return SetUp(load_config(data_dir), admin)


def _prepare_data_dir(data_dir: Path) -> Callable[[], None]:
    """Create the data dir if needed; return what removes whatever initialise added to it."""
    created_dir = not data_dir.exists()
    data_dir.mkdir(parents=True, exist_ok=True)
    database_files = [data_dir / f"{SQLITE_FILE}{suffix}" for suffix in ("", "-wal", "-shm")]
    new_files = [path for path in database_files if not path.exists()]

    def undo() -> None:
        for path in new_files:
            path.unlink(missing_ok=True)
        if created_dir and not any(data_dir.iterdir()):
            data_dir.rmdir()

    return undo


async def _create_actors(urls: NodeUrls, settings: NodeSettings) -> tuple[int, int] | None:
    """The organisation and the first admin, if any: their account (id, session epoch)."""
    try:
        async with in_transaction():
            await create_first_organisation(urls, settings.name, settings.handle)
            if settings.admin is None:
                return None
            account = await add_member(
                urls,
                settings.admin.handle,
                access_role=AccessRole.ADMIN,
                password=settings.admin.password,
            )
            return account.id, account.session_epoch
    except ServiceError as error:
        raise ConfigError(str(error)) from None
