"""What the protocol layer asks of the node when it applies a received activity.

The node implements `ActivityPorts`; every method speaks in ActivityStreams ids and documents,
never in database rows, so `federation/` stays free of storage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class LocalActorInfo:
    """What the protocol needs to know about one of the node's own actors."""

    uri: str
    manually_approves_followers: bool


class ActivityPorts(Protocol):
    """Storage and domain decisions, provided by the node."""

    async def local_actor(self, uri: str) -> LocalActorInfo | None:
        """The local actor with this id, if it is one of ours."""
        ...

    async def record_follow(
        self, follow_id: str, follower: str, followee: str, *, accepted: bool
    ) -> None:
        """Remember that `follower` asked to follow our `followee` (accepted or pending)."""
        ...

    async def answer_follow(self, follow: dict[str, Any], followee: str, *, accept: bool) -> None:
        """Send Accept or Reject of `follow` on behalf of our `followee`."""
        ...

    async def follow_answered(
        self, follower: str, followee: str, follow_id: str | None, *, accepted: bool
    ) -> bool:
        """A remote `followee` answered our `follower`'s Follow; False if we sent no such Follow."""
        ...

    async def amendment_answered(
        self, amendment_id: str, answer: dict[str, Any], answerer: str, *, accepted: bool
    ) -> bool:
        """`answerer` accepted or declined the amendment `amendment_id` (a Note) with `answer`;
        False unless it is an amendment we hold to a proposal `answerer` may answer for."""
        ...

    async def remove_follow(self, follower: str, followee: str) -> bool:
        """`follower` stops following `followee`; False if there was no such follow."""
        ...

    async def activity_actor(self, activity_id: str) -> tuple[str, dict[str, Any]] | None:
        """(actor id, document) of a stored Follow, Like, Announce or EmojiReact we were sent,
        by its id (a reaction's emoji as its `content`)."""
        ...

    async def fetch_trusted(self, uri: str) -> dict[str, Any] | None:
        """The object as its own origin serves it now (None if gone or unreachable)."""
        ...

    async def object_author(self, uri: str) -> str | None:
        """Who wrote the stored object `uri` (None if we hold no such object)."""
        ...

    async def store_object(self, document: dict[str, Any], author: str) -> None:
        """Store or replace a remote object written by `author`."""
        ...

    async def delete_object(self, uri: str, author: str) -> None:
        """Replace the object with a tombstone (remembered even if it was never stored)."""
        ...

    async def thread_home(self, uri: str) -> str | None:
        """The Group whose thread holds the stored object `uri`, when another server is that
        thread's home (None for our own threads and for objects in no known thread)."""
        ...

    async def remove_from_thread(self, uri: str) -> None:
        """Tombstone the stored object `uri`: its thread's home removed it (moderation)."""
        ...

    async def object_gone(self, uri: str) -> bool:
        """Whether the origin of a remote `uri` says now that it is gone: 404 or 410, or a
        Tombstone (an unreachable origin is not an answer)."""
        ...

    async def pass_on(self, activity: dict[str, Any], object_uri: str) -> None:
        """Have the organisation pass on an Update or Delete of `object_uri`, or an Undo of a
        Like or Announce of it, when it is in one of its threads (FEP-1b12)."""
        ...

    async def delete_actor(self, uri: str, *, posts_kept: bool = False) -> None:
        """Remove a remote actor that deleted itself: its follows, reactions and key, and its
        content too unless the Delete says `postsKept` (a Townhall member who kept their
        posts: they stay, shown as by a former member)."""
        ...

    async def update_actor(self, document: dict[str, Any]) -> None:
        """Refresh a remote actor from an Update it sent about itself."""
        ...

    async def add_reaction(
        self, kind: str, reaction_id: str, actor: str, object_uri: str, emoji: str = ""
    ) -> None:
        """Record a Like, Announce or EmojiReact of one of our objects (`emoji`: the emoji a
        reaction carries, '' for a plain Like or Announce)."""
        ...

    async def remove_reaction(
        self, kind: str, actor: str, object_uri: str, emoji: str = ""
    ) -> bool:
        """Withdraw a Like, Announce or EmojiReact (with that `emoji`); False if there was none."""
        ...

    async def record_report(
        self, flag_id: str, reporter: str, reported: list[str], reason: str
    ) -> None:
        """Queue another server's report of our objects or actors for the moderators."""
        ...

    async def is_local_object(self, uri: str) -> bool:
        """Whether `uri` names an object this node published."""
        ...
