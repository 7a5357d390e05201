"""Replies held for a moderator: a reply from another server to one of our proposals that the
proposal's rule (node/reply_policies.py) does not let through at once. A held reply is also
hidden (hidden_at), so nothing shows, serves, lists or counts it until a moderator approves it;
approving shows it and has the organisation announce it, as it does every new reply."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from federation.activities.objects import origin
from node.i18n import N_
from node.models import Follow, FollowState, Object, Proposal
from node.reply_policies import ReplyPolicy, parse_reply_policy
from node.services import audit_log
from node.services.errors import Forbidden, NotFound
from node.services.moderation_scope import ModerationScope, check_moderates, within
from node.services.organisation_settings import settings_of
from node.services.organisations import organisation_of, organisation_of_thread
from node.services.outbox import Outbox
from node.services.phases import proposal_of
from node.services.proposal_form import may_edit
from node.services.settings import site_settings
from node.services.thread_view import Comment, comment_of_row
from node.services.threads import announce_in_thread

log = logging.getLogger("townhall.held")

HELD_MARK = "held: "  # the hidden_reason prefix of held replies
REASONS = {
    ReplyPolicy.FIRST_TIME_HELD: "a first reply from this account",
    ReplyPolicy.FOLLOWERS: "not a follower of the organisation",
    ReplyPolicy.MEMBERS: "this proposal takes replies from members only",
}


async def rule_for(proposal: Proposal) -> ReplyPolicy:
    """Who may reply to `proposal`: its own rule, else its organisation's (else the node's)."""
    if proposal.reply_policy:
        return parse_reply_policy(proposal.reply_policy)
    organisation = await organisation_of(proposal)
    if organisation is None:
        return (await site_settings()).reply_policy
    return (await settings_of(organisation)).reply_policy_in_force


async def hold_if_ruled_out(row: Object) -> bool:
    """Hold `row`, a newly stored reply from another server, when the rule of the proposal
    whose thread it joins does not let it through; True if it was held."""
    if row.is_local or row.type == "Article":
        return False
    proposal = await proposal_of(row)
    if proposal is None:
        return False
    rule = await rule_for(proposal)
    if rule == ReplyPolicy.ANYONE or await _let_through(rule, row):
        return False
    now = datetime.now(UTC)
    reason = f"{HELD_MARK}{REASONS[rule]}"
    await Object.filter(id=row.id).update(held_at=now, hidden_at=now, hidden_reason=reason)
    row.held_at, row.hidden_at, row.hidden_reason = now, now, reason
    log.info("reply.held", extra={"object": row.uri, "rule": rule.value})
    return True


async def _let_through(rule: ReplyPolicy, row: Object) -> bool:
    if rule == ReplyPolicy.FIRST_TIME_HELD:  # a reply of theirs in our threads was shown
        ours = origin(row.context_uri) + "/"
        return await (
            Object.filter(
                author_id=row.author_id,  # type: ignore[attr-defined]
                context_uri__startswith=ours,
                held_at=None,
                hidden_at=None,
                deleted_at=None,
            )
            .exclude(id=row.id)
            .exists()
        )
    if rule == ReplyPolicy.FOLLOWERS:
        organisation = await organisation_of_thread(row.context_uri)
        return organisation is not None and await Follow.exists(
            follower_id=row.author_id,  # type: ignore[attr-defined]
            followee_id=organisation.id,
            state=FollowState.ACCEPTED,
        )
    return False  # members only: no other server's account is a member


@dataclass(frozen=True)
class HeldReply:
    """A held reply and the proposal it answers, for the moderators' list."""

    reply: Comment
    proposal_name: str
    proposal_uri: str
    reason: str


async def held_replies(scope: ModerationScope, limit: int = 100) -> list[HeldReply]:
    """The held replies `scope` takes in, oldest first (they have waited longest)."""
    held = Object.filter(held_at__not_isnull=True, deleted_at=None)
    rows = (
        await (await within(scope, held, "context_uri"))
        .order_by("held_at", "id")
        .limit(limit)
        .select_related("author")
    )
    found = []
    for row in rows:
        proposal = await proposal_of(row)
        if proposal is not None:
            await proposal.fetch_related("object")
        found.append(
            HeldReply(
                comment_of_row(row),
                proposal.object.name if proposal else "",
                proposal.object.uri if proposal else "",
                row.hidden_reason.removeprefix(HELD_MARK),
            )
        )
    return found


async def approve(outbox: Outbox, uri: str, *, by_account_id: int) -> None:
    """Show a held reply, and have the organisation announce it to its followers (by a
    moderator of its thread)."""
    row = await Object.get_or_none(uri=uri, deleted_at=None).select_related("author")
    if row is None:
        raise NotFound(N_("there is nothing here (or it was already removed)"))
    await check_moderates(by_account_id, row.context_uri)
    if row.held_at is None:
        raise Forbidden(N_("this reply is not held"))
    async with in_transaction():
        taken = await Object.filter(id=row.id, held_at__not_isnull=True).update(
            held_at=None, hidden_at=None, hidden_reason=""
        )
        if not taken:
            raise Forbidden(N_("this reply is not held"))
        row.held_at, row.hidden_at, row.hidden_reason = None, None, ""
        await announce_in_thread(outbox, row)
        await audit_log.record(by_account_id, "approve", row.uri)


async def set_proposal_rule(actor_id: int, proposal_uri: str, value: str) -> None:
    """Who may reply to one proposal, chosen by whoever may edit it (its author, or an admin);
    "" follows the organisation's rule."""
    rule = parse_reply_policy(value).value if value else ""
    proposal = await Proposal.get_or_none(object__uri=proposal_uri, object__is_local=True)
    if proposal is None:
        raise NotFound(N_("there is no such proposal here"))
    if not await may_edit(actor_id, proposal_uri):
        raise Forbidden(N_("only the proposal's author (or an admin) chooses who may reply to it"))
    proposal.reply_policy = rule
    await proposal.save(update_fields=["reply_policy"])


async def proposal_rule(proposal_uri: str) -> str:
    """The rule a proposal chose for itself ("" when it follows the organisation's)."""
    found = await Proposal.filter(object__uri=proposal_uri).first().values("reply_policy")
    return str(found["reply_policy"]) if found else ""
