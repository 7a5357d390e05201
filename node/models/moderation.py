"""Moderation state: blocked remote accounts and domains."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Block(Model):
    """A remote actor (by id) or a whole domain whose activities this node refuses."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=16)  # "actor" or "domain"
    target = fields.CharField(max_length=2048)
    reason = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "block"
        unique_together = (("kind", "target"),)
