"""Durable federation state: received activities awaiting work, the delivery queue, remote hosts."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class InboxState(StrEnum):
    """Where a received activity is in its processing."""

    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class InboxItem(Model):
    """A verified activity as it arrived, stored before the 202 and applied later by a worker."""

    id = fields.BigIntField(primary_key=True)
    activity_uri = fields.CharField(max_length=2048, unique=True)
    activity_type = fields.CharField(max_length=64)
    actor_uri = fields.CharField(max_length=2048)
    signer_key_id = fields.CharField(max_length=2048)
    recipient_uri = fields.CharField(max_length=2048, default="")
    payload = fields.TextField()
    state = fields.CharEnumField(InboxState, max_length=16, default=InboxState.PENDING)
    attempts = fields.IntField(default=0)
    error = fields.TextField(default="")
    received_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    processed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "inbox_item"
        indexes = (("state", "id"),)


class DeliveryState(StrEnum):
    """Where an outgoing delivery is: queued, sent, or given up."""

    QUEUED = "queued"
    DELIVERED = "delivered"
    FAILED = "failed"


class DeliveryPayload(Model):
    """An activity as it is POSTed and who signs it, stored once for all the inboxes it goes to."""

    id = fields.BigIntField(primary_key=True)
    activity_uri = fields.CharField(max_length=2048, unique=True)
    signer_uri = fields.CharField(max_length=2048)
    body = fields.TextField()
    created_at = fields.DatetimeField()  # renewed each time the activity is queued again

    class Meta:
        table = "delivery_payload"


class Delivery(Model):
    """One activity to POST to one (shared) inbox; written in the transaction that made it."""

    id = fields.BigIntField(primary_key=True)
    activity_uri = fields.CharField(max_length=2048)
    inbox_uri = fields.CharField(max_length=2048)
    host = fields.CharField(max_length=255, db_index=True)
    payload: fields.ForeignKeyRelation[DeliveryPayload] = fields.ForeignKeyField(
        "models.DeliveryPayload", related_name="deliveries", on_delete=fields.CASCADE, db_index=True
    )
    state = fields.CharEnumField(DeliveryState, max_length=16, default=DeliveryState.QUEUED)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(db_index=True)
    locked_until = fields.DatetimeField(null=True)
    last_status = fields.IntField(null=True)
    last_error = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    delivered_at = fields.DatetimeField(null=True)

    class Meta:
        table = "delivery"
        unique_together = (("activity_uri", "inbox_uri"),)
        indexes = (("state", "next_attempt_at"),)


class Host(Model):
    """What we know about a remote server's reachability, for the circuit breaker."""

    domain = fields.CharField(max_length=255, primary_key=True)
    consecutive_failures = fields.IntField(default=0)
    first_failure_at = fields.DatetimeField(null=True)
    open_until = fields.DatetimeField(null=True)
    unavailable = fields.BooleanField(default=False)
    last_success_at = fields.DatetimeField(null=True)
    # what its NodeInfo says it runs (lower-cased name, version), and when we last asked
    software = fields.CharField(max_length=64, default="")
    software_version = fields.CharField(max_length=64, default="")
    software_checked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "host"
