"""The durable outgoing mail queue: a message is rendered whole and stored in the caller's
transaction (so it exists exactly when what it tells of does), then sent by the mail worker
(node/workers/mail.py), retried with back-off while the server is unreachable."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from node.config import Config
from node.i18n import available_languages
from node.mail.message import Envelope, MailContent, compose, new_message_id
from node.models import Account, OutgoingMail
from node.services.actors import get_organisation
from node.services.settings import site_settings

NAME_SECONDS = 5.0  # how long the organisation's name is kept between look-ups


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
class Outgoing:
    """One message to queue: to whom, what kind, what it says, whose, how to stop it."""

    recipient: str
    kind: str
    content: MailContent
    account_id: int | None = None
    unsubscribe_url: str = ""
    language: str = ""  # what it is written in ("": the node's)


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
        self._site_name: tuple[float, str] | None = None

    async def site_name(self) -> str:
        """How mail signs itself: the organisation's name, else the node's host (read again
        after a few seconds: a digest run queues thousands of messages)."""
        if self._site_name is not None and time.monotonic() - self._site_name[0] < NAME_SECONDS:
            return self._site_name[1]
        organisation = await get_organisation()
        name = (organisation.name or organisation.handle) if organisation else self.settings.host
        self._site_name = (time.monotonic(), name)
        return name

    async def language(self, account_id: int | None = None, asked: str = "") -> str:
        """The language mail is written in: the member's choice, else `asked` (the language
        of the page they asked from), else the node's."""
        languages = available_languages()
        if account_id is not None:
            chosen = await Account.filter(id=account_id).first().values_list("language", flat=True)
            if isinstance(chosen, str) and chosen in languages:
                return chosen
        return asked if asked in languages else (await site_settings()).language

    async def queue(
        self,
        recipient: str,
        kind: str,
        content: MailContent,
        *,
        account_id: int | None = None,
        unsubscribe_url: str = "",
        language: str = "",
    ) -> QueuedMail:
        """Store one message to `recipient` (a checked address) for the worker to send, marked
        as written in `language` (the node's when not given)."""
        mail = Outgoing(recipient, kind, content, account_id, unsubscribe_url, language)
        row = await self._row(mail, await self.site_name(), await self.language())
        await row.save()
        self.wake()  # early if the caller's transaction is still open: then the next poll
        return QueuedMail(id=row.id, message_id=row.message_id)

    async def queue_many(self, mails: Sequence[Outgoing]) -> int:
        """Store many messages in one statement (the digests of a batch of members); how many."""
        site_name, language = await self.site_name(), await self.language()
        rows = [await self._row(mail, site_name, language) for mail in mails]
        await OutgoingMail.bulk_create(rows, batch_size=500)
        if rows:
            self.wake()
        return len(rows)

    async def _row(self, mail: Outgoing, site_name: str, language: str) -> OutgoingMail:
        now = datetime.now(UTC)
        message_id = new_message_id(self.settings.host)
        envelope = Envelope(
            sender_name=site_name,
            sender_address=self.settings.sender_address,
            recipient=mail.recipient,
            list_id=f"{site_name} <townhall.{self.settings.host}>",
            unsubscribe_url=mail.unsubscribe_url,
        )
        message = compose(envelope, mail.content, message_id, now, mail.language or language)
        return OutgoingMail(
            message_id=message_id,
            recipient=mail.recipient,
            account_id=mail.account_id,
            kind=mail.kind,
            message=message.as_string(),
            next_attempt_at=now,
        )
