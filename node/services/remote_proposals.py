"""Proposals published by other Townhall nodes, read from the extension fields of their Article.

Whose proposal it is comes from the proposal's own server only: the Group it names as its
`audience` counts as its organisation when that Group is on the proposal's origin and vouches
for it, by being its author, by announcing it, or by listing its thread in the outbox a member
of ours follows. Another server naming our organisation (or anyone else's) as the audience of
its Article gets no organisation at all.
"""

from __future__ import annotations

from typing import Any

from tortoise.queryset import QuerySet

from federation.activities.objects import origin
from node.addressing import addressed_ids
from node.limits import MAX_BODY, MAX_SUMMARY
from node.models import Actor, Object, Proposal, ProposalStatus, ProposalVersion, Reaction
from node.sanitize import plain_text, sanitise_html
from node.sections import received_sections
from node.timestamps import parse_time


def _status(value: Any) -> ProposalStatus:
    try:
        return ProposalStatus(str(value))
    except ValueError:
        return ProposalStatus.OPEN


async def store_remote_proposal(
    row: Object, document: dict[str, Any], previous: dict[str, Any] | None
) -> Proposal:
    """Create or refresh the Proposal row of a remote Article; keep the replaced version."""
    version = document.get("version")
    number = version if isinstance(version, int) and 0 < version < 1_000_000 else 1
    organisation = await vouching_organisation(row, document)
    proposal = await Proposal.get_or_none(object_id=row.id)
    fields: dict[str, Any] = {
        "status": _status(document.get("proposalStatus")),
        "closes_at": parse_time(document.get("closesAt")),
        "version": number,
        "sections": received_sections(document.get("sections")),
        "organisation": organisation,
        **_phase_fields(document),
    }
    if proposal is None:
        return await Proposal.create(object=row, **fields)
    if number > proposal.version and previous:
        await ProposalVersion.get_or_create(
            proposal=proposal, number=proposal.version, defaults={"document": previous}
        )
    await proposal.update_from_dict(fields).save()
    return proposal


def _phase_fields(document: dict[str, Any]) -> dict[str, Any]:
    """When it closed, why it reopened, and its decision (HTML sanitised), as it says."""
    decision = document.get("decision")
    decision = decision if isinstance(decision, dict) else {}
    content = decision.get("content")
    return {
        "closed_at": parse_time(document.get("closedAt")),
        "reopen_reason": plain_text(str(document.get("reopenReason") or ""))[:MAX_SUMMARY],
        "decided_at": parse_time(document.get("decidedAt")) if decision else None,
        "decision_html": sanitise_html(content)[:MAX_BODY] if isinstance(content, str) else "",
    }


async def vouching_organisation(row: Object, document: dict[str, Any]) -> Actor | None:
    """The remote Group named as the proposal's audience, if it vouches for it (see above)."""
    group = await _claimed_group(row.uri, document)
    if group is None:
        return None
    if group.id == row.author_id:  # type: ignore[attr-defined]
        return group
    announced = Reaction.filter(kind="Announce", actor_id=group.id, object_uri=row.uri)
    return group if await announced.exists() else None


async def vouched_by_announce(announcer: Actor, object_uri: str) -> None:
    """A Group announced a proposal: it becomes the proposal's organisation if it is the one
    the proposal names, on the proposal's own origin (an Announce may come after the Create)."""
    await _vouched(announcer, Proposal.filter(object__uri=object_uri))


async def vouched_in_thread(group: Actor, context_uri: str) -> None:
    """A followed Group's outbox led to a thread: the Group vouches for the proposals of that
    thread that name it (fetched from their home by backfill, so no Announce of them came)."""
    if context_uri:
        await _vouched(group, Proposal.filter(object__context_uri=context_uri))


async def _vouched(group: Actor, proposals: QuerySet[Proposal]) -> None:
    unclaimed = proposals.filter(object__is_local=False, organisation_id=None)
    for proposal in await unclaimed.prefetch_related("object"):
        claimed = await _claimed_group(proposal.object.uri, proposal.object.document)
        if claimed is not None and claimed.id == group.id:
            proposal.organisation = group
            await proposal.save(update_fields=["organisation_id"])


async def _claimed_group(object_uri: str, document: dict[str, Any]) -> Actor | None:
    """The remote actor an Article names as its audience, when it is on the Article's origin."""
    named = next(iter(addressed_ids(document.get("audience"))), None)
    if not named or origin(named) != origin(object_uri):
        return None
    return await Actor.get_or_none(uri=named, is_local=False, deleted_at=None)


async def thread_home(object_uri: str) -> str | None:
    """The Group whose thread holds the stored remote object `object_uri`: the organisation of
    the remote proposal of its `context`, when that Group is on the context's origin."""
    row = await Object.get_or_none(uri=object_uri, is_local=False)
    if row is None or not row.context_uri:
        return None
    proposal = (
        await Proposal.filter(
            object__context_uri=row.context_uri,
            object__is_local=False,
            organisation_id__not_isnull=True,
        )
        .select_related("organisation")
        .first()
    )
    group = proposal.organisation if proposal is not None else None
    if group is None or origin(group.uri) != origin(row.context_uri):
        return None
    return group.uri
