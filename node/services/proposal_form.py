"""What a proposal's edit form reads: its current values, who signs the save, what it offers."""

from __future__ import annotations

import html
from dataclasses import dataclass

from node.i18n import N_
from node.local_time import local
from node.models import Actor, Object, ObjectTag, Proposal, ProposalStatus
from node.sections import SECTION_NAMES, editable_sections
from node.services import lifecycle
from node.services.errors import Forbidden, NotFound
from node.services.proposal_languages import stored_translation


@dataclass(frozen=True)
class EditableProposal:
    """A local proposal as its edit form shows it."""

    uri: str
    name: str
    status: str
    values: dict[str, str]
    statuses: tuple[str, ...]  # the current status first, then the moves the editor may make
    editor_id: int  # whose actor the saved Update comes from: the author, or the organisation


async def editable_proposal(actor_id: int, uri: str) -> EditableProposal:
    """The proposal at `uri` for the local actor `actor_id` to edit; NotFound, or Forbidden
    when they may not."""
    actor = await Actor.get(id=actor_id)
    row = await Object.get_or_none(uri=uri, is_local=True, type="Article", deleted_at=None)
    proposal = await Proposal.get_or_none(object_id=row.id) if row else None
    if row is None or proposal is None:
        raise NotFound(N_("There is no such proposal."))
    editor = await lifecycle.editor_for(actor, row, proposal.status)
    if editor is None and proposal.status == ProposalStatus.DRAFT:
        raise NotFound(N_("There is no such proposal."))  # another's draft is not seen at all
    if editor is None:
        raise Forbidden(N_("Only the proposal's author or the organisation can edit it."))
    mover = await lifecycle.mover_of(editor, row, proposal.status)
    assert mover is not None  # editor_for returns only the author or the organisation
    statuses = tuple(status.value for status in lifecycle.choices(proposal.status, mover))
    return EditableProposal(
        uri=row.uri,
        name=row.name,
        status=proposal.status.value,
        values=await _current_values(row, proposal),
        statuses=statuses,
        editor_id=editor.id,
    )


async def may_edit(actor_id: int, uri: str) -> bool:
    """Whether the local actor `actor_id` may edit the proposal at `uri` (shown as a link on
    its page)."""
    actor = await Actor.get(id=actor_id)
    row = await Object.get_or_none(uri=uri, is_local=True, type="Article", deleted_at=None)
    proposal = await Proposal.get_or_none(object_id=row.id) if row else None
    if row is None or proposal is None:
        return False
    return await lifecycle.editor_for(actor, row, proposal.status) is not None


async def _current_values(row: Object, proposal: Proposal) -> dict[str, str]:
    tags = await ObjectTag.filter(object_id=row.id).values_list("name", flat=True)
    return {
        **_second_language_values(row),
        "title": row.name,
        "summary": html.unescape(row.summary),
        "body": proposal.body,
        **editable_sections(proposal.sections),
        "tags": " ".join(str(tag) for tag in tags),
        "closes_on": local(proposal.closes_at).date().isoformat() if proposal.closes_at else "",
        "closes_time": local(proposal.closes_at).strftime("%H:%M") if proposal.closes_at else "",
        "status": proposal.status.value,
        "language": row.language,
    }


def _second_language_values(row: Object) -> dict[str, str]:
    """other_title, other_summary, other_body and other_<section>: the second language."""
    other = stored_translation(row.language, row.translations)
    sections = other.sections if other else {}
    return {
        "other_title": other.title if other else "",
        "other_summary": other.summary if other else "",
        "other_body": other.body if other else "",
        **{f"other_{name}": sections.get(name, "") for name in SECTION_NAMES},
    }
