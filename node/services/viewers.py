"""Who is signed in: the Viewer read model, and the sign-in and session functions that return it.

Web holds a Viewer (plain values) for the signed-in member or a bearer token's owner, never
their account or actor rows; the node's services it calls take the ids and load the rows.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.expressions import F

from node.models import Account, AccountStatus
from node.models.accounts import AccessRole
from node.services.members import UNKNOWN_ACCOUNT_HASH, get_account, password_matches
from node.services.moderation_scope import ModerationScope, moderated_organisations
from node.services.tokens import account_for_token


@dataclass(frozen=True, slots=True)
class Viewer:
    """A member (signed in, or a bearer token's owner) and their local actor."""

    account_id: int
    actor_id: int
    actor_uri: str
    handle: str
    name: str
    actor_type: str
    access_role: AccessRole
    status: AccountStatus
    is_pseudonym: bool
    session_epoch: int  # sessions carry the epoch they began in: raising it ends them
    password_stamp: str  # changes with the password ('' without one): marks known devices
    role_public: bool = True  # whether their profile role is shown (it counts either way)
    default_visibility: str = "public"  # who sees what they write unless they choose (forms)
    language: str = ""  # the language they chose for pages and mail ("": browser's or site's)
    moderates: frozenset[int] = frozenset()  # the organisations they moderate (not the node)

    @property
    def is_moderator(self) -> bool:
        return self.access_role in (AccessRole.MODERATOR, AccessRole.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.access_role == AccessRole.ADMIN

    @property
    def moderation_scope(self) -> ModerationScope:
        """What they moderate: everything (the node's moderators), or some organisations."""
        return ModerationScope(everything=self.is_moderator, organisations=self.moderates)


async def viewer_of(account: Account) -> Viewer:
    """The Viewer of an account whose actor is loaded."""
    actor = account.actor
    stamp = (
        hashlib.sha256(account.password_hash.encode()).hexdigest() if account.password_hash else ""
    )
    return Viewer(
        account_id=account.id,
        actor_id=actor.id,
        actor_uri=actor.uri,
        handle=actor.handle,
        name=actor.name,
        actor_type=actor.type.value,
        access_role=account.access_role,
        status=account.status,
        is_pseudonym=account.is_pseudonym,
        session_epoch=account.session_epoch,
        password_stamp=stamp,
        role_public=account.role_public,
        default_visibility=str(account.default_visibility.value),
        language=account.language,
        moderates=await moderated_organisations(account.id),
    )


async def member_viewer(handle: str) -> Viewer | None:
    """The local member `handle`, whatever their status, if there is one."""
    account = await get_account(handle)
    return await viewer_of(account) if account is not None else None


async def viewer_by_account(account_id: int) -> Viewer:
    """The member whose account is `account_id` (as it is now)."""
    return await viewer_of(await Account.get(id=account_id).prefetch_related("actor"))


async def signed_in_viewer(account_id: int, epoch: object) -> Viewer | None:
    """The active member a session names, if the session is still current."""
    account = await Account.get_or_none(id=account_id).prefetch_related("actor")
    if (
        account is None
        or account.session_epoch != epoch
        or account.status != AccountStatus.ACTIVE
        or account.actor.deleted_at is not None
    ):
        return None
    return await viewer_of(account)


async def token_viewer(token: str, *, record_use: bool = True) -> Viewer | None:
    """The member a bearer token belongs to; None for an unknown token or a stopped account."""
    account = await account_for_token(token, record_use=record_use)
    return await viewer_of(account) if account is not None else None


async def authenticate(handle: str, password: str) -> Viewer | None:
    """The member `handle` if `password` is their password (hashing off the event loop)."""
    account = await get_account(handle) if handle else None
    stored = account.password_hash if account is not None and account.password_hash else None
    matches = await asyncio.to_thread(password_matches, stored or UNKNOWN_ACCOUNT_HASH, password)
    return await viewer_of(account) if account is not None and matches and stored else None


async def record_sign_in(account_id: int) -> None:
    """Note when the member last signed in (for admins)."""
    await Account.filter(id=account_id).update(last_sign_in_at=datetime.now(UTC))


async def set_pseudonym(account_id: int, is_pseudonym: bool) -> None:
    """Whether the member's display name is a pseudonym (shown on their profile)."""
    await Account.filter(id=account_id).update(is_pseudonym=is_pseudonym)


async def end_sessions(account_id: int) -> None:
    """End every signed-in session of the account (sessions carry the epoch they began in)."""
    await Account.filter(id=account_id).update(session_epoch=F("session_epoch") + 1)
