""" "What we heard" travels: frozen on A, its Article reaches B, which follows only A's
organisation, in the proposal's thread."""

from __future__ import annotations

import os
import re
from pathlib import Path

import aiohttp

from node.config import load_config
from node.db import close_database, open_database
from node.services.outbox import Outbox
from node.services.report_freeze import freeze_report
from node.urls import NodeUrls
from tests.flows.test_servers_following_only_the_organisation import (
    comment_on,
    proposal_reaches,
)
from tests.flows.test_thread_across_nodes import holds
from tests.support.nodes import RunningNode, count_rows, eventually, three_nodes

TIMEOUT = 30


async def report_path(node: RunningNode, proposal: str) -> str:
    """The report's path, as the proposal's page links it."""
    async with aiohttp.ClientSession() as session, session.get(proposal) as response:
        found = re.search(r'href="(/proposals/\d+/report)"', await response.text())
    assert found, "the proposal page links to no report"
    return found.group(1)


async def freeze_on(node: RunningNode, path: str) -> str:
    """Freeze the report in the node's own database, as its decision does; the Article's id."""
    config = load_config(node.process.data_dir, {**os.environ, **node.env})
    await open_database(config.database_url)
    try:
        proposal_id = int(path.split("/")[2])
        article = await freeze_report(Outbox(NodeUrls(node.base), lambda: None), proposal_id)
        return article.uri
    finally:
        await close_database()


async def page_text(url: str) -> str:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        assert response.status == 200, response.status
        return await response.text()


async def test_the_frozen_report_reaches_a_node_following_the_organisation(
    tmp_path: Path,
) -> None:
    async with three_nodes(tmp_path) as nodes:  # B follows A's organisation, no one else
        a, b, _c, alice, bob, _carol = nodes
        proposal = await proposal_reaches(a, alice, [b])
        comment = await comment_on(b, "bob", bob, proposal, "Carers need this.")
        await eventually(
            lambda: holds(a, comment), lambda n: n == 1, what="A holds B's comment", timeout=TIMEOUT
        )
        path = await report_path(a, proposal)
        live = await page_text(a.base + path)
        assert "1 response from 1 person or organisation" in live

        # When A publishes its decision, the report is frozen and sent as an Article
        article = await freeze_on(a, path)
        where = (
            f"uri = '{article}' AND type = 'Article' AND in_reply_to_uri = '{proposal}'"
            " AND name = 'What we heard: Free travel for young carers'"
            f" AND context_uri = (SELECT context_uri FROM object WHERE uri = '{proposal}')"
        )
        await eventually(
            lambda: count_rows(b, "object", where),
            lambda n: n == 1,
            what="B holds the report in the proposal's thread",
            timeout=TIMEOUT,
        )
        assert await count_rows(b, "object", f"uri = '{article}' AND content LIKE '%<table>%'")
        frozen = await page_text(a.base + path)
        assert "This report was frozen on" in frozen
        assert "1 response from 1 person or organisation" in frozen
