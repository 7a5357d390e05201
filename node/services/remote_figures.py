"""A remote proposal's figures that only its home node knows (counts, endorsements, results),
fetched from the home's own collections and kept with the time they were fetched.

Only the refresh worker (node/workers/remote_figures.py) calls `refresh_figures`; pages read the
stored figures through `shown_figures` and never fetch. Every URL fetched is on the proposal's
own origin, so no other server can speak for its figures. A refresh that fails anywhere keeps the
old figures and their time whole: a page never shows half-new figures under an old time.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from tortoise.expressions import Subquery

from federation.activities.objects import origin
from federation.client import FederationClient
from federation.errors import BadStatus, FetchError
from node.models import Object, Proposal, Statement
from node.sanitize import plain_text
from node.timestamps import now

log = logging.getLogger("townhall.remote_figures")

REFRESH_SECONDS = 30.0  # the whole refresh of one proposal; each request also has the client's
MAX_QUESTIONS = 20
MAX_OPTIONS = 50
MAX_NAME = 200
MAX_COUNT = 1_000_000_000
ENDORSEMENT_KINDS = (
    "organisations",
    "practitioner",
    "service_user",
    "staff",
    "members_other",
    "public",
)
COUNTED_COLLECTIONS = ("likes", "shares", "replies")
NOT_SERVED = frozenset({404, 410})


class FiguresRefused(ValueError):
    """The home node answered, but not with figures we can read."""


async def refresh_figures(client: FederationClient, proposal_id: int) -> bool:
    """Fetch and store the figures of remote proposal `proposal_id`; False (logged, the old
    figures kept) when the home node failed, was slow or answered nonsense."""
    proposal = await Proposal.get_or_none(id=proposal_id).select_related("object")
    if proposal is None or proposal.object.is_local or proposal.object.deleted_at is not None:
        return False
    try:
        async with asyncio.timeout(REFRESH_SECONDS):
            figures = await _fetch_figures(client, proposal.object)
    except (FetchError, FiguresRefused, TimeoutError) as error:
        log.warning(
            "remote_figures.failed",
            extra={"object": proposal.object.uri, "reason": f"{type(error).__name__}: {error}"},
        )
        return False
    await Proposal.filter(id=proposal.id).update(remote_figures=figures, figures_fetched_at=now())
    return True


async def _fetch_figures(client: FederationClient, row: Object) -> dict[str, Any]:
    home = origin(row.uri)
    document = row.document if isinstance(row.document, dict) else {}
    figures: dict[str, Any] = {}
    for name in COUNTED_COLLECTIONS:
        url = _id_of(document.get(name))
        figures[name] = await _total_items(client, url) if _on(home, url) else None
    figures["context"] = (
        await _total_items(client, row.context_uri) if _on(home, row.context_uri) else None
    )
    figures["endorsements"] = await _endorsements(client, f"{row.uri}/endorsements")
    accepted = document.get("acceptedAmendments")
    figures["acceptedAmendments"] = len(accepted) if isinstance(accepted, list) else 0
    questions = (
        await Object.filter(
            context_uri=row.context_uri, type="Question", is_local=False, deleted_at=None
        )
        .exclude(id__in=Subquery(Statement.exclude(object_id=None).values("object_id")))
        .order_by("published_at", "id")
        .limit(MAX_QUESTIONS)
        .values_list("uri", flat=True)
        if row.context_uri
        else []
    )
    results = [await _results(client, str(uri)) for uri in questions if _on(home, str(uri))]
    figures["questions"] = [found for found in results if found is not None]
    return figures


def _id_of(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else ""


def _on(home: str, url: str) -> bool:
    return bool(url) and urlsplit(url).scheme in ("http", "https") and origin(url) == home


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        raise FiguresRefused(f"not a count: {value!r}")
    return value


async def _total_items(client: FederationClient, url: str) -> int:
    fetched = await client.fetch_object(url)
    return _count(fetched.document.get("totalItems"))


async def _endorsements(client: FederationClient, url: str) -> dict[str, int] | None:
    try:
        _, answer = await client.fetch_json(url, accept="application/json")
    except BadStatus as error:
        if error.remote_status in NOT_SERVED:  # a home that is not Townhall has no split
            return None
        raise
    if not isinstance(answer, dict):
        raise FiguresRefused(f"{url} is not an object")
    return {kind: _count(answer.get(kind, 0)) for kind in ENDORSEMENT_KINDS}


async def _results(client: FederationClient, question_uri: str) -> dict[str, Any] | None:
    try:
        _, answer = await client.fetch_json(f"{question_uri}/results", accept="application/json")
    except BadStatus as error:
        if error.remote_status in NOT_SERVED:  # withdrawn, hidden, or not a Townhall poll
            return None
        raise
    options = answer.get("options") if isinstance(answer, dict) else None
    if not isinstance(options, list):
        raise FiguresRefused(f"{question_uri}/results has no options")
    shown = []
    for option in options[:MAX_OPTIONS]:
        if not isinstance(option, dict):
            raise FiguresRefused(f"{question_uri}/results has an option that is not an object")
        votes = option.get("votes")
        shown.append(
            {
                "name": plain_text(str(option.get("name") or ""))[:MAX_NAME],
                "votes": None if votes is None else _count(votes),  # None: kept until it closes
            }
        )
    return {
        "question": question_uri,
        "votersCount": _count(answer.get("votersCount", 0)),
        "closed": answer.get("closed") is True,
        "options": shown,
    }


@dataclass(frozen=True)
class OptionFigure:
    """An answer of a remote question and its votes (None while its home keeps them)."""

    name: str
    votes: int | None


@dataclass(frozen=True)
class QuestionFigures:
    """A remote question's results as its home reported them."""

    question_uri: str
    voters: int
    closed: bool
    options: tuple[OptionFigure, ...]


