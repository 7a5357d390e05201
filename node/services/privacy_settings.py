"""A member's privacy and safety choices: who sees what they write by default, whether
their posts may be searched (FEP-268d `indexable`) and their profile suggested
(`discoverable`), and whether search engines are asked to leave their pages alone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from federation.vocab import PUBLIC
from node.addressing import addressees
from node.models import Account, Actor, DefaultVisibility
from node.urls import NodeUrls, members_collection_of

VISIBILITIES = tuple(choice.value for choice in DefaultVisibility)


@dataclass(frozen=True)
class PrivacySettings:
    default_visibility: str
    indexable: bool
    discoverable: bool
    noindex: bool


async def privacy_settings(account_id: int) -> PrivacySettings:
    """The member's choices as they are (the defaults for an account that never chose)."""
    rows = await Account.filter(id=account_id).values(
        "default_visibility", "indexable", "discoverable", "noindex"
    )
    if not rows:
        return PrivacySettings(DefaultVisibility.PUBLIC.value, False, False, False)
    row = rows[0]
    return PrivacySettings(
        default_visibility=str(DefaultVisibility(row["default_visibility"]).value),
        indexable=bool(row["indexable"]),
        discoverable=bool(row["discoverable"]),
        noindex=bool(row["noindex"]),
    )


async def save_privacy_settings(account_id: int, settings: PrivacySettings) -> bool:
    """Store the member's choices; whether their actor document changed (search consent is
    in it, so followers' servers are then sent an Update)."""
    if settings.default_visibility not in VISIBILITIES:
        raise ValueError(f"not a visibility: {settings.default_visibility!r}")
    before = await privacy_settings(account_id)
    await Account.filter(id=account_id).update(
        default_visibility=DefaultVisibility(settings.default_visibility),
        indexable=settings.indexable,
        discoverable=settings.discoverable,
        noindex=settings.noindex,
    )
    return (before.indexable, before.discoverable) != (settings.indexable, settings.discoverable)


async def search_consent(actor_id: int) -> tuple[bool, bool] | None:
    """A local member's (indexable, discoverable), or None for an actor with no account (the
    organisation's Group, whose posts are public by nature)."""
    rows = await Account.filter(actor_id=actor_id).values("indexable", "discoverable")
    return (bool(rows[0]["indexable"]), bool(rows[0]["discoverable"])) if rows else None


async def asks_noindex(actor_id: int) -> bool:
    """Whether the member asked search engines not to index their pages."""
    return await Account.filter(actor_id=actor_id, noindex=True).exists()


def addressing_for(visibility: str, followers_uri: str, urls: NodeUrls) -> dict[str, list[str]]:
    """The to and cc of a member's new item seen by `visibility`: everyone (Public, cc their
    followers), their followers only (no Public), or this organisation's members only (the
    node's members collection: delivered to no server, served to no one from elsewhere)."""
    if visibility == DefaultVisibility.FOLLOWERS:
        return {"to": [followers_uri], "cc": []}
    if visibility == DefaultVisibility.ORGANISATION:
        return {"to": [urls.members], "cc": []}
    return {"to": [PUBLIC], "cc": [followers_uri]}


def for_members_only(document: dict[str, Any]) -> bool:
    """Whether one of our documents is addressed to this organisation's members only."""
    uri = document.get("id")
    return isinstance(uri, str) and members_collection_of(uri) in addressees(document)


async def default_addressing(
    actor_id: int, followers_uri: str, urls: NodeUrls
) -> dict[str, list[str]]:
    """The to and cc a member's new comment gets when they name no one: their default."""
    rows = await Account.filter(actor_id=actor_id).values_list("default_visibility", flat=True)
    return addressing_for(str(rows[0]) if rows else DefaultVisibility.PUBLIC, followers_uri, urls)


async def member_addressing(actor_id: int, visibility: str, urls: NodeUrls) -> dict[str, list[str]]:
    """The to and cc of a new item the member `actor_id` chose `visibility` for (a form's)."""
    followers = await Actor.filter(id=actor_id).values_list("followers_uri", flat=True)
    return addressing_for(visibility, str(followers[0]) if followers else "", urls)
