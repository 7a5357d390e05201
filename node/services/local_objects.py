"""Objects written by local actors: creating, editing and withdrawing them."""

from __future__ import annotations

import html
import uuid
from datetime import UTC, datetime
from typing import Any

from federation.vocab import AS2_CONTEXT, PUBLIC, id_of
from node.addressing import addressed_ids, is_addressed_publicly, is_public
from node.i18n import N_
from node.limits import MAX_COMMENT, MAX_CONTENT_WARNING, MAX_NAME, check_length
from node.models import Actor, Object, ObjectTag, Proposal
from node.proposal_documents import PROPOSAL_CONTEXT, hashtags_of
from node.sanitize import plain_text
from node.sections import source_of
from node.services.errors import Forbidden, NotFound, ServiceError
from node.services.lifecycle import check_thread_takes
from node.services.responses import store_links
from node.services.revisions import forget_revisions, keep_revision
from node.services.submitted_fields import clean_field
from node.services.visibility import scrub_activities
from node.timestamps import format_time, now, parse_time
from node.urls import NodeUrls

CONTENT_TYPES = frozenset({"Note", "Article", "Question"})
WRITABLE_FIELDS = (
    "name",
    "summary",
    "content",
    "source",
    "inReplyTo",
    "tag",
    "attachment",
    "oneOf",
    "anyOf",
    "endTime",
    "sensitive",
    "contentMap",
    "context",
)


def build_object(urls: NodeUrls, actor: Actor, submitted: dict[str, Any]) -> dict[str, Any]:
    """A new object document by `actor` from what a client submitted (ids and authorship ours)."""
    kind = submitted.get("type")
    if not isinstance(kind, str) or kind not in CONTENT_TYPES:
        raise ServiceError(N_("objects of type %(kind)s cannot be created here"), kind=repr(kind))
    uri = urls.object(uuid.uuid4().hex)
    document: dict[str, Any] = {"@context": AS2_CONTEXT, "id": uri, "type": kind}
    for field in WRITABLE_FIELDS:
        if field in submitted:
            document[field] = clean_field(field, submitted[field])
    _check_comment(document)
    document.update(
        {
            "attributedTo": actor.uri,
            "published": format_time(now()),
            "url": uri,
            "to": _to(submitted),
            "cc": _cc(submitted, actor),
            "replies": f"{uri}/replies",
            "likes": f"{uri}/likes",
            "shares": f"{uri}/shares",
        }
    )
    return document


def _to(submitted: dict[str, Any]) -> list[str]:
    return addressed_ids(submitted.get("to")) or [PUBLIC]


def _cc(submitted: dict[str, Any], actor: Actor) -> list[str]:
    """The cc given (even empty); else the followers, for a public object only: a message to
    named people does not go to the author's followers too."""
    if "cc" in submitted:
        return addressed_ids(submitted["cc"])
    return [actor.followers_uri] if is_public(set(_to(submitted))) else []


def _check_comment(document: dict[str, Any]) -> None:
    """A Note's text (its source, else its content's text) within the comment limit, and its
    content warning (its summary) within its own."""
    if document["type"] == "Note":
        written = source_of(document.get("source")) or html.unescape(
            plain_text(str(document.get("content") or ""))
        )
        check_length(N_("comment"), written, MAX_COMMENT)
        warning = html.unescape(plain_text(str(document.get("summary") or "")))
        check_length(N_("content warning"), warning, MAX_CONTENT_WARNING)


async def join_thread(document: dict[str, Any]) -> None:
    """A reply joins its parent's thread: same context, and which version it answered."""
    parent_uri = id_of(document.get("inReplyTo"))
    if not parent_uri:
        return
    parent = await Object.get_or_none(uri=parent_uri)
    if parent is None:
        return
    if parent.context_uri:
        document["context"] = parent.context_uri
    proposal = (
        await Proposal.get_or_none(object__context_uri=parent.context_uri, object__type="Article")
        if parent.context_uri
        else None
    )
    if proposal is not None:
        document["answersVersion"] = proposal.version
        document["@context"] = PROPOSAL_CONTEXT


async def save_object(actor: Actor, document: dict[str, Any]) -> Object:
    """Store a local object built by build_object, with its hashtags and Link tags."""
    row = await Object.create(
        uri=document["id"],
        type=document["type"],
        is_local=True,
        author=actor,
        in_reply_to_uri=str(id_of(document.get("inReplyTo")) or ""),
        context_uri=str(id_of(document.get("context")) or ""),
        name=plain_text(str(document.get("name") or ""))[:MAX_NAME],
        summary=str(document.get("summary") or ""),
        content=str(document.get("content") or ""),
        source=source_of(document.get("source")),
        url=document["url"],
        is_public=is_addressed_publicly(document),
        document=document,
        published_at=parse_time(document["published"]) or now(),
    )
    names = hashtags_of(document)
    if names:
        await ObjectTag.bulk_create([ObjectTag(object_id=row.id, name=name) for name in names])
    await store_links(row, document)
    return row


async def own_object(actor: Actor, uri: str) -> Object:
    """A live local object that `actor` wrote, or NotFound/Forbidden."""
    row = await Object.get_or_none(uri=uri, is_local=True, deleted_at=None)
    if row is None:
        raise NotFound(N_("no object %(uri)s here"), uri=uri)
    if row.author_id != actor.id:  # type: ignore[attr-defined]
        raise Forbidden(N_("only the author may change this object"))
    return row


async def edit_object(actor: Actor, submitted: dict[str, Any]) -> dict[str, Any]:
    """Apply the editable fields of `submitted` to the actor's object; return the new document.

    New `content` without a `source` replaces the old source too: it no longer says the same.
    """
    row = await own_object(actor, str(submitted.get("id")))
    if row.type == "Note":
        await check_thread_takes("changes to comments", row.context_uri)
    document = dict(row.document)
    for field in WRITABLE_FIELDS:
        if field in submitted and field not in ("inReplyTo", "context"):
            document[field] = clean_field(field, submitted[field])
    if "content" in submitted and "source" not in submitted:
        document.pop("source", None)
    _check_comment(document)
    await keep_revision(row)  # what it said until now stays readable as its history
    updated = now()
    document["updated"] = format_time(updated)
    row.document = document
    row.content = str(document.get("content") or "")
    row.source = source_of(document.get("source"))
    row.summary = str(document.get("summary") or "")
    row.name = plain_text(str(document.get("name") or ""))[:MAX_NAME]
    row.updated_at = updated
    await row.save()
    await store_links(row, document)
    return document


async def withdraw_object(actor: Actor, uri: str) -> Object:
    """Tombstone the actor's object."""
    row = await own_object(actor, uri)
    row.deleted_at = datetime.now(UTC)
    await row.save(update_fields=["deleted_at"])
    await forget_revisions(Object.filter(id=row.id))
    await scrub_activities(row)  # the caller's transaction: the Delete and the scrub go together
    return row
