"""A readable diff between two versions of a proposal: words inserted and deleted."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from node.i18n import N_
from node.models import Proposal, ProposalVersion
from node.services.errors import NotFound, ServiceError

TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Change:
    """A run of text: kept ('='), inserted ('+') or deleted ('-')."""

    op: str
    text: str


@dataclass(frozen=True)
class FieldDiff:
    """One part of the proposal (title, summary, text) and how it changed."""

    label: str
    changes: list[Change]

    @property
    def changed(self) -> bool:
        return any(change.op != "=" for change in self.changes)


def word_diff(before: str, after: str) -> list[Change]:
    """The changes turning `before` into `after`, word by word, whitespace kept."""
    old, new = TOKENS.findall(before), TOKENS.findall(after)
    changes: list[Change] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            changes.append(Change("=", "".join(old[a1:a2])))
            continue
        if a2 > a1:
            changes.append(Change("-", "".join(old[a1:a2])))
        if b2 > b1:
            changes.append(Change("+", "".join(new[b1:b2])))
    return changes


def _parts(document: dict[str, Any]) -> dict[str, str]:
    source = document.get("source")
    text = source.get("content", "") if isinstance(source, dict) else ""
    return {
        N_("Title"): str(document.get("name", "")),
        N_("Summary"): str(document.get("summary", "")),
        N_("Text"): str(text),
    }


@dataclass(frozen=True)
class VersionedProposal:
    """A public proposal whose versions can be compared: its title, page and newest version."""

    proposal_id: int
    title: str
    link: str
    version: int
    document: dict[str, Any]


async def public_versioned_proposal(uri: str) -> VersionedProposal | None:
    """The public, undeleted proposal at `uri`, or None."""
    proposal = await Proposal.get_or_none(
        object__uri=uri, object__is_public=True, object__deleted_at__isnull=True
    ).select_related("object")
    if proposal is None:
        return None
    row = proposal.object
    return VersionedProposal(
        proposal.id, row.name, row.url or row.uri, proposal.version, row.document
    )


async def version_documents(proposal: VersionedProposal) -> dict[int, dict[str, Any]]:
    """Every version's Article by number; the newest is the proposal as it is now."""
    documents = {
        version.number: version.document
        for version in await ProposalVersion.filter(proposal_id=proposal.proposal_id)
    }
    documents[proposal.version] = proposal.document
    return documents


async def diff_versions(proposal: VersionedProposal, old: int, new: int) -> list[FieldDiff]:
    """What changed from version `old` to version `new`."""
    if old >= new:
        raise ServiceError(N_("compare an earlier version with a later one"))
    documents = await version_documents(proposal)
    for number in (old, new):
        if number not in documents:
            raise NotFound(N_("this proposal has no version %(number)s"), number=number)
    before, after = _parts(documents[old]), _parts(documents[new])
    return [FieldDiff(label, word_diff(before[label], after[label])) for label in before]
