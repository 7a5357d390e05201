"""The durable outgoing mail queue: a message is rendered whole and stored in the caller's
transaction (so it exists exactly when what it tells of does), then sent by the mail worker
(node/workers/mail.py), retried with back-off while the server is unreachable."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from node.config import Config
from node.mail.message import Envelope, MailContent, compose, new_message_id
from node.models import OutgoingMail
from node.services.actors import get_organisation
from node.services.settings import site_settings


@dataclass(frozen=True)
class MailSettings:
    """What every message from this node shares."""

    base_url: str
    sender_address: str

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).hostname or "localhost"

    @classmethod
    def from_config(cls, config: Config) -> MailSettings:
        host = urlsplit(config.url).hostname or "localhost"
        return cls(base_url=config.url, sender_address=config.email.sender or f"noreply@{host}")


@dataclass(frozen=True)
class QueuedMail:
    """A message waiting in the queue."""

    id: int
    message_id: str


class MailQueue:
    """Queues messages from this node; one instance, made by the composition root."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self.wake: Callable[[], None] = lambda: None  # the mail worker's, once it runs

    async def site_name(self) -> str:
        """How mail signs itself: the organisation's name, else the node's host."""
        organisation = await get_organisation()
        return (organisation.name or organisation.handle) if organisation else self.settings.host

    async def language(self) -> str:
        """The language mail is written in (the node's, until members choose their own)."""
        return (await site_settings()).language

    async def queue(
        self,
        recipient: str,
        kind: str,
        content: MailContent,
        *,
        account_id: int | None = None,
        unsubscribe_url: str = "",
    ) -> QueuedMail:
        """Store one message to `recipient` (a checked address) for the worker to send."""
        site_name = await self.site_name()
        now = datetime.now(UTC)
        message_id = new_message_id(self.settings.host)
        envelope = Envelope(
            sender_name=site_name,
            sender_address=self.settings.sender_address,
            recipient=recipient,
            list_id=f"{site_name} <townhall.{self.settings.host}>",
            unsubscribe_url=unsubscribe_url,
        )
        message = compose(envelope, content, message_id, now, await self.language())
        row = await OutgoingMail.create(
            message_id=message_id,
            recipient=recipient,
            account_id=account_id,
            kind=kind,
            message=message.as_string(),
            next_attempt_at=now,
        )
        self.wake()  # early if the caller's transaction is still open: then the next poll
        return QueuedMail(id=row.id, message_id=message_id)
