"""Joining an organisation by approval (Joining.APPROVAL): a member of the node asks from its
profile, with a short message if they like; the request waits until one of its admins (or the
node's) approves it — they become a member through organisations.join, which also removes the
request — or declines it, or the member withdraws it. The admins' answers are in the audit log,
written in the answer's transaction (the member it concerns as the entry's reason).

Asking is idempotent (a second ask while one waits changes nothing); asking an organisation
open to all joins it at once; one whose admins add its members refuses, as a suspended one does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from tortoise.transactions import in_transaction

from node.i18n import N_
from node.limits import MAX_JOIN_REQUEST, check_length
from node.models import JoinRequest, Membership, Organisation
from node.services import audit_log, organisations
from node.services.errors import Conflict, Forbidden, NotFound
from node.services.organisation_settings import Joining, settings_of
from node.services.unique_inserts import insert_unless_taken


class Asked(StrEnum):
    """What became of a member's ask to join."""

    JOINED = "joined"  # the organisation is open to all: they are a member now
    WAITING = "waiting"  # their request waits for its admins (made now, or before)
    MEMBER = "member"  # they already were a member: nothing changed


@dataclass(frozen=True, slots=True)
class PendingRequest:
    """A member's request to join, as the organisation's page lists it for its admins."""

    handle: str
    name: str
    message: str
    asked_at: datetime


def refuse_admins_add(handle: str) -> Forbidden:
    """The refusal of an organisation whose admins add its members."""
    return Forbidden(
        N_("@%(handle)s takes the members its admins add: ask one of them"), handle=handle
    )


async def ask(account_id: int, handle: str, message: str = "") -> Asked:
    """The member `account_id` asks to join the organisation `handle`, saying `message`."""
    row = await organisations.hosted_row(handle)  # NotFound
    if row.suspended_at is not None:
        raise Conflict(N_("@%(handle)s is suspended: it takes no new members"), handle=handle)
    if await Membership.exists(account_id=account_id, organisation_id=row.id):
        return Asked.MEMBER
    joining = (await settings_of(row.actor)).joining
    if joining == Joining.OPEN:
        await organisations.join(account_id, handle)
        return Asked.JOINED
    if joining != Joining.APPROVAL:
        raise refuse_admins_add(handle)
    check_length(N_("message"), message.strip(), MAX_JOIN_REQUEST)
    if not await JoinRequest.exists(account_id=account_id, organisation_id=row.id):
        await insert_unless_taken(  # two asks at once: one request
            JoinRequest, account_id=account_id, organisation_id=row.id, message=message.strip()
        )
    return Asked.WAITING


async def withdraw(account_id: int, handle: str) -> None:
    """The member withdraws their waiting request to join the organisation `handle`."""
    row = await organisations.hosted_row(handle)
    if not await JoinRequest.filter(account_id=account_id, organisation_id=row.id).delete():
        raise NotFound(N_("you have not asked to join @%(handle)s"), handle=handle)


async def is_waiting(account_id: int, organisation_id: int) -> bool:
    """Whether the member's request to join the organisation (its row id) waits."""
    return await JoinRequest.exists(account_id=account_id, organisation_id=organisation_id)


async def pending(handle: str) -> list[PendingRequest]:
    """The requests waiting to join the organisation `handle`, oldest first."""
    row = await organisations.hosted_row(handle)
    found = (
        await JoinRequest.filter(organisation_id=row.id)
        .order_by("created_at", "id")
        .values("account__actor__handle", "account__actor__name", "message", "created_at")
    )
    return [
        PendingRequest(
            handle=item["account__actor__handle"],
            name=item["account__actor__name"],
            message=item["message"],
            asked_at=item["created_at"],
        )
        for item in found
    ]


async def pending_count(handle: str) -> int:
    """How many requests wait to join the organisation `handle` (0 where it hosts none)."""
    return await JoinRequest.filter(
        organisation__actor__handle=handle, organisation__actor__is_local=True
    ).count()


async def approve(handle: str, member: str, *, by_account_id: int | None) -> None:
    """The member `member`'s request to join the organisation `handle` approved by the account
    `by_account_id` (None: the command line): they are a member, and it is in the audit log."""
    member = member.strip().removeprefix("@")
    row, request = await _request(handle, member)
    async with in_transaction():
        await organisations.join(request.account_id, handle)  # type: ignore[attr-defined]
        await JoinRequest.filter(id=request.id).delete()  # already a member: answered still
        await audit_log.record(by_account_id, "approve_join_request", row.actor.handle, member)


async def decline(handle: str, member: str, *, by_account_id: int | None) -> None:
    """The member `member`'s request to join the organisation `handle` declined (removed) by
    the account `by_account_id`, in the audit log."""
    member = member.strip().removeprefix("@")
    row, request = await _request(handle, member)
    async with in_transaction():
        await JoinRequest.filter(id=request.id).delete()
        await audit_log.record(by_account_id, "decline_join_request", row.actor.handle, member)


async def _request(handle: str, member: str) -> tuple[Organisation, JoinRequest]:
    row = await organisations.hosted_row(handle)
    request = await JoinRequest.get_or_none(
        organisation_id=row.id, account__actor__handle=member, account__actor__is_local=True
    )
    if request is None:
        raise NotFound(
            N_("@%(member)s has not asked to join @%(handle)s"), member=member, handle=handle
        )
    return row, request
