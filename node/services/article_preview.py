"""The preview `Note` of a proposal, for servers that mishandle `Article` (node/article_reach.py).

When a proposal is published or gets a new version, its author also sends a short `Note` —
the title, the plain summary, the link — to the followers on those servers only (their
software is cached by node/services/host_software.py). The Note is a local object, served at its
URL, in the proposal's thread (same `context`), and linked by `Proposal.preview_object`, so
that a reply to it is taken as a comment on the proposal and a Like of it as an endorsement
(`previewed_proposal`).
"""

from __future__ import annotations

import uuid
from html import escape
from typing import Any

from federation.vocab import PUBLIC
from node.activitypub import new_activity, to_tombstone
from node.models import Actor, Object, Proposal
from node.services.host_software import preview_inboxes
from node.services.organisations import organisation_of_article, organisation_of_thread
from node.services.outbox import Outbox
from node.timestamps import format_time, now


def preview_note(uri: str, article: dict[str, Any]) -> dict[str, Any]:
    """The Note previewing `article`: addressed like it, in its thread, attributed to its author."""
    title = escape(str(article.get("name") or ""))
    link = escape(str(article.get("url") or article["id"]))
    summary = str(article.get("summary") or "")  # already escaped plain text
    note: dict[str, Any] = {
        "id": uri,
        "type": "Note",
        "attributedTo": article["attributedTo"],
        "content": (
            f'<p><strong>{title}</strong></p><p>{summary}</p><p><a href="{link}">{link}</a></p>'
        ),
        "mediaType": "text/html",
        "url": uri,
        "published": article.get("published") or format_time(now()),
        "to": article.get("to", []),
        "cc": article.get("cc", []),
    }
    for field in ("context", "audience"):
        if article.get(field):
            note[field] = article[field]
    if article.get("updated"):
        note["updated"] = article["updated"]
    return note


async def send_preview(outbox: Outbox, article_row: Object) -> dict[str, Any] | None:
    """Create (or, for a new version, Update) the proposal's preview Note and deliver it to the
    inboxes of its author's followers on servers that mishandle Article, and have the
    organisation announce it to its own such followers (as it announces a member's proposal);
    None when there are none (a Note not made yet is then not made). Call it inside the
    publishing transaction."""
    await article_row.fetch_related("author")
    author: Actor = article_row.author
    inboxes = await preview_inboxes(author)
    organisation = await organisation_of_thread(article_row.context_uri)
    relayed: list[str] = []
    if organisation is not None and organisation.id != author.id:
        relayed = [inbox for inbox in await preview_inboxes(organisation) if inbox not in inboxes]
    proposal = await Proposal.get(object_id=article_row.id).prefetch_related("preview_object")
    existing: Object | None = proposal.preview_object
    if not inboxes and not relayed and existing is None:
        return None
    note, kind = await _store_note(outbox, article_row, proposal, existing, author)
    if not inboxes and not relayed:
        return None
    activity = new_activity(outbox.urls, kind, author, note, to=note["to"], cc=note["cc"])
    await outbox.publish(author, activity, inboxes=inboxes, to_followers=False)
    if relayed and organisation is not None:
        shared = note["id"] if kind == "Create" else activity  # an edit passed on (FEP-1b12)
        announce = new_activity(
            outbox.urls,
            "Announce",
            organisation,
            shared,
            to=[PUBLIC],
            cc=[organisation.followers_uri, author.uri],
        )
        await outbox.publish(organisation, announce, inboxes=relayed, to_followers=False)
    return activity


async def withdraw_preview(outbox: Outbox, article_row: Object) -> dict[str, Any] | None:
    """The proposal was withdrawn: tombstone its preview Note and send its Delete to the
    servers that had it (its author's and the organisation's followers there); None when it
    had none. Call it inside the withdrawing transaction."""
    proposal = await Proposal.get_or_none(object_id=article_row.id).prefetch_related(
        "preview_object"
    )
    note: Object | None = proposal.preview_object if proposal is not None else None
    if note is None or note.deleted_at is not None:
        return None
    await article_row.fetch_related("author")
    author: Actor = article_row.author
    note.deleted_at = now()
    await note.save(update_fields=["deleted_at"])
    inboxes = await preview_inboxes(author)
    organisation = await organisation_of_article(article_row)
    if organisation is not None and organisation.id != author.id:
        inboxes += [inbox for inbox in await preview_inboxes(organisation) if inbox not in inboxes]
    tombstone = to_tombstone(note.uri, "Note", note.deleted_at)
    activity = new_activity(
        outbox.urls, "Delete", author, tombstone, to=note.document.get("to", []),
        cc=note.document.get("cc", []),
    )  # fmt: skip
    if inboxes:
        await outbox.publish(author, activity, inboxes=inboxes, to_followers=False)
    return activity


async def _store_note(
    outbox: Outbox,
    article_row: Object,
    proposal: Proposal,
    existing: Object | None,
    author: Actor,
) -> tuple[dict[str, Any], str]:
    """The preview Note stored (made, or rewritten for a new version), and Create or Update."""
    uri = existing.uri if existing else outbox.urls.object(uuid.uuid4().hex)
    note = preview_note(uri, article_row.document)
    if existing is not None:
        existing.document, existing.content = note, note["content"]
        existing.updated_at = now()
        await existing.save()
        return note, "Update"
    proposal.preview_object = await Object.create(
        uri=uri,
        type="Note",
        is_local=True,
        author=author,
        context_uri="",  # its `context` names the thread, but it is no comment in it
        content=note["content"],
        url=uri,
        is_public=article_row.is_public,
        document=note,
        published_at=now(),
    )
    await proposal.save(update_fields=["preview_object_id"])
    return note, "Create"


async def previewed_proposal(uri: str) -> str | None:
    """The proposal's id when `uri` is a proposal's preview Note, else None."""
    proposal = await Proposal.get_or_none(preview_object__uri=uri).prefetch_related("object")
    return proposal.object.uri if proposal is not None else None
