"""The ports through which received activities change the node, and filing them for recipients."""

from __future__ import annotations

import logging
from typing import Any, cast

from federation.client import FederationClient
from federation.errors import BadStatus, FetchError
from federation.ports import LocalActorInfo
from federation.vocab import as_list, id_of
from node.addressing import addressees
from node.emoji_reactions import ENDORSEMENT, OTHER_REACTION
from node.models import Actor, Follow, FollowState, InboxEntry, InboxItem, Object, Reaction
from node.raw_sql import select
from node.services import (
    amendments,
    follows,
    held_replies,
    moderation,
    phases,
    polls,
    remote_objects,
    remote_proposals,
    statement_documents,
    statements,
)
from node.services.article_preview import previewed_proposal
from node.services.backfill import BackfillRequests
from node.services.blocklist import current_blocks
from node.services.errors import ServiceError
from node.services.outbox import Outbox
from node.services.remote_actors import RemoteActors, save_actor
from node.services.threads import announce_in_thread, pass_on_in_thread
from node.services.unique_inserts import insert_unless_taken

log = logging.getLogger("townhall.inbound")

GONE_STATUSES = frozenset({404, 410})
FILED_BY = ("to", "cc", "audience")  # whom a received activity is filed for


class NodeActivityPorts:
    """ActivityPorts backed by the node's database, outbox and remote fetching."""

    def __init__(
        self,
        outbox: Outbox,
        remote_actors: RemoteActors,
        client: FederationClient,
        backfill: BackfillRequests | None = None,
    ):
        self._outbox = outbox
        self._remote_actors = remote_actors
        self._client = client
        self._backfill = backfill
        self._polls = polls.Polls(outbox)
        self._statements = statements.Statements(outbox)

    async def local_actor(self, uri: str) -> LocalActorInfo | None:
        """One of our actors, by id."""
        actor = await Actor.get_or_none(uri=uri, is_local=True, deleted_at=None)
        return LocalActorInfo(actor.uri, actor.manually_approves_followers) if actor else None

    async def record_follow(
        self, follow_id: str, follower: str, followee: str, *, accepted: bool
    ) -> None:
        """Store a follow of one of our actors by a remote one."""
        await follows.record_follow(
            follow_id,
            await self._remote_actors.get(follower),
            await Actor.get(uri=followee),
            accepted=accepted,
        )

    async def answer_follow(self, follow: dict[str, Any], followee: str, *, accept: bool) -> None:
        """Send Accept/Reject for our followee."""
        await follows.answer_follow(
            self._outbox, await Actor.get(uri=followee), follow, accept=accept
        )

    async def follow_answered(
        self, follower: str, followee: str, follow_id: str | None, *, accepted: bool
    ) -> bool:
        """Mark our follow accepted (then fetch what the followee published before), or drop it."""
        answered = await follows.follow_answered(follower, followee, follow_id, accepted=accepted)
        if answered and accepted and self._backfill is not None:
            self._backfill.follow_accepted(followee)
        return answered

    async def remove_follow(self, follower: str, followee: str) -> bool:
        """Undo(Follow)."""
        return await follows.remove_follow(follower, followee)

    async def activity_actor(self, activity_id: str) -> tuple[str, dict[str, Any]] | None:
        """A Follow or reaction we were sent, by its id."""
        follow = await Follow.get_or_none(uri=activity_id).prefetch_related("follower", "followee")
        if follow is not None:
            document = {
                "id": follow.uri,
                "type": "Follow",
                "actor": follow.follower.uri,
                "object": follow.followee.uri,
            }
            return follow.follower.uri, document
        reaction = await Reaction.get_or_none(uri=activity_id).prefetch_related("actor")
        if reaction is not None:
            document = {
                "id": reaction.uri,
                "type": "EmojiReact" if reaction.kind == OTHER_REACTION else reaction.kind,
                "actor": reaction.actor.uri,
                "object": reaction.object_uri,
                "content": reaction.content,
            }
            return reaction.actor.uri, document
        return None

    async def fetch_trusted(self, uri: str) -> dict[str, Any] | None:
        """The object as its own origin serves it (None when it cannot be fetched)."""
        local = await Object.get_or_none(uri=uri, is_local=True)
        if local is not None:
            return None if local.deleted_at else local.document
        if (await current_blocks()).blocks_actor(uri):
            return None
        try:
            return (await self._client.fetch_object(uri)).document
        except FetchError as error:
            log.info("object.unfetchable", extra={"object": uri, "reason": error.reason})
            return None

    async def object_author(self, uri: str) -> str | None:
        """The author of a stored object."""
        row = await Object.get_or_none(uri=uri).prefetch_related("author")
        return row.author.uri if row is not None else None

    async def store_object(self, document: dict[str, Any], author: str) -> None:
        """Store a remote object; a new comment in one of our threads is announced."""
        if await statements.statement_voted_on(document) is not None:  # agree/disagree/pass
            await self._statements.record_remote_vote(
                document, await self._remote_actors.get(author)
            )
            return
        if statement_documents.is_submission(document):  # a statement for one of our proposals
            await self._statements.receive_submission(
                document, await self._remote_actors.get(author)
            )
            return
        if await polls.is_vote(document):  # a vote is counted, never stored as a comment
            await self._polls.record_remote_vote(document, await self._remote_actors.get(author))
            return
        stored = await remote_objects.store_object(document, await self._remote_actors.get(author))
        if stored.row is not None:
            await amendments.record_received(stored.row, document)
            await statements.hold_remote_statement(stored.row, document)
        if stored.created and stored.row is not None:
            await phases.mark_if_late(stored.row)  # kept, shown "after the closing date"
            if not await held_replies.hold_if_ruled_out(stored.row):  # else a moderator's call
                await announce_in_thread(self._outbox, stored.row)
            row = stored.row
            # a thread we learn of late is fetched from its home; an object that answers
            # nothing and names no thread has none to fetch
            if self._backfill is not None and (row.in_reply_to_uri or row.context_uri):
                self._backfill.object_arrived(row.uri)

    async def amendment_answered(
        self, amendment_id: str, answer: dict[str, Any], answerer: str, *, accepted: bool
    ) -> bool:
        """Record the Accept/Reject of an amendment to a proposal held here."""
        actor = await Actor.get_or_none(uri=answerer)
        return actor is not None and await amendments.answered_remotely(
            amendment_id, answer, actor, accepted=accepted
        )

    async def delete_object(self, uri: str, author: str) -> None:
        """Tombstone an object."""
        await remote_objects.tombstone(uri, await self._remote_actors.get(author))

    async def thread_home(self, uri: str) -> str | None:
        """The remote Group whose thread holds `uri` (see remote_proposals.thread_home)."""
        return await remote_proposals.thread_home(uri)

    async def remove_from_thread(self, uri: str) -> None:
        """Tombstone an object its thread's home removed."""
        row = await Object.get_or_none(uri=uri, is_local=False).select_related("author")
        if row is not None:
            await remote_objects.tombstone(uri, row.author)
            log.info("object.removed_by_thread_home", extra={"object": uri})

    async def object_gone(self, uri: str) -> bool:
        """Whether the origin of a remote object answers 404 or 410, or serves a Tombstone."""
        if await Object.filter(uri=uri, is_local=True).exists():
            return False  # ours are removed only by their authors, never on another's word
        if (await current_blocks()).blocks_actor(uri):
            return False
        try:
            document = (await self._client.fetch_object(uri)).document
        except BadStatus as error:
            return error.remote_status in GONE_STATUSES
        except FetchError as error:
            log.info("object.unfetchable", extra={"object": uri, "reason": error.reason})
            return False
        return "Tombstone" in as_list(document.get("type"))

    async def pass_on(self, activity: dict[str, Any], object_uri: str) -> None:
        """The organisation announces an Update, Delete or Undo in one of its threads."""
        await pass_on_in_thread(self._outbox, activity, object_uri)

    async def delete_actor(self, uri: str, *, posts_kept: bool = False) -> None:
        """Remove a remote actor and what it left here (but its posts when it kept them)."""
        self._remote_actors.forget_actor(uri)
        actor = await Actor.get_or_none(uri=uri, is_local=False)
        if actor is not None:
            self._remote_actors.forget_key(actor.key_id)
            await remote_objects.delete_actor_content(actor, posts_kept=posts_kept)

    async def update_actor(self, document: dict[str, Any]) -> None:
        """Refresh a remote actor."""
        try:
            await save_actor(document)
        except ServiceError as error:
            log.info(
                "actor.update_refused", extra={"actor": document.get("id"), "reason": str(error)}
            )
        finally:
            self._remote_actors.forget_actor(str(document.get("id")))

    async def add_reaction(
        self, kind: str, reaction_id: str, actor: str, object_uri: str, emoji: str = ""
    ) -> None:
        """Count a Like, a positive emoji reaction or an Announce (a Like of a closed
        consultation is not counted); keep any other emoji reaction, uncounted. One of a
        proposal's preview Note counts for the proposal."""
        object_uri = await previewed_proposal(object_uri) or object_uri
        stored = remote_objects.stored_reaction(kind, emoji)
        if stored.kind == ENDORSEMENT and not await phases.takes_reactions(object_uri):
            log.info("like.after_close", extra={"object": object_uri, "actor": actor})
            return
        await remote_objects.add_reaction(
            kind, reaction_id, await self._remote_actors.get(actor), object_uri, emoji
        )

    async def remove_reaction(
        self, kind: str, actor: str, object_uri: str, emoji: str = ""
    ) -> bool:
        """Withdraw a Like, an emoji reaction or an Announce (of a preview Note: of its
        proposal)."""
        object_uri = await previewed_proposal(object_uri) or object_uri
        endorsement = remote_objects.stored_reaction(kind, emoji).kind == ENDORSEMENT
        if endorsement and not await phases.takes_reactions(object_uri):
            log.info("undo.after_close", extra={"object": object_uri, "actor": actor})
            return False  # endorsements stand as they were at the close
        row = await Actor.get_or_none(uri=actor)
        return row is not None and await remote_objects.remove_reaction(
            kind, row, object_uri, emoji
        )

    async def record_report(
        self, flag_id: str, reporter: str, reported: list[str], reason: str
    ) -> None:
        """File a remote Flag in the reports queue (once, however often it arrives)."""
        await moderation.record_remote_report(flag_id, reporter, reported, reason)

    async def is_local_object(self, uri: str) -> bool:
        """Whether we published `uri`."""
        return await Object.filter(uri=uri, is_local=True, deleted_at=None).exists()


