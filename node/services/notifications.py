"""What concerns a member, read from what is already stored (no table of its own): the one
definition, for the notifications page and for the notification emails and digests alike.

Replies to what they wrote, mentions from the fediverse (and, for moderators, mentions of
the organisation that answer no proposal), decisions on consultations they took part in (the
decision Note mentions them), amendments suggested to their proposals and answers to their
own, new versions of proposals they endorsed, consultations closing soon (the reminders the
worker made: node/services/closing_reminders.py), the outcome of reports they made
(node/services/report_outcomes.py), the answer to a request to join an organisation
(node/services/join_answers.py) and, for moderators, new reports. What is
newer than `Account.notifications_seen_at` is unread. On an umbrella node an organisation's
moderators (and admins) are told of the reports about posts in its threads and the mentions of
it; the node's moderators of all. Nothing a member did themselves
concerns them, also when they did it for the organisation (an admin's edit, a moderator's
decision: the write path is told who acted and files them no copy, and these read who was
filed one). An amendment's suggester hears of its answer once: not again of the new version
an acceptance makes, nor of the short reply that says the answer in words. Kinds the member
turned off are left out.

`notifications_between` reads it for many members at once (a few queries for a whole batch,
whatever its size): the worker's emails and digests; `notifications_for` reads one member's
newest for their page. Each kind is found by a collector in
node/services/notification_sources.py.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from node.models import AccessRole, Account
from node.services.actor_views import ActorView, actor_view
from node.services.moderation_scope import moderated_organisations
from node.services.notification_preferences import (
    KIND_OF_NOTIFICATION,
    Delivery,
    deliveries_of,
    delivery_of,
)
from node.services.notification_sources import (
    PER_RECIPIENT,
    Found,
    Recipient,
    Window,
    for_moderators,
)
from node.services.remote_pages import remote_pages_among

__all__ = [
    "Notification",
    "NotifiedObject",
    "Recipient",
    "Window",
    "forget_unread_counts",
    "mark_seen",
    "notifications_between",
    "notifications_for",
    "recipient_of",
    "unread_count",
]

LIMIT = 50


@dataclass(frozen=True)
class NotifiedObject:
    """The post a notification links to."""

    uri: str
    url: str
    name: str
    content: str
    context_uri: str = ""  # the thread it belongs to (digests count a thread's news together)
    remote_page_id: int | None = None  # another server's post with a page here: its row id


@dataclass(frozen=True)
class Notification:
    """One thing that happened that concerns the member."""

    kind: str  # reply | mention | organisation_mention | decision | amendment | answer |
    # new_version | closing | report | report_outcome | join_answer
    at: datetime
    actor: ActorView | None
    object: NotifiedObject
    unread: bool
    detail: str = ""

    @property
    def preference(self) -> str:
        """The kind of notification a member sets a delivery for (notification_preferences)."""
        return KIND_OF_NOTIFICATION[self.kind]


async def recipient_of(account_id: int) -> Recipient:
    """The member `account_id` as notifications are read for them."""
    account = await Account.get(id=account_id).prefetch_related("actor")
    return Recipient(
        account.id,
        account.actor.id,
        account.actor.uri,
        account.access_role in (AccessRole.ADMIN, AccessRole.MODERATOR),
        account.notifications_seen_at,
        await moderated_organisations(account.id),
    )


async def notifications_for(account_id: int) -> list[Notification]:
    """The newest notifications of the member `account_id`, newest first."""
    recipient = await recipient_of(account_id)
    found = await notifications_between([recipient], Window(limit=LIMIT))
    return found.get(account_id, [])[:LIMIT]


async def notifications_between(
    recipients: Sequence[Recipient], window: Window
) -> dict[int, list[Notification]]:
    """Each recipient's notifications in `window`, newest first, by account id; kinds a member
    turned off are left out. A few queries for the whole set."""
    by_actor = {recipient.actor_id: recipient for recipient in recipients}
    if not by_actor:
        return {}
    found: dict[int, list[Found]] = defaultdict(list)
    for collect in PER_RECIPIENT:
        for actor_id, entry in await collect(by_actor, window):
            found[actor_id].append(entry)
    moderators = [r for r in recipients if r.moderator or r.moderates]
    if moderators:
        for organisation_id, entry in await for_moderators(window):
            for recipient in moderators:
                if not recipient.told_of(organisation_id):
                    continue
                if entry[2] is None or entry[2].id != recipient.actor_id:  # not their own report
                    found[recipient.actor_id].append(entry)
    choices = await deliveries_of(r.account_id for r in recipients)
    here = await remote_pages_among(
        list({row.id: row for entries in found.values() for _, _, _, row, _ in entries}.values())
    )
    result: dict[int, list[Notification]] = {}
    for actor_id, entries in found.items():
        recipient = by_actor[actor_id]
        chosen = choices.get(recipient.account_id, {})
        entries.sort(key=lambda entry: entry[1], reverse=True)
        result[recipient.account_id] = [
            Notification(
                kind,
                at,
                actor_view(who) if who is not None else None,
                NotifiedObject(
                    row.uri,
                    row.url,
                    row.name,
                    row.content,
                    row.context_uri,
                    row.id if row.id in here else None,
                ),
                recipient.seen is None or at > recipient.seen,
                detail,
            )
            for kind, at, who, row, detail in entries
            if delivery_of(chosen, KIND_OF_NOTIFICATION[kind]) != Delivery.OFF
        ]
    return result


UNREAD_CACHE_SECONDS = 60.0  # the count in the navigation may lag this long behind
_unread: dict[int, tuple[float, int]] = {}


async def unread_count(account_id: int) -> int:
    """How many notifications the member has not seen (cached a minute per process)."""
    cached = _unread.get(account_id)
    if cached is not None and time.monotonic() - cached[0] < UNREAD_CACHE_SECONDS:
        return cached[1]
    count = sum(1 for notification in await notifications_for(account_id) if notification.unread)
    if len(_unread) > 10_000:
        _unread.clear()
    _unread[account_id] = (time.monotonic(), count)
    return count


def forget_unread_counts() -> None:
    """Drop the cached counts (tests, which reuse account ids across databases)."""
    _unread.clear()


async def mark_seen(account_id: int) -> None:
    """Everything up to now counts as read."""
    await Account.filter(id=account_id).update(notifications_seen_at=datetime.now(UTC))
    _unread.pop(account_id, None)
