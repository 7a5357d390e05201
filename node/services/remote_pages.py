"""What the page of a remote object held here reads (/remote/objects/{id}): a proposal of
another node, or a comment in the thread of one, by its row id here; and the object whose
page a thread's forms go back to."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.expressions import Q

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


async def remote_pages_among(rows: list[Object]) -> set[int]:
    """The ids of the remote objects among `rows` that have a page here (another node's
    proposal held here, or a comment in its thread), in one query."""
    remote = [row for row in rows if not row.is_local]
    if not remote:
        return set()
    threads = {row.context_uri for row in remote if row.context_uri}
    held = await Proposal.filter(
        Q(object_id__in=[row.id for row in remote])
        | Q(object__context_uri__in=threads, object__type="Article")
    ).values_list("object_id", "object__context_uri")
    ids, contexts = {pair[0] for pair in held}, {pair[1] for pair in held if pair[1]}
    return {row.id for row in remote if row.id in ids or row.context_uri in contexts}


async def remote_object_uri(object_id: int) -> str | None:
    """The id of the remote object held here as row `object_id` (hidden ones too, for the
    moderators who act on them); None when there is none or it was removed."""
    uri = await Object.filter(id=object_id, is_local=False, deleted_at=None).first().values("uri")
    return str(uri["uri"]) if uri else None
