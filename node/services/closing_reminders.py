"""Consultations closing soon: three days and one day before a local consultation closes, the
members who follow the organisation or endorsed the proposal and have not answered it
(node/services/decisions.respondents: wrote in its thread or answered one of its questions)
are reminded. A `ClosingReminder` row is the reminder: the notifications page shows it and the
notification mail sends it by the member's preference (node/services/notification_mail.py);
its unique key makes it once per member, proposal and lead time, across workers.

A consultation opened with less than three days to run gets only the reminder its time left
calls for (one day, or three), never both at once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q, Subquery
from tortoise.transactions import in_transaction

from node.models import (
    Account,
    AccountStatus,
    ClosingReminder,
    Follow,
    FollowState,
    Object,
    Proposal,
    ProposalStatus,
    Reaction,
)
from node.services.decisions import respondents
from node.services.unique_inserts import insert_unless_taken

log = logging.getLogger("townhall.notifications")

LEAD_DAYS = (3, 1)  # reminders this many days before closing, the furthest first


def lead_for(closes_at: datetime, moment: datetime) -> int | None:
    """Which reminder is due at `moment` for a consultation closing at `closes_at`: 1 within a
    day of closing, 3 within three days, None otherwise (or once it has closed)."""
    left = closes_at - moment
    if left <= timedelta(0):
        return None
    due = [days for days in LEAD_DAYS if left <= timedelta(days=days)]
    return min(due) if due else None


async def remind_closing(moment: datetime) -> int:
    """Make the reminders due at `moment`; how many were made."""
    soon = await Proposal.filter(
        status=ProposalStatus.OPEN,
        closes_at__gt=moment,
        closes_at__lte=moment + timedelta(days=max(LEAD_DAYS)),
        object__is_local=True,
        object__deleted_at__isnull=True,
    ).values_list("id", "object_id", "organisation_id", "closes_at")
    made = 0
    for proposal_id, object_id, organisation_id, closes_at in soon:
        lead = lead_for(closes_at, moment)
        if lead is None:
            continue
        row = await Object.get(id=object_id)
        made += await _remind(proposal_id, row, organisation_id, lead)
    return made


async def _remind(proposal_id: int, row: Object, organisation_id: int | None, lead: int) -> int:
    following = Follow.filter(state=FollowState.ACCEPTED, followee_id=organisation_id)
    endorsing = Reaction.filter(kind="Like", object_uri=row.uri)
    people = Q(actor_id__in=Subquery(following.values("follower_id"))) | Q(
        actor_id__in=Subquery(endorsing.values("actor_id"))
    )
    candidates = dict(
        await Account.filter(people, status=AccountStatus.ACTIVE).values_list("id", "actor_id")
    )
    if not candidates:
        return 0
    answered = await respondents(row)
    answered.add(row.author_id)  # type: ignore[attr-defined]
    reminded = set(
        await ClosingReminder.filter(
            proposal_id=proposal_id, days_before=lead, account_id__in=list(candidates)
        ).values_list("account_id", flat=True)
    )
    due = [
        account_id
        for account_id, actor_id in candidates.items()
        if actor_id not in answered and account_id not in reminded
    ]
    if not due:
        return 0
    rows = [ClosingReminder(account_id=a, proposal_id=proposal_id, days_before=lead) for a in due]
    try:
        async with in_transaction():
            await ClosingReminder.bulk_create(rows)
        made = len(rows)
    except IntegrityError:  # another worker made some meanwhile: the rest one by one
        made = 0
        for account_id in due:
            if await insert_unless_taken(
                ClosingReminder, account_id=account_id, proposal_id=proposal_id, days_before=lead
            ):
                made += 1
    log.info("closing.reminded", extra={"object": row.uri, "days": lead, "members": made})
    return made
