"""Amendments: suggested new text for one section of a proposal, and the author's answer.

An amendment is a Note in reply to the proposal carrying `amendment: {section, suggestedText}`
(Townhall's namespace); its `content` says in words what is suggested, so Mastodon shows it as
an ordinary reply. The proposal's author (or the organisation) accepts it, which publishes a new
version crediting it, or declines it with a reason. Either answer is federated as an `Accept` or
`Reject` of the Note, plus a short visible reply in the thread.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from federation.vocab import id_of
from node.activitypub import new_activity
from node.i18n import N_
from node.limits import MAX_SECTION_NAME
from node.markdown import render_markdown
from node.models import (
    Actor,
    Amendment,
    AmendmentState,
    InboxEntry,
    Object,
    Proposal,
    ProposalStatus,
)
from node.proposal_documents import PROPOSAL_CONTEXT
from node.sanitize import plain_text, sanitise_html
from node.sections import SECTION_NAMES, SECTION_TITLES, section_sources
from node.services import lifecycle, local_objects
from node.services.errors import Conflict, Forbidden, NotFound, ServiceError
from node.services.organisations import organisation_of
from node.services.outbox import Outbox
from node.services.proposals import Proposals
from node.services.threads import announce_in_thread

log = logging.getLogger("townhall.amendments")

MAX_SUGGESTION = 20_000
MAX_REASON = 2_000


@dataclass(frozen=True)
class Suggestion:
    """What an amendment asks for: this section should read this text (Markdown)."""

    section: str
    text: str


def suggestion_of(document: dict[str, Any]) -> Suggestion | None:
    """The amendment an object carries, or None when it is a plain comment."""
    value = document.get("amendment")
    if not isinstance(value, dict):
        return None
    section, text = value.get("section"), value.get("suggestedText")
    if not isinstance(section, str) or not isinstance(text, str):
        return None
    return Suggestion(section.strip(), text.strip())


def check_suggestion(proposal: Proposal, suggestion: Suggestion) -> None:
    """Refuse, with the reason, an amendment that names no known section or says nothing new."""
    current = section_sources(proposal.sections)
    known = sorted(set(SECTION_NAMES) | set(current))
    if not suggestion.section:
        raise ServiceError(N_("an amendment names the section it changes (amendment.section)"))
    if suggestion.section not in known:
        choices = ", ".join(known)
        raise ServiceError(
            N_("unknown section %(section)s: choose one of %(choices)s"),
            section=repr(suggestion.section[:MAX_SECTION_NAME]),
            choices=choices,
        )
    if not suggestion.text:
        raise ServiceError(N_("an amendment needs the text it suggests (amendment.suggestedText)"))
    if len(suggestion.text) > MAX_SUGGESTION:
        raise ServiceError(
            N_("the suggested text is longer than %(max_suggestion)s characters"),
            max_suggestion=MAX_SUGGESTION,
        )
    if str(current.get(suggestion.section) or "").strip() == suggestion.text:
        raise ServiceError(
            N_("the section %(section)s already reads like that"), section=repr(suggestion.section)
        )


def describe(suggestion: Suggestion, said: str = "") -> str:
    """The Note's content: what is suggested, in words any fediverse reader understands."""
    title = SECTION_TITLES.get(suggestion.section, suggestion.section)
    return (
        f"{sanitise_html(said)}<p>Suggested change to \u201c{escape(title)}\u201d:</p>"
        f"<blockquote>{render_markdown(suggestion.text)}</blockquote>"
    )


async def is_amendment(uri: str) -> bool:
    """Whether `uri` is an amendment this node knows of."""
    return await Amendment.filter(object__uri=uri).exists()


