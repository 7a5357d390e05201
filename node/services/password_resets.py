"""Password reset links, used once: made by an admin for a member (shown to the admin, a day
to use it), or asked for by the member by email (node/services/account_mail.py, an hour)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from tortoise.transactions import in_transaction

from node.i18n import N_
from node.models import AccountStatus, PasswordReset
from node.services import audit_log
from node.services.errors import NotFound, ServiceError
from node.services.invites import InviteGone
from node.services.members import MIN_PASSWORD_LENGTH, change_password, get_account
from node.services.viewers import Viewer, viewer_by_account

# how long a link lasts: the one place that decides it
ADMIN_LIFETIME = timedelta(hours=24)  # an admin passes it on by hand
SELF_SERVICE_LIFETIME = timedelta(hours=1)  # mailed to the member's confirmed address


def reset_digest(code: str) -> str:
    """What is stored of a reset code."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def new_reset_code() -> str:
    """A fresh unguessable reset code."""
    return secrets.token_urlsafe(18)


async def create_reset(by_account_id: int, handle: str) -> str:
    """A new one-time code for `handle` (show it now: only its digest is kept)."""
    account = await get_account(handle)
    if account is None:
        raise NotFound(N_("no member %(handle)s"), handle=repr(handle))
    if account.status != AccountStatus.ACTIVE:
        raise ServiceError(N_("only an active member's password can be reset"))
    code = new_reset_code()
    async with in_transaction():
        await PasswordReset.create(
            digest=reset_digest(code),
            account=account,
            created_by_id=by_account_id,
            expires_at=datetime.now(UTC) + ADMIN_LIFETIME,
        )
        await audit_log.record(by_account_id, "password_reset", handle)
    return code


async def usable_reset(code: str) -> PasswordReset:
    """The reset behind `code`, with its account, if it can still be used."""
    reset = await PasswordReset.get_or_none(digest=reset_digest(code)).select_related(
        "account__actor"
    )
    if reset is None:
        raise NotFound(N_("This reset link is not known here. Check it was copied whole."))
    if reset.used_at is not None or reset.expires_at < datetime.now(UTC):
        raise InviteGone(
            N_(
                "This reset link was used or has expired. Ask for a new one"
                ' ("Forgot your password?" on the sign-in page) or ask an admin.'
            )
        )
    if reset.account.status != AccountStatus.ACTIVE:  # suspended since the link was made
        raise InviteGone(N_("This reset link no longer works: the account is not active."))
    return reset


async def reset_handle(code: str) -> str:
    """The handle of the member whose usable reset link `code` is (else as usable_reset)."""
    return (await usable_reset(code)).account.actor.handle


async def use_reset(code: str, new_password: str) -> Viewer:
    """Set the new password once; every session of the member ends."""
    if len(new_password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(
            N_("the password must be at least %(min_password_length)s characters"),
            min_password_length=MIN_PASSWORD_LENGTH,
        )
    reset = await usable_reset(code)
    async with in_transaction():
        taken = await PasswordReset.filter(id=reset.id, used_at__isnull=True).update(
            used_at=datetime.now(UTC)
        )
        if not taken:
            raise InviteGone(N_("This reset link was used. Ask for a new one."))
        await change_password(reset.account.id, new_password)
    return await viewer_by_account(reset.account.id)
