"""Bearer tokens for the client API: shown once, stored only as a SHA-256 digest."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from node.i18n import N_
from node.models import Account, AccountStatus, Actor, ActorType, Token
from node.models.accounts import AccessRole
from node.numbers import MAX_ID
from node.services.actors import get_organisation
from node.services.errors import NotFound

TOKEN_BYTES = 32


@dataclass(frozen=True)
class TokenInfo:
    """What may be shown of a token: never the token itself."""

    id: int
    created_at: datetime
    last_used_at: datetime | None


def token_digest(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


async def create_token(handle: str) -> str:
    """Make a new bearer token for member `handle` and return it; only its digest is kept."""
    account = await Account.get_or_none(actor__handle=handle, actor__is_local=True)
    if account is None:
        account = await _organisation_account(handle)
    if account is None:
        raise NotFound(N_("no member with handle %(handle)s"), handle=repr(handle))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    await Token.create(account=account, digest=token_digest(token))
    return token


def may_use_tokens(account: Account) -> bool:
    """Whether the account's tokens work: an active account of an actor not deleted."""
    return account.status == AccountStatus.ACTIVE and account.actor.deleted_at is None


async def account_for_token(token: str, *, record_use: bool = True) -> Account | None:
    """The account a bearer token belongs to; None for an unknown token or a stopped account.
    `record_use` stamps `last_used_at`: requests that write do, reads (GET) never write."""
    if not token or len(token) > 200:
        return None
    row = await Token.get_or_none(digest=token_digest(token)).prefetch_related("account__actor")
    if row is None or not may_use_tokens(row.account):
        return None
    if record_use:
        row.last_used_at = datetime.now(UTC)
        await row.save(update_fields=["last_used_at"])
    return row.account


async def tokens_of(account_id: int) -> list[TokenInfo]:
    """The account's tokens, oldest first."""
    rows = await Token.filter(account_id=account_id).order_by("created_at", "id")
    return [TokenInfo(row.id, row.created_at, row.last_used_at) for row in rows]


async def tokens_of_handle(handle: str) -> list[TokenInfo]:
    """The tokens of the local member or organisation `handle`."""
    account = await _token_holder(handle)
    return [] if account is None else await tokens_of(account.id)


async def revoke_token(token_id: int, *, account_id: int | None = None) -> None:
    """Delete token `token_id` (only among account `account_id`'s when given); NotFound
    otherwise."""
    if not 0 < token_id <= MAX_ID:
        raise NotFound(N_("no token %(token_id)s"), token_id=token_id)
    rows = Token.filter(id=token_id)
    if account_id is not None:
        rows = rows.filter(account_id=account_id)
    if not await rows.delete():
        if account_id is None:
            raise NotFound(N_("no token %(token_id)s"), token_id=token_id)
        raise NotFound(N_("no token %(token_id)s of this account"), token_id=token_id)


async def revoke_token_of_handle(handle: str, token_id: int) -> None:
    """Delete token `token_id` if it belongs to `handle`."""
    account = await _token_holder(handle)
    if account is None:
        raise NotFound(
            N_("no token %(token_id)s of %(handle)s"), token_id=token_id, handle=repr(handle)
        )
    await revoke_token(token_id, account_id=account.id)


async def revoke_all_tokens(account: Account) -> int:
    """Delete every token of the account (suspension); how many there were."""
    return await Token.filter(account_id=account.id).delete()


async def _token_holder(handle: str) -> Account | None:
    """The account of local `handle` (None for an organisation that never had a token)."""
    if not await Actor.exists(handle=handle, is_local=True):
        raise NotFound(N_("no member with handle %(handle)s"), handle=repr(handle))
    return await Account.get_or_none(actor__handle=handle, actor__is_local=True)


async def _organisation_account(handle: str) -> Account | None:
    """A token-only account for the organisation itself, so scripts can post as it. The node's
    own organisation's administers the node; another an umbrella node hosts administers
    nothing: its token posts as it, and no more."""
    actor = await Actor.get_or_none(handle=handle, is_local=True, type=ActorType.GROUP)
    if actor is None:
        return None
    own = await get_organisation()
    role = AccessRole.ADMIN if own is not None and own.id == actor.id else AccessRole.MEMBER
    account, _ = await Account.get_or_create(
        actor=actor, defaults={"access_role": role, "password_hash": ""}
    )
    return account
