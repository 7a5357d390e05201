"""What a local member who reported something is told of its outcome (the
`report_outcome` notification): read from what is stored, like every notification.

A report is answered when a moderator resolves it, or earlier when what it reported is acted
on (the post hidden or removed, its author or their server blocked). The member is told what
became of it (removed, hidden, its author blocked, or left as it is), never which moderator
decided, nor what the moderators wrote for each other. A report from another server (an
incoming Flag) has no local reporter: nothing is mailed, and nothing is sent back over
ActivityPub (Mastodon sends nothing back either; FEDERATION.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from node.models import Block, Object, Report
from node.services.blocklist import normalise_host, parent_hosts

OPEN_SCAN = 500  # the newest open reports read per batch of members, to find acted-on ones


class Outcome(StrEnum):
    REMOVED = "removed"  # the post is gone
    HIDDEN = "hidden"  # a moderator hid the post
    BLOCKED = "blocked"  # its author, or their server, is blocked here
    LEFT = "left"  # resolved, and what was reported is left as it is


@dataclass(frozen=True)
class ReportOutcome:
    reporter_id: int  # the reporting member's actor id
    report_id: int
    at: datetime
    outcome: Outcome
    object_uri: str  # the reported post ("" for an account)
    actor_uri: str  # the reported account
    reason: str  # what the member said, so they know which report it is


async def report_outcomes(
    reporter_ids: list[int], since: datetime | None, until: datetime | None
) -> list[ReportOutcome]:
    """The outcomes of the reports the members (actor ids) made, told in (since, until]."""
    if not reporter_ids:
        return []
    resolved = Report.filter(reporter_id__in=reporter_ids, resolved_at__isnull=False)
    if since is not None:
        resolved = resolved.filter(resolved_at__gt=since)
    if until is not None:
        resolved = resolved.filter(resolved_at__lte=until)
    open_reports = (
        Report.filter(reporter_id__in=reporter_ids, resolved_at__isnull=True)
        .order_by("-id")
        .limit(OPEN_SCAN)
    )
    reports = [*await resolved, *await open_reports]
    if not reports:
        return []
    posts = {
        row.uri: row
        for row in await Object.filter(uri__in=[r.object_uri for r in reports if r.object_uri])
    }
    blocked = await _block_times({r.actor_uri for r in reports if r.actor_uri})
    found: list[ReportOutcome] = []
    for report in reports:
        post = posts.get(report.object_uri) if report.object_uri else None
        told = _outcome(report, post, _blocked_at(report.actor_uri, blocked))
        if told is None:
            continue
        at, outcome = told
        if (since is not None and at <= since) or (until is not None and at > until):
            continue
        found.append(
            ReportOutcome(
                reporter_id=report.reporter_id,  # type: ignore[attr-defined]
                report_id=report.id,
                at=at,
                outcome=outcome,
                object_uri=report.object_uri,
                actor_uri=report.actor_uri,
                reason=report.reason,
            )
        )
    return found


def _outcome(
    report: Report, post: Object | None, blocked_at: datetime | None
) -> tuple[datetime, Outcome] | None:
    """When the reporter is told, and what: None while nothing was done."""
    acted: list[tuple[datetime, Outcome]] = []
    if report.object_uri and (post is None or post.deleted_at is not None):
        gone_at = post.deleted_at if post is not None and post.deleted_at else report.created_at
        acted.append((gone_at, Outcome.REMOVED))
    elif post is not None and post.hidden_at is not None and post.held_at is None:
        acted.append((post.hidden_at, Outcome.HIDDEN))
    if blocked_at is not None:
        acted.append((blocked_at, Outcome.BLOCKED))
    acted = [(max(at, report.created_at), outcome) for at, outcome in acted]
    if report.resolved_at is not None:
        outcome = acted[0][1] if acted else Outcome.LEFT
        return report.resolved_at, outcome
    if not acted:
        return None
    return min(acted, key=lambda entry: entry[0])


async def _block_times(actor_uris: set[str]) -> dict[tuple[str, str], datetime]:
    """When each of the actors, or a domain above theirs, was blocked: by (kind, target)."""
    if not actor_uris:
        return {}
    hosts = {host for uri in actor_uris for host in parent_hosts(_host(uri))}
    rows = await Block.filter(target__in=[*actor_uris, *hosts]).values_list(
        "kind", "target", "created_at"
    )
    return {(str(kind), str(target)): at for kind, target, at in rows}


def _blocked_at(actor_uri: str, blocked: dict[tuple[str, str], datetime]) -> datetime | None:
    if not actor_uri:
        return None
    times = [blocked.get(("actor", actor_uri))]
    times += [blocked.get(("domain", host)) for host in parent_hosts(_host(actor_uri))]
    known = [at for at in times if at is not None]
    return min(known) if known else None


def _host(uri: str) -> str:
    return normalise_host(uri)
