"""Server policy an admin sets beside the blocks: the federation mode (block-list or
allow-list), the servers on the allow-list, and authorised fetch (signed GETs only).

What they mean for each request is decided in blocklist.py's one place (`current_blocks()`)."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.transactions import in_transaction

from node.i18n import N_
from node.models import AllowedServer, Block, BlockSeverity
from node.services import audit_log
from node.services.blocklist import forget_cached_blocks, server_host
from node.services.errors import Conflict, NotFound
from node.services.settings import FederationMode, change_setting, checked_setting

MAX_NOTE = 500


@dataclass(frozen=True)
class PublicBlock:
    """A moderated server as the public list shows it."""

    domain: str  # partly starred when the block says so
    severity: str  # suspend, limit or noop
    reject_media: bool
    comment: str


@dataclass(frozen=True)
class AllowedServerRow:
    id: int
    host: str
    note: str


async def set_federation_mode(mode: str, *, by_account_id: int) -> FederationMode:
    """Federate with every server not suspended, or with the allow-listed ones only."""
    value = checked_setting("federation_mode", mode)
    async with in_transaction():
        await change_setting("federation_mode", value)
        await audit_log.record(by_account_id, "federation_mode", value)
    forget_cached_blocks()
    return FederationMode(value)


async def set_authorized_fetch(value: str, *, by_account_id: int) -> bool:
    """Whether ActivityStreams GETs must be signed ("on" or "off")."""
    on = checked_setting("authorized_fetch", value)
    async with in_transaction():
        await change_setting("authorized_fetch", on)
        await audit_log.record(by_account_id, "authorized_fetch", "on" if on else "off")
    return bool(on)


async def allow_server(value: str, note: str, *, by_account_id: int) -> str:
    """Put a server on the allow-list; its host."""
    host = server_host(value)
    if await AllowedServer.exists(host=host):
        raise Conflict(N_("%(host)s is already on the allow-list"), host=host)
    async with in_transaction():
        await AllowedServer.create(host=host, note=note.strip()[:MAX_NOTE])
        await audit_log.record(by_account_id, "allow_server", host, note)
    forget_cached_blocks()
    return host


async def disallow_server(server_id: int, *, by_account_id: int) -> str:
    """Take a server off the allow-list; its host."""
    row = await AllowedServer.get_or_none(id=server_id)
    if row is None:
        raise NotFound(N_("no such server on the allow-list"))
    async with in_transaction():
        await row.delete()
        await audit_log.record(by_account_id, "disallow_server", row.host)
    forget_cached_blocks()
    return row.host


async def allowed_servers() -> list[AllowedServerRow]:
    """The allow-list, by host."""
    rows = await AllowedServer.all().order_by("host")
    return [AllowedServerRow(row.id, row.host, row.note) for row in rows]


def obfuscated(domain: str) -> str:
    """Mastodon's way of half-naming a server: the letters of its middle half starred (dots
    kept), so those who know it recognise it and others are not sent there."""
    visible = len(domain) // 4
    return "".join(
        "*" if visible < i < len(domain) - visible and char != "." else char
        for i, char in enumerate(domain)
    )


async def public_blocks() -> list[PublicBlock]:
    """The servers this node moderates (a block limiting nothing left out, as in the export),
    with their public comments, by name."""
    rows = await Block.filter(kind="domain").order_by("target")
    return [
        PublicBlock(
            obfuscated(row.target) if row.obfuscate else row.target,
            BlockSeverity(row.severity).value,
            row.reject_media,
            row.public_comment,
        )
        for row in rows
        if row.severity != BlockSeverity.NOOP or row.reject_media or row.reject_reports
    ]
