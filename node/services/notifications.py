"""A member's notifications, read from what is already stored (no table of their own).

Replies to what they wrote, mentions from the fediverse (and, for moderators, mentions of
the organisation that answer no proposal), decisions on consultations they took
part in (the decision Note mentions them), amendments suggested to their
proposals and answers to their own, and new versions of proposals they endorsed. What is
newer than `Account.notifications_seen_at` is unread.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.expressions import Subquery

from federation.vocab import as_list, id_of
from node.models import (
    AccessRole,
    Account,
    Actor,
    Amendment,
    InboxEntry,
    Object,
    ProposalVersion,
    Reaction,
)
from node.services.actor_views import ActorView, actor_view
from node.services.actors import get_organisation
from node.services.mention_placement import mentions
from node.services.remote_pages import remote_pages_among
from node.services.visibility import may_read_private, reader_of

LIMIT = 50
MENTION_SCAN = 200


@dataclass(frozen=True)
class NotifiedObject:
    """The post a notification links to."""

    uri: str
    url: str
    name: str
    content: str
    remote_page_id: int | None = None  # another server's post with a page here: its row id


@dataclass(frozen=True)
class Notification:
    """One thing that happened that concerns the member."""

    kind: (
        str  # reply | mention | organisation_mention | decision | amendment | answer | new_version
    )
    at: datetime
    actor: ActorView | None
    object: NotifiedObject
    unread: bool
    detail: str = ""


async def notifications_for(account_id: int) -> list[Notification]:
    """The newest notifications of the member `account_id`, newest first."""
    account = await Account.get(id=account_id).prefetch_related("actor")
    actor: Actor = account.actor
    seen = account.notifications_seen_at
    found: list[tuple[str, datetime, Actor | None, Object, str]] = []
    mine = Object.filter(author_id=actor.id).values("uri")
    amendment_notes = set(
        await Amendment.filter(proposal__object__author_id=actor.id).values_list(
            "object_id", flat=True
        )
    )
    replies = (
        await Object.filter(in_reply_to_uri__in=Subquery(mine), deleted_at__isnull=True)
        .exclude(author_id=actor.id)
        .filter(hidden_at__isnull=True)
        .select_related("author")
        .order_by("-published_at")
        .limit(LIMIT)
    )
    for row in replies:
        if not row.is_public and not await may_read_private(row, reader_of(actor)):
            continue  # a private reply between others (a direct message) is not ours to read
        kind = "amendment" if row.id in amendment_notes else "reply"
        found.append((kind, row.published_at, row.author, row, ""))
    answered = (
        await Amendment.filter(object__author_id=actor.id, answered_at__isnull=False)
        .select_related("object", "answered_by", "proposal__object")
        .order_by("-answered_at")
        .limit(LIMIT)
    )
    for amendment in answered:
        assert amendment.answered_at is not None
        found.append(
            ("answer", amendment.answered_at, amendment.answered_by, amendment.proposal.object,
             amendment.state.value)
        )  # fmt: skip
    endorsed = Reaction.filter(kind="Like", actor_id=actor.id).values("object_uri")
    versions = (
        await ProposalVersion.filter(proposal__object__uri__in=Subquery(endorsed))
        .select_related("proposal__object")
        .order_by("-created_at")
        .limit(LIMIT)
    )
    # the authors apart: PostgreSQL truncates the long column aliases of a three-deep
    # select_related, and tortoise then leaves fields out of the Actor
    author_ids = {version.proposal.object.author_id for version in versions}  # type: ignore[attr-defined]
    authors = {author.id: author for author in await Actor.filter(id__in=author_ids)}
    for version in versions:
        proposal = version.proposal.object
        author = authors.get(proposal.author_id)  # type: ignore[attr-defined]
        found.append(("new_version", version.created_at, author, proposal, str(version.number + 1)))
    found.extend(await _mentions(actor))
    if account.access_role in (AccessRole.ADMIN, AccessRole.MODERATOR):
        found.extend(await _organisation_mentions())
    found.sort(key=lambda entry: entry[1], reverse=True)
    here = await remote_pages_among([row for _, _, _, row, _ in found[:LIMIT]])
    return [
        Notification(
            kind,
            at,
            actor_view(who) if who is not None else None,
            NotifiedObject(
                row.uri, row.url, row.name, row.content, row.id if row.id in here else None
            ),
            seen is None or at > seen,
            detail,
        )
        for kind, at, who, row, detail in found[:LIMIT]
    ]


async def _mentions(actor: Actor) -> list[tuple[str, datetime, Actor | None, Object, str]]:
    """Posts that arrived from other servers naming the member in a Mention tag."""
    entries = (
        await InboxEntry.filter(recipient_id=actor.id)
        .order_by("-received_at")
        .limit(MENTION_SCAN)
        .values_list("document", flat=True)
    )
    mentioning: list[str] = []
    decisions: set[str] = set()  # decision Notes of consultations the member took part in
    for document in entries:
        if not isinstance(document, dict):
            continue
        embedded = document.get("object")
        if document.get("type") != "Create" or not isinstance(embedded, dict):
            continue
        tags = [t for t in as_list(embedded.get("tag")) if isinstance(t, dict)]
        if any(t.get("type") == "Mention" and id_of(t.get("href")) == actor.uri for t in tags):
            mentioning.append(str(embedded.get("id")))
            if embedded.get("decisionOf"):
                decisions.add(str(embedded.get("id")))
    rows = await Object.filter(
        uri__in=mentioning, deleted_at__isnull=True, hidden_at__isnull=True
    ).select_related("author")
    replies_to_me = set(
        await Object.filter(author_id=actor.id).values_list("uri", flat=True)
    )  # those are listed as replies already
    return [
        ("decision" if row.uri in decisions else "mention", row.published_at, row.author, row, "")
        for row in rows
        if row.in_reply_to_uri not in replies_to_me or row.uri in decisions
    ]


async def _organisation_mentions() -> list[tuple[str, datetime, Actor | None, Object, str]]:
    """Posts from other servers that mention the organisation and answer nothing here: those
    linking a proposal became comments on it (node/services/mention_placement.py); the rest
    are the moderators' to read."""
    organisation = await get_organisation()
    if organisation is None:
        return []
    entries = (
        await InboxEntry.filter(recipient_id=organisation.id)
        .order_by("-received_at")
        .limit(MENTION_SCAN)
        .values_list("document", flat=True)
    )
    mentioning: list[str] = []
    for document in entries:
        if not isinstance(document, dict) or document.get("type") != "Create":
            continue
        post = document.get("object")
        if isinstance(post, dict) and mentions(post, organisation.uri):
            mentioning.append(str(post.get("id")))
    rows = await Object.filter(
        uri__in=mentioning,
        in_reply_to_uri="",
        is_local=False,
        deleted_at__isnull=True,
        hidden_at__isnull=True,
    ).select_related("author")
    return [("organisation_mention", row.published_at, row.author, row, "") for row in rows]


UNREAD_CACHE_SECONDS = 60.0  # the count in the navigation may lag this long behind
_unread: dict[int, tuple[float, int]] = {}


async def unread_count(account_id: int) -> int:
    """How many notifications the member has not seen (cached a minute per process)."""
    cached = _unread.get(account_id)
    if cached is not None and time.monotonic() - cached[0] < UNREAD_CACHE_SECONDS:
        return cached[1]
    count = sum(1 for notification in await notifications_for(account_id) if notification.unread)
    if len(_unread) > 10_000:
        _unread.clear()
    _unread[account_id] = (time.monotonic(), count)
    return count


def forget_unread_counts() -> None:
    """Drop the cached counts (tests, which reuse account ids across databases)."""
    _unread.clear()


async def mark_seen(account_id: int) -> None:
    """Everything up to now counts as read."""
    await Account.filter(id=account_id).update(notifications_seen_at=datetime.now(UTC))
    _unread.pop(account_id, None)
