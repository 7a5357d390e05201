"""Activities in the recorded shape of a remote software, sent by a fake actor.

Each builder starts from a recorded activity in ``tests/fixtures/remote`` (the
table below; FIXTURES.md there says where each was captured), moves it onto the
fake server with fresh ids, fills in what the caller asked for, and drops any
URL left pointing at the recording's third-party servers. What is not filled in
stays as recorded: Mastodon's ``nickname`` and ``atomUri``, Lemmy's ``source``,
Pleroma's ``context``, Misskey's ``_misskey_reaction``, each one's ``@context``
(the Mastodon Delete recording's lacks the ActivityStreams URI; so does ours).
The stale LD ``signature`` of a recording is removed, since it cannot verify.
A software without a recording of some activity borrows Mastodon's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tests.fakes.actors import FakeActor
from tests.fakes.payloads import Rehoming, foreign_hosts, load_fixture, origin_of, scrub

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
_ADDRESSING = ("to", "cc", "bto", "bcc", "audience")

TEMPLATES: dict[str, dict[str, str]] = {
    "mastodon": {
        "Follow": "mastodon/follow.json",
        "Accept": "mastodon/accept_follow.json",
        "Undo": "mastodon/undo_follow.json",
        "UndoLike": "mastodon/undo_like.json",
        "UndoAnnounce": "mastodon/undo_announce.json",
        "Create": "mastodon/create_note.json",
        "Vote": "mastodon/create_poll_vote.json",
        "Like": "mastodon/like.json",
        "Announce": "mastodon/announce.json",
        "Delete": "mastodon/delete_note_tombstone.json",
        "DeleteActor": "mastodon/delete_actor.json",
    },
    "lemmy": {
        "Follow": "lemmy/following__follow.json",
        "Accept": "lemmy/following__accept.json",
        "Undo": "lemmy/following__undo_follow.json",
        "UndoLike": "lemmy/voting__undo_like_note.json",
        "Create": "lemmy/create_or_update__create_comment.json",
        "Like": "lemmy/voting__like_note.json",
        "Delete": "lemmy/deletion__delete_page.json",
        "DeleteActor": "lemmy/deletion__delete_user.json",
    },
    "pleroma": {
        "Follow": "pleroma/follow_lemmy-assets.json",
        "Create": "pleroma/create_note_lemmy-assets.json",
        "Delete": "pleroma/delete_lemmy-assets.json",
    },
    "misskey": {"Like": "misskey/like_with_misskey_reaction.json"},
}


@dataclass(frozen=True)
class Quirks:
    """Spellings real servers use that a strict reader would refuse."""

    public_form: str = PUBLIC  # "as:Public" or "Public" as some servers compact it
    to_as_string: bool = False  # a one-recipient ``to`` as a bare string
    tag_as_object: bool = False  # a one-element ``tag`` as a bare object


def now_iso() -> str:
    """The current time as Mastodon writes it: ``2018-02-12T14:08:20Z``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def with_quirks(activity: dict[str, Any], quirks: Quirks | None) -> dict[str, Any]:
    """Apply ``quirks`` to an activity and to the object it embeds, in place."""
    if quirks is None:
        return activity
    targets = [activity] + (
        [activity["object"]] if isinstance(activity.get("object"), dict) else []
    )
    for doc in targets:
        for key in _ADDRESSING:
            if key in doc:
                doc[key] = _respell_public(doc[key], quirks.public_form)
        if quirks.to_as_string and isinstance(doc.get("to"), list) and len(doc["to"]) == 1:
            doc["to"] = doc["to"][0]
        if quirks.tag_as_object and isinstance(doc.get("tag"), list) and len(doc["tag"]) == 1:
            doc["tag"] = doc["tag"][0]
    return activity


def _respell_public(value: Any, form: str) -> Any:
    if isinstance(value, list):
        return [form if item == PUBLIC else item for item in value]
    return form if value == PUBLIC else value


def _embedded(activity: Mapping[str, Any]) -> dict[str, Any]:
    """An activity as it is embedded in another: without its own @context."""
    return {k: v for k, v in activity.items() if k != "@context"}


def _fill(doc: dict[str, Any], key: str, value: Any) -> None:
    """Set ``key`` only where the recording has it (not every server sends every field)."""
    if key in doc:
        doc[key] = value


