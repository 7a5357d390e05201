"""Notification emails and digests, built by the worker (never by a page view).

For each member with a verified address, what concerns them (node/services/notifications.py,
the one definition) is mailed by their preference: "email at once" kinds since their
`MailedThrough(period="immediate")` mark, one message per kind per pass; daily and weekly
digests once a day / once a week at the local hour (and weekday) the admin set, ONE message
holding everything due, a thread's news counted on one line ("Budget 2027: 500 new replies";
the lines and their words: node/services/notification_lines.py).

Members are read in batches, each in a few queries whatever its size. A member's mark is
advanced in the same transaction as their queued mail, by a conditional UPDATE (or the insert
of their first mark, whose key is unique), so two workers, or a restart, never mail twice.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from node.i18n import available_languages, in_language
from node.i18n import gettext_ as _
from node.local_time import DEFAULT_TIME_ZONE, is_time_zone
from node.mail.message import MailContent
from node.mail.render import render_mail
from node.models import AccessRole, Account, AccountStatus, MailedThrough
from node.services.mail_queue import MailQueue, Outgoing
from node.services.moderation_scope import moderated_organisations_of
from node.services.notification_lines import Line, kind_title, lines_of, thread_titles
from node.services.notification_preferences import (
    KINDS,
    Delivery,
    deliveries_of,
    delivery_of,
    kinds_for,
)
from node.services.notifications import (
    Notification,
    Recipient,
    Window,
    notifications_between,
)
from node.services.settings import SiteSettings, site_settings
from node.services.unique_inserts import insert_unless_taken
from node.services.unsubscribe import unsubscribe_token

log = logging.getLogger("townhall.notifications")

BATCH = 250  # members read and mailed together
# how long after a thing's own time it is mailed: a post from another server is stamped when it
# was written there and may arrive a little later; "email at once" means within this (and the
# pass's interval), a digest goes out this long after its hour
SETTLE = timedelta(minutes=2)
LOOK_BACK = {  # how far back a member's first mail of a period reaches (no mark yet)
    Delivery.IMMEDIATE: timedelta(days=1),
    Delivery.DAILY: timedelta(days=1),
    Delivery.WEEKLY: timedelta(days=7),
}


def latest_due(period: Delivery, settings: SiteSettings, moment: datetime) -> datetime:
    """When the latest mail of `period` was due at or before `moment`: now for immediate
    mail; the admin's hour on the organisation's clock today or yesterday for daily digests;
    at that hour on the admin's weekday for weekly ones."""
    if period == Delivery.IMMEDIATE:
        return moment
    zone = ZoneInfo(settings.time_zone if is_time_zone(settings.time_zone) else DEFAULT_TIME_ZONE)
    local = moment.astimezone(zone)
    due = local.replace(hour=settings.digest_hour, minute=0, second=0, microsecond=0)
    if period == Delivery.WEEKLY:
        due -= timedelta(days=(local.weekday() - settings.digest_weekday) % 7)
        if due > local:
            due -= timedelta(days=7)
    elif due > local:
        due -= timedelta(days=1)
    # across a change of clocks, the wall time is re-read in the zone
    return due.replace(tzinfo=None).replace(tzinfo=zone).astimezone(UTC)


@dataclass
class _Member:
    account_id: int
    actor_id: int
    actor_uri: str
    moderator: bool
    email: str
    verified_at: datetime
    language: str  # the member's choice ("" for the node's)
    kinds: set[str] = field(default_factory=set)  # the kinds they get in this period
    moderates: frozenset[int] = frozenset()  # the organisations they moderate (not the node)
    mark_id: int | None = None
    covered_until: datetime | None = None

    def since(self, period: Delivery, moment: datetime) -> datetime:
        if self.covered_until is not None:
            return self.covered_until
        return max(self.verified_at, moment - LOOK_BACK[period])