_LOCAL_FOLLOWERS_OF = """
SELECT f.follower_id AS id FROM follow f
JOIN actor followee ON followee.id = f.followee_id
JOIN actor follower ON follower.id = f.follower_id
WHERE followee.uri = {p1} AND f.state = {p2} AND follower.is_local
"""


async def file_for_recipients(
    item: InboxItem, activity: dict[str, Any], local_actor_prefix: str
) -> int:
    """Put the activity in the readable inbox of each local actor it concerns; return how many.

    Those are the local actors it is addressed to (every local actor's id starts with
    `local_actor_prefix`, so most activities need no lookup for that) and the local
    followers of its sender. A `Flag` is filed for nobody: a report is the moderators' (their
    queue), never the reported member's, or the reporting server's followers', to read.
    """
    if "Flag" in as_list(activity.get("type")):
        return 0
    addressed = addressees(activity, FILED_BY)
    if item.recipient_uri:
        addressed.add(item.recipient_uri)
    target = id_of(activity.get("object"))
    if target:
        addressed.add(target)
    local = [uri for uri in addressed if uri.startswith(local_actor_prefix)]
    recipients: set[int] = set()
    if local:
        ids = await Actor.filter(uri__in=local, is_local=True).values_list("id", flat=True)
        recipients.update(cast(list[int], ids))
    followers = await select(_LOCAL_FOLLOWERS_OF, [item.actor_uri, FollowState.ACCEPTED.value])
    recipients.update(int(row["id"]) for row in followers)
    for recipient_id in recipients:
        await insert_unless_taken(
            InboxEntry, recipient_id=recipient_id, activity_uri=item.activity_uri, document=activity
        )
    return len(recipients)
