"""A remote proposal's figures: fetched from its home's collections by the worker, kept with
their time, kept whole when the home fails, and never fetched by a page view."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp_jinja2
from aiohttp.test_utils import TestClient, TestServer

from node.appkeys import FETCH_CLIENT
from node.models import Proposal
from node.services.proposal_page import load_proposal_page
from node.services.remote_figures import refresh_figures
from tests.support.nodes import eventually
from tests.support.remote_home import hold_remote_proposal


async def stored(proposal_id: int) -> tuple[Any, Any]:
    proposal = await Proposal.get(id=proposal_id)
    return proposal.remote_figures, proposal.figures_fetched_at


async def test_figures_are_fetched_from_the_proposals_home_and_stored_with_their_time(
    client: TestClient, aiohttp_server: Callable[..., Awaitable[TestServer]]
) -> None:
    # Given B holds a proposal of A
    home, proposal_id, _ = await hold_remote_proposal(aiohttp_server)
    # When the worker's refresh runs
    assert await refresh_figures(client.app[FETCH_CLIENT], proposal_id)
    # Then A's own figures are stored, with the time they were fetched
    figures, fetched_at = await stored(proposal_id)
    assert fetched_at is not None
    assert figures["likes"] == 7 and figures["shares"] == 1 and figures["replies"] == 2
    assert figures["context"] == 12 and figures["acceptedAmendments"] == 1
    assert figures["endorsements"]["practitioner"] == 2 and figures["endorsements"]["public"] == 4
    assert figures["questions"] == [
        {"question": f"{home.base}/objects/q", "votersCount": 5, "closed": False,
         "options": [{"name": "Yes", "votes": 3}, {"name": "No", "votes": 2}]}
    ]  # fmt: skip


async def test_a_failing_home_keeps_the_old_figures_and_their_time(
    client: TestClient, aiohttp_server: Callable[..., Awaitable[TestServer]]
) -> None:
    # Given figures fetched once
    home, proposal_id, _ = await hold_remote_proposal(aiohttp_server)
    assert await refresh_figures(client.app[FETCH_CLIENT], proposal_id)
    before = await stored(proposal_id)
    # When A has more replies but fails every request
    home.replies, home.failing = 9, True
    asked = len(home.requests)
    assert not await refresh_figures(client.app[FETCH_CLIENT], proposal_id)
    # Then it was asked, and the old figures stand with their old time
    assert len(home.requests) > asked
    assert await stored(proposal_id) == before


async def test_looking_at_the_page_never_fetches_and_the_worker_refreshes_after(
    client: TestClient, aiohttp_server: Callable[..., Awaitable[TestServer]]
) -> None:
    # Given B holds A's proposal and has never fetched its figures
    home, proposal_id, uri = await hold_remote_proposal(aiohttp_server)
    # When a member of B reads the page's data
    page = await load_proposal_page(uri, None)
    # Then A heard nothing from the page view, nothing was written, no figures are pretended
    assert home.requests == []
    assert page.remote_figures is None
    assert await stored(proposal_id) == (None, None)
    # And the node's own worker, told in memory that people look at it, fetches them
    await eventually(lambda: stored(proposal_id), lambda found: found[1] is not None,
                     what="the worker fetched the figures", timeout=10)  # fmt: skip
    assert home.requests
    asked = len(home.requests)
    # And the next view shows them with A's host and their time, still asking A nothing
    page = await load_proposal_page(uri, None)
    assert len(home.requests) == asked
    figures = page.remote_figures
    assert figures is not None and figures.replies == 2 and figures.endorsement_total == 10
    html = aiohttp_jinja2.get_env(client.app).get_template("_remote_figures.html").render(page=page)
    host = home.base.removeprefix("http://")
    assert f"As {host} reported them at" in html
    assert f'datetime="{figures.fetched_at.isoformat()}"' in html
    assert "Practitioners: 2" in html
    # (each question's results are shown with the question: _questions.html)
    assert [(option.name, option.votes) for option in figures.questions[0].options][:1] == [
        ("Yes", 3)
    ]
