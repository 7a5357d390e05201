"""Proposals published by other Townhall nodes, read from the extension fields of their Article."""

from __future__ import annotations

from typing import Any

from federation.vocab import id_of
from node.models import Actor, Object, Proposal, ProposalStatus, ProposalVersion
from node.sanitize import sanitise_html
from node.timestamps import parse_time


def _status(value: Any) -> ProposalStatus:
    try:
        return ProposalStatus(str(value))
    except ValueError:
        return ProposalStatus.OPEN


def _sections(value: Any) -> list[dict[str, str]]:
    sections = []
    for section in value if isinstance(value, list) else []:
        if isinstance(section, dict) and isinstance(section.get("name"), str):
            sections.append(
                {
                    "name": section["name"][:40],
                    "content": sanitise_html(str(section.get("content") or "")),
                    "source": str(section.get("source") or "")[:100_000],
                }
            )
    return sections


async def store_remote_proposal(
    row: Object, document: dict[str, Any], previous: dict[str, Any] | None
) -> Proposal:
    """Create or refresh the Proposal row of a remote Article; keep the replaced version."""
    version = document.get("version")
    number = version if isinstance(version, int) and 0 < version < 1_000_000 else 1
    organisation = await Actor.get_or_none(uri=id_of(document.get("audience")) or "")
    proposal = await Proposal.get_or_none(object_id=row.id)
    fields: dict[str, Any] = {
        "status": _status(document.get("proposalStatus")),
        "closes_at": parse_time(document.get("closesAt")),
        "version": number,
        "sections": _sections(document.get("sections")),
        "organisation": organisation,
    }
    if proposal is None:
        return await Proposal.create(object=row, **fields)
    if number > proposal.version and previous:
        await ProposalVersion.get_or_create(
            proposal=proposal, number=proposal.version, defaults={"document": previous}
        )
    await proposal.update_from_dict(fields).save()
    return proposal
