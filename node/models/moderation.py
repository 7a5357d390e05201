"""Moderation and membership state: blocks, reports, invitations and node settings."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from node.models.accounts import AccessRole


class BlockSeverity(StrEnum):
    """What a block of a server does (Mastodon's domain-block severities)."""

    SUSPEND = "suspend"  # refuse everything it sends, drop what it sent
    LIMIT = "limit"  # its items shown only to members who follow its accounts
    NOOP = "noop"  # nothing beyond the flags (refusing its media, its reports)


class Block(Model):
    """A remote actor (by id) or a whole domain whose activities this node refuses or limits."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=16)  # "actor" or "domain"
    target = fields.CharField(max_length=2048)
    reason = fields.TextField(default="")  # for the moderators (Mastodon's private comment)
    severity = fields.CharEnumField(BlockSeverity, max_length=16, default=BlockSeverity.SUSPEND)
    reject_media = fields.BooleanField(default=False)
    reject_reports = fields.BooleanField(default=False)
    public_comment = fields.TextField(default="")  # shown on the node's public list of blocks
    obfuscate = fields.BooleanField(default=False)  # that public list hides part of the name
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "block"
        unique_together = (("kind", "target"),)


class AllowedServer(Model):
    """A server this node federates with when it is in allow-list mode (the site setting
    `federation_mode` is "allow_list"); ignored otherwise."""

    id = fields.IntField(primary_key=True)
    host = fields.CharField(max_length=255, unique=True)  # normalised: lower case, IDNA, no port
    note = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "allowed_server"


class Report(Model):
    """A member's (or a remote server's Flag) report of a comment, a proposal or an account."""

    id = fields.BigIntField(primary_key=True)
    reporter: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.Actor", related_name="reports_made", null=True, on_delete=fields.SET_NULL
    )
    object_uri = fields.CharField(max_length=2048, default="", db_index=True)
    actor_uri = fields.CharField(max_length=2048, default="")  # the reported account
    reason = fields.TextField(default="")
    flag_uri = fields.CharField(max_length=2048, default="")  # the Flag activity, if remote
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    resolved_at = fields.DatetimeField(null=True)
    resolved_by: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.Account", related_name="reports_resolved", null=True, on_delete=fields.SET_NULL
    )
    resolution = fields.TextField(default="")

    class Meta:
        table = "report"


class Invite(Model):
    """An invitation link; the code itself is never stored, only its SHA-256 digest."""

    id = fields.IntField(primary_key=True)
    digest = fields.CharField(max_length=64, unique=True)
    created_by: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.Account", related_name="invites", null=True, on_delete=fields.SET_NULL
    )
    access_role = fields.CharEnumField(AccessRole, max_length=16, default=AccessRole.MEMBER)
    note = fields.CharField(max_length=255, default="")  # who it was for, for the admins
    email = fields.CharField(max_length=320, default="")  # the address it was mailed to, if any
    # an organisation's admins invite to it (its members join it too); None: the node's invite
    organisation: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.Organisation", related_name="invites", null=True, on_delete=fields.CASCADE
    )
    max_uses = fields.IntField(default=1)
    uses = fields.IntField(default=0)
    expires_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "invite"


class NodeSetting(Model):
    """One setting an admin changes from the web (sign-up mode, language…): {"value": …}."""

    key = fields.CharField(max_length=64, primary_key=True)
    value: Any = fields.JSONField()
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "node_setting"


class PasswordReset(Model):
    """A one-time link an admin makes for a member who forgot their password (digest only)."""

    id = fields.IntField(primary_key=True)
    digest = fields.CharField(max_length=64, unique=True)
    account: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.Account", related_name="password_resets", on_delete=fields.CASCADE
    )
    created_by: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.Account", related_name="resets_made", null=True, on_delete=fields.SET_NULL
    )
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "password_reset"


class ModerationAction(Model):
    """One moderator's or admin's action, for the audit log: kept when the moderator leaves."""

    id = fields.BigIntField(primary_key=True)
    moderator: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.Account", related_name="moderation_actions", null=True, on_delete=fields.SET_NULL
    )
    moderator_handle = fields.CharField(max_length=255)  # as it was when they acted
    action = fields.CharField(max_length=32)  # hide, remove, block, resolve_report, ...
    # an item's or account's id, a domain, an organisation's handle (its page filters on it)
    target = fields.CharField(max_length=2048, db_index=True)
    reason = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "moderation_action"
