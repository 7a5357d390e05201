"""Mail about members' accounts: invitations, address verification on joining and on change,
self-service password resets and the admin's test message.

Every message is queued (node/services/mail_queue.py) inside the transaction of what it tells
of, so a refused form writes neither. `Account.email` only ever holds an address its member
proved they read: a new one waits in an `EmailVerification` until its link is used.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from node.i18n import N_, asked_language, in_language
from node.i18n import gettext_ as _
from node.mail.addresses import normalise_address
from node.mail.render import render_mail
from node.models import AccessRole, Account, AccountStatus, EmailVerification, Invite, PasswordReset
from node.services.errors import NotFound, ServiceError
from node.services.invites import InviteGone, create_invite
from node.services.mail_queue import MailQueue, QueuedMail
from node.services.password_resets import SELF_SERVICE_LIFETIME, new_reset_code, reset_digest

VERIFY_LIFETIME = timedelta(hours=48)
RESET_ANSWER_SECONDS = 0.5  # a reset request takes this long whether the address is known or not


class AddressRefused(ServiceError):
    """The address belongs to someone else (which is not said: it would tell who is a member)."""

    def __init__(self) -> None:
        super().__init__(N_("That address cannot be used. Choose another."))


@dataclass(frozen=True)
class EmailStatus:
    """A member's address as their settings page shows it."""

    address: str  # confirmed; "" for none
    pending: str  # waiting for its link to be used; "" for none


@dataclass(frozen=True)
class PendingVerification:
    """A verification link that can still be used: whose, and for which address."""

    handle: str
    address: str


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


async def _queue(
    mail_queue: MailQueue,
    template: str,
    subject: Callable[[str], str],
    recipient: str,
    *,
    account_id: int | None = None,
    asked: str = "",
    **context: Any,
) -> QueuedMail:
    """Render `template` in the member's language (else `asked`, else the node's) and queue
    it for `recipient`."""
    language = await mail_queue.language(account_id, asked)
    site_name = await mail_queue.site_name()
    with in_language(language):
        words = subject(site_name)
    content = render_mail(
        template,
        words,
        language,
        site_name=site_name,
        site_url=mail_queue.settings.base_url,
        **context,
    )
    return await mail_queue.queue(
        recipient, template, content, account_id=account_id, language=language
    )


async def _taken_by_another(address: str, account_id: int | None) -> bool:
    others = Account.filter(email=address)
    if account_id is not None:
        others = others.exclude(id=account_id)
    return await others.exists()


async def check_address_free(typed: str, account_id: int | None = None) -> str:
    """`typed` normalised, if no other member has it (InvalidAddress or AddressRefused)."""
    address = normalise_address(typed)
    if await _taken_by_another(address, account_id):
        raise AddressRefused()
    return address


# --- verification -------------------------------------------------------------------------


