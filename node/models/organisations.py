"""The organisations a node hosts and who belongs to which.

A node holds one organisation when set up (its Group actor). An umbrella body's node hosts
more: its admin adds them, each a Group actor of its own, and a member may belong to several.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from node.models.accounts import Account
from node.models.actors import Actor


class Organisation(Model):
    """An organisation this node hosts: its Group actor, and when it was suspended.

    The node's admin suspends an organisation: its actor is not served, and it publishes and
    relays nothing, until the admin lifts the suspension."""

    id = fields.IntField(primary_key=True)
    actor: fields.OneToOneRelation[Actor] = fields.OneToOneField(
        "models.Actor", related_name="hosted", on_delete=fields.CASCADE
    )
    suspended_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "organisation"


class Membership(Model):
    """A member's account belongs to an organisation: they may publish for it."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="memberships", on_delete=fields.CASCADE
    )
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="memberships", on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "membership"
        unique_together = (("account", "organisation"),)
