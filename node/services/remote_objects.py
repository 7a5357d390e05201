"""Objects and reactions that arrive from other servers."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from federation.vocab import id_of
from node.addressing import is_addressed_publicly
from node.emoji_reactions import OTHER_REACTION, reaction_kind, stored_emoji
from node.limits import MAX_BODY, MAX_NAME
from node.models import Actor, Follow, Object, ObjectTag, Proposal, Reaction
from node.proposal_documents import hashtags_of
from node.raw_sql import is_postgres, numbered
from node.sanitize import plain_text, sanitise_html, web_url
from node.services import lifecycle
from node.services.article_preview import previewed_proposal
from node.services.mention_placement import placement
from node.services.remote_proposals import store_remote_proposal, vouched_by_announce
from node.services.responses import store_links
from node.services.revisions import forget_revisions, keep_revision, says_something_else
from node.services.threads import inherited_context
from node.services.unique_inserts import insert_unless_taken
from node.timestamps import parse_time
from node.translations import received_languages, said_in

MAX_TEXT = MAX_BODY  # received HTML is cut at the length of the longest proposal

log = logging.getLogger("townhall.objects")


def _published(document: dict[str, Any]) -> datetime:
    """When the object says it was published; now, when it does not say so readably."""
    return parse_time(document.get("published")) or datetime.now(UTC)


def object_fields(document: dict[str, Any]) -> dict[str, Any]:
    """Columns of a remote object, with its HTML sanitised."""
    language, translations = received_languages(document)
    content = said_in(document, "content", language)
    summary = said_in(document, "summary", language)
    return {
        "type": str(document.get("type"))[:32],
        "in_reply_to_uri": str(id_of(document.get("inReplyTo")) or "")[:2048],
        "context_uri": str(id_of(document.get("context")) or "")[:2048],
        "name": plain_text(str(said_in(document, "name", language) or ""))[:MAX_NAME],
        "summary": sanitise_html(summary)[:MAX_TEXT] if isinstance(summary, str) else "",
        "content": sanitise_html(content)[:MAX_TEXT] if isinstance(content, str) else "",
        "url": web_url(id_of(document.get("url")))[:2048],
        "is_public": is_addressed_publicly(document),
        "document": document,
        "published_at": _published(document),
        "updated_at": _updated(document),
        "language": language,
        "translations": translations,
    }


def _updated(document: dict[str, Any]) -> datetime | None:
    return _published({"published": document["updated"]}) if "updated" in document else None


@dataclass(frozen=True)
class Stored:
    """What storing a remote object did."""

    row: Object | None
    created: bool


_OBJECT_BY_URI = "SELECT id FROM object WHERE uri = {p1}"


async def store_object(document: dict[str, Any], author: Actor) -> Stored:
    """Insert or replace a remote object; a tombstoned id stays dead."""
    fields = object_fields(document)
    if fields["in_reply_to_uri"]:  # a reply to a proposal's preview Note answers the proposal
        previewed = await previewed_proposal(fields["in_reply_to_uri"])
        fields["in_reply_to_uri"] = previewed or fields["in_reply_to_uri"]
    placed = None if fields["in_reply_to_uri"] else await placement(document)
    if placed is not None:  # a post mentioning the organisation that links a proposal
        fields.update(in_reply_to_uri=placed.in_reply_to_uri, context_uri=placed.context_uri)
    elif fields["in_reply_to_uri"] and not _is_proposal(document):
        # a reply joins its parent's thread (FEP-11dd) whatever its server calls it: Pleroma
        # sends its own conversation as `context`; an unknown parent leaves the reply's own.
        # A proposal answering another keeps its own thread: contexts are never merged.
        inherited = await inherited_context(fields["in_reply_to_uri"])
        fields["context_uri"] = inherited or fields["context_uri"]
    async with in_transaction() as connection:
        # most objects arrive once: a plain lookup first, the ORM only for a row that exists
        sql = numbered(_OBJECT_BY_URI, is_postgres(connection))
        known = await connection.execute_query_dict(sql, [document["id"]])
        existing = await Object.get_or_none(uri=document["id"]) if known else None
        if existing is not None:
            if existing.deleted_at is not None or existing.is_local:
                return Stored(None, created=False)
            if _older_than_stored(fields, existing):
                return Stored(existing, created=False)
            previous = existing.document
            if says_something_else(existing, fields["name"], fields["summary"], fields["content"]):
                thread = existing.context_uri
                if not await lifecycle.our_thread_takes("changes to comments", thread):
                    # our consultation closed: its record keeps what was said while it was open
                    log.info("object.edit_after_close_kept_out", extra={"object": existing.uri})
                    return Stored(None, created=False)
                await keep_revision(existing)  # an edit by its author: the old text is history
            await existing.update_from_dict(fields).save()
            await _store_extras(existing, document, previous)
            return Stored(existing, created=False)
        row = await insert_unless_taken(
            Object, uri=document["id"], author=author, is_local=False, **fields
        )
        if row is None:  # stored meanwhile (the inbox and a member's fetch at once)
            return Stored(None, created=False)
        await _store_extras(row, document, None)
        await _adopt_early_replies(row)
        return Stored(row, created=True)


MAX_ADOPTION_DEPTH = 50


async def _adopt_early_replies(parent: Object) -> None:
    """Replies that arrived before `parent` kept their own context: they join its thread now
    (and their replies with them). Proposals answering it keep their own threads."""
    if not parent.context_uri:
        return
    proposals = Proposal.all().values("object_id")
    frontier = [parent.uri]
    for _ in range(MAX_ADOPTION_DEPTH):
        children = await (
            Object.filter(in_reply_to_uri__in=frontier, is_local=False)
            .exclude(context_uri=parent.context_uri)
            .exclude(id__in=Subquery(proposals))
            .values_list("uri", flat=True)
        )
        if not children:
            return
        await Object.filter(uri__in=children).update(context_uri=parent.context_uri)
        frontier = [str(uri) for uri in children]


async def _store_extras(
    row: Object, document: dict[str, Any], previous: dict[str, Any] | None
) -> None:
    """Hashtags, Link tags (FEP-e232), and the policy fields of another node's Article."""
    replacing = previous is not None  # a new row has no tags or links to replace
    if replacing:
        await ObjectTag.filter(object_id=row.id).delete()
    names = hashtags_of(document)
    if names:
        await ObjectTag.bulk_create([ObjectTag(object_id=row.id, name=name) for name in names])
    await store_links(row, document, replacing=replacing)
    if row.type == "Article" and "proposalStatus" in document:
        await store_remote_proposal(row, document, previous)


