"""The organisations a node hosts and who belongs to which.

A node holds one organisation when set up (its Group actor). An umbrella body's node hosts
more: its admin adds them, each a Group actor of its own, and a member may belong to several.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from node.models.accounts import Account
from node.models.actors import Actor


class Organisation(Model):
    """An organisation this node hosts: its Group actor, and when it was suspended.

    The node's admin suspends an organisation: its actor is not served, and it publishes and
    relays nothing, until the admin lifts the suspension."""

    id = fields.IntField(primary_key=True)
    # what its own admins set for it (a reply policy, a language); unset: the node's settings
    settings: Any = fields.JSONField(default=dict)
    actor: fields.OneToOneRelation[Actor] = fields.OneToOneField(
        "models.Actor", related_name="hosted", on_delete=fields.CASCADE
    )
    suspended_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "organisation"


class OrganisationRole(StrEnum):
    """What a member may do for one organisation (the node's admins and moderators, by their
    account's access role, may do it for every organisation the node hosts)."""

    MEMBER = "member"  # publishes for it
    MODERATOR = "moderator"  # …and moderates and decides its proposals
    ADMIN = "admin"  # …and runs it: its profile, settings and members


class Membership(Model):
    """A member's account belongs to an organisation, in a role."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="memberships", on_delete=fields.CASCADE
    )
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="memberships", on_delete=fields.CASCADE
    )
    role = fields.CharEnumField(OrganisationRole, max_length=16, default=OrganisationRole.MEMBER)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "membership"
        unique_together = (("account", "organisation"),)


class JoinRequest(Model):
    """A member asks to join an organisation whose admins approve who joins: it waits until
    one of them approves it (a Membership is made) or declines it, or the member withdraws it."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="join_requests", on_delete=fields.CASCADE
    )
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="join_requests", on_delete=fields.CASCADE
    )
    message = fields.CharField(max_length=500, default="")  # to its admins, optional
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "join_request"
        unique_together = (("account", "organisation"),)