@dataclass(frozen=True)
class RemoteFigures:
    """What a remote proposal's home node reported of it, and when: the page says so."""

    host: str
    fetched_at: datetime
    likes: int | None
    shares: int | None
    replies: int | None
    thread_items: int | None  # everything in the thread's context collection
    endorsements: tuple[tuple[str, int], ...]  # (kind, count) in ENDORSEMENT_KINDS order
    accepted_amendments: int
    questions: tuple[QuestionFigures, ...]

    @property
    def endorsement_total(self) -> int:
        return sum(count for _, count in self.endorsements)


def shown_figures(
    object_uri: str, figures: dict[str, Any] | None, fetched_at: datetime | None
) -> RemoteFigures | None:
    """The stored figures of a remote proposal for its page, or None before the first fetch."""
    if not isinstance(figures, dict) or fetched_at is None:
        return None
    endorsements = figures.get("endorsements")
    split = (
        tuple((kind, _stored_count(endorsements.get(kind)) or 0) for kind in ENDORSEMENT_KINDS)
        if isinstance(endorsements, dict)
        else ()  # its home serves no split (not a Townhall node)
    )
    return RemoteFigures(
        host=urlsplit(object_uri).netloc,
        fetched_at=fetched_at,
        likes=_stored_count(figures.get("likes")),
        shares=_stored_count(figures.get("shares")),
        replies=_stored_count(figures.get("replies")),
        thread_items=_stored_count(figures.get("context")),
        endorsements=split,
        accepted_amendments=_stored_count(figures.get("acceptedAmendments")) or 0,
        questions=tuple(_shown_question(q) for q in figures.get("questions") or ()),
    )


def _stored_count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _shown_question(stored: Any) -> QuestionFigures:
    stored = stored if isinstance(stored, dict) else {}
    return QuestionFigures(
        question_uri=str(stored.get("question") or ""),
        voters=_stored_count(stored.get("votersCount")) or 0,
        closed=stored.get("closed") is True,
        options=tuple(
            OptionFigure(str(o.get("name") or ""), _stored_count(o.get("votes")))
            for o in stored.get("options") or ()
            if isinstance(o, dict)
        ),
    )
