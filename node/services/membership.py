"""Joining the node and what moderators and admins change about members."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from node.i18n import N_
from node.models import AccessRole, Account, AccountStatus, ActorType
from node.services import audit_log
from node.services.account_mail import (
    check_address_free,
    set_confirmed_address,
    start_verification,
)
from node.services.delivery_queue import cancel_queued_from
from node.services.errors import Conflict, Forbidden, NotFound, ServiceError
from node.services.invites import redeem, usable_invite
from node.services.mail_queue import MailQueue
from node.services.members import add_member, get_account
from node.services.organisation_invites import join_invited_organisation
from node.services.settings import SignupMode, site_settings
from node.services.tokens import revoke_all_tokens
from node.services.viewers import Viewer, viewer_of
from node.urls import NodeUrls

MAX_JOIN_NOTE = 2000


async def join(
    urls: NodeUrls,
    *,
    handle: str,
    name: str,
    password: str,
    note: str = "",
    invite_code: str = "",
    email: str = "",
    mail_queue: MailQueue | None = None,
) -> Viewer:
    """A new member, by invitation or as the sign-up mode allows: active, or pending approval;
    a member of the node's own organisation and, invited to another, of that one too.

    `email` (checked, optional) is confirmed at once when the invitation was mailed to it;
    otherwise a link to confirm it is mailed through `mail_queue`."""
    mode = (await site_settings()).signup_mode
    if await get_account(handle) is not None:
        raise Conflict(N_("the handle %(handle)s is taken: choose another"), handle=repr(handle))
    invited_address = ""
    async with in_transaction():
        if invite_code:
            invite = await usable_invite(invite_code)
            await redeem(invite)
            role, status = invite.access_role, AccountStatus.ACTIVE
            invited_address = invite.email
        elif mode == SignupMode.OPEN:
            role, status = AccessRole.MEMBER, AccountStatus.ACTIVE
        elif mode == SignupMode.APPROVAL:
            role, status = AccessRole.MEMBER, AccountStatus.PENDING
        else:
            raise Forbidden(N_("joining this node needs an invitation link"))
        account = await add_member(urls, handle, access_role=role, name=name, password=password)
        account.status = status
        account.join_note = note.strip()[:MAX_JOIN_NOTE]
        await account.save(update_fields=["status", "join_note"])
        if invite_code:  # an invitation to one organisation: they belong to it too
            await join_invited_organisation(account.id, invite)
        if email and email == invited_address:
            await set_confirmed_address(account.id, email)
        elif email:
            if mail_queue is None:
                raise ServiceError(N_("this node cannot send mail from here"))
            await check_address_free(email, account.id)
            await start_verification(mail_queue, account.id, email)
    return await viewer_of(account)


async def _member(handle: str) -> Account:
    account = await get_account(handle)
    if account is None:
        raise NotFound(N_("no member %(handle)s"), handle=repr(handle))
    return account


async def _admins_left_without(account: Account) -> int:
    """Human admins who could still sign in: active, with a password, a person not deleted.

    The organisation's token-only account is an admin too (so scripts may act for it), but
    nobody can sign in as it: counting it would let the last person lock admins out.
    """
    return (
        await Account.filter(
            access_role=AccessRole.ADMIN,
            status=AccountStatus.ACTIVE,
            actor__type=ActorType.PERSON,
            actor__deleted_at=None,
        )
        .exclude(password_hash="")
        .exclude(id=account.id)
        .count()
    )


async def set_status(by_account_id: int, handle: str, status: AccountStatus) -> None:
    """Approve, suspend or reinstate a member; suspending ends their sessions and tokens."""
    by = await Account.get(id=by_account_id)
    account = await _member(handle)
    if account.id == by.id:
        raise Forbidden(N_("you cannot change your own status"))
    if account.status == AccountStatus.DELETED:
        raise Conflict(N_("this member deleted their account: it stays deleted"))
    if account.access_role == AccessRole.ADMIN and by.access_role != AccessRole.ADMIN:
        raise Forbidden(N_("only an admin can suspend or reinstate an admin"))
    is_admin = account.access_role == AccessRole.ADMIN
    if status != AccountStatus.ACTIVE and is_admin and not await _admins_left_without(account):
        raise Forbidden(N_("the node's last admin cannot be suspended"))
    async with in_transaction():
        account.status = status
        if status != AccountStatus.ACTIVE:
            account.session_epoch += 1
            await revoke_all_tokens(account)
            await account.fetch_related("actor")
            await cancel_queued_from(account.actor, f"its sender was made {status}")
        await account.save(update_fields=["status", "session_epoch"])
        await account.fetch_related("actor")
        action = "reinstate" if status == AccountStatus.ACTIVE else "suspend"
        await audit_log.record(by.id, action, account.actor.handle)


async def set_role(by_account_id: int, handle: str, role: AccessRole) -> None:
    """Make a member a moderator or an admin, or back (admins only)."""
    by = await Account.get(id=by_account_id)
    if by.access_role != AccessRole.ADMIN:
        raise Forbidden(N_("only admins change roles"))
    account = await _member(handle)
    demoted = account.access_role == AccessRole.ADMIN and role != AccessRole.ADMIN
    if demoted and not await _admins_left_without(account):
        raise Forbidden(N_("the node's last admin cannot stop being an admin"))
    account.access_role = role
    async with in_transaction():
        await account.save(update_fields=["access_role"])
        await account.fetch_related("actor")
        await audit_log.record(by.id, "set_role", account.actor.handle, f"now {role}")


def parse_status(value: str) -> AccountStatus:
    """An account status from a form."""
    try:
        return AccountStatus(value)
    except ValueError:
        raise ServiceError(N_("unknown status %(value)s"), value=repr(value)) from None


async def is_last_admin(account: Account) -> bool:
    """Whether `account` is the node's last admin who can sign in (who may not go)."""
    return account.access_role == AccessRole.ADMIN and not await _admins_left_without(account)
