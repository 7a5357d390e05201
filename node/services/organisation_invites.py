"""Invitations to one organisation, made by its own admins (or the node's) from its page: a link
(mailed when an address is given) for someone to join the node as a member and belong to that
organisation too, or for a member of the node, signed in, to join it. Each organisation sees
and withdraws its own alone; the node's invitations (/admin/invites) are apart. Making and
withdrawing one are in the audit log (its target the organisation, its reason the number)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from node.i18n import N_
from node.models import AccessRole, Invite, Membership, Organisation
from node.services import audit_log, organisations
from node.services.account_mail import make_invitation
from node.services.errors import Conflict
from node.services.invites import redeem, revoke, usable_invite
from node.services.mail_queue import MailQueue


@dataclass(frozen=True, slots=True)
class OrganisationInvite:
    """An invitation to an organisation, as its page lists it (never its code)."""

    id: int
    email: str
    uses: int
    max_uses: int
    expires_at: datetime | None
    withdrawn: bool


@dataclass(frozen=True, slots=True)
class Invitation:
    """What a usable invitation link invites to: the node, and an organisation or not."""

    organisation_handle: str  # '' for an invitation of the node's
    organisation_name: str


async def invite_to(
    mail_queue: MailQueue,
    handle: str,
    *,
    by_account_id: int,
    address: str = "",
    days: int = 14,
    max_uses: int = 1,
) -> tuple[int, str]:
    """A member's invitation to the organisation `handle`, by the account `by_account_id`,
    mailed to `address` when one is given: its id and code (show the code now: it is not kept)."""
    row = await organisations.hosted_row(handle)
    if row.suspended_at is not None:
        raise Conflict(N_("@%(handle)s is suspended: it takes no new members"), handle=handle)
    async with in_transaction():
        invite_id, code = await make_invitation(
            mail_queue,
            by_account_id,
            address=address,
            access_role=AccessRole.MEMBER,
            days=days,
            max_uses=max_uses,
            organisation=(row.id, row.actor.name or row.actor.handle),
        )
        await audit_log.record(by_account_id, "organisation_invite", handle, f"#{invite_id}")
    return invite_id, code


async def invites_of(handle: str) -> list[OrganisationInvite]:
    """The invitations to the organisation `handle`, newest first."""
    row = await organisations.hosted_row(handle)
    found = await Invite.filter(organisation_id=row.id).order_by("-created_at", "-id")
    return [
        OrganisationInvite(
            id=invite.id,
            email=invite.email,
            uses=invite.uses,
            max_uses=invite.max_uses,
            expires_at=invite.expires_at,
            withdrawn=invite.revoked_at is not None,
        )
        for invite in found
    ]


async def withdraw(handle: str, invite_id: int, *, by_account_id: int | None) -> None:
    """Withdraw the invitation `invite_id` to the organisation `handle` (NotFound for any
    other organisation's, or the node's), in the audit log."""
    row = await organisations.hosted_row(handle)
    async with in_transaction():
        await revoke(invite_id, row.id)
        await audit_log.record(by_account_id, "revoke_organisation_invite", handle, f"#{invite_id}")


async def invitation(code: str) -> Invitation:
    """What the usable invitation `code` invites to (NotFound, InviteGone as usable_invite)."""
    invite = await usable_invite(code)
    organisation_id = invite.organisation_id  # type: ignore[attr-defined]
    if organisation_id is None:
        return Invitation("", "")
    row = await Organisation.get(id=organisation_id).prefetch_related("actor")
    return Invitation(row.actor.handle, row.actor.name or row.actor.handle)


async def accept(account_id: int, code: str) -> tuple[str, bool]:
    """The member `account_id`, signed in, takes up the invitation `code` to an organisation:
    its handle, and whether they joined (a member already: no use of it counted)."""
    invite = await usable_invite(code)
    organisation_id = invite.organisation_id  # type: ignore[attr-defined]
    if organisation_id is None:
        raise Conflict(N_("you are a member of this node already: this invitation is to join it"))
    row = await Organisation.get(id=organisation_id).prefetch_related("actor")
    if await Membership.exists(account_id=account_id, organisation_id=row.id):
        return row.actor.handle, False
    async with in_transaction():
        await redeem(invite)
        await organisations.join(account_id, row.actor.handle)
    return row.actor.handle, True


async def join_invited_organisation(account_id: int, invite: Invite) -> None:
    """A new member who signed up with `invite` belongs to the organisation it is to, if any."""
    organisation_id = invite.organisation_id  # type: ignore[attr-defined]
    if organisation_id is not None:
        row = await Organisation.get(id=organisation_id).prefetch_related("actor")
        await organisations.join(account_id, row.actor.handle)
