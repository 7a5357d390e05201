"""Objects, activities, follows and reactions, local and remote."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from node.models.actors import Actor


class Object(Model):
    """A content object (Note, Article, Question…) we published or hold a copy of."""

    id = fields.BigIntField(primary_key=True)
    uri = fields.CharField(max_length=2048, unique=True)
    type = fields.CharField(max_length=32)
    is_local = fields.BooleanField(default=False, db_index=True)
    author: fields.ForeignKeyRelation[Actor] = fields.ForeignKeyField(
        "models.Actor", related_name="objects", on_delete=fields.CASCADE
    )
    in_reply_to_uri = fields.CharField(max_length=2048, default="", db_index=True)
    context_uri = fields.CharField(max_length=2048, default="", db_index=True)
    name = fields.CharField(max_length=500, default="")
    summary = fields.TextField(default="")
    content = fields.TextField(default="")
    source = fields.TextField(default="")
    url = fields.CharField(max_length=2048, default="")
    is_public = fields.BooleanField(default=True)
    document: dict[str, Any] = fields.JSONField(default=dict)
    published_at = fields.DatetimeField(db_index=True)
    updated_at = fields.DatetimeField(null=True)
    deleted_at = fields.DatetimeField(null=True)
    hidden_at = fields.DatetimeField(null=True)  # hidden from pages by a moderator
    hidden_reason = fields.CharField(max_length=500, default="")
    held_at = fields.DatetimeField(null=True)  # a reply held for a moderator (also hidden_at)
    # arrived after its consultation closed: kept and shown, left out of the report's counts
    late = fields.BooleanField(default=False)
    # the language name/summary/content are in ("" when unsaid), and the same texts in other
    # languages: {"cy": {"name", "summary", "content", and for our proposals "source" and
    # "sections"}} (node/translations.py reads and writes it; HTML sanitised like content)
    language = fields.CharField(max_length=35, default="")
    translations: dict[str, Any] = fields.JSONField(default=dict)

    class Meta:
        table = "object"


class Activity(Model):
    """An activity in a local actor's outbox, kept whole as it was sent."""

    id = fields.BigIntField(primary_key=True)
    uri = fields.CharField(max_length=2048, unique=True)
    type = fields.CharField(max_length=32)
    actor: fields.ForeignKeyRelation[Actor] = fields.ForeignKeyField(
        "models.Actor", related_name="activities", on_delete=fields.CASCADE
    )
    object_uri = fields.CharField(max_length=2048, default="", db_index=True)
    is_public = fields.BooleanField(default=True)
    document: dict[str, Any] = fields.JSONField()
    published_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "activity"


class InboxEntry(Model):
    """An activity as it reached one local actor, for that actor's readable inbox."""

    id = fields.BigIntField(primary_key=True)
    recipient: fields.ForeignKeyRelation[Actor] = fields.ForeignKeyField(
        "models.Actor", related_name="inbox_entries", on_delete=fields.CASCADE
    )
    activity_uri = fields.CharField(max_length=2048)
    document: dict[str, Any] = fields.JSONField()
    received_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "inbox_entry"
        unique_together = (("recipient", "activity_uri"),)


class FollowState(StrEnum):
    """Whether a follow was answered yet."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Follow(Model):
    """One actor following another, with the id of the Follow activity that asked."""

    id = fields.BigIntField(primary_key=True)
    uri = fields.CharField(max_length=2048, unique=True)
    follower: fields.ForeignKeyRelation[Actor] = fields.ForeignKeyField(
        "models.Actor", related_name="following_rows", on_delete=fields.CASCADE
    )
    followee: fields.ForeignKeyRelation[Actor] = fields.ForeignKeyField(
        "models.Actor", related_name="follower_rows", on_delete=fields.CASCADE
    )
    state = fields.CharEnumField(FollowState, max_length=16, default=FollowState.PENDING)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "follow"
        unique_together = (("follower", "followee"),)


class Reaction(Model):
    """A Like or an Announce of an object, by any actor."""

    id = fields.BigIntField(primary_key=True)
    uri = fields.CharField(max_length=2048, unique=True)
    kind = fields.CharField(max_length=16)
    actor: fields.ForeignKeyRelation[Actor] = fields.ForeignKeyField(
        "models.Actor", related_name="reactions", on_delete=fields.CASCADE
    )
    object_uri = fields.CharField(max_length=2048, db_index=True)
    # an emoji reaction's emoji (Misskey's Like with _misskey_reaction, EmojiReact), else ''
    content = fields.CharField(max_length=128, default="")
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "reaction"
        unique_together = (("kind", "actor", "object_uri"),)


class ObjectRevision(Model):
    """What a post said before an edit: its author's own edits are readable as a history."""

    id = fields.BigIntField(primary_key=True)
    object: fields.ForeignKeyRelation[Object] = fields.ForeignKeyField(
        "models.Object", related_name="revisions", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=500, default="")
    summary = fields.TextField(default="")
    content = fields.TextField(default="")
    source = fields.TextField(default="")
    written_at = fields.DatetimeField()  # when this text was published or last edited
    replaced_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "object_revision"
