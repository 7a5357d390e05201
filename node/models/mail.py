"""Email: the durable outgoing queue, address verification, notification preferences and the
marks that say which notifications and reminders a member has already been mailed."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model


class MailState(StrEnum):
    """Where a queued message is on its way out."""

    PENDING = "pending"  # waiting for its next attempt
    SENDING = "sending"  # claimed by a worker (a crash leaves it here; see the mail worker)
    SENT = "sent"
    FAILED = "failed"  # refused for good (a bounce, an invalid address) or out of attempts


class OutgoingMail(Model):
    """One message to one recipient, rendered in full when queued and sent by the worker."""

    id = fields.BigIntField(primary_key=True)
    message_id = fields.CharField(max_length=255, unique=True)  # the Message-ID header
    recipient = fields.CharField(max_length=320)
    account: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.Account", related_name="mails", null=True, on_delete=fields.SET_NULL
    )
    kind = fields.CharField(max_length=32)  # invitation, password_reset, verify_email, digest...
    message = fields.TextField()  # the whole RFC 5322 message, as handed to SMTP
    state = fields.CharEnumField(MailState, max_length=16, default=MailState.PENDING)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(db_index=True)
    claimed_at = fields.DatetimeField(null=True)
    last_error = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "outgoing_mail"
        indexes = (("state", "next_attempt_at"),)


class EmailVerification(Model):
    """A one-time link proving a member reads `address` (on joining, or to change it)."""

    id = fields.IntField(primary_key=True)
    digest = fields.CharField(max_length=64, unique=True)
    account: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.Account", related_name="email_verifications", on_delete=fields.CASCADE
    )
    address = fields.CharField(max_length=320)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "email_verification"


class NotificationPreference(Model):
    """How a member wants one kind of notification; a kind with no row takes the default."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.Account", related_name="notification_preferences", on_delete=fields.CASCADE
    )
    kind = fields.CharField(max_length=32)  # reply, mention, amendment, new_version, closing...
    delivery = fields.CharField(max_length=16)  # site, immediate, daily, weekly, off

    class Meta:
        table = "notification_preference"
        unique_together = (("account", "kind"),)


class MailedThrough(Model):
    """Up to when a member's notifications were mailed, per period (immediate, daily, weekly)."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.Account", related_name="mailed_through", on_delete=fields.CASCADE
    )
    period = fields.CharField(max_length=16)
    covered_until = fields.DatetimeField()

    class Meta:
        table = "mailed_through"
        unique_together = (("account", "period"),)


class ClosingReminder(Model):
    """A reminder that a consultation closes soon, made once per member, proposal and lead time."""

    id = fields.BigIntField(primary_key=True)
    account: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.Account", related_name="closing_reminders", on_delete=fields.CASCADE
    )
    proposal: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.Proposal", related_name="closing_reminders", on_delete=fields.CASCADE
    )
    days_before = fields.IntField()  # 3 or 1
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "closing_reminder"
        unique_together = (("account", "proposal", "days_before"),)