class Amendments:
    """Members suggesting amendments, and authors answering those made to their proposals."""

    def __init__(self, outbox: Outbox, proposals: Proposals) -> None:
        self._outbox = outbox
        self._urls = outbox.urls
        self._proposals = proposals

    async def suggest(self, actor: Actor, submitted: dict[str, Any]) -> dict[str, Any]:
        """Publish a member's amendment (a Note in reply to the proposal); return its Create."""
        row, proposal = await _proposal_replied_to(submitted)
        suggestion = _submitted_suggestion(submitted)
        check_suggestion(proposal, suggestion)
        said = submitted.get("content") if isinstance(submitted.get("content"), str) else ""
        document = local_objects.build_object(
            self._urls, actor, {**submitted, "content": describe(suggestion, str(said))}
        )
        await local_objects.join_thread(document)
        document["@context"] = PROPOSAL_CONTEXT
        document["amendment"] = {"section": suggestion.section, "suggestedText": suggestion.text}
        _address(document, actor, row.author)
        async with in_transaction():
            note, activity = await self._post(actor, document)
            await _record(note, proposal, suggestion, document)
        return activity

    async def answer(
        self,
        actor: Actor,
        note_uri: str,
        submitted: dict[str, Any],
        *,
        accept: bool,
        acting: Actor | None = None,
    ) -> dict[str, Any]:
        """The proposal's author accepts (a new version) or declines an amendment; return the
        Accept or Reject sent. Answering twice is a Conflict. `acting`: the admin answering
        for the organisation, told nothing of their own answer."""
        amendment = await _answerable(actor, note_uri)
        reason = _reason(submitted, required=not accept)
        author = amendment.object.author
        answer = new_activity(
            self._urls,
            "Accept" if accept else "Reject",
            actor,
            amendment.object.uri,
            to=[author.uri],
            cc=[actor.followers_uri],
        )
        if reason:
            answer["content"] = f"<p>{escape(reason)}</p>"
        async with in_transaction():
            if not await _settle(amendment, actor, answer["id"], accepted=accept, reason=reason):
                raise Conflict(N_("the amendment has already been answered"))
            said = (
                (await self._apply(actor, amendment, acting)) if accept else f"Declined: {reason}"
            )
            await self._outbox.publish(actor, answer, to_followers=True, acting=acting)
            await _tell_local_author(author, actor, answer)
            await self._reply(actor, amendment, said, answer["id"], acting)
        log.info("amendment.answered", extra={"amendment": note_uri, "accepted": accept})
        return answer

    async def _apply(self, actor: Actor, amendment: Amendment, acting: Actor | None) -> str:
        """Put the suggested text into the proposal as a new version that credits it (its
        suggester is told of the answer, not of the new version: node/services/notifications)."""
        author = amendment.object.author
        update = await self._proposals.update(
            actor,
            amendment.proposal.object,
            {"sections": {amendment.section: amendment.suggested_text}},
            credit=amendment.object.uri,
            notify=() if author.is_local else (author.delivery_inbox,),
            acting=acting,
        )
        title = SECTION_TITLES.get(amendment.section, amendment.section)
        version = update["object"].get("version")
        return f"Accepted: the change to \u201c{title}\u201d is now part of version {version}."

    async def _reply(
        self, actor: Actor, amendment: Amendment, said: str, answer_uri: str, acting: Actor | None
    ) -> None:
        """The short visible answer in the thread, in reply to the amendment; its
        `amendmentAnswer` names the Accept or Reject it says in words (the suggester is
        notified of the answer once, not again of this reply)."""
        document = local_objects.build_object(
            self._urls,
            actor,
            {
                "type": "Note",
                "content": f"<p>{escape(said)}</p>",
                "inReplyTo": amendment.object.uri,
            },
        )
        await local_objects.join_thread(document)
        document["@context"] = PROPOSAL_CONTEXT
        document["amendmentAnswer"] = answer_uri
        _address(document, actor, amendment.object.author)
        await self._post(actor, document, acting)

    async def _post(
        self, actor: Actor, document: dict[str, Any], acting: Actor | None = None
    ) -> tuple[Object, dict[str, Any]]:
        """Store and publish a local Note of a thread; the organisation announces it."""
        activity = new_activity(
            self._urls, "Create", actor, document, to=document["to"], cc=document["cc"]
        )
        async with in_transaction():
            row = await local_objects.save_object(actor, document)
            await self._outbox.publish(actor, activity, to_followers=True, acting=acting)
            await announce_in_thread(self._outbox, row)
        return row, activity


def _submitted_suggestion(submitted: dict[str, Any]) -> Suggestion:
    if submitted.get("type") != "Note":
        raise ServiceError(N_("an amendment is a Note in reply to the proposal"))
    suggestion = suggestion_of(submitted)
    if suggestion is None:
        raise ServiceError(
            N_("amendment must be an object with the strings section and suggestedText")
        )
    return suggestion


async def _proposal_replied_to(submitted: dict[str, Any]) -> tuple[Object, Proposal]:
    """The live, published proposal an amendment replies to (our own or another node's)."""
    parent = id_of(submitted.get("inReplyTo"))
    if not parent:
        raise ServiceError(N_("an amendment replies to the proposal it changes (inReplyTo)"))
    row = await Object.get_or_none(uri=parent, deleted_at=None).prefetch_related("author")
    if row is None or not row.is_public:
        raise NotFound(
            N_("no proposal %(parent)s known here: fetch it through proxyUrl first"), parent=parent
        )
    proposal = await Proposal.get_or_none(object_id=row.id)
    if proposal is None or proposal.status == ProposalStatus.DRAFT:
        raise ServiceError(
            N_("%(parent)s is not a proposal: only proposals take amendments"), parent=parent
        )
    lifecycle.check_takes("amendments", proposal.status)
    return row, proposal


def _address(document: dict[str, Any], actor: Actor, addressee: Actor) -> None:
    """Address and mention `addressee` (so Mastodon notifies them), unless it is the actor."""
    if addressee.id == actor.id:
        return
    if addressee.uri not in document["cc"]:
        document["cc"] = [*document["cc"], addressee.uri]
    mention = {"type": "Mention", "href": addressee.uri, "name": str(addressee)}
    tags = document.get("tag")
    document["tag"] = [*(tags if isinstance(tags, list) else [tags] if tags else []), mention]


