"""Members: local sign-in accounts bound to Person actors."""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from node.models import Account, AccountStatus, ActorType
from node.models.accounts import AccessRole

# Web names the roles and statuses through this module, never node.models (rows it never holds:
# it reads a member as node.services.viewers.Viewer).
__all__ = ["AccessRole", "AccountStatus"]
from node.i18n import N_
from node.services.actors import create_local_actor
from node.services.errors import ServiceError
from node.services.organisations import join_own_organisation
from node.urls import NodeUrls

MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
UNKNOWN_ACCOUNT_HASH = _hasher.hash("no account has this password")  # equalises timing


def hash_password(password: str) -> str:
    """An argon2id hash of `password`."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(
            N_("the password must be at least %(min_password_length)s characters"),
            min_password_length=MIN_PASSWORD_LENGTH,
        )
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
        raise ServiceError(
            N_("unknown role %(value)s: choose one of %(choices)s"),
            value=repr(value),
            choices=choices,
        ) from None


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
        account = await Account.create(
            actor=actor, access_role=access_role, password_hash=password_hash
        )
        await join_own_organisation(account)
        return account


async def get_account(handle: str) -> Account | None:
    """The account of the local member `handle`, with its actor loaded."""
    return await Account.get_or_none(actor__handle=handle, actor__is_local=True).prefetch_related(
        "actor"
    )


async def change_password(account_id: int, new_password: str) -> None:
    """Set a new password and end every session signed in with the old one."""
    password_hash = await asyncio.to_thread(hash_password, new_password)
    await Account.filter(id=account_id).update(
        password_hash=password_hash, session_epoch=F("session_epoch") + 1
    )
