"""The proposal page and "what we heard" show the opinion map the worker computed: a scatter
drawn on the server whose groups differ by shape, said in words and in tables."""

from __future__ import annotations

import re
from datetime import timedelta

from aiohttp.test_utils import TestClient

from node.models import OpinionMap, Proposal, Statement, StatementState
from node.workers.opinion_map import recompute_due_maps
from tests.support.api import post
from tests.support.opinion_votes import AGREED_BY_ALL, two_camps
from tests.support.pages import page
from tests.web.test_consultation_report import local_member
from tests.web.test_polls import PROPOSAL

NOW = timedelta(0)


async def published(client: TestClient) -> tuple[int, str]:
    """A local proposal: its id and its page's path."""
    token = await local_member("lead")
    article = (await post(client, "lead", token, PROPOSAL))["object"]
    proposal = await Proposal.get(object__uri=article["id"])
    return proposal.id, "/objects/" + article["id"].rsplit("/", 1)[1]


async def test_a_computed_map_shows_its_groups_in_a_picture_words_and_tables(
    client: TestClient,
) -> None:
    proposal_id, path = await published(client)
    assert "Opinion groups" not in await page(client, path)  # no statements voted on: no map
    await two_camps(proposal_id)
    assert await recompute_due_maps(NOW) == 1

    html = await page(client, path)
    section = html[html.index('aria-labelledby="opinion-map-heading"') :]
    section = section[: section.index("</section>")]
    assert "People who voted fall into 2 opinion groups." in section
    assert "Group A has 6 people (shown as circles)" in section
    assert "Group B has 6 people (shown as squares)" in section
    assert 'role="img" aria-labelledby="opinion-map-title opinion-map-summary"' in section
    marks = re.findall(r'<path class="opinion-group-(\d)" d="M', section)
    assert sorted(marks).count("0") == 7 and sorted(marks).count("1") == 7  # 6 + the legend's
    assert "Votes counted: 96, from 12 people. Drawn at" in section and "<time datetime=" in section
    consensus = section[section.index('id="opinion-consensus-caption"') :]
    assert f'<th scope="row">{AGREED_BY_ALL}</th><td>100%</td><td>100%</td>' in consensus
    group_a = section[section.index('id="opinion-group-0-caption"') :]
    group_a = group_a[: group_a.index("</table>")]
    assert "mostly agrees" in group_a and "mostly disagrees" in group_a
    assert "Statement number" in group_a and AGREED_BY_ALL not in group_a

    report = await page(client, f"/proposals/{proposal_id}/report")
    assert "People who voted fall into 2 opinion groups." in report
    assert report.count('class="opinion-group-0"') == 7


async def test_a_map_with_too_few_votes_says_so(client: TestClient) -> None:
    proposal_id, path = await published(client)
    await two_camps(proposal_id, people=4, statements=8)
    assert await recompute_due_maps(NOW) == 1
    html = await page(client, path)
    assert "Not enough votes yet for opinion groups." in html
    assert "opinion-chart" not in html


async def test_a_map_not_yet_computed_says_it_is_on_its_way(client: TestClient) -> None:
    proposal_id, path = await published(client)
    await two_camps(proposal_id)
    html = await page(client, path)
    assert "The opinion map is being drawn from the first votes" in html
    assert "opinion-chart" not in html
    assert (await OpinionMap.get(proposal_id=proposal_id)).result is None  # the page wrote nothing


async def test_a_statement_rejected_after_the_map_was_drawn_is_not_shown(
    client: TestClient,
) -> None:
    proposal_id, path = await published(client)
    await two_camps(proposal_id)
    assert await recompute_due_maps(NOW) == 1
    await Statement.filter(proposal_id=proposal_id, text=AGREED_BY_ALL).update(
        state=StatementState.REJECTED
    )
    html = await page(client, path)
    assert "Opinion groups" in html and AGREED_BY_ALL not in html
    assert "No statement has the agreement of every group yet." in html
