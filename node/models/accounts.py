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


class AccountStatus(StrEnum):
    """Whether an account may sign in."""

    ACTIVE = "active"
    PENDING = "pending"  # signed up where the node approves new members; waits for a moderator
    SUSPENDED = "suspended"
    DELETED = "deleted"  # the member deleted their account; kept so their items keep an author


class DefaultVisibility(StrEnum):
    """Who sees what a member writes, unless they choose otherwise for one item."""

    PUBLIC = "public"
    FOLLOWERS = "followers"  # their followers (and the people addressed)
    ORGANISATION = "organisation"  # members of this node only


class Account(Model):
    """A member who can sign in: one local Person actor, a password hash and a role."""

    id = fields.IntField(primary_key=True)
    actor: fields.OneToOneRelation[Actor] = fields.OneToOneField(
        "models.Actor", related_name="account", on_delete=fields.CASCADE
    )
    password_hash = fields.CharField(max_length=255, default="")
    access_role = fields.CharEnumField(AccessRole, max_length=16, default=AccessRole.MEMBER)
    status = fields.CharEnumField(AccountStatus, max_length=16, default=AccountStatus.ACTIVE)
    is_pseudonym = fields.BooleanField(default=False)  # the display name is not a real name
    join_note = fields.TextField(default="")  # what an applicant told the moderators
    session_epoch = fields.IntField(default=0)  # raised to sign out every session at once
    notifications_seen_at = fields.DatetimeField(null=True)
    last_sign_in_at = fields.DatetimeField(null=True)
    email = fields.CharField(max_length=320, null=True, unique=True)  # lower-cased; None: no mail
    email_verified_at = fields.DatetimeField(null=True)
    role_public = fields.BooleanField(default=True)  # False: the role counts, but anonymously
    default_visibility = fields.CharEnumField(
        DefaultVisibility, max_length=16, default=DefaultVisibility.PUBLIC
    )
    indexable = fields.BooleanField(default=False)  # FEP-268d: their posts may be searched
    discoverable = fields.BooleanField(default=False)  # may be listed and suggested
    noindex = fields.BooleanField(default=False)  # ask search engines not to index their pages
    language = fields.CharField(max_length=16, default="")  # "": the browser's, or the site's
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
