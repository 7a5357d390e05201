"""Policy proposals: the Article at the heart of a thread, its versions, and topic tags."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from node.models.actors import Actor
from node.models.social import Object


class ProposalStatus(StrEnum):
    """Where a proposal is in its life: drafted, open for consultation, closed, decided."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    ADOPTED = "adopted"
    CHANGED = "changed"
    DROPPED = "dropped"


class Proposal(Model):
    """The policy fields of an Article (local, or received from another Townhall node)."""

    id = fields.BigIntField(primary_key=True)
    object: fields.OneToOneRelation[Object] = fields.OneToOneField(
        "models.Object", related_name="proposal", on_delete=fields.CASCADE
    )
    organisation: fields.ForeignKeyNullableRelation[Actor] = fields.ForeignKeyField(
        "models.Actor", related_name="proposals", null=True, on_delete=fields.SET_NULL
    )
    status = fields.CharEnumField(ProposalStatus, max_length=16, default=ProposalStatus.DRAFT)
    closes_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)  # when it last closed (by the worker or by hand)
    reopen_reason = fields.TextField(default="")  # why its author opened it again, if they did
    decided_at = fields.DatetimeField(null=True)
    decision = fields.TextField(default="")  # the written response, as its author typed it
    decision_html = fields.TextField(default="")
    # a response per section: [{"section": "problem", "text": …, "html": …}]
    decision_sections: list[dict[str, Any]] = fields.JSONField(default=list)
    # "what we heard" as it stood when the decision was published, and the Article that carries it
    report_snapshot: dict[str, Any] | None = fields.JSONField(null=True)
    report_object: fields.ForeignKeyNullableRelation[Object] = fields.ForeignKeyField(
        "models.Object", related_name="reports_of", null=True, on_delete=fields.SET_NULL
    )
    # a remote proposal's figures as its home node's collections gave them (counts, results),
    # and when they were fetched: pages on this node show them with that time
    remote_figures: dict[str, Any] | None = fields.JSONField(null=True)
    figures_fetched_at = fields.DatetimeField(null=True)
    # the short Note sent to followers whose software mishandles Articles (node/article_reach)
    preview_object: fields.ForeignKeyNullableRelation[Object] = fields.ForeignKeyField(
        "models.Object", related_name="previews_of", null=True, on_delete=fields.SET_NULL
    )
    reply_policy = fields.CharField(max_length=16, default="")  # who may reply; "": the org's
    statements_enabled = fields.BooleanField(default=False)  # people add and vote on statements
    version = fields.IntField(default=1)
    body = fields.TextField(default="")
    sections: list[dict[str, Any]] = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "proposal"


class ProposalVersion(Model):
    """A published version of a proposal, kept whole so versions stay readable and comparable."""

    id = fields.BigIntField(primary_key=True)
    proposal: fields.ForeignKeyRelation[Proposal] = fields.ForeignKeyField(
        "models.Proposal", related_name="versions", on_delete=fields.CASCADE
    )
    number = fields.IntField()
    document: dict[str, Any] = fields.JSONField()
    amendment_uri = fields.CharField(max_length=2048, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "proposal_version"
        unique_together = (("proposal", "number"),)


class ObjectTag(Model):
    """A hashtag on an object (topic or sector), lower-cased without the '#'."""

    id = fields.BigIntField(primary_key=True)
    object: fields.ForeignKeyRelation[Object] = fields.ForeignKeyField(
        "models.Object", related_name="tags", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=100, db_index=True)

    class Meta:
        table = "object_tag"
        unique_together = (("object", "name"),)
