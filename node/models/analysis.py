"""Response analysis: the themes staff tag a consultation's comments with, and the comments
they mark to quote in "what we heard". Private to staff until the report shows the counts."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from node.models.accounts import Account
from node.models.proposals import Proposal
from node.models.social import Object


class ResponseTheme(Model):
    """One label of a consultation's own set (e.g. "transport", "cost of childcare")."""

    id = fields.BigIntField(primary_key=True)
    proposal: fields.ForeignKeyRelation[Proposal] = fields.ForeignKeyField(
        "models.Proposal", related_name="themes", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=60)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "response_theme"
        unique_together = (("proposal", "name"),)


class ThemedResponse(Model):
    """A comment tagged with a theme."""

    id = fields.BigIntField(primary_key=True)
    theme: fields.ForeignKeyRelation[ResponseTheme] = fields.ForeignKeyField(
        "models.ResponseTheme", related_name="responses", on_delete=fields.CASCADE
    )
    object: fields.ForeignKeyRelation[Object] = fields.ForeignKeyField(
        "models.Object", related_name="themes", on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "themed_response"
        unique_together = (("theme", "object"),)


class QuotedResponse(Model):
    """A comment marked to be quoted in the consultation's report."""

    id = fields.BigIntField(primary_key=True)
    proposal: fields.ForeignKeyRelation[Proposal] = fields.ForeignKeyField(
        "models.Proposal", related_name="quotes", on_delete=fields.CASCADE
    )
    object: fields.ForeignKeyRelation[Object] = fields.ForeignKeyField(
        "models.Object", related_name="quoted_in", on_delete=fields.CASCADE
    )
    marked_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="quotes_marked", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "quoted_response"
        unique_together = (("proposal", "object"),)
