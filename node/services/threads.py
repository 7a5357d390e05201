"""Threads: every object of a conversation shares its proposal's `context`, kept by its home node.

When the home node accepts a comment from anywhere, its organisation (a Group, FEP-1b12)
announces it to its followers, and passes on its edits and withdrawals, and the Likes and
Announces taken back (Undo) in it, the same way, so following the organisation is enough to see
the whole thread as it stands.
"""

from __future__ import annotations

import logging
from typing import Any

from federation.vocab import PUBLIC, id_of
from node.activitypub import new_activity
from node.addressing import addressed_ids
from node.models import Activity, Actor, Object
from node.services import lifecycle
from node.services.organisations import organisation_of_thread
from node.services.outbox import Outbox

log = logging.getLogger("townhall.threads")

PASSED_ON = frozenset({"Update", "Delete", "Undo"})


async def inherited_context(in_reply_to: str) -> str:
    """The context a reply joins: its parent's (FEP-11dd), or none for an unknown parent."""
    if not in_reply_to:
        return ""
    parent = await Object.get_or_none(uri=in_reply_to).only("context_uri", "uri")
    return parent.context_uri if parent is not None else ""


async def reply_addressees(in_reply_to: str, *, public: bool) -> list[Actor]:
    """The remote actors a local reply to `in_reply_to` goes to: the parent's author and, for a
    public reply (a private one reaches only whom it names), the thread's home too."""
    parent = await Object.get_or_none(uri=in_reply_to).prefetch_related("author")
    if parent is None:
        return []
    uris = [parent.author.uri] + (await _thread_home(parent) if public else [])
    found = await Actor.filter(uri__in=uris, is_local=False, deleted_at=None)
    by_uri = {actor.uri: actor for actor in found}
    return [by_uri[uri] for uri in dict.fromkeys(uris) if uri in by_uri]


async def _thread_home(parent: Object) -> list[str]:
    """Who keeps `parent`'s thread: the author of its first post held here (whose Group passes
    replies on) and a Group named as the parent's `audience` (Lemmy)."""
    home: list[str] = []
    if parent.context_uri:
        root = await (
            Object.filter(context_uri=parent.context_uri)
            .order_by("published_at", "id")
            .first()
            .prefetch_related("author")
        )
        if root is not None:
            home.append(root.author.uri)
    return home + addressed_ids((parent.document or {}).get("audience"))


async def _relaying_organisation(outbox: Outbox, item: Object) -> Actor | None:
    """The organisation, when it relays `item`: a public object of one of our threads by
    someone else (what the organisation writes already reaches its followers)."""
    if not item.is_public or not item.context_uri or not outbox.urls.is_local(item.context_uri):
        return None
    organisation = await organisation_of_thread(item.context_uri)
    await item.fetch_related("author")
    if organisation is None or item.author.id == organisation.id:
        return None
    return organisation


async def announce_in_thread(outbox: Outbox, item: Object) -> dict[str, Any] | None:
    """Have the organisation announce a new public object of one of our threads."""
    organisation = await _relaying_organisation(outbox, item)
    if organisation is None:
        return None
    announce = new_activity(
        outbox.urls,
        "Announce",
        organisation,
        item.uri,
        to=[PUBLIC],
        cc=[organisation.followers_uri, item.author.uri],
    )
    await outbox.publish(organisation, announce, to_followers=True)
    log.info("thread.announced", extra={"object": item.uri, "context": item.context_uri})
    return announce


async def tell_of_removal(outbox: Outbox, item: Object) -> dict[str, Any] | None:
    """Have the organisation tell its followers that its moderators removed another server's
    object from one of our threads: a Delete by the Group, which Townhall nodes honour from
    the thread's home (federation/activities/delete.py). Call it before the tombstone."""
    organisation = await _relaying_organisation(outbox, item)
    if organisation is None:
        return None
    delete = new_activity(
        outbox.urls,
        "Delete",
        organisation,
        {"id": item.uri, "type": "Tombstone"},
        to=[PUBLIC],
        cc=[organisation.followers_uri],
    )
    await outbox.publish(organisation, delete, to_followers=True)
    log.info("thread.removal_told", extra={"object": item.uri, "context": item.context_uri})
    return delete


async def pass_on_in_thread(
    outbox: Outbox, activity: dict[str, Any], object_uri: str
) -> dict[str, Any] | None:
    """Have the organisation pass on an Update or Delete of an object of one of our threads, or
    the Undo of a Like or Announce of one (`object_uri` is then the liked or shared object).

    FEP-1b12: the Group announces the original activity itself, embedded, once per activity;
    servers that follow only the organisation learn of edits, withdrawals and Undos this way.
    """
    if activity.get("type") not in PASSED_ON or not isinstance(activity.get("id"), str):
        return None
    item = await Object.get_or_none(uri=object_uri)
    organisation = await _relaying_organisation(outbox, item) if item is not None else None
    if item is None or organisation is None or id_of(activity.get("actor")) == organisation.uri:
        return None
    comment_edit = activity["type"] == "Update" and item.type != "Article"
    if comment_edit and not await lifecycle.our_thread_takes(
        "changes to comments", item.context_uri
    ):
        return None  # an edit of a comment after the close is kept out, not passed on
    if await Activity.filter(
        actor_id=organisation.id, type="Announce", object_uri=activity["id"]
    ).exists():
        return None  # the same activity received twice is passed on once
    announce = new_activity(
        outbox.urls,
        "Announce",
        organisation,
        activity,
        to=[PUBLIC],
        cc=[organisation.followers_uri, item.author.uri],
    )
    await outbox.publish(organisation, announce, to_followers=True)
    log.info(
        "thread.passed_on",
        extra={"activity": activity["id"], "type": activity["type"], "object": object_uri},
    )
    return announce
