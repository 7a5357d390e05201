"""The open data tables: for each, its columns and its rows, read in keyset-paginated batches
(never a whole table in memory), proposal by proposal. Every row is flat, so a table is the
same in CSV and in JSON; docs/open-data.md and schemas/open_data_*.json describe them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise.expressions import RawSQL, Subquery
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from node.markdown import html_to_markdown
from node.models import Amendment, Poll, Proposal, ProposalVersion, Reaction, StatementVote
from node.services.actors import roles_kept_private
from node.services.open_data.languages import COLUMNS as LANGUAGE_COLUMNS
from node.services.open_data.languages import document_languages, stored_languages
from node.services.open_data.participants import Participants
from node.services.open_data.scope import ExportedProposal, Scope, proposals_of
from node.services.open_data.threads import (
    comments,
    questions,
    statements,
    thread_objects,
)
from node.services.poll_tally import has_ended, results_of
from node.timestamps import format_time

BATCH = 500  # rows per query: the event loop is never held long by one batch
VOTES = 5000  # votes per query (small rows)
Row = dict[str, Any]
Rows = Callable[[ExportedProposal, Participants], AsyncIterator[Row]]


@dataclass(frozen=True)
class Table:
    """One file of the export: its name, its columns (in order) and how its rows are read."""

    name: str
    columns: tuple[str, ...]
    rows_of: Rows


def _time(value: datetime | None) -> str:
    return format_time(value) if value is not None else ""


def _text(source: str, html: str) -> str:
    return source or html_to_markdown(html)


async def batches(
    query: QuerySet[Any], *fields: str, size: int = BATCH, key: str = "id"
) -> AsyncIterator[Row]:
    """The rows `query` selects, `size` at a time in order of `key`, a unique whole-number
    column (keyset, never OFFSET)."""
    last = -1
    while True:
        after = query.filter(**{f"{key}__gt": last}).order_by(key).limit(size)
        batch = await after.values(*dict.fromkeys((key, "id", *fields)))
        for row in batch:
            yield row
        if len(batch) < size:
            return
        last = int(batch[-1][key])


async def statement_votes_in_order(proposal: ExportedProposal) -> AsyncIterator[Row]:
    """The votes on the proposal's shown statements (statement_id, actor_id, value, voted),
    by statement then voter: each statement's read along the (statement, actor) unique index,
    so no batch sorts the whole vote. `voted` is the time read raw (the ORM's date parsing was
    most of an export's time): read it with vote_time."""
    fields = ("statement_id", "value", "voted")
    async for statement in batches(statements(proposal)):
        votes = StatementVote.filter(statement_id=statement["id"]).annotate(
            voted=RawSQL("voted_at")
        )
        async for row in batches(votes, *fields, size=VOTES, key="actor_id"):
            yield row


def vote_time(value: datetime | str) -> datetime:
    """A vote's time as the database gave it raw: a datetime (PostgreSQL), or the ISO 8601
    text SQLite keeps."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


async def _proposals(proposal: ExportedProposal, people: Participants) -> AsyncIterator[Row]:
    fields = ("object__uri", "object__name", "object__summary", "object__content",
              "object__source", "object__url", "object__published_at", "object__updated_at",
              "status", "version", "closes_at", "decided_at", "decision", "object__language",
              "object__translations")  # fmt: skip
    async for row in batches(Proposal.filter(id=proposal.id), *fields):
        yield {
            "proposal": row["object__uri"],
            "title": row["object__name"],
            "summary": html_to_markdown(row["object__summary"]),
            "text": _text(row["object__source"], row["object__content"]),
            "status": str(row["status"]),
            "version": int(row["version"]),
            "published": _time(row["object__published_at"]),
            "edited": _time(row["object__updated_at"]),
            "closes": _time(row["closes_at"]),
            "decided": _time(row["decided_at"]),
            "decision": row["decision"],
            "url": row["object__url"] or row["object__uri"],
            **stored_languages(row["object__language"], row["object__translations"]),
        }


def _source_text(document: dict[str, Any]) -> str:
    source = document.get("source")
    if isinstance(source, dict) and isinstance(source.get("content"), str):
        return str(source["content"])
    content = document.get("content")
    return html_to_markdown(content) if isinstance(content, str) else ""


async def _versions(proposal: ExportedProposal, people: Participants) -> AsyncIterator[Row]:
    query = ProposalVersion.filter(proposal_id=proposal.id)
    async for row in batches(query, "number", "document", "amendment_uri", "created_at"):
        document = row["document"] if isinstance(row["document"], dict) else {}
        summary = document.get("summary")
        yield {
            "proposal": proposal.uri,
            "version": int(row["number"]),
            "title": str(document.get("name") or ""),
            "summary": html_to_markdown(summary) if isinstance(summary, str) else "",
            "text": _source_text(document),
            "published": _time(row["created_at"]),
            "amendment": row["amendment_uri"],
            **document_languages(document),
        }


async def _comments(proposal: ExportedProposal, people: Participants) -> AsyncIterator[Row]:
    fields = ("uri", "type", "in_reply_to_uri", "author_id", "author__handle",
              "author__domain", "author__role", "content", "source", "published_at",
              "updated_at", "late")  # fmt: skip
    batch: list[Row] = []
    async for row in batches(comments(proposal), *fields):
        batch.append(row)
        if len(batch) == BATCH:
            for comment in await _comment_rows(proposal, people, batch):
                yield comment
            batch = []
    for comment in await _comment_rows(proposal, people, batch):
        yield comment


async def _comment_rows(
    proposal: ExportedProposal, people: Participants, batch: list[Row]
) -> list[Row]:
    # An author of a public comment posts under their handle; a role kept private is left out.
    private = await roles_kept_private([int(row["author_id"]) for row in batch])
    return [
        {
            "comment": row["uri"],
            "proposal": proposal.uri,
            "type": row["type"],
            "in_reply_to": row["in_reply_to_uri"],
            "author": people.of(row["author_id"]),
            "author_handle": f"@{row['author__handle']}@{row['author__domain']}",
            "author_role": "" if row["author_id"] in private else row["author__role"],
            "text": _text(row["source"], row["content"]),
            "published": _time(row["published_at"]),
            "edited": _time(row["updated_at"]),
            "late": bool(row["late"]),
        }
        for row in batch
    ]


KINDS = {"Like": "endorsement", "React": "reaction", "Announce": "share"}


async def _endorsements(proposal: ExportedProposal, people: Participants) -> AsyncIterator[Row]:
    # Counted per object, a batch of the thread's objects at a time.
    async for uris in _object_batches(proposal):
        rows = (
            await Reaction.filter(object_uri__in=uris)
            .annotate(count=Count("id"))
            .group_by("object_uri", "kind", "content")
            .order_by("object_uri", "kind", "content")
            .values("object_uri", "kind", "content", "count")
        )
        for row in rows:
            yield {
                "proposal": proposal.uri,
                "object": row["object_uri"],
                "kind": KINDS.get(row["kind"], "reaction"),
                "emoji": row["content"],
                "count": int(row["count"]),
            }


async def _object_batches(proposal: ExportedProposal) -> AsyncIterator[list[str]]:
    uris: list[str] = []
    async for row in batches(thread_objects(proposal), "uri"):
        uris.append(row["uri"])
        if len(uris) == BATCH:
            yield uris
            uris = []
    if uris:
        yield uris


async def _question_results(proposal: ExportedProposal, people: Participants) -> AsyncIterator[Row]:
    # Only closed questions: before the close nobody is shown the count (poll_tally).
    async for row in batches(questions(proposal), "uri", "content", "source"):
        poll = await Poll.get_or_none(object_id=row["id"])
        if poll is None or not has_ended(poll):
            continue
        results = await results_of(poll)
        for position, (option, count) in enumerate(results.counts):
            yield {
                "proposal": proposal.uri,
                "question": row["uri"],
                "question_text": _text(row["source"], row["content"]),
                "option": option,
                "position": position,
                "answers": count,
                "voters": results.voters,
            }


async def _amendments(proposal: ExportedProposal, people: Participants) -> AsyncIterator[Row]:
    shown = Subquery(thread_objects(proposal).values("id"))
    query = Amendment.filter(proposal_id=proposal.id, object_id__in=shown)
    fields = ("object__uri", "object__author_id", "section", "suggested_text", "state",
              "reason", "created_at", "answered_at")  # fmt: skip
    async for row in batches(query, *fields):
        yield {
            "amendment": row["object__uri"],
            "proposal": proposal.uri,
            "author": people.of(row["object__author_id"]),
            "section": row["section"],
            "suggested_text": row["suggested_text"],
            "state": str(row["state"]),
            "answer": row["reason"],
            "suggested": _time(row["created_at"]),
            "answered": _time(row["answered_at"]),
        }


async def _statements(proposal: ExportedProposal, people: Participants) -> AsyncIterator[Row]:
    batch: list[Row] = []
    fields = ("object__uri", "author_id", "text", "created_at")
    async for row in batches(statements(proposal), *fields):
        batch.append(row)
        if len(batch) == BATCH:
            for statement in await _statement_rows(proposal, people, batch):
                yield statement
            batch = []
    for statement in await _statement_rows(proposal, people, batch):
        yield statement


async def _statement_rows(
    proposal: ExportedProposal, people: Participants, batch: list[Row]
) -> list[Row]:
    if not batch:
        return []
    tallies: dict[int, dict[int, int]] = {}
    counted = (
        await StatementVote.filter(statement_id__in=[row["id"] for row in batch])
        .annotate(count=Count("id"))
        .group_by("statement_id", "value")
        .values("statement_id", "value", "count")
    )
    for tally in counted:
        tallies.setdefault(int(tally["statement_id"]), {})[int(tally["value"])] = int(
            tally["count"]
        )
    return [
        {
            "statement": int(row["id"]),
            "proposal": proposal.uri,
            "uri": row["object__uri"] or "",
            "author": people.of(row["author_id"]),
            "text": row["text"],
            "created": _time(row["created_at"]),
            "agrees": tallies.get(int(row["id"]), {}).get(1, 0),
            "disagrees": tallies.get(int(row["id"]), {}).get(-1, 0),
            "passes": tallies.get(int(row["id"]), {}).get(0, 0),
        }
        for row in batch
    ]


async def _votes(proposal: ExportedProposal, people: Participants) -> AsyncIterator[Row]:
    async for row in statement_votes_in_order(proposal):
        yield {
            "statement": int(row["statement_id"]),
            "voter": people.of(row["actor_id"]),
            "vote": int(row["value"]),
            "voted": format_time(vote_time(row["voted"])),
        }


TABLES = (
    Table("proposals", ("proposal", "title", "summary", "text", "status", "version", "published",
                        "edited", "closes", "decided", "decision", "url", *LANGUAGE_COLUMNS),
          _proposals),
    Table("versions", ("proposal", "version", "title", "summary", "text", "published",
                       "amendment", *LANGUAGE_COLUMNS), _versions),
    Table("comments", ("comment", "proposal", "type", "in_reply_to", "author", "author_handle",
                       "author_role", "text", "published", "edited", "late"), _comments),
    Table("endorsements", ("proposal", "object", "kind", "emoji", "count"), _endorsements),
    Table("question-results", ("proposal", "question", "question_text", "option", "position",
                               "answers", "voters"), _question_results),
    Table("amendments", ("amendment", "proposal", "author", "section", "suggested_text", "state",
                         "answer", "suggested", "answered"), _amendments),
    Table("statements", ("statement", "proposal", "uri", "author", "text", "created", "agrees",
                         "disagrees", "passes"), _statements),
    Table("votes", ("statement", "voter", "vote", "voted"), _votes),
)  # fmt: skip
BY_NAME = {table.name: table for table in TABLES}


def table_named(name: str) -> Table | None:
    """The table called `name`, None when there is none."""
    return BY_NAME.get(name)


async def rows_of(table: Table, scope: Scope, people: Participants) -> AsyncIterator[Row]:
    """Every row of `table` in `scope`, proposal by proposal."""
    async for proposal in proposals_of(scope):
        async for row in table.rows_of(proposal, people):
            yield row