@dataclass
class _Draft:
    """A recorded activity being turned into ours."""

    doc: dict[str, Any]
    foreign: frozenset[str]
    recorded_object_id: str | None

    def finish(self, quirks: Quirks | None = None) -> dict[str, Any]:
        """Drop third-party leftovers and apply the quirks."""
        return with_quirks(scrub(self.doc, self.foreign), quirks)

    def rebase_id(self, object_id: str) -> None:
        """Ids derived from the object's (``{status}#delete``) follow the real object."""
        old, own = self.recorded_object_id, str(self.doc.get("id", ""))
        if old and own.startswith(old) and own != old:
            self.doc["id"] = object_id + own[len(old) :]


class ActivityFactory:
    """Builds activities as ``software`` sends them, from its recorded payloads."""

    def __init__(self, software: str) -> None:
        self.software = software

    def template_name(self, kind: str) -> str:
        """The fixture a kind of activity is built from (Mastodon's if ours has none)."""
        return TEMPLATES.get(self.software, {}).get(kind) or TEMPLATES["mastodon"][kind]

    def _variant(self, kind: str, specific: str) -> str:
        """``specific`` (e.g. UndoLike) where recorded for this software, else ``kind``.

        A software with its own ``kind`` but no ``specific`` keeps its own ``kind``
        rather than borrowing Mastodon's ``specific``.
        """
        own = TEMPLATES.get(self.software, {})
        if specific in own or (kind not in own and specific in TEMPLATES["mastodon"]):
            return specific
        return kind

    def _draft(self, kind: str, actor: FakeActor) -> _Draft:
        recorded = load_fixture(self.template_name(kind))
        old_actor = str(recorded["actor"])
        # Some recordings carry an id on another host than their actor's (Misskey's Like).
        origins = {origin_of(old_actor), origin_of(str(recorded.get("id", old_actor)))}
        extra = tuple(origins - {origin_of(old_actor)})
        doc = Rehoming(old_actor, actor.id, fresh_ids=True, also_from=extra).apply(recorded)
        doc["actor"] = actor.id
        inner = doc.get("object")
        object_id = inner.get("id") if isinstance(inner, dict) else inner
        return _Draft(doc, foreign_hosts(recorded, *origins), object_id)

    def follow(self, actor: FakeActor, target: str) -> dict[str, Any]:
        """``actor`` asks to follow ``target``."""
        draft = self._draft("Follow", actor)
        draft.doc["object"] = target
        _fill(draft.doc, "to", [target])
        return draft.finish()

    def accept(self, actor: FakeActor, follow: Mapping[str, Any] | str) -> dict[str, Any]:
        """``actor`` accepts a Follow, embedded as recorded (or by id when given an id)."""
        draft = self._draft("Accept", actor)
        if isinstance(follow, str):
            draft.doc["object"] = follow
        else:
            draft.doc["object"] = _embedded(follow)
            _fill(draft.doc, "to", [follow.get("actor")])
        return draft.finish()

    def undo(self, actor: FakeActor, activity: Mapping[str, Any]) -> dict[str, Any]:
        """``actor`` takes back one of its activities (Follow, Like, Announce …)."""
        draft = self._draft(self._variant("Undo", f"Undo{activity.get('type')}"), actor)
        draft.doc["object"] = _embedded(activity)
        draft.rebase_id(str(activity.get("id")))
        _fill(draft.doc, "to", activity.get("to", []))
        return draft.finish()

    def like(self, actor: FakeActor, object_id: str) -> dict[str, Any]:
        """``actor`` likes an object."""
        draft = self._draft("Like", actor)
        draft.doc["object"] = object_id
        return draft.finish()

    def create_note(
        self,
        actor: FakeActor,
        content: str,
        *,
        in_reply_to: str | None = None,
        to: Sequence[str] | None = None,
        cc: Sequence[str] | None = None,
        mentions: Sequence[tuple[str, str]] = (),
        quirks: Quirks | None = None,
    ) -> dict[str, Any]:
        """A Create{Note}; addressed as Mastodon does by default: to Public, cc followers.

        ``mentions`` are (actor id, ``@name@host``) pairs: each becomes a Mention tag
        and is cc'd. ``content`` is used as given.
        """
        draft = self._draft("Create", actor)
        to = list(to) if to is not None else [PUBLIC]
        cc = list(cc) if cc is not None else _followers(actor) + [href for href, _ in mentions]
        tags = [{"type": "Mention", "href": href, "name": name} for href, name in mentions]
        published = now_iso()
        note = draft.doc["object"]
        _fill_note(note, actor, content, in_reply_to, published)
        note.update(to=to, cc=cc, tag=tags)
        draft.doc.update(to=to, cc=cc)
        _fill(draft.doc, "published", published)
        _fill(draft.doc, "tag", tags)
        return draft.finish(quirks)

    def update_note(
        self, actor: FakeActor, note: Mapping[str, Any], content: str, quirks: Quirks | None = None
    ) -> dict[str, Any]:
        """An Update carrying ``note`` with new content and an ``updated`` time."""
        draft = self._draft("Create", actor)
        stamp = now_iso()
        updated = {**note, "content": content, "updated": stamp}
        _fill_source(updated, content)
        to, cc = note.get("to", [PUBLIC]), note.get("cc", [])
        draft.doc.update(type="Update", object=updated, to=to, cc=cc)
        _fill(draft.doc, "published", stamp)
        draft.doc.pop("tag", None)
        own = str(draft.doc.get("id", ""))
        draft.doc["id"] = (
            own.replace("/create/", "/update/")
            if "/create/" in own
            else f"{note['id']}#updates/{int(datetime.now(UTC).timestamp())}"
        )
        return draft.finish(quirks)

    def delete(
        self,
        actor: FakeActor,
        object_id: str,
        *,
        to: Sequence[str] | None = None,
        quirks: Quirks | None = None,
    ) -> dict[str, Any]:
        """A Delete of an object (a Tombstone for Mastodon) or, given the actor's id, of it."""
        kind = self._variant("Delete", "DeleteActor") if object_id == actor.id else "Delete"
        draft = self._draft(kind, actor)
        recorded = draft.doc.get("object")
        if isinstance(recorded, dict):
            draft.doc["object"] = {**recorded, "id": object_id}
            _fill(draft.doc["object"], "atomUri", object_id)
        else:
            draft.doc["object"] = object_id
        draft.rebase_id(object_id)
        if to is not None or "to" not in draft.doc:
            draft.doc["to"] = list(to) if to is not None else [PUBLIC]
        return draft.finish(quirks)

    def announce(
        self,
        actor: FakeActor,
        object_id: str,
        *,
        object_author: str | None = None,
        quirks: Quirks | None = None,
    ) -> dict[str, Any]:
        """An Announce (boost): to Public, cc the object's author and the followers."""
        draft = self._draft("Announce", actor)
        cc = ([object_author] if object_author else []) + _followers(actor)
        draft.doc.update(object=object_id, to=[PUBLIC], cc=cc)
        _fill(draft.doc, "published", now_iso())
        return draft.finish(quirks)

    def vote(
        self,
        actor: FakeActor,
        question_id: str,
        option_name: str,
        *,
        question_author: str | None = None,
    ) -> dict[str, Any]:
        """A poll vote: Create{Note{name: option, inReplyTo: question}} to the poll's author."""
        draft = self._draft("Vote", actor)
        note = draft.doc["object"]
        note.update(attributedTo=actor.id, inReplyTo=question_id, name=option_name)
        for doc in (draft.doc, note):
            if question_author is None:
                doc.pop("to", None)
            else:
                doc["to"] = question_author  # a bare string, as recorded
        return draft.finish()


def _followers(actor: FakeActor) -> list[str]:
    return [actor.followers] if actor.followers else []


def _fill_note(
    note: dict[str, Any], actor: FakeActor, content: str, in_reply_to: str | None, published: str
) -> None:
    """Fill a recorded Note with ours; a fresh post has no warning and no replies yet."""
    note.update(attributedTo=actor.id, content=content, inReplyTo=in_reply_to, published=published)
    _fill(note, "actor", actor.id)
    _fill(note, "inReplyToAtomUri", in_reply_to)
    _fill(note, "sensitive", False)
    _fill(note, "summary", None)
    _fill_source(note, content)
    replies = note.get("replies")
    if isinstance(replies, dict) and isinstance(replies.get("first"), dict):
        replies["first"]["items"] = []


def _fill_source(note: dict[str, Any], content: str) -> None:
    source = note.get("source")
    if isinstance(source, str):
        note["source"] = content
    elif isinstance(source, dict):
        note["source"] = {**source, "content": content}