class NotificationMailer:
    """Builds and queues the notification mail due at a moment (the worker's pass)."""

    def __init__(self, queue: MailQueue, secret_key: str, settle: timedelta = SETTLE) -> None:
        self.queue = queue
        self.secret_key = secret_key
        self.settle = settle
        self.base_url = queue.settings.base_url.rstrip("/")

    async def mail_due(self, moment: datetime | None = None) -> int:
        """Queue every notification mail due at `moment` (now); how many were queued. The pass
        looks `settle` back from it: what arrives a little after its own time (a reply from
        another server, stamped when written there) is still in the next mail."""
        moment = (moment or datetime.now(UTC)) - self.settle
        settings = await site_settings()
        queued = 0
        for period in (Delivery.IMMEDIATE, Delivery.DAILY, Delivery.WEEKLY):
            due_at = latest_due(period, settings, moment)
            after = 0
            while True:
                batch = await self._members(after)
                if not batch:
                    break
                after = batch[-1].account_id
                queued += await self._mail_batch(batch, period, due_at, moment)
        return queued

    async def _members(self, after: int) -> list[_Member]:
        rows = (
            await Account.filter(
                id__gt=after,
                status=AccountStatus.ACTIVE,
                email__isnull=False,
                email_verified_at__isnull=False,
            )
            .order_by("id")
            .limit(BATCH)
            .values_list(
                "id",
                "actor_id",
                "actor__uri",
                "access_role",
                "email",
                "email_verified_at",
                "language",
            )
        )
        staff = {AccessRole.ADMIN.value, AccessRole.MODERATOR.value}
        moderating = await moderated_organisations_of([int(row[0]) for row in rows])
        return [
            _Member(
                account_id, actor_id, uri, str(role) in staff, email, verified, language,
                moderates=moderating.get(account_id, frozenset()),
            )
            for account_id, actor_id, uri, role, email, verified, language in rows
        ]  # fmt: skip

    async def _mail_batch(
        self, batch: list[_Member], period: Delivery, due_at: datetime, moment: datetime
    ) -> int:
        choices = await deliveries_of(m.account_id for m in batch)
        for member in batch:
            chosen = choices.get(member.account_id, {})
            member.kinds = {
                kind.name
                for kind in kinds_for(member.moderator or bool(member.moderates))
                if delivery_of(chosen, kind.name) == period
            }
        members = [m for m in batch if m.kinds]
        if not members:
            return 0
        marks = await MailedThrough.filter(
            account_id__in=[m.account_id for m in members], period=period.value
        ).values_list("account_id", "id", "covered_until")
        by_account = {account_id: (mark_id, until) for account_id, mark_id, until in marks}
        for member in members:
            member.mark_id, member.covered_until = by_account.get(member.account_id, (None, None))
        due = [m for m in members if m.since(period, moment) < due_at]
        if not due:
            return 0
        since = min(m.since(period, moment) for m in due)
        found = await notifications_between(
            [
                Recipient(m.account_id, m.actor_id, m.actor_uri, m.moderator, moderates=m.moderates)
                for m in due
            ],
            Window(since=since, until=moment),
        )
        mails: dict[int, list[tuple[str, MailContent, str]]] = {}
        titles = await thread_titles(found.values())
        site_name, site_language = await self.queue.site_name(), await self.queue.language()
        languages = available_languages()
        for member in due:
            if member.language not in languages:
                member.language = site_language
            items = [
                item
                for item in found.get(member.account_id, [])
                if item.preference in member.kinds and item.at > member.since(period, moment)
            ]
            if items:
                mails[member.account_id] = self._compose(
                    member, period, items, titles, site_name, member.language
                )
        return await self._queue(due, period, mails, due_at, moment)

    async def _queue(
        self,
        due: list[_Member],
        period: Delivery,
        mails: dict[int, list[tuple[str, MailContent, str]]],
        due_at: datetime,
        moment: datetime,
    ) -> int:
        if period == Delivery.IMMEDIATE:
            due = [m for m in due if m.account_id in mails]  # nothing new: the mark stays
        async with in_transaction():
            claimed = await _claim(due, period, due_at, moment)
            queued = await self.queue.queue_many(
                [
                    Outgoing(
                        member.email,
                        kind,
                        content,
                        member.account_id,
                        unsubscribe_url,
                        member.language,
                    )
                    for member in claimed
                    for unsubscribe_url, content, kind in mails.get(member.account_id, [])
                ]
            )
        if queued:
            log.info("notifications.mailed", extra={"period": period.value, "mails": queued})
        return queued

    def _compose(
        self,
        member: _Member,
        period: Delivery,
        items: list[Notification],
        titles: dict[str, tuple[str, str]],
        site_name: str,
        language: str,
    ) -> list[tuple[str, MailContent, str]]:
        """The member's mail: (its unsubscribe link, content, queue kind) each."""
        with in_language(language):
            if period == Delivery.IMMEDIATE:
                by_kind: dict[str, list[Notification]] = defaultdict(list)
                for item in items:
                    by_kind[item.preference].append(item)
                result = []
                for kind in (k.name for k in KINDS if k.name in by_kind):
                    sections = [(kind_title(kind), lines_of(by_kind[kind], titles, self.base_url))]
                    what = {"what": kind_title(kind), "site": site_name}
                    subject = _("%(what)s, from %(site)s") % what
                    url = self._unsubscribe_url(member, kind)
                    content = self._render(subject, sections, site_name, language, url)
                    result.append((url, content, "notification"))
                return result
            grouped: dict[str, list[Notification]] = defaultdict(list)
            for item in items:
                grouped[item.preference].append(item)
            sections = [
                (kind_title(kind.name), lines_of(grouped[kind.name], titles, self.base_url))
                for kind in KINDS
                if kind.name in grouped
            ]
            if period == Delivery.DAILY:
                subject = _("Your daily digest from %(site)s") % {"site": site_name}
            else:
                subject = _("Your weekly digest from %(site)s") % {"site": site_name}
            url = self._unsubscribe_url(member, period.value)
            content = self._render(subject, sections, site_name, language, url)
            return [(url, content, f"digest_{period.value}")]

    def _unsubscribe_url(self, member: _Member, subject: str) -> str:
        token = unsubscribe_token(self.secret_key, member.account_id, subject)
        return f"{self.base_url}/mail/unsubscribe/{token}"

    def _render(
        self,
        subject: str,
        sections: list[tuple[str, list[Line]]],
        site_name: str,
        language: str,
        unsubscribe_url: str,
    ) -> MailContent:
        return render_mail(
            "notifications",
            subject,
            language,
            sections=sections,
            unsubscribe_url=unsubscribe_url,
            settings_url=f"{self.base_url}/settings/notifications",
            site_name=site_name,
            site_url=self.base_url,
        )


