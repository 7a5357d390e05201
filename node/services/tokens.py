"""Bearer tokens for the client API: shown once, stored only as a SHA-256 digest."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from node.models import Account, Actor, ActorType, Token
from node.models.accounts import AccessRole
from node.services.errors import NotFound

TOKEN_BYTES = 32


def token_digest(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


async def create_token(handle: str) -> str:
    """Make a new bearer token for member `handle` and return it; only its digest is kept."""
    account = await Account.get_or_none(actor__handle=handle, actor__is_local=True)
    if account is None:
        account = await _organisation_account(handle)
    if account is None:
        raise NotFound(f"no member with handle {handle!r}")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    await Token.create(account=account, digest=token_digest(token))
    return token


async def account_for_token(token: str) -> Account | None:
    """The account a bearer token belongs to, or None for an unknown token."""
    if not token or len(token) > 200:
        return None
    row = await Token.get_or_none(digest=token_digest(token)).prefetch_related("account__actor")
    if row is None:
        return None
    row.last_used_at = datetime.now(UTC)
    await row.save(update_fields=["last_used_at"])
    return row.account


async def _organisation_account(handle: str) -> Account | None:
    """A token-only account for the organisation itself, so scripts can post as it."""
    actor = await Actor.get_or_none(handle=handle, is_local=True, type=ActorType.GROUP)
    if actor is None:
        return None
    account, _ = await Account.get_or_create(
        actor=actor, defaults={"access_role": AccessRole.ADMIN, "password_hash": ""}
    )
    return account
