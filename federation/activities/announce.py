"""Announce: a boost of one of our objects, or a Group relaying its thread (FEP-1b12): new
objects, their edits, their Deletes and the Undo of Likes and Announces in it."""

from __future__ import annotations

from typing import Any

from federation.activities import undo
from federation.activities.objects import OBJECT_TYPES, author_of, origin
from federation.ports import ActivityPorts
from federation.vocab import as_list, id_of

RELAYED_ACTIVITIES = frozenset({"Create", "Update"})


async def handle(activity: dict[str, Any], actor: str, ports: ActivityPorts) -> None:
    """Count a share of our object; store a relayed object only after fetching it from origin."""
    target = id_of(activity.get("object"))
    if target is None:
        return
    if await ports.is_local_object(target):
        await ports.add_reaction("Announce", activity["id"], actor, target)
        return
    # 1. a Group relaying a Delete: believed only when the object's origin says it is gone
    if _is_relayed_delete(activity["object"]):
        await _relayed_delete(id_of(activity["object"].get("object")), ports)
        return
    if _is_relayed_undo(activity["object"]):
        await _relayed_undo(activity["object"], actor, ports)
        return
    # 2. a Group relaying an activity (Lemmy: Announce{Create{Note}}) relays the object it
    #    carries; what is embedded is only a hint, the object is what its origin serves
    if _is_relayed_activity(activity["object"]):
        target = id_of(activity["object"].get("object"))
    document = await _fetch_remote(target, ports)
    # 3. the relayed activity given by id only: fetched, then its object fetched in turn
    if document is not None and _is_relayed_delete(document):
        await _relayed_delete(id_of(document.get("object")), ports)
        return
    if document is not None and _is_relayed_undo(document):
        await _relayed_undo(document, actor, ports)
        return
    if document is not None and _is_relayed_activity(document):
        document = await _fetch_remote(id_of(document.get("object")), ports)
    if document is None or document.get("type") not in OBJECT_TYPES:
        return
    author = author_of(document)
    if author is not None:
        await ports.store_object(document, author)
        # a Group relaying its own server's object vouches for it (a proposal's organisation)
        announced = id_of(document.get("id"))
        if announced is not None and origin(announced) == origin(actor):
            await ports.add_reaction("Announce", activity["id"], actor, announced)


def _is_relayed_activity(value: Any) -> bool:
    """Whether an announced thing is a Create or Update wrapping an object."""
    if not isinstance(value, dict):
        return False
    kinds = as_list(value.get("type"))
    return any(isinstance(kind, str) and kind in RELAYED_ACTIVITIES for kind in kinds)


def _is_relayed_delete(value: Any) -> bool:
    """Whether an announced thing is a Delete naming an object."""
    return isinstance(value, dict) and "Delete" in as_list(value.get("type"))


async def _relayed_delete(uri: str | None, ports: ActivityPorts) -> None:
    """Tombstone a remote object we hold once its own origin says it is gone (404, 410 or a
    Tombstone): the relayer's word alone removes nothing."""
    if uri is None or await ports.is_local_object(uri):
        return
    author = await ports.object_author(uri)
    if author is None or not await ports.object_gone(uri):
        return
    await ports.delete_object(uri, author)


def _is_relayed_undo(value: Any) -> bool:
    """Whether an announced thing is an Undo (of a Like or Announce in the Group's thread)."""
    return isinstance(value, dict) and "Undo" in as_list(value.get("type"))


async def _relayed_undo(relayed: dict[str, Any], relayer: str, ports: ActivityPorts) -> None:
    """Apply an Undo a Group relays, as if its actor had sent it, once it can be trusted: the
    relayer vouches for an Undo of its own server; any other is believed only as the Undo's
    origin serves it, and only when that origin is its actor's own."""
    undo_id = id_of(relayed.get("id"))
    if undo_id is None:
        return
    trusted: dict[str, Any] | None = relayed
    if origin(undo_id) != origin(relayer):
        trusted = await ports.fetch_trusted(undo_id)
    if trusted is None or not _is_relayed_undo(trusted) or id_of(trusted.get("id")) != undo_id:
        return
    undoer = id_of(trusted.get("actor"))
    if undoer is None or origin(undoer) != origin(undo_id):
        return
    # the undone activity must be the undoer's own: the Undo handler checks it
    await undo.handle(trusted, undoer, ports)


async def _fetch_remote(uri: str | None, ports: ActivityPorts) -> dict[str, Any] | None:
    """A remote object as its own origin serves it; None for ours or for nothing."""
    if uri is None or await ports.is_local_object(uri):
        return None
    # an announced object from anywhere is trusted only as its own origin serves it
    return await ports.fetch_trusted(uri)
