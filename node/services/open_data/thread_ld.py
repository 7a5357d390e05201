"""A proposal's whole thread as one JSON-LD document: its `context` collection (FEP-7888)
with every public item embedded as its ActivityStreams document, oldest first. Only what a
visitor is shown: nothing private, hidden, held or removed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from node.services.open_data.exports import chosen_licence
from node.services.open_data.scope import ExportedProposal, Scope, the_proposal
from node.services.open_data.tables import batches
from node.services.open_data.threads import thread_objects
from node.services.open_data.writers import json_chunks

PRIVATE_KEYS = frozenset({"@context", "bto", "bcc"})  # bto and bcc are never published
CONTEXT = [
    "https://www.w3.org/ns/activitystreams",
    {"schema": "https://schema.org/", "license": {"@id": "schema:license", "@type": "@id"}},
]


async def thread_document(scope: Scope, organisation_uri: str) -> AsyncIterator[bytes]:
    """The chunks of the thread document of the proposal `scope` names."""
    proposal = await the_proposal(scope)
    licence = await chosen_licence()
    head: dict[str, Any] = {
        "@context": CONTEXT,
        "id": proposal.context_uri or proposal.uri,
        "type": "OrderedCollection",
        "attributedTo": organisation_uri,
        "context": proposal.context_uri or proposal.uri,
        "license": licence.url,
        "totalItems": await thread_objects(proposal).count(),
    }
    return json_chunks(head, _items(proposal), key="orderedItems")


async def _items(proposal: ExportedProposal) -> AsyncIterator[dict[str, Any]]:
    # The thread's order is by id here (keyset); each item carries its `published` time.
    async for row in batches(thread_objects(proposal), "document", "uri", "type"):
        document = row["document"] if isinstance(row["document"], dict) else {}
        item = {key: value for key, value in document.items() if key not in PRIVATE_KEYS}
        item.setdefault("id", row["uri"])
        item.setdefault("type", row["type"])
        yield item
