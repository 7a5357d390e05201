"""Local sign-in accounts and their bearer tokens."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from node.models.actors import Actor


class AccessRole(StrEnum):
    """What an account may do on its node."""

    MEMBER = "member"
    MODERATOR = "moderator"
    ADMIN = "admin"


class Account(Model):
    """A member who can sign in: one local Person actor, a password hash and a role."""

    id = fields.IntField(primary_key=True)
    actor: fields.OneToOneRelation[Actor] = fields.OneToOneField(
        "models.Actor", related_name="account", on_delete=fields.CASCADE
    )
    password_hash = fields.CharField(max_length=255, default="")
    access_role = fields.CharEnumField(AccessRole, max_length=16, default=AccessRole.MEMBER)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "account"


class Token(Model):
    """A bearer token, stored only as its SHA-256 digest."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="tokens", on_delete=fields.CASCADE
    )
    digest = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "token"
