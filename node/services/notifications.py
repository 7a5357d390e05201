"""What concerns a member, read from what is already stored (no table of its own): the one
definition, for the notifications page and for the notification emails and digests alike.

Replies to what they wrote, mentions from the fediverse (and, for moderators, mentions of
the organisation that answer no proposal), decisions on consultations they took part in (the
decision Note mentions them), amendments suggested to their proposals and answers to their
own, new versions of proposals they endorsed, consultations closing soon (the reminders the
worker made: node/services/closing_reminders.py), the outcome of reports they made
(node/services/report_outcomes.py) and, for moderators, new reports. What is
newer than `Account.notifications_seen_at` is unread. Nothing a member did themselves
concerns them, also when they did it for the organisation (an admin's edit, a moderator's
decision: the write path is told who acted and files them no copy, and these read who was
filed one). An amendment's suggester hears of its answer once: not again of the new version
an acceptance makes, nor of the short reply that says the answer in words. Kinds the member
turned off are left out.

`notifications_between` reads it for many members at once (a few queries for a whole batch,
whatever its size): the worker's emails and digests; `notifications_for` reads one member's
newest for their page.
"""

from __future__ import annotations

import html
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from tortoise.expressions import Subquery
from tortoise.models import Model
from tortoise.queryset import QuerySet

from federation.vocab import as_list, id_of
from node.models import (
    AccessRole,
    Account,
    Activity,
    Actor,
    Amendment,
    ClosingReminder,
    InboxEntry,
    Object,
    ProposalVersion,
    Reaction,
    Report,
)
from node.services.actor_views import ActorView, actor_view
from node.services.actors import get_organisation
from node.services.mention_placement import mentions
from node.services.notification_preferences import (
    KIND_OF_NOTIFICATION,
    Delivery,
    deliveries_of,
    delivery_of,
)
from node.services.remote_pages import remote_pages_among
from node.services.report_outcomes import report_outcomes
from node.services.visibility import Reader, may_read_private

LIMIT = 50
M = TypeVar("M", bound=Model)
MENTION_SCAN = 200


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
    # new_version | closing | report | report_outcome
    at: datetime
    actor: ActorView | None
    object: NotifiedObject
    unread: bool
    detail: str = ""

    @property
    def preference(self) -> str:
        """The kind of notification a member sets a delivery for (notification_preferences)."""
        return KIND_OF_NOTIFICATION[self.kind]


@dataclass(frozen=True)
class Recipient:
    """A member notifications are read for."""

    account_id: int
    actor_id: int
    actor_uri: str
    moderator: bool
    seen: datetime | None = None


@dataclass(frozen=True)
class Window:
    """What happened after `since` (exclusive) up to `until` (inclusive); None: no bound.
    `limit` bounds each query (one member's page reads the newest only)."""

    since: datetime | None = None
    until: datetime | None = None
    limit: int | None = None

    def bound(self, rows: QuerySet[M], field: str) -> QuerySet[M]:
        if self.since is not None:
            rows = rows.filter(**{f"{field}__gt": self.since})
        if self.until is not None:
            rows = rows.filter(**{f"{field}__lte": self.until})
        rows = rows.order_by(f"-{field}")
        return rows.limit(self.limit) if self.limit is not None else rows


# (kind, when, who did it, the post, detail) for one recipient actor id
_Found = tuple[str, datetime, Actor | None, Object, str]


