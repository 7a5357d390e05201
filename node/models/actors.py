"""Actors: the organisation (Group), its members (Person) and every remote actor we know."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class ActorType(StrEnum):
    """The ActivityStreams actor types we store."""

    PERSON = "Person"
    GROUP = "Group"
    SERVICE = "Service"
    APPLICATION = "Application"
    ORGANIZATION = "Organization"


class Actor(Model):
    """A local or remote ActivityPub actor."""

    id = fields.IntField(primary_key=True)
    uri = fields.CharField(max_length=2048, unique=True)
    type = fields.CharEnumField(ActorType, max_length=20)
    is_local = fields.BooleanField(default=False, db_index=True)
    handle = fields.CharField(max_length=255, db_index=True)
    domain = fields.CharField(max_length=255, db_index=True)
    name = fields.CharField(max_length=255, default="")
    summary = fields.TextField(default="")
    role = fields.CharField(max_length=32, default="")
    url = fields.CharField(max_length=2048, default="")
    inbox_uri = fields.CharField(max_length=2048)
    outbox_uri = fields.CharField(max_length=2048, default="")
    shared_inbox_uri = fields.CharField(max_length=2048, default="")
    followers_uri = fields.CharField(max_length=2048, default="")
    following_uri = fields.CharField(max_length=2048, default="")
    key_id = fields.CharField(max_length=2048, default="", db_index=True)
    public_key_pem = fields.TextField(default="")
    manually_approves_followers = fields.BooleanField(default=False)
    indexable = fields.BooleanField(null=True)  # FEP-268d, as a remote actor says; None: unsaid
    fetched_at = fields.DatetimeField(null=True)
    deleted_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "actor"
        unique_together = (("handle", "domain"),)

    def __str__(self) -> str:
        return f"@{self.handle}@{self.domain}"

    @property
    def delivery_inbox(self) -> str:
        """Where to deliver to this actor: its shared inbox when it has one."""
        return self.shared_inbox_uri or self.inbox_uri


class ActorKey(Model):
    """The private key of a local actor; it never leaves the server."""

    actor: fields.OneToOneRelation[Actor] = fields.OneToOneField(
        "models.Actor", related_name="private_key", on_delete=fields.CASCADE, primary_key=True
    )
    private_key_pem = fields.TextField()

    class Meta:
        table = "actor_key"
