"""What the page of a remote object held here reads (/remote/objects/{id}): a proposal of
another node, or a comment in the thread of one, by its row id here; and the object whose
page a thread's forms go back to."""

from __future__ import annotations

from dataclasses import dataclass

from node.models import Object, Proposal
from node.services.discussion import DiscussedObject, discussed_from_row
from node.services.proposal_page import proposal_of_thread
from node.services.visibility import Reader, may_see


@dataclass(frozen=True)
class PageHome:
    """The object whose page shows a thread here: its row id, URI and whether it is ours."""

    id: int
    uri: str
    is_local: bool


async def remote_page_object(object_id: int, reader: Reader) -> DiscussedObject | None:
    """The remote object `object_id` when it is a proposal held here or a comment in the
    thread of one, and `reader` is shown it whole; else None."""
    row = await Object.get_or_none(id=object_id, is_local=False).select_related("author")
    if row is None or not await may_see(row, reader):
        return None
    if row.type == "Article" and await Proposal.exists(object_id=row.id):
        return discussed_from_row(row)
    if await proposal_of_thread(row.context_uri) is None:
        return None
    return discussed_from_row(row)


async def thread_home_of(context_uri: str) -> PageHome | None:
    """The proposal whose thread `context_uri` is (ours or another node's), if held here."""
    proposal = await proposal_of_thread(context_uri)
    if proposal is None:
        return None
    return PageHome(proposal.object.id, proposal.object.uri, proposal.object.is_local)


async def thread_home(row: DiscussedObject) -> PageHome:
    """The proposal whose thread `row` is in (ours or another node's, held here), else `row`."""
    proposal = await proposal_of_thread(row.context_uri) if row.type != "Article" else None
    if proposal is not None:
        return PageHome(proposal.object.id, proposal.object.uri, proposal.object.is_local)
    return PageHome(row.id, row.uri, row.is_local)
