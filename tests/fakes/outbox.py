"""What a fake remote's actors send: activities from recordings, published as real servers do.

``FakeRemote`` inherits these methods; they take an actor by name (or as a
``FakeActor``), build the activity with ``activities.ActivityFactory`` and keep
the served objects in step: a created Note can be fetched from its origin, an
updated one is served in its new version, a deleted one answers 410.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any

from tests.fakes.activities import ActivityFactory, Quirks
from tests.fakes.actors import FakeActor


class Outbox(ABC):
    """Activity builders for a server that can name its actors and publish objects."""

    activities: ActivityFactory

    @property
    @abstractmethod
    def base_url(self) -> str:
        """The server's ``http://host:port``."""

    @abstractmethod
    def actor(self, actor: str | FakeActor) -> FakeActor:
        """The actor of that name."""

    @abstractmethod
    def publish(self, document: Mapping[str, Any]) -> dict[str, Any]:
        """Serve ``document`` at its id."""

    @abstractmethod
    def gone(self, object_id: str) -> None:
        """Answer 410 for ``object_id``."""

    def follow(self, actor: str | FakeActor, target: str) -> dict[str, Any]:
        """A Follow of ``target`` by ``actor``."""
        return self.activities.follow(self.actor(actor), target)

    def accept(self, actor: str | FakeActor, follow: Mapping[str, Any] | str) -> dict[str, Any]:
        """An Accept of a received Follow (embedded; or by id only if given an id)."""
        return self.activities.accept(self.actor(actor), follow)

    def undo(self, actor: str | FakeActor, activity: Mapping[str, Any]) -> dict[str, Any]:
        """An Undo of one of ``actor``'s activities."""
        return self.activities.undo(self.actor(actor), activity)

    def like(self, actor: str | FakeActor, object_id: str) -> dict[str, Any]:
        """A Like of ``object_id``."""
        return self.activities.like(self.actor(actor), object_id)

    def create_note(
        self,
        actor: str | FakeActor,
        content: str,
        *,
        in_reply_to: str | None = None,
        to: Sequence[str] | None = None,
        cc: Sequence[str] | None = None,
        mentions: Sequence[tuple[str, str]] = (),
        quirks: Quirks | None = None,
    ) -> dict[str, Any]:
        """A Create{Note}, published here so the Note can be fetched from its origin."""
        activity = self.activities.create_note(
            self.actor(actor),
            content,
            in_reply_to=in_reply_to,
            to=to,
            cc=cc,
            mentions=mentions,
            quirks=quirks,
        )
        self._publish_with_object(activity)
        return activity

    def update_note(
        self,
        actor: str | FakeActor,
        note: Mapping[str, Any],
        content: str,
        *,
        quirks: Quirks | None = None,
    ) -> dict[str, Any]:
        """An Update of a Note with new content; the new version is served from now on."""
        activity = self.activities.update_note(self.actor(actor), note, content, quirks)
        self.publish(activity["object"])
        return activity

    def delete(
        self,
        actor: str | FakeActor,
        object_id: str,
        *,
        to: Sequence[str] | None = None,
        quirks: Quirks | None = None,
    ) -> dict[str, Any]:
        """A Delete (Mastodon: of a Tombstone); our object answers 410 from now on.

        Deleting the actor itself leaves its document served, so the Delete can
        still be verified; call ``gone(actor.id)`` to make the key unfetchable.
        """
        sender = self.actor(actor)
        activity = self.activities.delete(sender, object_id, to=to, quirks=quirks)
        if object_id.startswith(self.base_url + "/") and object_id != sender.id:
            self.gone(object_id)
        return activity

    def announce(
        self,
        actor: str | FakeActor,
        object_id: str,
        *,
        object_author: str | None = None,
        quirks: Quirks | None = None,
    ) -> dict[str, Any]:
        """An Announce (boost) of ``object_id``."""
        return self.activities.announce(
            self.actor(actor), object_id, object_author=object_author, quirks=quirks
        )

    def vote(
        self,
        actor: str | FakeActor,
        question_id: str,
        option_name: str,
        *,
        question_author: str | None = None,
    ) -> dict[str, Any]:
        """A poll vote, as Mastodon sends it (a Create of a named Note)."""
        return self.activities.vote(
            self.actor(actor), question_id, option_name, question_author=question_author
        )

    def _publish_with_object(self, activity: Mapping[str, Any]) -> None:
        inner = activity.get("object")
        if isinstance(inner, dict) and "id" in inner:
            self.publish(inner)
        if "#" not in str(activity.get("id", "#")):
            self.publish(activity)
