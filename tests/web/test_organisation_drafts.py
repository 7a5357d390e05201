"""On an umbrella node no organisation's admin sees or touches another organisation's drafts or
proposals: a draft is its author's alone, and a published proposal is edited only by its
author and its own organisation's admins."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from node.models import Object
from node.services import organisations
from node.services.tokens import create_token
from tests.support.api import BASE, post
from tests.support.pages import member, page, submit
from tests.web.test_organisation_admins import food_bank_run_by_fay

CARERS = f"{BASE}/actors/carers"


async def carers_proposal(client: TestClient, **fields: str) -> str:
    """A proposal cara writes for the carers' centre: its path."""
    cara = await member("cara")
    await organisations.join(cara.id, "carers")
    article = {
        "type": "Article",
        "name": "Respite breaks",
        "summary": "A break for carers every month.",
        "audience": CARERS,
        **fields,
    }
    created = await post(client, "cara", await create_token("cara"), article)
    return str(created["object"]["id"]).removeprefix(BASE)


async def test_another_organisation_s_draft_is_not_there_for_its_admin(
    client: TestClient,
) -> None:
    await food_bank_run_by_fay(client)
    draft = await carers_proposal(client, proposalStatus="draft")
    await page(client, draft, status=404)
    await page(client, f"{draft}/edit", status=404)
    refused = await submit(
        client, f"{draft}/edit", {"name": "Taken over", "summary": "x"}, token_from="/"
    )
    assert refused.status == 404
    assert (await Object.get(uri=BASE + draft)).name == "Respite breaks"
    assert "Respite breaks" not in await page(client, "/actors/carers")


async def test_another_organisation_s_proposal_is_not_theirs_to_edit(client: TestClient) -> None:
    await food_bank_run_by_fay(client)
    published = await carers_proposal(client)
    assert "Respite breaks" in await page(client, published)  # public: they read it
    assert f'href="{published}/edit"' not in await page(client, published)
    await page(client, f"{published}/edit", status=403)
    refused = await submit(
        client, f"{published}/edit", {"name": "Taken over", "summary": "x"}, token_from="/"
    )
    assert refused.status == 403
    assert (await Object.get(uri=BASE + published)).name == "Respite breaks"
