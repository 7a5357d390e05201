"""Moderation: hiding and removing comments, blocking accounts and domains, reports."""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from node.i18n import N_
from node.models import Actor, Block, BlockSeverity, Follow, Object, Reaction, Report, Vote
from node.sanitize import plain_text
from node.services import audit_log
from node.services.blocklist import (
    current_blocks,
    forget_cached_blocks,
    normalise_host,
    on_domain,
    server_host,
)
from node.services.errors import Conflict, NotFound, ServiceError
from node.services.moderation_scope import check_moderates
from node.services.moderation_view import PostPlace, place_of
from node.services.outbox import Outbox
from node.services.remote_actors import RemoteActors
from node.services.remote_objects import tombstone
from node.services.report_queue import report_in_scope, room_for_remote_reports
from node.services.threads import tell_of_removal
from node.services.visibility import may_see, reader_of, server_may_see


class ClientApi(Protocol):
    """What `remove` needs of node/services/client_api.py's ClientApi (not imported: the
    client API's Flag records its report through this module)."""

    outbox: Outbox

    async def post(self, actor: Actor, submitted: dict[str, Any]) -> dict[str, Any]: ...


log = logging.getLogger("townhall.moderation")

MAX_REASON = 500


async def _object(uri: str) -> Object:
    row = await Object.get_or_none(uri=uri, deleted_at__isnull=True).select_related("author")
    if row is None:
        raise NotFound(N_("there is nothing here (or it was already removed)"))
    return row


async def _moderated(uri: str, by_account_id: int) -> Object:
    """The post `uri`, if the account `by_account_id` moderates it (the node's moderators
    every post; an organisation's the posts in its proposals' threads)."""
    row = await _object(uri)
    await check_moderates(by_account_id, row.context_uri)
    return row


async def hide(uri: str, reason: str, *, by_account_id: int) -> PostPlace:
    """Hide a comment from the pages (kept, and can be shown again)."""
    row = await _moderated(uri, by_account_id)
    if row.type == "Article":
        raise ServiceError(
            N_("proposals are not hidden: remove it, or ask its author to withdraw it")
        )
    row.hidden_at, row.hidden_reason = datetime.now(UTC), reason.strip()[:MAX_REASON]
    async with in_transaction():
        await row.save(update_fields=["hidden_at", "hidden_reason"])
        await audit_log.record(by_account_id, "hide", row.uri, reason)
    return place_of(row)


async def unhide(uri: str, *, by_account_id: int) -> PostPlace:
    """Show a hidden comment again."""
    row = await _moderated(uri, by_account_id)
    row.hidden_at, row.hidden_reason = None, ""
    async with in_transaction():
        await row.save(update_fields=["hidden_at", "hidden_reason"])
        await audit_log.record(by_account_id, "unhide", row.uri)
    return place_of(row)


async def remove(
    client_api: ClientApi, uri: str, *, by_account_id: int, reason: str = ""
) -> PostPlace:
    """Remove for good: a local post is deleted as its author would (a Delete goes out); a
    remote one is tombstoned here (its own server still has it), and when it was in one of
    our threads the organisation tells its followers, whose Townhall nodes drop it too."""
    row = await _moderated(uri, by_account_id)
    place = place_of(row)
    if row.is_local:
        await client_api.post(row.author, {"type": "Delete", "object": row.uri})
        await audit_log.record(by_account_id, "remove", row.uri, reason)
        return place
    async with in_transaction():
        await tell_of_removal(client_api.outbox, row)
        await tombstone(row.uri, row.author)
        # hidden too: unlike one its author deleted, it is not listed in our threads' context
        await Object.filter(id=row.id).update(
            hidden_at=datetime.now(UTC), hidden_reason="removed by a moderator"
        )
        await audit_log.record(by_account_id, "remove", row.uri, reason)
    return place


@dataclass(frozen=True)
class BlockTarget:
    kind: str  # actor | domain
    target: str


async def parse_block_target(remote: RemoteActors, value: str) -> BlockTarget:
    """A domain (charity.example), an actor's id, or @user@host (looked up through WebFinger)."""
    value = value.strip()
    if not value:
        raise ServiceError(N_("give a domain, an account's address (@name@server) or its link"))
    if value.startswith(("https://", "http://")):
        return BlockTarget("actor", value)
    if value.count("@") >= 1 and not value.startswith("*"):
        actor = await remote.resolve_handle("@" + value.lstrip("@"))
        return BlockTarget("actor", actor.uri)
    return BlockTarget("domain", server_host(value))


BLOCKED_MARK = "blocked: "  # the hidden_reason prefix of posts hidden by a block
SEVERITY_NAMES = {  # what a form or a Mastodon CSV may call a severity
    "suspend": BlockSeverity.SUSPEND,
    "limit": BlockSeverity.LIMIT,
    "silence": BlockSeverity.LIMIT,  # Mastodon's name for it
    "noop": BlockSeverity.NOOP,
}
AUDIT_ACTIONS = {  # the audit log's word for a new block of each severity
    BlockSeverity.SUSPEND: "block",
    BlockSeverity.LIMIT: "limit",
    BlockSeverity.NOOP: "restrict",
}