async def recipient_of(account_id: int) -> Recipient:
    """The member `account_id` as notifications are read for them."""
    account = await Account.get(id=account_id).prefetch_related("actor")
    return Recipient(
        account.id,
        account.actor.id,
        account.actor.uri,
        account.access_role in (AccessRole.ADMIN, AccessRole.MODERATOR),
        account.notifications_seen_at,
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
    found: dict[int, list[_Found]] = defaultdict(list)
    for collect in (_replies, _answers, _new_versions, _mentions, _closing, _outcomes):
        for actor_id, entry in await collect(by_actor, window):
            found[actor_id].append(entry)
    moderators = [r.actor_id for r in recipients if r.moderator]
    if moderators:
        for entry in [*await _organisation_mentions(window), *await _reports(window)]:
            for actor_id in moderators:
                if entry[2] is None or entry[2].id != actor_id:  # not their own report
                    found[actor_id].append(entry)
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


async def _replies(by_actor: dict[int, Recipient], window: Window) -> list[tuple[int, _Found]]:
    """Replies to what the recipients wrote (an amendment to their proposal is one), by others;
    not the short reply that says an answer to their amendment in words (its `amendmentAnswer`
    names the answer, which is notified as such: _answers)."""
    mine = Object.filter(author_id__in=list(by_actor)).values("uri")
    rows = await window.bound(
        Object.filter(
            in_reply_to_uri__in=Subquery(mine), deleted_at__isnull=True, hidden_at__isnull=True
        ).select_related("author"),
        "published_at",
    )
    if not rows:
        return []
    parents = dict(
        await Object.filter(uri__in=list({row.in_reply_to_uri for row in rows})).values_list(
            "uri", "author_id"
        )
    )
    amendments = dict(
        await Amendment.filter(object_id__in=[row.id for row in rows]).values_list(
            "object_id", "proposal__object__author_id"
        )
    )
    answers = {
        uri: (answer_uri, answerer_id)
        for uri, answer_uri, answerer_id in await Amendment.filter(
            object__uri__in=list(parents), answered_at__isnull=False
        ).values_list("object__uri", "answer_uri", "answered_by_id")
    }
    found: list[tuple[int, _Found]] = []
    for row in rows:
        recipient_id = parents.get(row.in_reply_to_uri)
        if recipient_id not in by_actor or row.author.id == recipient_id:
            continue
        if _says_the_answer(row, answers.get(row.in_reply_to_uri)):
            continue
        reader = Reader(recipient_id, by_actor[recipient_id].actor_uri, False)
        if not row.is_public and not await may_read_private(row, reader):
            continue  # a private reply between others (a direct message) is not ours to read
        found.append(
            (
                recipient_id,
                (
                    "amendment" if amendments.get(row.id) == recipient_id else "reply",
                    row.published_at,
                    row.author,
                    row,
                    "",
                ),
            )
        )
    return found


def _says_the_answer(row: Object, answer: tuple[str, int | None] | None) -> bool:
    """Whether the reply `row` is the one its answerer posted with their answer to the
    amendment it replies to (`answer`: that answer's URI and who gave it)."""
    if answer is None or not answer[0] or not isinstance(row.document, dict):
        return False
    return row.document.get("amendmentAnswer") == answer[0] and row.author.id == answer[1]


async def _answers(by_actor: dict[int, Recipient], window: Window) -> list[tuple[int, _Found]]:
    """Answers (accepted, declined) to the amendments the recipients suggested."""
    answered = await window.bound(
        Amendment.filter(
            object__author_id__in=list(by_actor), answered_at__isnull=False
        ).select_related("object", "answered_by", "proposal__object"),
        "answered_at",
    )
    found: list[tuple[int, _Found]] = []
    for amendment in answered:
        assert amendment.answered_at is not None
        recipient_id: int = amendment.object.author_id  # type: ignore[attr-defined]
        by = amendment.answered_by
        if by is not None and by.id == recipient_id:
            continue
        entry = (
            "answer",
            amendment.answered_at,
            by,
            amendment.proposal.object,
            amendment.state.value,
        )
        found.append((recipient_id, entry))
    return found


async def _new_versions(by_actor: dict[int, Recipient], window: Window) -> list[tuple[int, _Found]]:
    """New versions of proposals the recipients endorsed (not their own proposals). Of ours,
    those the Update reached (node/services/proposals.py files it for each endorser but the
    author and the member who made the edit, an admin for the organisation among them); and
    never the suggester of the amendment a version accepts, who is told of the answer."""
    endorsed = Reaction.filter(kind="Like", actor_id__in=list(by_actor)).values("object_uri")
    versions = await window.bound(
        ProposalVersion.filter(proposal__object__uri__in=Subquery(endorsed)).select_related(
            "proposal__object"
        ),
        "created_at",
    )
    if not versions:
        return []
    updates = await _version_updates(versions)
    told: dict[str, set[int]] = defaultdict(set)
    for activity_uri, actor_id in await InboxEntry.filter(
        activity_uri__in=list({uri for _, uri in updates.values()}),
        recipient_id__in=list(by_actor),
    ).values_list("activity_uri", "recipient_id"):
        told[activity_uri].add(actor_id)
    suggesters = dict(
        await Object.filter(
            uri__in=list({v.amendment_uri for v in versions if v.amendment_uri})
        ).values_list("uri", "author_id")
    )
    # the actors apart: PostgreSQL truncates the long column aliases of a three-deep
    # select_related, and tortoise then leaves fields out of the Actor
    author_ids = {version.proposal.object.author_id for version in versions}  # type: ignore[attr-defined]
    actor_ids = author_ids | {actor_id for actor_id, _ in updates.values()}
    actors = {actor.id: actor for actor in await Actor.filter(id__in=actor_ids)}
    endorsers: dict[str, set[int]] = defaultdict(set)
    uris = list({version.proposal.object.uri for version in versions})
    for actor_id, uri in await Reaction.filter(
        kind="Like", actor_id__in=list(by_actor), object_uri__in=uris
    ).values_list("actor_id", "object_uri"):
        endorsers[uri].add(actor_id)
    found: list[tuple[int, _Found]] = []
    for version in versions:
        proposal = version.proposal.object
        number = version.number + 1  # a version row keeps the text the new version replaced
        author_id: int = proposal.author_id  # type: ignore[attr-defined]
        editor_id, update_uri = updates.get((proposal.uri, number), (author_id, ""))
        recipients = endorsers[proposal.uri] - {editor_id, suggesters.get(version.amendment_uri)}
        if update_uri:  # ours: who its Update reached
            recipients &= told[update_uri]
        who = actors.get(editor_id)
        for recipient_id in sorted(recipients):
            found.append(
                (recipient_id, ("new_version", version.created_at, who, proposal, str(number)))
            )
    return found


async def _version_updates(
    versions: Sequence[ProposalVersion],
) -> dict[tuple[str, int], tuple[int, str]]:
    """The Update that published each new version of our proposals, by proposal and version
    number: its actor (the author, or the organisation editing for them) and its URI."""
    uris = list({version.proposal.object.uri for version in versions})
    updates = (  # the first Update of a version made it; a later one only moved its status
        await Activity.filter(type="Update", object_uri__in=uris)
        .order_by("id")
        .values_list("object_uri", "actor_id", "uri", "document")
    )
    found: dict[tuple[str, int], tuple[int, str]] = {}
    for object_uri, actor_id, uri, document in updates:
        embedded = document.get("object") if isinstance(document, dict) else None
        number = embedded.get("version") if isinstance(embedded, dict) else None
        if isinstance(number, int):
            found.setdefault((object_uri, number), (actor_id, uri))
    return found


async def _mentions(by_actor: dict[int, Recipient], window: Window) -> list[tuple[int, _Found]]:
    """Posts that arrived from other servers naming a recipient in a Mention tag (a decision
    Note mentions everyone who took part); replies to their own posts are listed as replies."""
    scan = Window(window.since, window.until, MENTION_SCAN if window.limit else None)
    entries = await scan.bound(
        InboxEntry.filter(recipient_id__in=list(by_actor)), "received_at"
    ).values_list("recipient_id", "document")
    mentioning: dict[str, set[int]] = defaultdict(set)
    decisions: set[str] = set()  # decision Notes of consultations the member took part in
    for recipient_id, document in entries:
        if not isinstance(document, dict):
            continue
        embedded = document.get("object")
        if document.get("type") != "Create" or not isinstance(embedded, dict):
            continue
        uri = by_actor[recipient_id].actor_uri
        tags = [t for t in as_list(embedded.get("tag")) if isinstance(t, dict)]
        if any(t.get("type") == "Mention" and id_of(t.get("href")) == uri for t in tags):
            mentioning[str(embedded.get("id"))].add(recipient_id)
            if embedded.get("decisionOf"):
                decisions.add(str(embedded.get("id")))
    if not mentioning:
        return []
    rows = await Object.filter(
        uri__in=list(mentioning), deleted_at__isnull=True, hidden_at__isnull=True
    ).select_related("author")
    parents = dict(
        await Object.filter(
            uri__in=list({row.in_reply_to_uri for row in rows if row.in_reply_to_uri})
        ).values_list("uri", "author_id")
    )
    found: list[tuple[int, _Found]] = []
    for row in rows:
        decision = row.uri in decisions
        for recipient_id in sorted(mentioning[row.uri]):
            if row.author.id == recipient_id:
                continue
            if parents.get(row.in_reply_to_uri) == recipient_id and not decision:
                continue  # a reply to them: listed as a reply
            kind = "decision" if decision else "mention"
            found.append((recipient_id, (kind, row.published_at, row.author, row, "")))
    return found


async def _closing(by_actor: dict[int, Recipient], window: Window) -> list[tuple[int, _Found]]:
    """Consultations closing soon, as the closing-reminder pass recorded them."""
    accounts = {recipient.account_id: actor_id for actor_id, recipient in by_actor.items()}
    reminders = await window.bound(
        ClosingReminder.filter(
            account_id__in=list(accounts), proposal__object__deleted_at__isnull=True
        ).select_related("proposal__object"),
        "created_at",
    )
    # the authors apart (see _new_versions)
    author_ids = {r.proposal.object.author_id for r in reminders}
    authors = {author.id: author for author in await Actor.filter(id__in=author_ids)}
    found: list[tuple[int, _Found]] = []
    for reminder in reminders:
        proposal = reminder.proposal.object
        who = authors.get(proposal.author_id)
        days = str(reminder.days_before)
        recipient_id = accounts[reminder.account_id]  # type: ignore[attr-defined]
        found.append((recipient_id, ("closing", reminder.created_at, who, proposal, days)))
    return found


async def _outcomes(by_actor: dict[int, Recipient], window: Window) -> list[tuple[int, _Found]]:
    """What became of the reports the recipients made: no one named (the moderator who
    decided is not), the post stood in for by the reporter's own words."""
    told = await report_outcomes(list(by_actor), window.since, window.until)
    told.sort(key=lambda entry: entry.at, reverse=True)
    if window.limit is not None:
        told = told[: window.limit]
    found: list[tuple[int, _Found]] = []
    for entry in told:
        uri = entry.object_uri or entry.actor_uri
        said = html.escape(entry.reason[:200])
        post = Object(uri=uri, url="", name="", content=said, context_uri="")
        found.append((entry.reporter_id, ("report_outcome", entry.at, None, post, entry.outcome)))
    return found


async def _reports(window: Window) -> list[_Found]:
    """New reports, for the moderators: the reported post (or account) and who reported it."""
    reports = await window.bound(Report.all().select_related("reporter"), "created_at")
    if not reports:
        return []
    posts = {
        row.uri: row
        for row in await Object.filter(uri__in=[r.object_uri for r in reports if r.object_uri])
    }
    found: list[_Found] = []
    for report in reports:
        post = posts.get(report.object_uri)
        if post is None:  # an account reported, or a post not held: its address stands in
            uri = report.object_uri or report.actor_uri
            post = Object(uri=uri, url=uri, name="", content="", context_uri="")
        found.append(("report", report.created_at, report.reporter, post, report.reason[:200]))
    return found


async def _organisation_mentions(window: Window) -> list[_Found]:
    """Posts from other servers that mention the organisation and answer nothing here: those
    linking a proposal became comments on it (node/services/mention_placement.py); the rest
    are the moderators' to read."""
    organisation = await get_organisation()
    if organisation is None:
        return []
    scan = Window(window.since, window.until, MENTION_SCAN if window.limit else None)
    entries = await scan.bound(
        InboxEntry.filter(recipient_id=organisation.id), "received_at"
    ).values_list("document", flat=True)
    mentioning: list[str] = []
    for document in entries:
        if not isinstance(document, dict) or document.get("type") != "Create":
            continue
        post = document.get("object")
        if isinstance(post, dict) and mentions(post, organisation.uri):
            mentioning.append(str(post.get("id")))
    rows = await Object.filter(
        uri__in=mentioning,
        in_reply_to_uri="",
        is_local=False,
        deleted_at__isnull=True,
        hidden_at__isnull=True,
    ).select_related("author")
    return [("organisation_mention", row.published_at, row.author, row, "") for row in rows]


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