def _is_proposal(document: dict[str, Any]) -> bool:
    """Whether a document is a Townhall proposal, which is the home of its own thread."""
    return document.get("type") == "Article" and "proposalStatus" in document


def _older_than_stored(fields: dict[str, Any], existing: Object) -> bool:
    """Whether an arriving version predates the stored one (a Create after its Update)."""
    if existing.updated_at is None:
        return False
    if fields["updated_at"] is None:
        return True  # an unedited original never replaces an edit
    return bool(fields["updated_at"] < existing.updated_at)


async def tombstone(uri: str, author: Actor) -> None:
    """Mark an object deleted, or remember the id as deleted if we never saw it."""
    now = datetime.now(UTC)
    async with in_transaction():  # its text and its earlier texts go at one moment
        await forget_revisions(Object.filter(uri=uri))
        updated = await Object.filter(uri=uri).update(
            deleted_at=now, content="", summary="", name="", source="", document={}, translations={}
        )
    if updated:
        return
    await insert_unless_taken(
        Object, uri=uri, type="Tombstone", author=author, published_at=now, deleted_at=now
    )


async def delete_actor_content(actor: Actor, *, posts_kept: bool = False) -> None:
    """Remove a remote actor's follows, reactions and content (its content stays when its
    Delete said `postsKept`: shown as by a former member), and mark it deleted."""
    async with in_transaction():
        await Follow.filter(follower_id=actor.id).delete()
        await Follow.filter(followee_id=actor.id).delete()
        await Reaction.filter(actor_id=actor.id).delete()
        if not posts_kept:
            await forget_revisions(Object.filter(author_id=actor.id))
            await Object.filter(author_id=actor.id).update(
                deleted_at=datetime.now(UTC),
                content="",
                summary="",
                name="",
                document={},
                translations={},
            )
        actor.deleted_at = datetime.now(UTC)
        actor.public_key_pem = ""
        actor.name, actor.summary, actor.role = "", "", ""
        await actor.save(update_fields=["deleted_at", "public_key_pem", "name", "summary", "role"])


@dataclass(frozen=True)
class StoredReaction:
    """A received reaction as it is kept: its Reaction kind and emoji."""

    kind: str  # Like (an endorsement), React (another emoji reaction) or Announce
    emoji: str


def stored_reaction(kind: str, emoji: str) -> StoredReaction:
    """How a received Like, EmojiReact or Announce carrying `emoji` is kept: a Like or
    EmojiReact counts as an endorsement only with a positive emoji (node/emoji_reactions.py)."""
    if kind == "Announce":
        return StoredReaction("Announce", "")
    return StoredReaction(reaction_kind(emoji), stored_emoji(emoji))


async def add_reaction(
    received: str, reaction_id: str, actor: Actor, object_uri: str, emoji: str = ""
) -> bool:
    """Record a received Like, EmojiReact or Announce; a second one of the same kind by the
    same actor changes nothing, except another emoji reaction, which replaces the one shown
    (one per person and object)."""
    reaction = stored_reaction(received, emoji)
    kind, emoji = reaction.kind, reaction.emoji
    if kind == OTHER_REACTION:
        shown = Reaction.filter(kind=kind, actor_id=actor.id, object_uri=object_uri)
        if await shown.exclude(uri=reaction_id).update(uri=reaction_id, content=emoji):
            return True
    created = await insert_unless_taken(
        Reaction, uri=reaction_id, kind=kind, actor=actor, object_uri=object_uri, content=emoji
    )
    if created is None:
        return False
    if kind == "Announce":
        await vouched_by_announce(actor, object_uri)
    return True


async def remove_reaction(received: str, actor: Actor, object_uri: str, emoji: str = "") -> bool:
    """Withdraw a reaction: an emoji reaction only when it is the one with that emoji."""
    reaction = stored_reaction(received, emoji)
    rows = Reaction.filter(kind=reaction.kind, actor_id=actor.id, object_uri=object_uri)
    if reaction.emoji:
        rows = rows.filter(content=reaction.emoji)
    return await rows.delete() > 0