@dataclass(frozen=True)
class BlockPolicy:
    """What a block does: its severity and flags, and the comment shown publicly."""

    severity: BlockSeverity = BlockSeverity.SUSPEND
    reject_media: bool = False
    reject_reports: bool = False
    public_comment: str = ""
    obfuscate: bool = False


def parse_severity(value: str) -> BlockSeverity:
    """suspend, limit (or Mastodon's silence) or noop, in any case."""
    found = SEVERITY_NAMES.get(value.strip().lower())
    if found is None:
        raise ServiceError(
            N_("the severity %(value)s is not one of suspend, limit or noop"),
            value=repr(value[:20]),
        )
    return found


def block_policy(
    severity: str,
    *,
    reject_media: bool = False,
    reject_reports: bool = False,
    public_comment: str = "",
    obfuscate: bool = False,
) -> BlockPolicy:
    """A block's policy from what a form or a CSV row says (ServiceError when it cannot be)."""
    return BlockPolicy(
        parse_severity(severity),
        reject_media,
        reject_reports,
        public_comment.strip()[:MAX_REASON],
        obfuscate,
    )


async def add_block(
    target: BlockTarget,
    reason: str,
    *,
    by_account_id: int,
    policy: BlockPolicy = BlockPolicy(),
) -> int:
    """Block an account or a whole domain. Suspended (the default), it is refused everything
    from now on, the follows between it and us end (both ways: nothing of ours reaches it any
    more), its endorsements, reactions and answers are discarded, and what it already posted
    here is hidden (shown again if the block is lifted; the follows, endorsements and answers
    are not restored). Limited, its posts are kept but shown only to the members who follow
    their author (and moderators); noop, only the flags apply. The id of the block."""
    if target.kind == "domain":
        target = BlockTarget("domain", normalise_host(target.target))
    if await Block.exists(kind=target.kind, target=target.target):
        raise Conflict(N_("%(target)s is already blocked"), target=target.target)
    async with in_transaction():
        block = await _create(target, policy, reason)
        await audit_log.record(by_account_id, AUDIT_ACTIONS[policy.severity], target.target, reason)
    forget_cached_blocks()
    return block.id


async def _create(target: BlockTarget, policy: BlockPolicy, reason: str) -> Block:
    """A new block, and what a suspension does at once (in the caller's transaction)."""
    block = await Block.create(
        kind=target.kind,
        target=target.target,
        reason=reason[:MAX_REASON],
        severity=policy.severity,
        reject_media=policy.reject_media,
        reject_reports=policy.reject_reports,
        public_comment=policy.public_comment,
        obfuscate=policy.obfuscate,
    )
    if policy.severity is BlockSeverity.SUSPEND:
        await _suspend(block)
    return block


async def change_block(
    block_id: int, policy: BlockPolicy, reason: str, *, by_account_id: int
) -> str:
    """Change a block's severity, flags and comments; a suspension lifted to a limit shows its
    posts again, a limit made a suspension hides them. The block's target."""
    block = await Block.get_or_none(id=block_id)
    if block is None:
        raise NotFound(N_("no such block"))
    async with in_transaction():
        await _apply(block, policy, reason)
        await audit_log.record(by_account_id, "change_block", block.target, reason)
    forget_cached_blocks()
    return block.target


async def _apply(block: Block, policy: BlockPolicy, reason: str) -> None:
    """Give `block` the policy (in the caller's transaction)."""
    was_suspended = block.severity == BlockSeverity.SUSPEND
    block.severity = policy.severity
    block.reject_media, block.reject_reports = policy.reject_media, policy.reject_reports
    block.public_comment, block.obfuscate = policy.public_comment, policy.obfuscate
    block.reason = reason[:MAX_REASON]
    await block.save()
    if policy.severity is BlockSeverity.SUSPEND and not was_suspended:
        await _suspend(block)
    elif was_suspended and policy.severity is not BlockSeverity.SUSPEND:
        await _show_again(block)


async def import_block(
    target: BlockTarget, policy: BlockPolicy, reason: str, *, by_account_id: int
) -> bool:
    """Add a domain block, or give the existing one this policy (an imported list's row);
    True when it was new. The caller holds the transaction and forgets the cached blocks."""
    existing = await Block.get_or_none(kind=target.kind, target=target.target)
    if existing is None:
        await _create(target, policy, reason)
        await audit_log.record(by_account_id, AUDIT_ACTIONS[policy.severity], target.target, reason)
        return True
    await _apply(existing, policy, existing.reason)  # its moderators' own reason kept
    await audit_log.record(by_account_id, "change_block", target.target, reason)
    return False


