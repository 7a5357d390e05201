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
from node.services.errors import NotFound, ServiceError
from node.services.moderation_scope import ModerationScope, check_moderates, objects_in
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


async def _reports(scope: ModerationScope) -> QuerySet[Report]:
    """The reports `scope` takes in: every one (the node's moderators), or those about posts in
    the threads of its organisations' proposals (an account reported is the node's alone)."""
    if scope.everything:
        return Report.all()
    return Report.filter(object_uri__in=await objects_in(scope))


async def open_reports(scope: ModerationScope) -> int:
    """How many reports wait for a moderator of `scope`."""
    return await (await _reports(scope)).filter(resolved_at__isnull=True).count()


async def report_page(page: int, scope: ModerationScope) -> ReportPage:
    """Page `page` of the queue `scope` sees: open reports first, each group newest first."""
    reports = await _reports(scope)
    waiting = await reports.filter(resolved_at__isnull=True).count()
    total = await reports.count()
    start = (page - 1) * PAGE_SIZE
    rows: list[Report] = []
    if start < waiting:
        rows += await _newest(reports.filter(resolved_at__isnull=True), start, PAGE_SIZE)
    if len(rows) < PAGE_SIZE:
        resolved = reports.filter(resolved_at__isnull=False)
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


async def report_in_scope(report_id: int, by_account_id: int) -> Report:
    """Report `report_id`, if the account `by_account_id` moderates what it is about (a post
    in an organisation's thread: its moderators too; an account, or a post not held here:
    the node's moderators alone); else NotFound or Forbidden."""
    found = await Report.get_or_none(id=report_id)
    if found is None:
        raise NotFound(N_("no such report"))
    held = Object.filter(uri=found.object_uri).only("id", "context_uri")
    post = await held.first() if found.object_uri else None
    await check_moderates(by_account_id, post.context_uri if post is not None else "")
    return found


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
