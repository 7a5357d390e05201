"""Rate-limit events kept in the database, so every web process of a node counts the same."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class RateEvent(Model):
    """One counted event (a sign-in attempt, a form post) under a limit's key."""

    id = fields.BigIntField(primary_key=True)
    key = fields.CharField(max_length=255)  # the limit's name and who or what it counts
    happened_at = fields.DatetimeField()

    class Meta:
        table = "rate_event"
        indexes = (("key", "happened_at"),)
