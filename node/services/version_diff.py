"""A readable diff between two versions of a proposal: words inserted and deleted."""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from typing import Any

from node.html_diff import html_diff
from node.i18n import N_
from node.markdown import render_markdown
from node.models import Proposal, ProposalVersion
from node.sanitize import sanitise_html
from node.sections import SECTION_NAMES, SECTION_TITLES, section_sources, shown_sections, source_of
from node.services.errors import NotFound, ServiceError

TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Change:
    """A run of text: kept ('='), inserted ('+') or deleted ('-')."""

    op: str
    text: str


@dataclass(frozen=True)
class FieldDiff:
    """One part of the proposal and how it changed: the title and summary word by word
    (`changes`), the text and each section as formatted HTML with its changes marked (`html`,
    safe: built from sanitised renderings only)."""

    label: str
    changes: list[Change]
    html: str = ""
    html_changed: bool = False

    @property
    def changed(self) -> bool:
        return self.html_changed or any(change.op != "=" for change in self.changes)


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


def _plain_parts(document: dict[str, Any]) -> dict[str, str]:
    return {
        N_("Title"): str(document.get("name", "")),
        N_("Summary"): html.unescape(str(document.get("summary", ""))),
    }


def _formatted_parts(document: dict[str, Any]) -> dict[str, str]:
    """The text and each section, as the proposal's page renders them (safe HTML)."""
    sections = document.get("sections")
    sources = section_sources(sections)
    shown = {name: content for name, _title, content in shown_sections(sections)}
    whole = source_of(document.get("source"))
    # the whole Markdown is the text, then each section under its heading (proposal_markdown)
    suffix = "\n\n".join(
        f"## {SECTION_TITLES.get(name, name)}\n\n{source.strip()}"
        for name, source in sources.items()
        if source.strip()
    )
    body = whole[: -len(suffix)].strip() if suffix and whole.endswith(suffix) else whole
    parts = {N_("Text"): render_markdown(body)}
    for name in sorted({*sources, *shown}, key=_section_order):
        source = sources.get(name, "")
        parts[SECTION_TITLES.get(name, name)] = (
            render_markdown(source) if source else sanitise_html(shown.get(name, ""))
        )
    return parts


def _section_order(name: str) -> tuple[int, str]:
    return (SECTION_NAMES.index(name) if name in SECTION_NAMES else len(SECTION_NAMES), name)


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
        raise ServiceError("compare an earlier version with a later one")
    documents = await version_documents(proposal)
    for number in (old, new):
        if number not in documents:
            raise NotFound(N_("this proposal has no version %(number)s"), number=number)
    before, after = _plain_parts(documents[old]), _plain_parts(documents[new])
    diffs = [FieldDiff(label, word_diff(before[label], after[label])) for label in before]
    was, now = _formatted_parts(documents[old]), _formatted_parts(documents[new])
    for label in [*now, *(label for label in was if label not in now)]:
        old_html, new_html = was.get(label, ""), now.get(label, "")
        if old_html or new_html:
            marked = html_diff(old_html, new_html)
            diffs.append(FieldDiff(label, [], marked, html_changed=old_html != new_html))
    return diffs
