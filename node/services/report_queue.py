"""The moderators' report queue: open reports first, newest first, a page at a time; and how
many open reports another server may have in it, so a flood of Flags cannot bury the rest.

Members' reports are never capped. A remote actor may have `MAX_OPEN_PER_ACTOR` open reports
at once and a remote server `MAX_OPEN_PER_SERVER`: enough for a real moderation team writing
to us about several accounts, far too few to push a member's report off the first page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from node.i18n import N_
from node.models import Actor, Object, Report
from node.numbers import MAX_PAGE, page_number
from node.services.blocklist import normalise_host
from node.services.errors import ServiceError
from node.services.thread_view import CommentAuthor

PAGE_SIZE = 50
MAX_OPEN_PER_ACTOR = 10
MAX_OPEN_PER_SERVER = 30


@dataclass(frozen=True, slots=True)
class ReportedPost:
    """What a report is about, as the moderators see it."""

    author: CommentAuthor
    content: str  # sanitised HTML
    hidden: bool
    removed: bool


@dataclass(frozen=True, slots=True)
class ReportView:
    """One report, with its reporter and the post it names (if still held)."""

    id: int
    reporter: CommentAuthor | None
    created_at: datetime
    reason: str
    object_uri: str
    actor_uri: str
    resolved_at: datetime | None
    resolution: str
    post: ReportedPost | None


@dataclass(frozen=True, slots=True)
class ReportPage:
    """A page of the queue."""

    reports: list[ReportView]
    page: int
    pages: int
    total: int
    open: int


def parse_page(value: str) -> int:
    """The page number asked for (1 when none), or a ServiceError saying why not."""
    if not value:
        return 1
    number = page_number(value)
    if number is None:
        raise ServiceError(
            N_("page must be a whole number from 1 to %(max_page)s"), max_page=MAX_PAGE
        )
    return number


async def open_reports() -> int:
    """How many reports wait for a moderator."""
    return await Report.filter(resolved_at__isnull=True).count()


async def report_page(page: int) -> ReportPage:
    """Page `page` of the queue: open reports first, each group newest first."""
    waiting = await open_reports()
    total = await Report.all().count()
    start = (page - 1) * PAGE_SIZE
    rows: list[Report] = []
    if start < waiting:
        rows += await _newest(Report.filter(resolved_at__isnull=True), start, PAGE_SIZE)
    if len(rows) < PAGE_SIZE:
        resolved = Report.filter(resolved_at__isnull=False)
        rows += await _newest(resolved, max(0, start - waiting), PAGE_SIZE - len(rows))
    posts = await _posts([row.object_uri for row in rows if row.object_uri])
    views = [
        ReportView(
            id=row.id,
            reporter=_author(row.reporter) if row.reporter else None,
            created_at=row.created_at,
            reason=row.reason,
            object_uri=row.object_uri,
            actor_uri=row.actor_uri,
            resolved_at=row.resolved_at,
            resolution=row.resolution,
            post=posts.get(row.object_uri),
        )
        for row in rows
    ]
    return ReportPage(views, page, max(1, -(-total // PAGE_SIZE)), total, waiting)


async def room_for_remote_reports(reporter: Actor) -> int:
    """How many more open reports a remote actor (and its server) may file now. The server is
    the signed sender's host (lower case, no port), never the Flag's id, which anyone names."""
    host = normalise_host(reporter.uri)
    same_server = Actor.filter(is_local=False).filter(
        Q(domain=host) | Q(domain__startswith=f"{host}:")
    )
    open_remote = Report.filter(resolved_at__isnull=True).exclude(flag_uri="")
    server = open_remote.filter(reporter_id__in=Subquery(same_server.values("id")))
    mine = open_remote.filter(reporter_id=reporter.id)
    room = min(MAX_OPEN_PER_SERVER - await server.count(), MAX_OPEN_PER_ACTOR - await mine.count())
    return max(0, room)


async def _newest(query: QuerySet[Report], offset: int, limit: int) -> list[Report]:
    rows = query.order_by("-created_at", "-id").offset(offset).limit(limit)
    return list(await rows.select_related("reporter"))


async def _posts(uris: list[str]) -> dict[str, ReportedPost]:
    rows = await Object.filter(uri__in=uris).select_related("author") if uris else []
    return {
        row.uri: ReportedPost(
            _author(row.author), row.content, row.hidden_at is not None, row.deleted_at is not None
        )
        for row in rows
    }


def _author(actor: Actor) -> CommentAuthor:
    return CommentAuthor(
        actor.id, actor.uri, actor.handle, actor.domain, actor.name, actor.url, actor.is_local
    )