class _Contended(Exception):
    """Another worker advanced some of a batch's marks meanwhile."""


async def _claim(
    due: list[_Member], period: Delivery, due_at: datetime, moment: datetime
) -> list[_Member]:
    """Advance the marks of `due` to `moment` (in the caller's transaction): the members whose
    mark this pass moved, who are this pass's to mail; a member another worker mailed meanwhile
    is left out. In two statements for the batch when no other worker is at it (digests), else
    one member at a time, by a conditional UPDATE or the insert of a first mark."""
    claimed: list[_Member] = []
    first = [m for m in due if m.mark_id is None]
    if first:
        try:
            async with in_transaction():  # a savepoint: a taken key undoes only this
                marks = [MailedThrough(account_id=m.account_id, period=period.value) for m in first]
                for mark in marks:
                    mark.covered_until = moment
                await MailedThrough.bulk_create(marks)
            claimed += first
        except IntegrityError:
            for member in first:
                if await insert_unless_taken(
                    MailedThrough,
                    account_id=member.account_id,
                    period=period.value,
                    covered_until=moment,
                ):
                    claimed.append(member)
    again = [m for m in due if m.mark_id is not None]
    if again and period != Delivery.IMMEDIATE:
        try:  # a digest's mark still before its due time is this pass's to move
            async with in_transaction():
                moved = await MailedThrough.filter(
                    id__in=[m.mark_id for m in again], covered_until__lt=due_at
                ).update(covered_until=moment)
                if moved != len(again):
                    raise _Contended
            return claimed + again
        except _Contended:
            pass  # the bulk move was rolled back (another worker moved some): one at a time below
    for member in again:
        if await MailedThrough.filter(id=member.mark_id, covered_until=member.covered_until).update(
            covered_until=moment
        ):
            claimed.append(member)
    return claimed
