"""What the admin pages read: members, invitations, blocks and reports as light rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from node.models import AccessRole, Account, AccountStatus, Block, BlockSeverity, Invite
from node.services.report_queue import report_in_scope
from node.services.thread_view import CommentAuthor


@dataclass(frozen=True, slots=True)
class MemberCounts:
    """How many members are active, and how many wait for approval."""

    active: int
    pending: int


@dataclass(frozen=True, slots=True)
class MemberRow:
    """A member as the members page lists them."""

    id: int
    actor: CommentAuthor
    status: AccountStatus
    access_role: AccessRole
    join_note: str


@dataclass(frozen=True, slots=True)
class InviteRow:
    """An invitation (never its code: that is shown once, when made)."""

    id: int
    note: str
    access_role: AccessRole
    uses: int
    max_uses: int
    expires_at: datetime | None
    revoked_at: datetime | None
    email: str = ""  # the address it was mailed to


@dataclass(frozen=True, slots=True)
class BlockRow:
    """A blocked account or domain."""

    id: int
    kind: str  # "actor" or "domain"
    target: str
    reason: str
    severity: str = "suspend"  # suspend, limit or noop
    reject_media: bool = False
    reject_reports: bool = False
    public_comment: str = ""
    obfuscate: bool = False


@dataclass(frozen=True, slots=True)
class ReportTarget:
    """What a report names: the post and the account."""

    id: int
    object_uri: str
    actor_uri: str


async def member_counts() -> MemberCounts:
    """Active and pending members, for the dashboard."""
    active = await Account.filter(status=AccountStatus.ACTIVE).count()
    pending = await Account.filter(status=AccountStatus.PENDING).count()
    return MemberCounts(active, pending)


async def members() -> list[MemberRow]:
    """Everyone with an account: pending ones first, then newest first."""
    accounts = await Account.all().select_related("actor").order_by("-created_at")
    accounts.sort(key=lambda account: account.status != AccountStatus.PENDING)
    return [
        MemberRow(
            account.id,
            CommentAuthor(
                account.actor.id,
                account.actor.uri,
                account.actor.handle,
                account.actor.domain,
                account.actor.name,
                account.actor.url,
                account.actor.is_local,
            ),
            account.status,
            account.access_role,
            account.join_note,
        )
        for account in accounts
    ]


async def invites() -> list[InviteRow]:
    """Every invitation of the node's, newest first (not those to one organisation: its page
    lists them)."""
    rows = await Invite.filter(organisation_id__isnull=True).order_by("-created_at")
    return [
        InviteRow(
            row.id,
            row.note,
            row.access_role,
            row.uses,
            row.max_uses,
            row.expires_at,
            row.revoked_at,
            row.email,
        )
        for row in rows
    ]


async def blocks() -> list[BlockRow]:
    """Every block, newest first."""
    rows = await Block.all().order_by("-created_at")
    return [_block_row(row) for row in rows]


async def block(block_id: int) -> BlockRow | None:
    """The block `block_id`, or None."""
    row = await Block.get_or_none(id=block_id)
    return None if row is None else _block_row(row)


def _block_row(row: Block) -> BlockRow:
    return BlockRow(
        row.id,
        row.kind,
        row.target,
        row.reason,
        BlockSeverity(row.severity).value,
        row.reject_media,
        row.reject_reports,
        row.public_comment,
        row.obfuscate,
    )


async def report_target(report_id: int, by_account_id: int) -> ReportTarget:
    """What report `report_id` names, for a moderator of what it is about (else NotFound or
    Forbidden: report_queue.report_in_scope)."""
    row = await report_in_scope(report_id, by_account_id)
    return ReportTarget(row.id, row.object_uri, row.actor_uri)


async def actor_is_blocked(actor_uri: str) -> bool:
    """Whether the account `actor_uri` itself is blocked (its domain's block aside)."""
    return await Block.exists(kind="actor", target=actor_uri)
