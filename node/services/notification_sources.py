"""Where what concerns a member is found, each kind by a collector reading what is already
stored (no table of its own): node/services/notifications.py puts them together, for a batch
of members (the worker's mail) or one member (their page), a few queries whatever its size.

Each collector takes the recipients by actor id and a Window, and returns (recipient actor id,
Found) pairs; the moderators' two (new reports, mentions of an organisation) return what the
moderators are told, each with the organisation (its actor's id) whose moderators are told too
(None: the node's moderators alone).
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from tortoise.expressions import Subquery
from tortoise.models import Model
from tortoise.queryset import QuerySet

from federation.vocab import as_list, id_of
from node.models import (
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
from node.services.join_answers import join_answers
from node.services.mention_placement import mentions
from node.services.moderation_scope import ModerationScope, organisations_of_threads
from node.services.organisations import live_organisations
from node.services.report_outcomes import report_outcomes
from node.services.visibility import Reader, may_read_private

M = TypeVar("M", bound=Model)
MENTION_SCAN = 200


@dataclass(frozen=True)
class Recipient:
    """A member notifications are read for."""

    account_id: int
    actor_id: int
    actor_uri: str
    moderator: bool
    seen: datetime | None = None
    moderates: frozenset[int] = frozenset()  # the organisations they moderate (not the node)

    def told_of(self, organisation_id: int | None) -> bool:
        """Whether they are told what concerns the organisation `organisation_id`."""
        return ModerationScope(self.moderator, self.moderates).covers(organisation_id)


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
Found = tuple[str, datetime, Actor | None, Object, str]
# what the moderators are told, and the organisation (actor id) whose moderators are told too
ForModerators = tuple[int | None, Found]


async def _replies(by_actor: dict[int, Recipient], window: Window) -> list[tuple[int, Found]]:
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
    found: list[tuple[int, Found]] = []
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


async def _answers(by_actor: dict[int, Recipient], window: Window) -> list[tuple[int, Found]]:
    """Answers (accepted, declined) to the amendments the recipients suggested."""
    answered = await window.bound(
        Amendment.filter(
            object__author_id__in=list(by_actor), answered_at__isnull=False
        ).select_related("object", "answered_by", "proposal__object"),
        "answered_at",
    )
    found: list[tuple[int, Found]] = []
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


async def _new_versions(by_actor: dict[int, Recipient], window: Window) -> list[tuple[int, Found]]:
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
    found: list[tuple[int, Found]] = []
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


async def _mentions(by_actor: dict[int, Recipient], window: Window) -> list[tuple[int, Found]]:
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
    found: list[tuple[int, Found]] = []
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


async def _closing(by_actor: dict[int, Recipient], window: Window) -> list[tuple[int, Found]]:
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
    found: list[tuple[int, Found]] = []
    for reminder in reminders:
        proposal = reminder.proposal.object
        who = authors.get(proposal.author_id)
        days = str(reminder.days_before)
        recipient_id = accounts[reminder.account_id]  # type: ignore[attr-defined]
        found.append((recipient_id, ("closing", reminder.created_at, who, proposal, days)))
    return found


async def _outcomes(by_actor: dict[int, Recipient], window: Window) -> list[tuple[int, Found]]:
    """What became of the reports the recipients made: no one named (the moderator who
    decided is not), the post stood in for by the reporter's own words."""
    told = await report_outcomes(list(by_actor), window.since, window.until)
    told.sort(key=lambda entry: entry.at, reverse=True)
    if window.limit is not None:
        told = told[: window.limit]
    found: list[tuple[int, Found]] = []
    for entry in told:
        uri = entry.object_uri or entry.actor_uri
        said = html.escape(entry.reason[:200])
        post = Object(uri=uri, url="", name="", content=said, context_uri="")
        found.append((entry.reporter_id, ("report_outcome", entry.at, None, post, entry.outcome)))
    return found


async def _reports(window: Window) -> list[ForModerators]:
    """New reports, for the moderators: the reported post (or account) and who reported it; a
    post's in an organisation's thread for that organisation's moderators too."""
    reports = await window.bound(Report.all().select_related("reporter"), "created_at")
    if not reports:
        return []
    posts = {
        row.uri: row
        for row in await Object.filter(uri__in=[r.object_uri for r in reports if r.object_uri])
    }
    whose = await organisations_of_threads({row.context_uri for row in posts.values()})
    found: list[ForModerators] = []
    for report in reports:
        post = posts.get(report.object_uri)
        if post is None:  # an account reported, or a post not held: its address stands in
            uri = report.object_uri or report.actor_uri
            post = Object(uri=uri, url=uri, name="", content="", context_uri="")
        entry = ("report", report.created_at, report.reporter, post, report.reason[:200])
        found.append((whose.get(post.context_uri), entry))
    return found


async def _organisation_mentions(window: Window) -> list[ForModerators]:
    """Posts from other servers that mention an organisation of ours and answer nothing here: those
    linking a proposal became comments on it (node/services/mention_placement.py); the rest
    are the moderators' to read (the node's, and the mentioned organisation's)."""
    scan = Window(window.since, window.until, MENTION_SCAN if window.limit else None)
    mentioning: dict[str, int] = {}
    for organisation in await live_organisations():  # an umbrella node hosts several
        entries = await scan.bound(
            InboxEntry.filter(recipient_id=organisation.id), "received_at"
        ).values_list("document", flat=True)
        for document in entries:
            if not isinstance(document, dict) or document.get("type") != "Create":
                continue
            post = document.get("object")
            if isinstance(post, dict) and mentions(post, organisation.uri):
                mentioning.setdefault(str(post.get("id")), organisation.id)
    rows = await Object.filter(
        uri__in=list(mentioning),
        in_reply_to_uri="",
        is_local=False,
        deleted_at__isnull=True,
        hidden_at__isnull=True,
    ).select_related("author")
    return [
        (mentioning[row.uri], ("organisation_mention", row.published_at, row.author, row, ""))
        for row in rows
    ]


Collector = Callable[[dict[int, Recipient], Window], Awaitable[list[tuple[int, Found]]]]
# what concerns each recipient in particular
PER_RECIPIENT: tuple[Collector, ...] = (
    _replies,
    _answers,
    _new_versions,
    _mentions,
    _closing,
    _outcomes,
    join_answers,
)


async def for_moderators(window: Window) -> list[ForModerators]:
    """What the moderators are told: mentions of an organisation, and new reports."""
    return [*await _organisation_mentions(window), *await _reports(window)]
