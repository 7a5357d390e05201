"""Each state an amendment can be in has its own words, on the proposal's page too."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from node.i18n import use_language
from node.models import Amendment
from node.models.amendments import AmendmentState
from node.services.amendment_words import amendment_state_words
from tests.support.pages import page, sign_in_as, submit
from tests.web.test_member_pages import published_by_amina_read_by_bo

WORDS = {
    AmendmentState.PENDING: "Waiting for an answer",
    AmendmentState.ACCEPTED: "Accepted",
    AmendmentState.DECLINED: "Declined",
}


def test_every_state_has_its_own_words() -> None:
    use_language("en")
    assert {state: amendment_state_words(state) for state in AmendmentState} == WORDS


async def suggest(client: TestClient, where: str, text: str) -> Amendment:
    response = await submit(
        client,
        f"{where}/amendments",
        {"section": "problem", "text": text},
        token_from=f"{where}/amend",
    )
    assert response.status == 303
    return await Amendment.get(suggested_text=text)


def badge_of(html: str, text: str) -> str:
    card = html.split(f"<blockquote>{text}</blockquote>")[0].rsplit("<li>", 1)[1]
    return card.split('<span class="badge">')[1].split("</span>")[0]


async def test_the_proposal_page_says_each_amendments_state(client: TestClient) -> None:
    where = await published_by_amina_read_by_bo(client)
    declined = await suggest(client, where, "Carers miss out.")
    accepted = await suggest(client, where, "Working people and carers miss out.")
    await suggest(client, where, "Nobody minds.")
    await submit(client, "/sign-out", {}, token_from="/")
    await sign_in_as(client, "amina")
    refusal = await submit(
        client,
        f"/amendments/{declined.id}/answer",
        {"decision": "reject", "reason": "Another proposal covers carers."},
    )
    assert refusal.status == 303
    assert (
        await submit(client, f"/amendments/{accepted.id}/answer", {"decision": "accept"})
    ).status == 303
    html = await page(client, where)
    assert badge_of(html, "Carers miss out.") == "Declined"
    assert badge_of(html, "Working people and carers miss out.") == "Accepted"
    assert badge_of(html, "Nobody minds.") == "Waiting for an answer"
