"""Amendments: suggested changes to one section of a proposal, and the author's answer."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from node.models.actors import Actor
from node.models.proposals import Proposal
from node.models.social import Object


class AmendmentState(StrEnum):
    """Whether the proposal's author has answered an amendment yet, and how."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Amendment(Model):
    """A Note in reply to a proposal that suggests new text for one of its sections."""

    id = fields.BigIntField(primary_key=True)
    object: fields.OneToOneRelation[Object] = fields.OneToOneField(
        "models.Object", related_name="amendment", on_delete=fields.CASCADE
    )
    proposal: fields.ForeignKeyRelation[Proposal] = fields.ForeignKeyField(
        "models.Proposal", related_name="amendments", on_delete=fields.CASCADE
    )
    section = fields.CharField(max_length=100)
    suggested_text = fields.TextField()
    answers_version = fields.IntField(default=1)
    state = fields.CharEnumField(AmendmentState, max_length=16, default=AmendmentState.PENDING)
    reason = fields.TextField(default="")
    answered_by: fields.ForeignKeyNullableRelation[Actor] = fields.ForeignKeyField(
        "models.Actor", related_name="answered_amendments", null=True, on_delete=fields.SET_NULL
    )
    answer_uri = fields.CharField(max_length=2048, default="")
    answered_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "amendment"
