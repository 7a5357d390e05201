"""Which consultations an export covers: one proposal, or every proposal of the organisation;
only those a visitor is shown (the pages' rule, node/services/visibility.py), without what
limited servers' accounts posted in them (node/services/limited_servers.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from node.i18n import gettext_ as _
from node.models import Proposal
from node.services.errors import NotFound
from node.services.limited_servers import unseen_author_ids
from node.services.visibility import NOBODY, proposals_shown_to_everyone

BATCH = 200


@dataclass(frozen=True)
class Scope:
    """One published proposal (`proposal_id`), or all of them (None)."""

    proposal_id: int | None = None

    @property
    def name(self) -> str:
        """How the files of this export are named."""
        return f"proposal-{self.proposal_id}" if self.proposal_id else "organisation"


ORGANISATION = Scope()


@dataclass(frozen=True)
class ExportedProposal:
    """What every table needs of a proposal in the export."""

    id: int
    uri: str
    context_uri: str
    title: str
    unseen_authors: tuple[int, ...] = ()  # limited servers' accounts: a visitor is not shown them


async def proposal_scope(proposal_id: int) -> Scope:
    """The export of one proposal; NotFound for none, a draft, a withdrawn or hidden one, or
    another node's (its home publishes its data)."""
    shown = proposals_shown_to_everyone(Proposal.filter(object__is_local=True))
    if not await shown.filter(id=proposal_id).exists():
        raise NotFound(
            _("No published proposal of this organisation has this number: drafts, withdrawn "
              "and hidden proposals have no open data.")
        )  # fmt: skip
    return Scope(proposal_id)


async def the_proposal(scope: Scope) -> ExportedProposal:
    """The one proposal of a proposal's scope (made by proposal_scope, which checked it)."""
    async for proposal in proposals_of(scope):
        return proposal
    raise NotFound(_("No published proposal of this organisation has this number."))


async def proposals_of(scope: Scope) -> AsyncIterator[ExportedProposal]:
    """The proposals `scope` covers, oldest first, BATCH at a time."""
    rows = proposals_shown_to_everyone(Proposal.filter(object__is_local=True))
    if scope.proposal_id is not None:
        rows = rows.filter(id=scope.proposal_id)
    unseen = tuple(await unseen_author_ids(NOBODY))
    last = 0
    while True:
        batch = (
            await rows.filter(id__gt=last)
            .order_by("id")
            .limit(BATCH)
            .values("id", "object__uri", "object__context_uri", "object__name")
        )
        for row in batch:
            yield ExportedProposal(
                int(row["id"]),
                row["object__uri"],
                row["object__context_uri"],
                row["object__name"],
                unseen,
            )
        if len(batch) < BATCH:
            return
        last = int(batch[-1]["id"])
