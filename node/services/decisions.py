"""The decision that ends a consultation ("you said, we did"): outcome, written response, told
to everyone who took part.

Publishing one is a move of lifecycle's table (closed → adopted / changed / dropped), made by
the proposal's author or, for the organisation, a moderator or admin. In one transaction:

- the proposal's Article is updated (node/services/proposals.py) with the decision in its
  extension fields (`decision`, `decidedAt`) and at the head of its `content`;
- a decision `Note` goes into the proposal's thread (`inReplyTo` the proposal, its `context`),
  naming in `tag` (Mention) and `cc` everyone who commented, endorsed, answered a question or
  suggested an amendment, here or on other servers: each hears of it on their own node (local
  members find it in their notifications);
- then every hook in `after_decision` runs with the proposal's id (the frozen "what we heard"
  report is published there), inside the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from federation.vocab import PUBLIC
from node.activitypub import new_activity
from node.i18n import N_
from node.limits import MAX_BODY, check_length
from node.markdown import html_to_markdown, render_markdown
from node.models import Actor, Object, Poll, Proposal, ProposalStatus, Reaction, Vote
from node.proposal_documents import OUTCOME_HEADINGS, PROPOSAL_CONTEXT, Decision
from node.sections import SECTION_NAMES, section_sources, source_of
from node.services import lifecycle, local_objects
from node.services.errors import Forbidden, NotFound, ServiceError
from node.services.outbox import Outbox
from node.services.proposals import Proposals
from node.services.threads import announce_in_thread
from node.timestamps import format_time, now

AfterDecision = Callable[[int], Awaitable[None]]  # given the Proposal's id


@dataclass(frozen=True)
class SubmittedDecision:
    """A decision as a form or the client API gives it, before it is checked."""

    outcome: str
    text: str  # Markdown
    sections: dict[str, str]  # {section name: Markdown}, empty ones ignored


def parse_outcome(value: Any) -> ProposalStatus:
    """adopted / changed / dropped, or a ServiceError (400) naming them."""
    outcome: ProposalStatus | None
    try:
        outcome = ProposalStatus(str(value))
    except ValueError:
        outcome = None
    if outcome is None or outcome not in lifecycle.DECIDED:
        named = ", ".join(status.value for status in lifecycle.DECIDED)
        raise ServiceError(
            N_("unknown outcome %(value)s: choose one of %(named)s"),
            value=repr(str(value)[:40]),
            named=named,
        )
    return outcome


def checked_decision(submitted: SubmittedDecision, proposal: Proposal) -> Decision:
    """The Decision to publish: its Markdown rendered to safe HTML, sections of the proposal's
    own (any other is a 400); a ServiceError says what is wrong."""
    outcome = parse_outcome(submitted.outcome)
    text = submitted.text.strip()
    if not text:
        raise ServiceError(
            N_("a decision needs its written response: say what was decided and why")
        )
    check_length(N_("decision"), text, MAX_BODY)
    own = set(section_sources(proposal.sections)) | set(SECTION_NAMES)
    parts = []
    for name, source in submitted.sections.items():
        if name not in own:
            raise ServiceError(N_("the proposal has no section %(name)s"), name=repr(name[:40]))
        if source.strip():
            check_length(f"response to {name}", source, MAX_BODY)
            parts.append(
                {"section": name, "source": source.strip(), "content": render_markdown(source)}
            )
    parts.sort(key=lambda part: _order(part["section"]))
    return Decision(outcome.value, text, render_markdown(text), tuple(parts))


def _order(section: str) -> int:
    return SECTION_NAMES.index(section) if section in SECTION_NAMES else len(SECTION_NAMES)


def submitted_decision(document: dict[str, Any]) -> SubmittedDecision:
    """The decision in a client's Update of its proposal: `proposalStatus` the outcome,
    `decision` the response (Markdown; or an object with `source` or `content`, and
    `sections`: {name: Markdown})."""
    given = document.get("decision")
    sections: dict[str, str] = {}
    if isinstance(given, dict):
        text = source_of(given.get("source")) or html_to_markdown(str(given.get("content") or ""))
        raw = given.get("sections")
        if isinstance(raw, dict):
            sections = {str(k): str(v) for k, v in raw.items() if isinstance(v, str)}
        elif isinstance(raw, list):
            sections = {
                str(part.get("section")): source_of(part.get("source"))
                or html_to_markdown(str(part.get("content") or ""))
                for part in raw
                if isinstance(part, dict)
            }
    else:
        text = given if isinstance(given, str) else ""
    return SubmittedDecision(str(document.get("proposalStatus")), text, sections)


async def respondents(row: Object) -> set[int]:
    """The actor ids of those who answered the proposal `row`: wrote in its thread (comments,
    amendments, replies) or answered one of its questions (an endorsement is no answer)."""
    in_thread = Q(context_uri=row.context_uri) | Q(in_reply_to_uri=row.uri)
    writers = (
        await Object.filter(in_thread, deleted_at=None)
        .exclude(id=row.id)
        .values_list("author_id", flat=True)
    )
    questions = Poll.filter(
        Q(object__context_uri=row.context_uri) | Q(object__in_reply_to_uri=row.uri)
    ).values_list("id", flat=True)
    voters = await Vote.filter(poll_id__in=await questions).values_list("actor_id", flat=True)
    return {int(str(i)) for i in [*writers, *voters]}


async def participants(proposal: Proposal, row: Object) -> list[Actor]:
    """Everyone who took part: answered it (`respondents`), endorsed the proposal, or wrote
    it; local and remote, each once."""
    endorsers = await Reaction.filter(kind="Like", object_uri=row.uri).values_list(
        "actor_id", flat=True
    )
    author_id: int = row.author_id  # type: ignore[attr-defined]
    ids = await respondents(row) | {int(str(i)) for i in endorsers} | {author_id}
    return list(await Actor.filter(id__in=ids, deleted_at=None).order_by("id"))


class Decisions:
    """Publishing a proposal's decision. `after_decision` hooks run once it is written (the
    lead wires the report's `freeze_report` here: node/app wiring, see CONTRIBUTING)."""

    def __init__(
        self,
        outbox: Outbox,
        proposals: Proposals,
        after_decision: Sequence[AfterDecision] = (),
    ) -> None:
        self._outbox = outbox
        self._urls = outbox.urls
        self._proposals = proposals
        self.after_decision: list[AfterDecision] = list(after_decision)

    async def publish(
        self,
        actor: Actor,
        proposal_uri: str,
        submitted: SubmittedDecision,
        *,
        acting: Actor | None = None,
    ) -> dict[str, Any]:
        """Publish the decision on the local proposal at `proposal_uri` by `actor` (its author,
        or a moderator for the organisation); return the decision Note's Create. Refused
        (4xx, nothing written): no such proposal, not theirs to decide, not closed, an unknown
        outcome, no written response. Return the proposal's Update. A moderator deciding for
        the organisation (`actor`, or `acting` for the organisation's own post) stays mentioned
        among those who took part, but is not told of their own decision."""
        row = await Object.get_or_none(
            uri=proposal_uri, is_local=True, type="Article", deleted_at=None
        )
        proposal = await Proposal.get_or_none(object_id=row.id) if row is not None else None
        if row is None or proposal is None:
            raise NotFound(N_("there is no such proposal here"))
        decider = await lifecycle.decider_for(actor, row)
        if decider is None:
            raise Forbidden(
                N_("only the proposal's author or a moderator may publish its decision")
            )
        signer, mover = decider
        if acting is None and actor.id != signer.id:
            acting = actor  # a moderator or admin, for the organisation
        outcome = parse_outcome(submitted.outcome)
        lifecycle.check_decision(proposal.status, outcome, mover)
        decision = checked_decision(submitted, proposal)
        people = [person for person in await participants(proposal, row) if person.id != signer.id]
        remote_inboxes = tuple(sorted({p.delivery_inbox for p in people if not p.is_local}))
        async with in_transaction():
            update = await self._proposals.update(
                signer,
                row,
                {"proposalStatus": outcome.value},
                decision=decision,
                notify=remote_inboxes,
                acting=acting,
            )
            await self._post_note(signer, row, decision, people, acting)
            for hook in self.after_decision:  # the frozen report (freeze_report) is one
                await hook(proposal.id)
        return update

    async def _post_note(
        self,
        signer: Actor,
        row: Object,
        decision: Decision,
        people: list[Actor],
        acting: Actor | None,
    ) -> dict[str, Any]:
        """The decision Note in the thread, mentioning everyone who took part."""
        uri = self._urls.object(uuid.uuid4().hex)
        heading = escape(OUTCOME_HEADINGS.get(decision.outcome, decision.outcome))
        names = " ".join(
            f'<span class="h-card"><a class="u-url mention" href="{escape(p.url or p.uri)}">'
            f"@{escape(p.handle)}</a></span>"
            for p in people
        )
        told = f"<p>{names}</p>" if names else ""
        link = f'<p><a href="{escape(row.url or row.uri)}">{escape(row.name)}</a></p>'
        document: dict[str, Any] = {
            "@context": PROPOSAL_CONTEXT,
            "id": uri,
            "type": "Note",
            "attributedTo": signer.uri,
            "inReplyTo": row.uri,
            "context": row.context_uri,
            "decisionOf": row.uri,
            "content": f"<p><strong>{heading}</strong></p>{decision.html}{link}{told}",
            "published": format_time(now()),
            "url": uri,
            "to": [PUBLIC],
            "cc": [signer.followers_uri, *[p.uri for p in people]],
            "tag": [
                {"type": "Mention", "href": p.uri, "name": f"@{p.handle}@{p.domain}"}
                for p in people
            ],
            "replies": f"{uri}/replies",
            "likes": f"{uri}/likes",
            "shares": f"{uri}/shares",
        }
        activity = new_activity(
            self._urls, "Create", signer, document, to=document["to"], cc=document["cc"]
        )
        note = await local_objects.save_object(signer, document)
        await self._outbox.publish(signer, activity, to_followers=True, acting=acting)
        await announce_in_thread(self._outbox, note)
        return activity
