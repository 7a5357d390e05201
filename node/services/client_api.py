"""The client-to-server API: what a member's bearer-token POST to its outbox does."""

from __future__ import annotations

from typing import Any

from tortoise.transactions import in_transaction

import schemas
from federation.vocab import PUBLIC, id_of
from node.activitypub import new_activity, to_actor, to_tombstone, to_undo
from node.models import Activity, Actor, Follow, Object, Reaction
from node.sanitize import display_name, plain_text
from node.services import amendments, follows, local_objects, polls
from node.services.endorsements import parse_profile_role
from node.services.errors import Forbidden, NotFound, ServiceError
from node.services.outbox import Outbox
from node.services.proposals import Proposals
from node.services.remote_actors import RemoteActors
from node.services.threads import announce_in_thread

BARE_OBJECTS = frozenset({"Note", "Article", "Question"})


class ClientApi:
    """Turns submitted activities into stored changes and outgoing deliveries."""

    def __init__(self, outbox: Outbox, remote_actors: RemoteActors) -> None:
        self._outbox = outbox
        self._remote = remote_actors
        self._urls = outbox.urls
        self._proposals = Proposals(outbox)
        self._amendments = amendments.Amendments(outbox, self._proposals)
        self._polls = polls.Polls(outbox)

    async def post(self, actor: Actor, submitted: dict[str, Any]) -> dict[str, Any]:
        """Carry out one submitted activity (or bare object) and return the activity sent."""
        if submitted.get("type") in BARE_OBJECTS:
            submitted = {"type": "Create", "actor": actor.uri, "object": submitted}
        submitted = _with_hashtag_objects(submitted)
        submitted.setdefault("actor", actor.uri)
        if submitted.get("type") == "Follow" and _is_handle(submitted.get("object")):
            followee = await self._remote.resolve_handle(str(submitted["object"]))
            submitted = {**submitted, "object": followee.uri}
        if id_of(submitted.get("actor")) != actor.uri:
            raise Forbidden("you can only post activities as yourself")
        _validate(self._with_placeholder_ids(submitted))
        handler = getattr(self, f"_{str(submitted['type']).lower()}", None)
        if handler is None:
            raise ServiceError(f"activities of type {submitted['type']!r} are not supported")
        result: dict[str, Any] = await handler(actor, submitted)
        return result

    def _with_placeholder_ids(self, submitted: dict[str, Any]) -> dict[str, Any]:
        """The submission as it will look once we assign ids, for schema validation."""
        checked = {**submitted, "id": self._urls.activity("submitted")}
        embedded = checked.get("object")
        if isinstance(embedded, dict) and "id" not in embedded:
            checked["object"] = {**embedded, "id": self._urls.object("submitted")}
        return checked

    async def _create(self, actor: Actor, submitted: dict[str, Any]) -> dict[str, Any]:
        submitted_object = submitted.get("object")
        if not isinstance(submitted_object, dict):
            raise ServiceError("Create needs an embedded object")
        if submitted_object.get("type") == "Article":
            return await self._proposals.create(actor, submitted_object)
        if "amendment" in submitted_object:
            return await self._amendments.suggest(actor, submitted_object)
        if submitted_object.get("type") == "Question":
            return await self._polls.create(actor, submitted_object)
        if await polls.is_vote(submitted_object):
            return await self._polls.vote(actor, submitted_object)
        document = local_objects.build_object(self._urls, actor, submitted_object)
        await local_objects.join_thread(document)
        activity = new_activity(
            self._urls, "Create", actor, document, to=document["to"], cc=document["cc"]
        )
        reply_to = await self._reply_author(document)
        async with in_transaction():
            row = await local_objects.save_object(actor, document)
            await self._outbox.publish(actor, activity, inboxes=reply_to, to_followers=True)
            await announce_in_thread(self._outbox, row)
        return activity

    async def _reply_author(self, document: dict[str, Any]) -> list[str]:
        """The inbox of the author of what this replies to, so the thread's home hears of it."""
        parent = id_of(document.get("inReplyTo"))
        if parent is None:
            return []
        row = await Object.get_or_none(uri=parent).prefetch_related("author")
        if row is None or row.author.is_local:
            return []
        document.setdefault("cc", []).append(row.author.uri)
        return [row.author.delivery_inbox]

    async def _update(self, actor: Actor, submitted: dict[str, Any]) -> dict[str, Any]:
        submitted_object = submitted.get("object")
        if not isinstance(submitted_object, dict):
            raise ServiceError("Update needs the embedded object with its changes")
        if submitted_object.get("id") == actor.uri:
            return await self._update_profile(actor, submitted_object)
        proposal = await Object.get_or_none(
            uri=str(submitted_object.get("id")), is_local=True, deleted_at=None, type="Article"
        )
        if proposal is not None:
            return await self._proposals.update(actor, proposal, submitted_object)
        await polls.refuse_rule_changes(submitted_object)
        async with in_transaction():
            document = await local_objects.edit_object(actor, submitted_object)
            activity = new_activity(
                self._urls, "Update", actor, document, to=document.get("to"), cc=document.get("cc")
            )
            await self._outbox.publish(actor, activity, to_followers=True)
        return activity

    async def _update_profile(self, actor: Actor, changes: dict[str, Any]) -> dict[str, Any]:
        """A member edits its own profile: name, summary, role, whether follows need approval."""
        if "role" in changes:
            actor.role = parse_profile_role(changes["role"])
        if isinstance(changes.get("name"), str):
            actor.name = display_name(plain_text(changes["name"]))[:255] or actor.handle
        if isinstance(changes.get("summary"), str):
            actor.summary = plain_text(changes["summary"])[:5000]
        if isinstance(changes.get("manuallyApprovesFollowers"), bool):
            actor.manually_approves_followers = changes["manuallyApprovesFollowers"]
        async with in_transaction():
            await actor.save()
            activity = new_activity(
                self._urls,
                "Update",
                actor,
                to_actor(actor, self._urls),
                to=[PUBLIC],
                cc=[actor.followers_uri],
            )
            await self._outbox.publish(actor, activity, to_followers=True)
        return activity

    async def _delete(self, actor: Actor, submitted: dict[str, Any]) -> dict[str, Any]:
        uri = id_of(submitted.get("object")) or ""
        async with in_transaction():
            row = await local_objects.withdraw_object(actor, uri)
            tombstone = to_tombstone(row.uri, row.type, row.deleted_at or row.published_at)
            activity = new_activity(
                self._urls, "Delete", actor, tombstone, to=[PUBLIC], cc=[actor.followers_uri]
            )
            await self._outbox.publish(actor, activity, to_followers=True)
        return activity

    async def _like(self, actor: Actor, submitted: dict[str, Any]) -> dict[str, Any]:
        return await self._react(actor, "Like", id_of(submitted.get("object")) or "")

    async def _announce(self, actor: Actor, submitted: dict[str, Any]) -> dict[str, Any]:
        return await self._react(actor, "Announce", id_of(submitted.get("object")) or "")

    async def _react(self, actor: Actor, kind: str, target: str) -> dict[str, Any]:
        row = await Object.get_or_none(uri=target, deleted_at=None).prefetch_related("author")
        if row is None or (row.is_local and not row.is_public):  # drafts cannot be endorsed
            raise NotFound(f"no object {target} known here: fetch it through proxyUrl first")
        if await Reaction.filter(kind=kind, actor_id=actor.id, object_uri=target).exists():
            raise ServiceError(f"you already sent a {kind} of {target}")
        to = [row.author.uri] + ([PUBLIC] if kind == "Announce" else [])
        activity = new_activity(
            self._urls,
            kind,
            actor,
            target,
            to=to,
            cc=[actor.followers_uri] if kind == "Announce" else None,
        )
        inboxes = [] if row.author.is_local else [row.author.delivery_inbox]
        async with in_transaction():
            await Reaction.create(uri=activity["id"], kind=kind, actor=actor, object_uri=target)
            await self._outbox.publish(
                actor, activity, inboxes=inboxes, to_followers=kind == "Announce"
            )
        return activity

    async def _follow(self, actor: Actor, submitted: dict[str, Any]) -> dict[str, Any]:
        followee = await self._remote.get(id_of(submitted.get("object")) or "")
        return await follows.follow(self._outbox, actor, followee)

    async def _undo(self, actor: Actor, submitted: dict[str, Any]) -> dict[str, Any]:
        undone_id = id_of(submitted.get("object")) or ""
        follow = await Follow.get_or_none(uri=undone_id, follower_id=actor.id).prefetch_related(
            "followee"
        )
        if follow is not None:
            return await follows.unfollow(self._outbox, actor, follow.followee)
        reaction = await Reaction.get_or_none(uri=undone_id, actor_id=actor.id)
        if reaction is None:
            raise NotFound(f"you have no Follow, Like or Announce with id {undone_id}")
        return await self._undo_reaction(actor, reaction)

    async def _undo_reaction(self, actor: Actor, reaction: Reaction) -> dict[str, Any]:
        original = await Activity.get_or_none(uri=reaction.uri)
        undone = (
            original.document
            if original
            else {
                "id": reaction.uri,
                "type": reaction.kind,
                "actor": actor.uri,
                "object": reaction.object_uri,
            }
        )
        activity = to_undo(self._urls, actor, undone)
        target = await Object.get_or_none(uri=reaction.object_uri).prefetch_related("author")
        inboxes = [target.author.delivery_inbox] if target and not target.author.is_local else []
        async with in_transaction():
            await reaction.delete()
            await self._outbox.publish(
                actor, activity, inboxes=inboxes, to_followers=reaction.kind == "Announce"
            )
        return activity

    async def _accept(self, actor: Actor, submitted: dict[str, Any]) -> dict[str, Any]:
        return await self._answer(actor, submitted, accept=True)

    async def _reject(self, actor: Actor, submitted: dict[str, Any]) -> dict[str, Any]:
        return await self._answer(actor, submitted, accept=False)

    async def _answer(
        self, actor: Actor, submitted: dict[str, Any], *, accept: bool
    ) -> dict[str, Any]:
        follow_id = id_of(submitted.get("object")) or ""
        if await amendments.is_amendment(follow_id):
            return await self._amendments.answer(actor, follow_id, submitted, accept=accept)
        return await follows.answer_pending_follow(self._outbox, actor, follow_id, accept=accept)


def _with_hashtag_objects(submitted: dict[str, Any]) -> dict[str, Any]:
    """Let clients write tags as plain words; store them as Hashtag objects."""
    embedded = submitted.get("object")
    if not isinstance(embedded, dict) or "tag" not in embedded:
        return submitted
    tags = embedded["tag"] if isinstance(embedded["tag"], list) else [embedded["tag"]]
    hashtags = [
        {"type": "Hashtag", "name": "#" + tag.lstrip("#")} if isinstance(tag, str) else tag
        for tag in tags
    ]
    return {**submitted, "object": {**embedded, "tag": hashtags}}


def _is_handle(value: object) -> bool:
    """Whether a Follow's object is written as @user@host or acct:user@host."""
    return isinstance(value, str) and value.startswith(("@", "acct:"))


def _validate(submitted: dict[str, Any]) -> None:
    try:
        schemas.validate("activity", submitted)
        kind = str(submitted["type"]).lower()
        if kind in schemas.kinds():
            schemas.validate(kind, submitted)
    except schemas.SchemaError as error:
        raise ServiceError(str(error)) from None
