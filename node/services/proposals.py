"""Proposals: drafting, publishing, new versions and status changes of policy Articles."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

from tortoise.transactions import in_transaction

from node.activitypub import new_activity
from node.i18n import N_
from node.limits import MAX_BODY, MAX_SUMMARY, MAX_TITLE, check_length
from node.models import Actor, Object, ObjectTag, Proposal, ProposalStatus, ProposalVersion
from node.models.social import InboxEntry, Reaction
from node.proposal_documents import (
    Decision,
    ProposalMeta,
    ProposalText,
    clean_hashtag,
    hashtags_of,
    to_article,
    translated_texts,
)
from node.sanitize import plain_text
from node.sections import section_sources, source_of, split_html, submitted_sections
from node.services import lifecycle, phases
from node.services.article_preview import send_preview
from node.services.errors import Forbidden, ServiceError
from node.services.organisation_settings import proposal_language_of
from node.services.organisations import organisation_to_publish_for
from node.services.outbox import Outbox
from node.services.proposal_languages import (
    stored_translation,
    submitted_language,
    submitted_translation,
)
from node.services.responses import linked_authors, store_links, submitted_link_tags
from node.services.submitted_fields import checked_source
from node.services.threads import announce_in_thread, pass_on_in_thread
from node.timestamps import now, parse_time


def text_from_submission(
    submitted: dict[str, Any], base: ProposalText | None = None
) -> ProposalText:
    """The proposal text in a client's Article, on top of `base` for partial edits.

    The body is the Markdown `source`; without one, the HTML `content` (what most clients send)
    is read back into a Markdown body and sections (node.sections.split_html). Named `sections`
    come on top of either.
    """
    title = plain_text(str(submitted.get("name", base.title if base else ""))).strip()
    summary = plain_text(str(submitted.get("summary", base.summary if base else ""))).strip()
    body = base.body if base else ""
    sections = dict(base.sections) if base else {}
    if "source" in submitted:
        body = source_of(checked_source(submitted["source"]))
    elif isinstance(submitted.get("content"), str):
        body, sections = split_html(submitted["content"])
    sections.update(submitted_sections(submitted.get("sections")))
    tags = base.hashtags if base else ()
    if "tag" in submitted:
        tags = tuple(sorted({clean_hashtag(name) for name in _tag_names(submitted["tag"])} - {""}))
    language = submitted_language(submitted, base.language if base else "")
    translation = submitted_translation(submitted, language, base.translation if base else None)
    text = ProposalText(title, summary, body, sections, tags, language, translation)
    _check_text(text)
    return text


def _tag_names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names = [item for item in items if isinstance(item, str)]
    names += hashtags_of({"tag": [item for item in items if isinstance(item, dict)]})
    return names


def _check_text(text: ProposalText) -> None:
    if not text.title:
        raise ServiceError(N_("a proposal needs a title (name)"))
    check_length(N_("title"), text.title, MAX_TITLE)
    if not text.summary:
        raise ServiceError(N_("a proposal needs a plain-language summary"))
    check_length(N_("summary"), text.summary, MAX_SUMMARY)
    check_length(N_("proposal"), text.body + "".join(text.sections.values()), MAX_BODY)


def parse_status(value: Any, *, default: ProposalStatus) -> ProposalStatus:
    """A status named by a client, or a ServiceError listing the choices."""
    if value is None:
        return default
    try:
        return ProposalStatus(str(value))
    except ValueError:
        choices = ", ".join(status.value for status in ProposalStatus)
        raise ServiceError(
            N_("unknown proposalStatus %(value)s: choose one of %(choices)s"),
            value=repr(value),
            choices=choices,
        ) from None


def parse_closing(value: Any) -> datetime | None:
    """An optional ISO 8601 closing time, in UTC."""
    if value in (None, ""):
        return None
    moment = parse_time(value)
    if moment is None:
        raise ServiceError(
            N_("closesAt %(value)s is not an ISO 8601 date and time"), value=repr(value)
        )
    return moment


class Proposals:
    """Use cases of proposals by local members (or the organisation itself)."""

    def __init__(self, outbox: Outbox) -> None:
        self._outbox = outbox
        self._urls = outbox.urls

    async def create(self, author: Actor, submitted: dict[str, Any]) -> dict[str, Any]:
        """Draft or publish a new proposal; return its Create activity."""
        text = text_from_submission(submitted)
        organisation = await organisation_to_publish_for(author, submitted.get("audience"))
        if not text.language:  # in its organisation's language (else the site's) unless said
            text = replace(text, language=await proposal_language_of(organisation))
        status = parse_status(submitted.get("proposalStatus"), default=ProposalStatus.OPEN)
        closes_at = lifecycle.initial_closing_date(status, parse_closing(submitted.get("closesAt")))
        key = uuid.uuid4().hex
        meta = ProposalMeta(
            uri=self._urls.object(key),
            url=self._urls.object(key),
            author=author.uri,
            author_followers=author.followers_uri,
            organisation=organisation.uri if organisation else author.uri,
            context=self._urls.context(key),
            status=status.value,
            version=1,
            published=now(),
            closes_at=closes_at,
        )
        document = to_article(text, meta, self._urls.base)
        document["tag"] += submitted_link_tags(submitted)  # responses to other proposals
        activity = new_activity(
            self._urls, "Create", author, document, to=document["to"], cc=document["cc"]
        )
        linked = [actor.delivery_inbox for actor in await linked_authors(document)]
        async with in_transaction():
            row = await self._save(author, document, text, meta, organisation)
            if status == ProposalStatus.DRAFT:
                return activity  # drafts stay private: nothing is stored in the outbox or sent
            await self._outbox.publish(author, activity, inboxes=linked, to_followers=True)
            await send_preview(self._outbox, row)
            await announce_in_thread(self._outbox, row)
        return activity

    async def _save(
        self,
        author: Actor,
        document: dict[str, Any],
        text: ProposalText,
        meta: ProposalMeta,
        organisation: Actor | None,
    ) -> Object:
        row = await Object.create(
            uri=meta.uri,
            type="Article",
            is_local=True,
            author=author,
            context_uri=meta.context,
            name=text.title,
            summary=document["summary"],
            content=document["content"],
            source=document["source"]["content"],
            url=meta.url,
            is_public=meta.status != ProposalStatus.DRAFT,
            document=document,
            published_at=meta.published,
            language=text.language,
            translations=translated_texts(text, meta),
        )
        await Proposal.create(
            object=row,
            organisation=organisation,
            status=ProposalStatus(meta.status),
            closes_at=meta.closes_at,
            version=1,
            body=text.body,
            sections=document["sections"],
        )
        await _replace_tags(row, list(text.hashtags))
        await store_links(row, document)
        return row

    async def update(
        self,
        author: Actor,
        row: Object,
        submitted: dict[str, Any],
        *,
        credit: str = "",
        notify: tuple[str, ...] = (),
        decision: Decision | None = None,
        acting: Actor | None = None,
    ) -> dict[str, Any]:
        """Publish a draft, edit the text (a new version), or change status; return the Update.

        `credit` names an accepted amendment the new version credits; `notify` are extra inboxes
        (the amendment's author, the decision's participants) that hear of the Update. A move
        gets what lifecycle's table says it needs: a closing date, a reason to reopen, or the
        `decision` (decisions.py checks it). `acting`, the member who made the change for
        `author` (the organisation), is not notified of it, nor is `author`.
        """
        proposal = await Proposal.get(object_id=row.id)
        mover = await lifecycle.mover_of(author, row, proposal.status)
        if mover is None:
            raise Forbidden(N_("only the author or the organisation may change a proposal"))
        old_text = _text_of(row, proposal)
        text = text_from_submission(submitted, old_text)
        status = parse_status(submitted.get("proposalStatus"), default=proposal.status)
        lifecycle.check_move(proposal.status, status, mover)
        was_draft = proposal.status == ProposalStatus.DRAFT
        text_changed = text != old_text
        _apply_phase(proposal, status, submitted, decision)
        async with in_transaction():
            if text_changed and not was_draft:
                await ProposalVersion.create(
                    proposal=proposal,
                    number=proposal.version,
                    document=row.document,
                    amendment_uri=credit,
                )
                proposal.version += 1
            moved = proposal.status != status
            proposal.status = status
            document = await self._rewrite(
                row, proposal, text, author_was_draft=was_draft, credit=credit
            )
            kind = "Create" if was_draft and status != ProposalStatus.DRAFT else "Update"
            activity = new_activity(
                self._urls, kind, author, document, to=document["to"], cc=document["cc"]
            )
            if status == ProposalStatus.DRAFT:
                return activity
            if moved or "closesAt" in submitted:
                await phases.polls_follow(proposal)
            inboxes = [] if kind == "Create" else [*await _endorser_inboxes(row.uri), *notify]
            await self._outbox.publish(
                author, activity, inboxes=inboxes, to_followers=True, acting=acting
            )
            await send_preview(self._outbox, row)
            if kind == "Update":
                changed_by = {author.id} | ({acting.id} if acting else set())
                await _tell_local_endorsers(row.uri, activity, changed_by)
                await pass_on_in_thread(self._outbox, activity, row.uri)
            else:
                await announce_in_thread(self._outbox, row)
                await phases.publish_drafted_questions(self._outbox, row)
        return activity

    async def _rewrite(
        self,
        row: Object,
        proposal: Proposal,
        text: ProposalText,
        *,
        author_was_draft: bool,
        credit: str = "",
    ) -> dict[str, Any]:
        await row.fetch_related("author")
        previous = row.document
        meta = ProposalMeta(
            uri=row.uri,
            url=row.url,
            author=row.author.uri,
            author_followers=row.author.followers_uri,
            organisation=str(previous.get("audience") or row.author.uri),
            context=row.context_uri,
            status=proposal.status.value,
            version=proposal.version,
            published=now() if author_was_draft else row.published_at,
            updated=None if author_was_draft else now(),
            closes_at=proposal.closes_at,
            accepted_amendments=_credits(previous, credit),
            closed_at=proposal.closed_at,
            reopen_reason=proposal.reopen_reason,
            decided_at=proposal.decided_at,
            decision=decision_of(proposal),
        )
        document = to_article(text, meta, self._urls.base)
        document["tag"] += submitted_link_tags(previous)  # a new version keeps its links
        row.document, row.name, row.summary = document, text.title, document["summary"]
        row.content, row.source = document["content"], document["source"]["content"]
        row.language, row.translations = text.language, translated_texts(text, meta)
        row.is_public = proposal.status != ProposalStatus.DRAFT
        row.updated_at = meta.updated
        if author_was_draft:
            row.published_at = meta.published
        proposal.sections, proposal.body = document["sections"], text.body
        await row.save()
        await proposal.save()
        await _replace_tags(row, list(text.hashtags))
        return document


def _apply_phase(
    proposal: Proposal,
    target: ProposalStatus,
    submitted: dict[str, Any],
    decision: Decision | None,
) -> None:
    """Give the move what lifecycle's table says it needs, or refuse it (400) before anything
    is written: a closing date in the future, a reason to reopen, a decision."""
    needs = lifecycle.needs_of(proposal.status, target)
    if "closesAt" in submitted:
        closes_at = parse_closing(submitted["closesAt"])
        if closes_at != proposal.closes_at and target == ProposalStatus.OPEN:
            lifecycle.check_closing_date(closes_at)  # an open consultation's new date
        proposal.closes_at = closes_at
    if needs == lifecycle.Needs.CLOSING_DATE:
        lifecycle.check_closing_date(proposal.closes_at)
    elif needs == lifecycle.Needs.REOPENING:
        reason = plain_text(str(submitted.get("reopenReason") or "")).strip()
        lifecycle.check_reopening(reason, proposal.closes_at if "closesAt" in submitted else None)
        proposal.reopen_reason = reason[:MAX_SUMMARY]
    elif needs == lifecycle.Needs.DECISION:
        if decision is None:
            raise ServiceError(
                N_(
                    "a decision needs its written response: send it as `decision`"
                    " (or use the proposal's decision form)"
                )
            )
        proposal.decision, proposal.decision_html = decision.source, decision.html
        proposal.decision_sections = [dict(part) for part in decision.sections]
        proposal.decided_at = now()
    if target == ProposalStatus.CLOSED and proposal.status == ProposalStatus.OPEN:
        proposal.closed_at = now()


def decision_of(proposal: Proposal) -> Decision | None:
    """The published decision of a proposal, as its Article carries it."""
    if proposal.decided_at is None:
        return None
    return Decision(
        outcome=proposal.status.value,
        source=proposal.decision,
        html=proposal.decision_html,
        sections=tuple(proposal.decision_sections),
    )


def _text_of(row: Object, proposal: Proposal) -> ProposalText:
    """The current text of a local proposal, from its stored document."""
    sections = section_sources(proposal.sections)
    return ProposalText(
        title=row.name,
        summary=plain_text(row.summary),
        body=proposal.body,
        sections=sections,
        hashtags=tuple(hashtags_of(row.document)),
        language=row.language,
        translation=stored_translation(row.language, row.translations),
    )


def _credits(previous: dict[str, Any], credit: str) -> tuple[str, ...]:
    """The amendments a version credits: those of the one before, and the newly accepted one."""
    earlier = [uri for uri in previous.get("acceptedAmendments", []) if isinstance(uri, str)]
    return tuple(earlier + ([credit] if credit and credit not in earlier else []))


async def _replace_tags(row: Object, names: list[str]) -> None:
    await ObjectTag.filter(object_id=row.id).delete()
    if names:
        await ObjectTag.bulk_create([ObjectTag(object_id=row.id, name=name) for name in names])


async def _endorser_inboxes(object_uri: str) -> list[str]:
    """Remote actors who endorsed the proposal: they hear of every new version."""
    likes = await Reaction.filter(
        kind="Like", object_uri=object_uri, actor__is_local=False
    ).prefetch_related("actor")
    return [like.actor.delivery_inbox for like in likes]


async def _tell_local_endorsers(uri: str, activity: dict[str, Any], changed_by: set[int]) -> None:
    """Local members who endorsed the proposal find the new version in their inbox (those who
    made it, `changed_by`, do not: notifications read who was told from these)."""
    likes = Reaction.filter(kind="Like", object_uri=uri, actor__is_local=True)
    actor_ids = await likes.values_list("actor_id", flat=True)
    for actor_id in set(actor_ids) - changed_by:
        await InboxEntry.get_or_create(
            recipient_id=actor_id, activity_uri=activity["id"], defaults={"document": activity}
        )
