"""Invitation links: a code shown once, stored as its digest, redeemed at most max_uses times."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from tortoise.expressions import F

from node.i18n import N_
from node.models import AccessRole, Invite, Organisation
from node.services.errors import NotFound, ServiceError

MAX_DAYS = 90
MAX_USES = 100


class InviteGone(ServiceError):
    """The invitation was used up, revoked or has expired."""

    status = 410


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


async def create_invite(
    created_by_id: int | None,
    *,
    access_role: AccessRole = AccessRole.MEMBER,
    note: str = "",
    days: int = 14,
    max_uses: int = 1,
    email: str = "",
    organisation_id: int | None = None,
) -> tuple[int, str]:
    """A new invitation's id and its code (never stored: show it now or lose it).

    `email` records the (checked) address it is mailed to: node/services/account_mail.py;
    `organisation_id` the organisation its users join too: organisation_invites.py."""
    if not 1 <= days <= MAX_DAYS:
        raise ServiceError(
            N_("an invitation lasts between 1 and %(max_days)s days"), max_days=MAX_DAYS
        )
    if not 1 <= max_uses <= MAX_USES:
        raise ServiceError(
            N_("an invitation can be used between 1 and %(max_uses)s times"), max_uses=MAX_USES
        )
    code = secrets.token_urlsafe(18)
    invite = await Invite.create(
        digest=_digest(code),
        created_by_id=created_by_id,
        access_role=access_role,
        note=note.strip()[:255],
        email=email,
        organisation_id=organisation_id,
        max_uses=max_uses,
        expires_at=datetime.now(UTC) + timedelta(days=days),
    )
    return invite.id, code


async def invited_address(code: str) -> str:
    """The address the usable invitation behind `code` was mailed to ('' for a link only)."""
    return (await usable_invite(code)).email


async def usable_invite(code: str) -> Invite:
    """The invitation behind `code`, if it can still be used."""
    invite = await Invite.get_or_none(digest=_digest(code)) if code else None
    if invite is None:
        raise NotFound(N_("This invitation link is not known here. Check it was copied whole."))
    if invite.revoked_at is not None:
        raise InviteGone(N_("This invitation was withdrawn. Ask for a new one."))
    if invite.expires_at is not None and invite.expires_at < datetime.now(UTC):
        raise InviteGone(N_("This invitation has expired. Ask for a new one."))
    if invite.uses >= invite.max_uses:
        raise InviteGone(N_("This invitation has already been used. Ask for a new one."))
    organisation_id = invite.organisation_id  # type: ignore[attr-defined]
    if organisation_id is not None and await Organisation.exists(
        id=organisation_id, suspended_at__isnull=False
    ):
        raise InviteGone(N_("The organisation this invitation is for is suspended."))
    return invite


async def redeem(invite: Invite) -> None:
    """Count one use, atomically: two people racing for the last use cannot both get it."""
    taken = await Invite.filter(
        id=invite.id, uses__lt=F("max_uses"), revoked_at__isnull=True
    ).update(uses=F("uses") + 1)
    if not taken:
        raise InviteGone(N_("This invitation has already been used. Ask for a new one."))


async def revoke(invite_id: int, organisation_id: int | None = None) -> None:
    """Withdraw an invitation: one of the node's (`organisation_id` None), or one to the
    organisation `organisation_id` (its row id); any other is not found."""
    if not await Invite.filter(
        id=invite_id, revoked_at__isnull=True, organisation_id=organisation_id
    ).update(revoked_at=datetime.now(UTC)):
        raise NotFound(N_("no such invitation (or it was already withdrawn)"))
