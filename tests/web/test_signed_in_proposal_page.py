"""The signed-in proposal page reads what every member is shown alike once per generation of the
pages (node/generation_cache.py) and the member's own part for each request: its queries do not
grow with the thread, and no member is shown another's part."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from node.services.tokens import create_token
from tests.support.api import BASE, post, token_for
from tests.support.pages import member, page, sign_in_as
from tests.web.test_proposals import PROPOSAL


def selects(caplog: pytest.LogCaptureFixture) -> int:
    return sum(1 for message in caplog.messages if "SELECT" in message.upper())


def thread_reads(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The queries that read a thread's comments (by their context)."""
    return [message for message in caplog.messages if '"context_uri"=' in message]


async def test_its_queries_do_not_grow_with_the_thread_and_a_second_read_skips_the_thread(
    client: TestClient, aiohttp_client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a member signed in, and a proposal that grows from 3 comments to 30
    token = await token_for("alice")
    proposal = (await post(client, "alice", token, PROPOSAL))["object"]
    where = proposal["id"].removeprefix(BASE)
    browser = await aiohttp_client(client.server)
    await member("reader")
    await sign_in_as(browser, "reader")
    await page(browser, "/")  # shows the "signed in" message once
    counted: dict[int, tuple[int, int]] = {}
    for size in (3, 30):
        written = 0
        while written < size - (3 if size == 30 else 0):
            note = {"type": "Note", "content": f"<p>Comment {size}-{written}</p>",
                    "inReplyTo": proposal["id"]}  # fmt: skip
            await post(client, "alice", token, note)
            written += 1
        # When the member reads the page twice with nothing written between
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="tortoise.db_client"):
            first = await page(browser, where)
            cold = thread_reads(caplog)
            caplog.clear()
            second = await page(browser, where)
            warm = selects(caplog)
            assert not thread_reads(caplog)  # the second read shares what the first read
        assert f"Comment {size}-0" in first and first == second
        counted[size] = (len(cold), warm)
    # Then a thread ten times longer is read in as many queries, and read again in none
    assert counted[3] == counted[30], counted
    assert counted[3][0] > 0, counted


async def test_one_members_endorsement_is_never_shown_as_anothers(
    client: TestClient, aiohttp_client: Any
) -> None:
    # Given a proposal Alice endorses
    token = await token_for("author")
    proposal = (await post(client, "author", token, PROPOSAL))["object"]
    where = proposal["id"].removeprefix(BASE)
    await member("alice")
    await post(
        client, "alice", await create_token("alice"), {"type": "Like", "object": proposal["id"]}
    )
    alices, bobs = await aiohttp_client(client.server), await aiohttp_client(client.server)
    await member("bob")
    await sign_in_as(bobs, "bob")
    await sign_in_as(alices, "alice")
    # When Alice, Bob and Alice again read it (nothing written between: the thread is shared)
    first, bobs_page, again = (
        await page(alices, where),
        await page(bobs, where),
        await page(alices, where),
    )
    # Then each sees their own endorsement only, on the same count
    assert "You endorse this proposal." in first and "You endorse this proposal." in again
    assert "You endorse this proposal." not in bobs_page
    assert "Endorse this proposal" in bobs_page
    for shown in (first, bobs_page, again):
        assert "Endorsements (1)" in shown
