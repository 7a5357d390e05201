"""A proposal's statements and votes as pol.is publishes a conversation's open data
(github.com/compdemocracy/openData), so pol.is's own tools and readers such as red-dwarf load
it: comments.csv, votes.csv, participants-votes.csv and summary.csv.

pol.is's conventions, kept exactly: ids are whole numbers from 0 (comment-id: the statements
in the order they were added; voter-id / author-id / participant: people in order of first
appearance); a vote is 1 agree, -1 disagree, 0 pass; `moderated` 1 (only approved statements
are published); `timestamp` in seconds since 1970 and `datetime` as pol.is's JavaScript wrote
it; participants-votes.csv has one column per comment-id, empty where the person did not
vote; summary.csv is key,value lines without a header.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from tortoise.functions import Count

from node.i18n import gettext_ as _
from node.markdown import html_to_markdown
from node.models import Object, StatementVote
from node.services.errors import NotFound
from node.services.open_data.participants import GONE, Participants, statement_participants
from node.services.open_data.scope import ExportedProposal, Scope, the_proposal
from node.services.open_data.tables import batches, statement_votes_in_order, vote_time
from node.services.open_data.threads import statement_votes, statements
from node.services.open_data.writers import csv_chunks

POLIS_FILES = ("comments", "votes", "participants-votes", "summary")
VOTES_PER_QUERY = 20_000  # at most (people times statements) votes read at once


def polis_time(moment: datetime) -> tuple[int, str]:
    """(seconds since 1970, the date as pol.is's exports write it)."""
    moment = moment.astimezone(UTC)
    words = moment.strftime("%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)")
    return int(moment.timestamp()), words


async def _comment_ids(proposal: ExportedProposal) -> dict[int, int]:
    """Statement id → pol.is comment-id (0, 1, 2… in the order they were added)."""
    rows = await statements(proposal).order_by("id").values("id")
    return {int(row["id"]): tid for tid, row in enumerate(rows)}


async def polis_file(scope: Scope, name: str) -> AsyncIterator[bytes]:
    """The bytes of one pol.is file of the proposal `scope`; NotFound for another name."""
    if name not in POLIS_FILES:
        raise NotFound(_("A pol.is export has comments.csv, votes.csv, participants-votes.csv "
                         "and summary.csv only."))  # fmt: skip
    proposal = await the_proposal(scope)
    people = await statement_participants(proposal)
    tids = await _comment_ids(proposal)
    if name == "comments":
        return csv_chunks(COMMENT_COLUMNS, _comments(proposal, people, tids), defuse=False)
    if name == "votes":
        return csv_chunks(VOTE_COLUMNS, _votes(proposal, people, tids), defuse=False)
    if name == "participants-votes":
        columns = (*PARTICIPANT_COLUMNS, *(str(tid) for tid in tids.values()))
        return csv_chunks(columns, _participants(proposal, people, tids), defuse=False)
    return _summary(proposal, people, tids)


COMMENT_COLUMNS = ("timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees",
                   "moderated", "comment-body")  # fmt: skip
VOTE_COLUMNS = ("timestamp", "datetime", "comment-id", "voter-id", "vote")
PARTICIPANT_COLUMNS = ("participant", "group-id", "n-comments", "n-votes", "n-agree",
                       "n-disagree")  # fmt: skip


async def _comments(
    proposal: ExportedProposal, people: Participants, tids: dict[int, int]
) -> AsyncIterator[list[Any]]:
    async for row in batches(statements(proposal), "author_id", "text", "created_at"):
        tallies = (
            await StatementVote.filter(statement_id=row["id"], value__in=(1, -1))
            .annotate(count=Count("id"))
            .group_by("value")
            .values("value", "count")
        )
        count = {int(tally["value"]): int(tally["count"]) for tally in tallies}
        seconds, words = polis_time(row["created_at"])
        author = people.of(row["author_id"] if row["author_id"] is not None else GONE)
        yield [seconds, words, tids[int(row["id"])], author, count.get(1, 0), count.get(-1, 0),
               1, row["text"]]  # fmt: skip


async def _votes(
    proposal: ExportedProposal, people: Participants, tids: dict[int, int]
) -> AsyncIterator[list[Any]]:
    async for row in statement_votes_in_order(proposal):
        seconds, words = polis_time(vote_time(row["voted"]))
        yield [seconds, words, tids[int(row["statement_id"])], people.of(row["actor_id"]),
               int(row["value"])]  # fmt: skip


async def _participants(
    proposal: ExportedProposal, people: Participants, tids: dict[int, int]
) -> AsyncIterator[list[Any]]:
    authored = (
        await statements(proposal)
        .filter(author_id__not_isnull=True)
        .annotate(count=Count("id"))
        .group_by("author_id")
        .values("author_id", "count")
    )
    written = {int(row["author_id"]): int(row["count"]) for row in authored}
    written[GONE] = await statements(proposal).filter(author_id=None).count()
    order = sorted(people.numbers, key=people.numbers.__getitem__)
    at_once = max(1, VOTES_PER_QUERY // max(1, len(tids)))
    for start in range(0, len(order), at_once):
        actors = order[start : start + at_once]
        votes: dict[int, dict[int, int]] = {actor: {} for actor in actors}
        rows = (
            await statement_votes(proposal)
            .filter(actor_id__in=actors)
            .values_list("actor_id", "statement_id", "value")
        )
        for actor_id, statement_id, value in rows:
            votes[int(actor_id)][tids[int(statement_id)]] = int(value)
        for actor in actors:
            theirs = votes[actor]
            values = list(theirs.values())
            yield [people.numbers[actor], "", written.get(actor, 0), len(values),
                   values.count(1), values.count(-1),
                   *(theirs.get(tid, "") for tid in tids.values())]  # fmt: skip


async def _summary(
    proposal: ExportedProposal, people: Participants, tids: dict[int, int]
) -> AsyncIterator[bytes]:
    voters = await statement_votes(proposal).distinct().values_list("actor_id", flat=True)
    commenters = await statements(proposal).distinct().values_list("author_id", flat=True)
    row = await Object.get(uri=proposal.uri).values("url", "summary")
    lines = (
        ["topic", proposal.title],
        ["url", row["url"] or proposal.uri],
        ["voters", len(set(voters))],
        ["voters-in-conv", len(set(voters))],
        ["commenters", len(set(commenters))],
        ["comments", len(tids)],
        ["groups", 0],
        ["conversation-description", html_to_markdown(row["summary"])],
    )

    async def rows() -> AsyncIterator[list[Any]]:
        for line in lines[1:]:
            yield list(line)

    return_chunks = csv_chunks(lines[0], rows(), defuse=False)
    async for chunk in return_chunks:
        yield chunk