async def start_verification(mail_queue: MailQueue, account_id: int, address: str) -> None:
    """Mail a link proving `account_id` reads `address` (checked); call inside a transaction."""
    account = await Account.get(id=account_id).prefetch_related("actor")
    code = secrets.token_urlsafe(18)
    await EmailVerification.create(
        digest=_digest(code),
        account_id=account_id,
        address=address,
        expires_at=datetime.now(UTC) + VERIFY_LIFETIME,
    )
    await _queue(
        mail_queue,
        "verify_email",
        lambda site: _("Confirm your email address for %(site)s") % {"site": site},
        address,
        account_id=account_id,
        asked=asked_language(),  # the member asks for it themselves, joining or in settings
        link=f"{mail_queue.settings.base_url}/email/verify/{code}",
        handle=account.actor.handle,
        hours=int(VERIFY_LIFETIME.total_seconds() // 3600),
    )


async def change_address(mail_queue: MailQueue, account_id: int, typed: str) -> str:
    """Send a verification link to a member's new address; the old one stays until it is used.

    The normalised address; InvalidAddress, AddressRefused, or a ServiceError when it is
    already theirs."""
    address = await check_address_free(typed, account_id)
    account = await Account.get(id=account_id)
    if account.email == address:
        raise ServiceError(N_("That is already your address."))
    async with in_transaction():
        await start_verification(mail_queue, account_id, address)
    return address


async def email_status(account_id: int) -> EmailStatus:
    """The member's confirmed address and the newest one still waiting for its link."""
    account = await Account.get(id=account_id)
    waiting = (
        await EmailVerification.filter(
            account_id=account_id, used_at__isnull=True, expires_at__gt=datetime.now(UTC)
        )
        .order_by("-id")
        .first()
    )
    pending = waiting.address if waiting and waiting.address != account.email else ""
    return EmailStatus(address=account.email or "", pending=pending)


async def _usable_verification(code: str) -> EmailVerification:
    found = await EmailVerification.get_or_none(digest=_digest(code)).select_related(
        "account__actor"
    )
    if found is None:
        raise NotFound(N_("This confirmation link is not known here. Check it was copied whole."))
    if found.used_at is not None:
        raise InviteGone(N_("This confirmation link was already used. Your address is confirmed."))
    if found.expires_at < datetime.now(UTC):
        raise InviteGone(
            N_(
                "This confirmation link has expired. Enter the address again in "
                "your email settings for a new one."
            )
        )
    return found


async def pending_verification(code: str) -> PendingVerification:
    """Whose and which address the usable link `code` confirms (404 or 410 otherwise)."""
    found = await _usable_verification(code)
    return PendingVerification(handle=found.account.actor.handle, address=found.address)


async def confirm_address(code: str) -> PendingVerification:
    """Confirm the address behind `code` once: it becomes the member's address."""
    found = await _usable_verification(code)
    now = datetime.now(UTC)
    async with in_transaction():
        taken = await EmailVerification.filter(id=found.id, used_at__isnull=True).update(
            used_at=now
        )
        if not taken:
            raise InviteGone(
                N_("This confirmation link was already used. Your address is confirmed.")
            )
        if await _taken_by_another(found.address, found.account.id):
            raise AddressRefused()
        try:
            async with in_transaction():  # a savepoint: PostgreSQL goes on after
                await Account.filter(id=found.account.id).update(
                    email=found.address, email_verified_at=now
                )
        except IntegrityError:  # another member confirmed it a moment ago
            raise AddressRefused() from None
    return PendingVerification(handle=found.account.actor.handle, address=found.address)


async def set_confirmed_address(account_id: int, address: str) -> None:
    """Record `address` as confirmed (joining through an invitation mailed to it)."""
    if await _taken_by_another(address, account_id):
        raise AddressRefused()
    try:
        async with in_transaction():  # a savepoint: PostgreSQL goes on after
            await Account.filter(id=account_id).update(
                email=address, email_verified_at=datetime.now(UTC)
            )
    except IntegrityError:
        raise AddressRefused() from None


# --- invitations --------------------------------------------------------------------------


async def make_invitation(
    mail_queue: MailQueue,
    created_by_id: int,
    *,
    address: str = "",
    access_role: AccessRole = AccessRole.MEMBER,
    note: str = "",
    days: int = 14,
    max_uses: int = 1,
    organisation: tuple[int, str] | None = None,
) -> tuple[int, str]:
    """An invitation (as create_invite makes), mailed to `address` when one is given (checked
    here): its id and code. The code is shown to the admin too, as the fallback.
    `organisation` (its row id and name): an invitation to it as well as to the node."""
    address = normalise_address(address) if address.strip() else ""
    inviter = await Account.get(id=created_by_id).prefetch_related("actor")
    async with in_transaction():
        invite_id, code = await create_invite(
            created_by_id,
            access_role=access_role,
            note=note,
            days=days,
            max_uses=max_uses,
            email=address,
            organisation_id=organisation[0] if organisation else None,
        )
        if address:
            to_join = organisation[1] if organisation else ""
            expires = (await Invite.get(id=invite_id)).expires_at
            name = inviter.actor.name or inviter.actor.handle
            await _queue(
                mail_queue,
                "invitation",
                lambda site: (
                    _("%(name)s invites you to join %(organisation)s on %(site)s")
                    % {"name": name, "organisation": to_join, "site": site}
                    if to_join
                    else _("%(name)s invites you to join %(site)s") % {"name": name, "site": site}
                ),
                address,
                link=f"{mail_queue.settings.base_url}/join/{code}",
                inviter=name,
                organisation=to_join,
                expires=expires,  # written in the mail's language by its template
            )
    return invite_id, code


# --- self-service password resets ---------------------------------------------------------


async def request_reset(mail_queue: MailQueue, typed_address: str) -> None:
    """Mail a one-hour reset link if `typed_address` is an active member's confirmed address.

    The answer is the same either way, and takes RESET_ANSWER_SECONDS either way, so neither
    the words nor the time tell whether the address belongs to a member. InvalidAddress when
    what was typed is not an address at all."""
    started = time.monotonic()
    address = normalise_address(typed_address)
    account = await Account.get_or_none(
        email=address, status=AccountStatus.ACTIVE
    ).prefetch_related("actor")
    if account is not None and account.password_hash:
        code = new_reset_code()
        async with in_transaction():
            await PasswordReset.create(
                digest=reset_digest(code),
                account=account,
                created_by_id=None,
                expires_at=datetime.now(UTC) + SELF_SERVICE_LIFETIME,
            )
            await _queue(
                mail_queue,
                "password_reset",
                lambda site: _("Choose a new password for %(site)s") % {"site": site},
                address,
                account_id=account.id,
                asked=asked_language(),  # "forgot your password?" is asked from a page
                link=f"{mail_queue.settings.base_url}/reset/{code}",
                handle=account.actor.handle,
                minutes=int(SELF_SERVICE_LIFETIME.total_seconds() // 60),
            )
    await asyncio.sleep(max(0.0, RESET_ANSWER_SECONDS - (time.monotonic() - started)))


# --- the admin's test message -------------------------------------------------------------


async def send_test_message(mail_queue: MailQueue, account_id: int) -> str:
    """Queue the test message to the member's confirmed address; that address."""
    account = await Account.get(id=account_id)
    if not account.email:
        raise ServiceError(
            N_("You have no confirmed email address: add one in your email settings first.")
        )
    async with in_transaction():
        await _queue(
            mail_queue,
            "test_message",
            lambda site: _("A test message from %(site)s") % {"site": site},
            account.email,
            account_id=account_id,
        )
    return account.email