async def _suspend(block: Block) -> None:
    """What a suspension does at once: follows ended, counts dropped, posts hidden."""
    blocked = Subquery(_actors_of(block).values_list("id", flat=True))
    await Follow.filter(Q(follower_id__in=blocked) | Q(followee_id__in=blocked)).delete()
    # what it endorsed and answered counts for nothing, for good (as a suspension does)
    await Reaction.filter(actor_id__in=blocked).delete()
    await Vote.filter(actor_id__in=blocked).delete()
    await (
        _posts_of(block)
        .filter(hidden_at__isnull=True)
        .update(hidden_at=datetime.now(UTC), hidden_reason=f"{BLOCKED_MARK}{block.target}"[:500])
    )


async def _show_again(block: Block) -> None:
    """Show the posts a suspension hid."""
    await (
        _posts_of(block)
        .filter(hidden_reason=f"{BLOCKED_MARK}{block.target}"[:500])
        .update(hidden_at=None, hidden_reason="")
    )


async def remove_block(block_id: int, *, by_account_id: int) -> None:
    """Lift a block, and show again what it hid."""
    block = await Block.get_or_none(id=block_id)
    if block is None:
        raise NotFound(N_("no such block"))
    async with in_transaction():
        await _show_again(block)
        await block.delete()
        await audit_log.record(by_account_id, "unblock", block.target)
    forget_cached_blocks()


def _actors_of(block: Block) -> QuerySet[Actor]:
    """The remote actors a block covers: one, or all of a domain and its subdomains."""
    remote = Actor.filter(is_local=False)
    if block.kind != "domain":
        return remote.filter(uri=block.target)
    return remote.filter(on_domain(normalise_host(block.target)))


def _posts_of(block: Block) -> QuerySet[Object]:
    """The remote posts a block covers."""
    authors = Subquery(_actors_of(block).values_list("id", flat=True))
    return Object.filter(is_local=False, author_id__in=authors)


async def report(reporter_id: int, object_uri: str, reason: str) -> None:
    """The member whose actor is `reporter_id` reports a post to the moderators: one they may
    see."""
    reporter = await Actor.get(id=reporter_id)
    row = await _object(object_uri)
    if not await may_see(row, reader_of(reporter)):
        raise NotFound(N_("there is nothing here (or it was already removed)"))
    if not reason.strip():
        raise ServiceError(N_("say what is wrong, so the moderators can act"))
    await Report.create(
        reporter=reporter,
        object_uri=row.uri,
        actor_uri=row.author.uri,
        reason=reason.strip()[:2000],
    )


async def resolve_report(report_id: int, by_account_id: int, resolution: str) -> None:
    """Close a report with what was done (by a moderator of what it is about)."""
    found = await report_in_scope(report_id, by_account_id)
    if found.resolved_at is not None:
        raise Conflict(N_("this report was already resolved"))
    found.resolved_at, found.resolution = datetime.now(UTC), resolution.strip()[:2000]
    found.resolved_by_id = by_account_id
    async with in_transaction():
        await found.save()
        await audit_log.record(
            by_account_id, "resolve_report", found.object_uri or found.actor_uri, resolution
        )


async def record_remote_report(
    flag_id: str, reporter_uri: str, reported: list[str], reason: str
) -> list[Report]:
    """Another server's Flag: a report per reported post, or one about the account alone;
    no more than its sender and its server still have room for in the queue."""
    if await Report.exists(flag_uri=flag_id):
        return []
    if (await current_blocks()).rejects_reports_of(reporter_uri):
        log.info("report.rejected_server", extra={"flag": flag_id, "reporter": reporter_uri})
        return []
    reporter = await Actor.get_or_none(uri=reporter_uri, is_local=False)
    if reporter is None:  # the signer's actor was stored when its key was checked
        log.info("report.unknown_reporter", extra={"flag": flag_id, "reporter": reporter_uri})
        return []
    room = await room_for_remote_reports(reporter)
    stored = await Object.filter(uri__in=reported, deleted_at__isnull=True).select_related("author")
    posts = [post for post in stored if await server_may_see(post, reporter.domain)]
    accounts = [uri for uri in reported if uri not in {post.uri for post in stored}]
    said = html.unescape(plain_text(reason)).strip()[:2000]
    reports = [
        Report(reporter=reporter, object_uri=post.uri, actor_uri=post.author.uri, reason=said)
        for post in posts
    ]
    if not reports and accounts:
        reports = [Report(reporter=reporter, actor_uri=accounts[0], reason=said)]
    if len(reports) > room:
        log.info(
            "report.over_cap",
            extra={"flag": flag_id, "reporter": reporter_uri, "dropped": len(reports) - room},
        )
        reports = reports[:room]
    for report in reports:
        report.flag_uri = flag_id
        await report.save()
    return reports
