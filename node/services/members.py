"""Members: local sign-in accounts bound to Person actors."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from node.models import Account, AccountStatus, Actor, ActorType
from node.models.accounts import AccessRole

# Web names these through this module, never node.models: the roles and statuses it compares,
# and the account and actor a signed-in member is (handed back to the node's services).
__all__ = ["AccessRole", "Account", "AccountStatus", "Actor"]
from node.services.actors import create_local_actor
from node.services.errors import ServiceError
from node.urls import NodeUrls

MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
_UNKNOWN_ACCOUNT_HASH = _hasher.hash("no account has this password")  # equalises timing


def hash_password(password: str) -> str:
    """An argon2id hash of `password`."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    """Whether `password` matches the stored hash (False for an empty or broken hash)."""
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def parse_access_role(value: str) -> AccessRole:
    """The access role named `value`, or a ServiceError listing the choices."""
    try:
        return AccessRole(value)
    except ValueError:
        choices = ", ".join(role.value for role in AccessRole)
        raise ServiceError(f"unknown role {value!r}: choose one of {choices}") from None


async def add_member(
    urls: NodeUrls,
    handle: str,
    *,
    access_role: AccessRole = AccessRole.MEMBER,
    name: str = "",
    password: str | None = None,
    profile_role: str = "",
) -> Account:
    """Create a member's Person actor and account; the password is optional (token-only use)."""
    password_hash = hash_password(password) if password else ""
    async with in_transaction():
        actor = await create_local_actor(urls, handle, ActorType.PERSON, name, profile_role)
        return await Account.create(
            actor=actor, access_role=access_role, password_hash=password_hash
        )


async def get_account(handle: str) -> Account | None:
    """The account of the local member `handle`, with its actor loaded."""
    return await Account.get_or_none(actor__handle=handle, actor__is_local=True).prefetch_related(
        "actor"
    )


async def signed_in_account(account_id: int, epoch: object) -> Account | None:
    """The active account a session names, with its actor, if the session is still current."""
    account = await Account.get_or_none(id=account_id).prefetch_related("actor")
    if (
        account is None
        or account.session_epoch != epoch
        or account.status != AccountStatus.ACTIVE
        or account.actor.deleted_at is not None
    ):
        return None
    return account


async def authenticate(handle: str, password: str) -> Account | None:
    """The account `handle` if `password` is its password (hashing off the event loop)."""
    account = await get_account(handle) if handle else None
    stored = account.password_hash if account is not None and account.password_hash else None
    matches = await asyncio.to_thread(password_matches, stored or _UNKNOWN_ACCOUNT_HASH, password)
    return account if matches and stored else None


async def record_sign_in(account: Account) -> None:
    """Note when the member last signed in (for admins)."""
    account.last_sign_in_at = datetime.now(UTC)
    await account.save(update_fields=["last_sign_in_at"])


async def set_pseudonym(account: Account, is_pseudonym: bool) -> None:
    """Whether the member's display name is a pseudonym (shown on their profile)."""
    account.is_pseudonym = is_pseudonym
    await account.save(update_fields=["is_pseudonym"])


async def end_sessions(account: Account) -> None:
    """End every signed-in session of the account (sessions carry the epoch they began in)."""
    await Account.filter(id=account.id).update(session_epoch=F("session_epoch") + 1)
    await account.refresh_from_db(fields=["session_epoch"])


async def change_password(account: Account, new_password: str) -> None:
    """Set a new password and end every session signed in with the old one."""
    account.password_hash = await asyncio.to_thread(hash_password, new_password)
    account.session_epoch += 1
    await account.save(update_fields=["password_hash", "session_epoch"])
