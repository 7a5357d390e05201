"""The figures worker's timing: an incoming activity about the thread refreshes once the burst has
settled; people looking at the page refresh it at most once per period."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from aiohttp.test_utils import TestServer

from federation.client import FederationClient
from node.models import Actor, Proposal
from node.services.figures_interest import note_looked_at, take_looked_at
from node.workers.remote_figures import RemoteFiguresWorker
from tests.support.remote_home import hold_remote_proposal


@pytest.fixture
async def fetcher() -> AsyncIterator[FederationClient]:
    async with FederationClient(user_agent="test", allow_private_addresses=True) as client:
        yield client


async def test_people_looking_at_the_page_refresh_its_figures_at_most_once_per_period(
    organisation: Actor,
    fetcher: FederationClient,
    aiohttp_server: Callable[..., Awaitable[TestServer]],
) -> None:
    home, proposal_id, _ = await hold_remote_proposal(aiohttp_server)
    take_looked_at()  # notes left by other tests of this process
    worker = RemoteFiguresWorker(fetcher, looked_at_every=60)
    # When someone looks at the page, the worker refreshes it
    note_looked_at(proposal_id)
    assert await worker.run_once() == 1
    asked = len(home.requests)
    assert asked > 0
    # When people keep looking within the period, A is asked nothing more
    note_looked_at(proposal_id)
    note_looked_at(proposal_id)
    assert await worker.run_once() == 0
    assert len(home.requests) == asked
    # And with nobody looking, nothing is refreshed
    assert await worker.run_once() == 0
    assert len(home.requests) == asked


async def test_activities_about_the_thread_refresh_once_after_the_burst(
    organisation: Actor,
    fetcher: FederationClient,
    aiohttp_server: Callable[..., Awaitable[TestServer]],
) -> None:
    home, proposal_id, uri = await hold_remote_proposal(aiohttp_server)
    take_looked_at()
    worker = RemoteFiguresWorker(fetcher, debounce=0.3)
    # Given three replies in the thread arrive, one of them inside an Announce
    for number in range(2):
        worker.activity_arrived(
            {"type": "Create", "object": {"id": f"{home.base}/objects/c{number}",
                                          "inReplyTo": uri, "context": f"{home.base}/contexts/p"}}
        )  # fmt: skip
    worker.activity_arrived(
        {"type": "Announce", "object": {"type": "Create", "object": {"id": f"{home.base}/c3",
                                                                      "inReplyTo": uri}}}
    )  # fmt: skip
    worker.activity_arrived({"type": "Like", "object": "https://elsewhere.example/objects/9"})
    # Then nothing is fetched while the burst may go on
    assert await worker.run_once() == 0
    assert home.requests == []
    # And one refresh follows it
    await asyncio.sleep(0.35)
    assert await worker.run_once() == 1
    assert home.requests.count("/objects/p/replies") == 1
    assert (await Proposal.get(id=proposal_id)).figures_fetched_at is not None
    assert await worker.run_once() == 0
