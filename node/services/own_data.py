"""Everything a member wrote and did, as a zip of JSON and CSV files they download.

Read in batches of rows and written into a spooled temporary file (in memory while small, on
disk beyond SPOOL_IN_MEMORY), so a member with years of comments costs bounded memory; the
caller streams the file out in chunks. Reading writes nothing.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from tortoise.queryset import QuerySet

from node.markdown import html_to_markdown
from node.models import (
    Account,
    Amendment,
    Follow,
    Object,
    Proposal,
    Reaction,
    Vote,
)
from node.services.report_csv import defused
from node.timestamps import format_time

BATCH = 200  # rows per query: the event loop is never held long by one batch
SPOOL_IN_MEMORY = 4 * 1024 * 1024  # bytes of zip kept in memory before it goes to disk
CHUNK = 64 * 1024

Row = dict[str, Any]


@dataclass(frozen=True)
class Table:
    """One kind of thing the member did: a JSON file and a CSV file of the same rows."""

    name: str
    columns: tuple[str, ...]
    rows: Callable[[int], AsyncIterator[Row]]  # given the member's actor id


async def _batches(query: QuerySet[Any], fields: tuple[str, ...]) -> AsyncIterator[Row]:
    """The rows `query` selects, BATCH at a time by id (never all at once)."""
    last = 0
    while True:
        batch = await query.filter(id__gt=last).order_by("id").limit(BATCH).values("id", *fields)
        for row in batch:
            yield row
        if len(batch) < BATCH:
            return
        last = int(batch[-1]["id"])


def _time(value: datetime | None) -> str:
    return format_time(value) if value is not None else ""


async def _writings(actor_id: int, kinds: tuple[str, ...]) -> AsyncIterator[Row]:
    fields = ("uri", "type", "in_reply_to_uri", "context_uri", "name", "summary", "content",
              "source", "is_public", "published_at", "updated_at", "hidden_at")  # fmt: skip
    query = Object.filter(author_id=actor_id, type__in=kinds, deleted_at=None)
    async for row in _batches(query, fields):
        yield {
            "id": row["uri"],
            "type": row["type"],
            "in_reply_to": row["in_reply_to_uri"],
            "thread": row["context_uri"],
            "title": row["name"],
            "text": row["source"] or html_to_markdown(row["content"]),
            "html": row["content"],
            "public": bool(row["is_public"]),
            "published": _time(row["published_at"]),
            "edited": _time(row["updated_at"]),
            "hidden_by_a_moderator": row["hidden_at"] is not None,
        }


def _comments(actor_id: int) -> AsyncIterator[Row]:
    return _writings(actor_id, ("Note", "Question"))


async def _proposals(actor_id: int) -> AsyncIterator[Row]:
    fields = ("object__uri", "object__name", "object__summary", "object__content",
              "object__source", "object__published_at", "object__updated_at", "status",
              "closes_at", "decision")  # fmt: skip
    query = Proposal.filter(object__author_id=actor_id, object__deleted_at=None)
    async for row in _batches(query, fields):
        yield {
            "id": row["object__uri"],
            "title": row["object__name"],
            "summary": html_to_markdown(row["object__summary"]),
            "text": row["object__source"] or html_to_markdown(row["object__content"]),
            "status": str(row["status"]),
            "closes": _time(row["closes_at"]),
            "published": _time(row["object__published_at"]),
            "edited": _time(row["object__updated_at"]),
            "decision": row["decision"],
        }


async def _reactions(actor_id: int) -> AsyncIterator[Row]:
    query = Reaction.filter(actor_id=actor_id)
    async for row in _batches(query, ("uri", "kind", "content", "object_uri", "created_at")):
        yield {
            "id": row["uri"],
            "kind": {"Like": "endorsement", "Announce": "share"}.get(row["kind"], "reaction"),
            "emoji": row["content"],
            "of": row["object_uri"],
            "when": _time(row["created_at"]),
        }


async def _answers(actor_id: int) -> AsyncIterator[Row]:
    query = Vote.filter(actor_id=actor_id)
    fields = ("uri", "poll__object__uri", "poll__object__name", "option__name", "created_at")
    async for row in _batches(query, fields):
        yield {
            "id": row["uri"],
            "question": row["poll__object__uri"],
            "question_text": row["poll__object__name"],
            "answer": row["option__name"],
            "when": _time(row["created_at"]),
        }


async def _amendments(actor_id: int) -> AsyncIterator[Row]:
    query = Amendment.filter(object__author_id=actor_id, object__deleted_at=None)
    fields = ("object__uri", "proposal__object__uri", "section", "suggested_text", "state",
              "reason", "created_at", "answered_at")  # fmt: skip
    async for row in _batches(query, fields):
        yield {
            "id": row["object__uri"],
            "proposal": row["proposal__object__uri"],
            "section": row["section"],
            "suggested_text": row["suggested_text"],
            "state": str(row["state"]),
            "answer": row["reason"],
            "suggested": _time(row["created_at"]),
            "answered": _time(row["answered_at"]),
        }


async def _follows(actor_id: int) -> AsyncIterator[Row]:
    fields = ("follower_id", "followee__uri", "follower__uri", "state", "created_at")
    async for row in _batches(Follow.filter(follower_id=actor_id), fields):
        yield _follow(row, "you follow", row["followee__uri"])
    async for row in _batches(Follow.filter(followee_id=actor_id), fields):
        yield _follow(row, "follows you", row["follower__uri"])


def _follow(row: Row, direction: str, who: str) -> Row:
    return {"direction": direction, "who": who, "state": str(row["state"]),
            "since": _time(row["created_at"])}  # fmt: skip


TABLES = (
    Table(
        "proposals",
        ("id", "title", "summary", "text", "status", "closes", "published", "edited", "decision"),
        _proposals,
    ),
    Table(
        "comments",
        (
            "id",
            "type",
            "in_reply_to",
            "thread",
            "title",
            "text",
            "html",
            "public",
            "published",
            "edited",
            "hidden_by_a_moderator",
        ),
        _comments,
    ),
    Table("endorsements_and_reactions", ("id", "kind", "emoji", "of", "when"), _reactions),
    Table("answers", ("id", "question", "question_text", "answer", "when"), _answers),
    Table(
        "amendments",
        ("id", "proposal", "section", "suggested_text", "state", "answer", "suggested", "answered"),
        _amendments,
    ),
    Table("follows", ("direction", "who", "state", "since"), _follows),
)


async def _profile(account_id: int) -> Row:
    account = await Account.get(id=account_id).select_related("actor")
    actor = account.actor
    return {
        "id": actor.uri,
        "handle": actor.handle,
        "name": actor.name,
        "about": actor.summary,
        "role": actor.role,
        "role_shown_publicly": account.role_public,
        "name_is_a_pseudonym": account.is_pseudonym,
        "email": account.email or "",
        "email_verified": _time(account.email_verified_at),
        "access": account.access_role.value,
        "approves_followers": actor.manually_approves_followers,
        "joined": _time(account.created_at),
    }


async def export_zip(account_id: int) -> IO[bytes]:
    """The member's zip (a file positioned at its start; the caller closes it)."""
    account = await Account.get(id=account_id)
    actor_id = account.actor_id  # type: ignore[attr-defined]
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        profile = await _profile(account_id)
        archive.writestr("profile.json", json.dumps(profile, indent=2, ensure_ascii=False))
        await _write_csv(archive, "profile.csv", tuple(profile), _one(profile))
        for table in TABLES:
            await _write_json(archive, f"{table.name}.json", table.rows(actor_id))
            await _write_csv(archive, f"{table.name}.csv", table.columns, table.rows(actor_id))
        archive.writestr("README.txt", README)
    spool.seek(0)
    return spool


