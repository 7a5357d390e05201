"""Statements on a consultation, votes on them (agree / disagree / pass) and the opinion map
computed from those votes."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model


class StatementState(StrEnum):
    """Where a statement is in its moderation: shown only once approved (as pol.is does)."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class Statement(Model):
    """A short statement people vote on. On the proposal's home node it is published, once
    approved, as a `Question` (agree / disagree / pass) of the organisation; other nodes keep
    the statements of the remote proposals they show, `object` being that Question."""

    id = fields.BigIntField(primary_key=True)
    proposal: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.Proposal", related_name="statements", on_delete=fields.CASCADE
    )
    object: fields.OneToOneNullableRelation[Any] = fields.OneToOneField(
        "models.Object", related_name="statement", null=True, on_delete=fields.SET_NULL
    )
    author: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.Actor", related_name="statements", null=True, on_delete=fields.SET_NULL
    )
    text = fields.CharField(max_length=280)  # at most 140 characters: the rule is in the node
    state = fields.CharEnumField(StatementState, max_length=16, default=StatementState.PENDING)
    submitted_uri = fields.CharField(max_length=2048, default="", db_index=True)  # if remote
    moderated_by: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.Account", related_name="statements_moderated", null=True, on_delete=fields.SET_NULL
    )
    moderated_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "statement"


class StatementVote(Model):
    """One person's vote on one statement: 1 agree, -1 disagree, 0 pass. The last one counts."""

    id = fields.BigIntField(primary_key=True)
    statement: fields.ForeignKeyRelation[Statement] = fields.ForeignKeyField(
        "models.Statement", related_name="votes", on_delete=fields.CASCADE
    )
    actor: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.Actor", related_name="statement_votes", on_delete=fields.CASCADE
    )
    value = fields.SmallIntField()
    uri = fields.CharField(max_length=2048, default="")  # the activity that carried it, if any
    voted_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "statement_vote"
        unique_together = (("statement", "actor"),)


class OpinionMap(Model):
    """The last opinion map of a proposal's statements, recomputed by the worker (debounced)
    once `stale_since` is set by a new vote or statement."""

    id = fields.BigIntField(primary_key=True)
    proposal: fields.OneToOneRelation[Any] = fields.OneToOneField(
        "models.Proposal", related_name="opinion_map", on_delete=fields.CASCADE
    )
    stale_since = fields.DatetimeField(null=True, db_index=True)
    computed_at = fields.DatetimeField(null=True)
    votes_counted = fields.IntField(default=0)
    result: dict[str, Any] | None = fields.JSONField(null=True)  # groups, points, consensus...

    class Meta:
        table = "opinion_map"