async def _record(
    note: Object, proposal: Proposal, suggestion: Suggestion, document: dict[str, Any]
) -> Amendment:
    version = document.get("answersVersion")
    return await Amendment.create(
        object=note,
        proposal=proposal,
        section=suggestion.section,
        suggested_text=suggestion.text,
        answers_version=version if isinstance(version, int) and version > 0 else proposal.version,
    )


async def _answerable(actor: Actor, note_uri: str) -> Amendment:
    """A pending amendment to a live proposal of ours that `actor` may answer."""
    amendment = await Amendment.get_or_none(object__uri=note_uri).prefetch_related(
        "object__author", "proposal__object"
    )
    if amendment is None:
        raise NotFound(N_("no amendment %(note_uri)s known here"), note_uri=note_uri)
    proposal = amendment.proposal.object
    if not proposal.is_local:
        raise Forbidden(N_("the proposal is on another server: only its own node can answer"))
    if proposal.deleted_at is not None or amendment.object.deleted_at is not None:
        raise NotFound(N_("the proposal or the amendment has been withdrawn"))
    if proposal.author_id != actor.id and not await _is_its_organisation(actor, amendment):  # type: ignore[attr-defined]
        raise Forbidden(
            N_("only the proposal's author or the organisation may answer an amendment")
        )
    if amendment.state != AmendmentState.PENDING:
        raise Conflict(N_("the amendment has already been %(value)s"), value=amendment.state.value)
    return amendment


async def _is_its_organisation(actor: Actor, amendment: Amendment) -> bool:
    """Whether `actor` is the organisation the amended proposal is published for."""
    organisation = await organisation_of(amendment.proposal)
    return organisation is not None and organisation.id == actor.id


def _reason(submitted: dict[str, Any], *, required: bool) -> str:
    """The reason given with an answer (the activity's content or summary), as plain text."""
    given = submitted.get("content") or submitted.get("summary") or ""
    reason = plain_text(given).strip() if isinstance(given, str) else ""
    if required and not reason:
        raise ServiceError(
            N_("declining an amendment needs a reason: give it as the Reject's content")
        )
    if len(reason) > MAX_REASON:
        raise ServiceError(
            N_("the reason is longer than %(max_reason)s characters"), max_reason=MAX_REASON
        )
    return reason


async def _settle(
    amendment: Amendment, answerer: Actor, answer_uri: str, *, accepted: bool, reason: str
) -> bool:
    """Move a pending amendment to its answer; False if an answer got there first."""
    state = AmendmentState.ACCEPTED if accepted else AmendmentState.DECLINED
    changed = await Amendment.filter(id=amendment.id, state=AmendmentState.PENDING).update(
        state=state,
        reason=reason,
        answered_by_id=answerer.id,
        answer_uri=answer_uri[:2048],
        answered_at=datetime.now(UTC),
    )
    return changed > 0


async def _tell_local_author(author: Actor, answerer: Actor, answer: dict[str, Any]) -> None:
    """A member of this node who suggested the amendment finds the answer in their inbox."""
    if author.is_local and author.id != answerer.id:
        await InboxEntry.get_or_create(
            recipient_id=author.id, activity_uri=answer["id"], defaults={"document": answer}
        )


async def record_received(row: Object, document: dict[str, Any]) -> Amendment | None:
    """A received Note suggesting a change to a proposal held here is recorded as an amendment
    too (it stays a comment either way); a malformed suggestion is only a comment."""
    suggestion = suggestion_of(document)
    if suggestion is None or row.type != "Note" or not row.in_reply_to_uri:
        return None
    proposal = (
        await Proposal.filter(object__uri=row.in_reply_to_uri, object__deleted_at=None)
        .exclude(status=ProposalStatus.DRAFT)
        .first()
    )
    if proposal is None or await Amendment.filter(object_id=row.id).exists():
        return None
    try:
        check_suggestion(proposal, suggestion)
    except ServiceError as error:
        log.info("amendment.ignored", extra={"object": row.uri, "reason": str(error)})
        return None
    try:
        async with in_transaction():  # a savepoint: the transaction around stays usable
            return await _record(row, proposal, suggestion, document)
    except IntegrityError:
        return None  # recorded meanwhile by another delivery of the same Note


async def answered_remotely(
    note_uri: str, answer: dict[str, Any], answerer: Actor, *, accepted: bool
) -> bool:
    """Record an Accept/Reject of an amendment to another node's proposal; only the proposal's
    author or its organisation may answer, and only once."""
    amendment = await Amendment.get_or_none(object__uri=note_uri).prefetch_related(
        "proposal__object"
    )
    if amendment is None:
        return False
    proposal = amendment.proposal
    if answerer.id not in (proposal.object.author_id, proposal.organisation_id):  # type: ignore[attr-defined]
        log.info("amendment.answer_refused", extra={"amendment": note_uri, "by": answerer.uri})
        return False
    content = answer.get("content")
    reason = plain_text(content).strip()[:MAX_REASON] if isinstance(content, str) else ""
    answer_uri = str(answer.get("id") or "")
    return await _settle(amendment, answerer, answer_uri, accepted=accepted, reason=reason)