async def _one(row: Row) -> AsyncIterator[Row]:
    yield row


async def _write_json(archive: zipfile.ZipFile, name: str, rows: AsyncIterator[Row]) -> None:
    """A JSON array written row by row into the archive."""
    with archive.open(name, "w") as entry:
        entry.write(b"[")
        first = True
        async for row in rows:
            entry.write(
                (b"\n  " if first else b",\n  ") + json.dumps(row, ensure_ascii=False).encode()
            )
            first = False
        entry.write(b"\n]\n")


async def _write_csv(
    archive: zipfile.ZipFile, name: str, columns: tuple[str, ...], rows: AsyncIterator[Row]
) -> None:
    """A CSV file (UTF-8 with a byte-order mark, so spreadsheets read it) row by row."""
    with archive.open(name, "w") as entry:
        text = io.TextIOWrapper(entry, encoding="utf-8-sig", newline="")
        writer = csv.DictWriter(text, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        async for row in rows:
            writer.writerow({key: defused(value) for key, value in row.items()})
        text.flush()
        text.detach()


README = """Everything you wrote and did on this Townhall node, as you left it.

profile           your profile and account settings
proposals         the proposals you wrote (their text now, in Markdown)
comments          your comments and questions (text in Markdown, and as shown, in HTML)
endorsements_and_reactions   what you endorsed, shared or reacted to
answers           your answers to consultation questions
amendments        the amendments you suggested, and the answers they had
follows           whom you follow and who follows you

Each is a JSON file and a CSV file holding the same rows. Times are UTC (ISO 8601).
"""
