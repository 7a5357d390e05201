"""A remote proposal's figures on B follow what happens on A: each activity about the thread that
reaches B's inbox makes B's worker fetch A's figures again, soon after, over real HTTP."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import asyncpg

from tests.support.nodes import (
    RunningNode,
    count_rows,
    eventually,
    follow_organisation,
    post_outbox,
    running_node,
)

PROPOSAL = {
    "type": "Article",
    "name": "Open the library on Sundays",
    "summary": "Families who work weekdays cannot use the library.",
    "sections": {"problem": "It is closed when families are free.", "proposed_change": "Open."},
}


async def figures_on(node: RunningNode) -> dict[str, Any] | None:
    """The figures the node stored for the one remote proposal it holds."""
    query = "SELECT remote_figures FROM proposal WHERE remote_figures IS NOT NULL"
    database_url = node.env.get("TOWNHALL_DATABASE_URL")
    if database_url:
        connection = await asyncpg.connect(database_url)
        try:
            value = await connection.fetchval(query)
        finally:
            await connection.close()
    else:
        with sqlite3.connect(node.process.data_dir / "townhall.sqlite3") as connection:
            row = connection.execute(query).fetchone()
            value = row[0] if row else None
    return json.loads(value) if isinstance(value, str) else value


async def test_a_comment_on_a_reaching_b_refreshes_bs_figures_of_as_proposal(
    tmp_path: Path,
) -> None:
    with running_node(tmp_path / "a", "orga") as a, running_node(tmp_path / "b", "orgb") as b:
        alice, bob = a.add_member("alice"), b.add_member("bob")
        # Given bob on B follows A's organisation, and alice publishes a proposal on A
        await follow_organisation(b, "bob", bob, a)
        status, create = await post_outbox(a, "alice", alice, PROPOSAL)
        assert status == 201, create
        proposal = create["object"]["id"]
        # Then B, having received it, fetches A's figures for it: no replies yet
        first = await eventually(
            lambda: figures_on(b),
            lambda found: found is not None,
            what="B fetched the figures after the proposal arrived",
            timeout=20,
        )
        assert first is not None and first["replies"] == 0 and first["context"] == 1
        assert first["endorsements"]["public"] == 0

        # When alice comments on it on A, and the comment reaches B
        status, comment = await post_outbox(
            a, "alice", alice, {"type": "Note", "content": "Sundays 10-4?", "inReplyTo": proposal}
        )
        assert status == 201, comment
        await eventually(
            lambda: count_rows(b, "object", f"uri = '{comment['object']['id']}'"),
            lambda count: count == 1,
            what="B received alice's comment",
            timeout=20,
        )
        # Then B's worker fetches again: A now counts one reply
        later = await eventually(
            lambda: figures_on(b),
            lambda found: found is not None and found["replies"] == 1,
            what="B refreshed the figures after the comment arrived",
            timeout=20,
        )
        assert later is not None and later["context"] == 2
