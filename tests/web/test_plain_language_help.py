"""Plain-language help: an author previewing a proposal learns how easy each part is to read,
which sentences are too long, and what to aim for; the advice never stops them publishing."""

from __future__ import annotations

import re
from typing import Any

from aiohttp.test_utils import TestClient

from node.models import Object
from tests.support.pages import member, page, sign_in_as, submit

LONG = (
    "This proposal, which has been developed over many months in close partnership with "
    "service users, carers, practitioners and the wider community across the whole county, "
    "aims to change how we work."
)
FORM = {
    "title": "Longer library hours",
    "summary": LONG,
    "body": "Families who work on weekdays cannot use the library. We want it open on **Sundays**.",
    "problem": "",
    "evidence": "The cat sat on the mat.",
    "proposed_change": "",
    "who_is_affected": "",
    "tags": "libraries",
    "closes_on": "2099-01-31",
}


def row_of(html: str, part: str) -> list[str]:
    """The cells of a part's row in the reading-age table: its reading age, its long sentences."""
    found = re.search(rf'<tr><th scope="row">{part}</th>(.*?)</tr>', html, re.S)
    assert found, f"no row for {part}"
    cells = re.findall(r"<td>(.*?)</td>", found.group(1), re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


async def preview(client: TestClient, path: str = "/proposals/new", **changes: Any) -> str:
    response = await submit(client, path, {**FORM, **changes, "action": "preview"})
    html = await response.text()
    assert response.status == 200, html[:2000]
    return html


async def test_the_preview_gives_each_parts_reading_age_and_the_aim(client: TestClient) -> None:
    await member("alice")
    await sign_in_as(client, "alice")
    html = await preview(client)
    assert "How easy is it to read?" in html
    assert "a reading age of about 9 to 11" in html
    assert row_of(html, "Summary") == ["over 18: above the aim", "1"]
    assert row_of(html, "The proposal")[0].endswith(": within the aim")
    assert row_of(html, "Evidence") == ["5: within the aim", "0"]  # The cat sat on the mat.
    assert row_of(html, "Title")
    # a part left empty is not measured
    assert '<th scope="row">The problem</th>' not in html


async def test_the_preview_quotes_each_sentence_over_25_words(client: TestClient) -> None:
    await member("alice")
    await sign_in_as(client, "alice")
    html = await preview(client)
    assert f"<blockquote><p>{LONG}</p></blockquote>" in html
    assert "31 words" in html
    short = await preview(client, summary="Open the library on Sundays. Families want it.")
    assert "<blockquote>" not in short
    assert "No sentence is over 25 words." in short


async def test_markdown_is_measured_as_words_not_markup(client: TestClient) -> None:
    await member("alice")
    await sign_in_as(client, "alice")
    link = "https://example.org/an/extraordinarily/long/path/with/many/words/in/it"
    marked = await preview(client, body=f"See **the** [survey of families]({link}).")
    plain = await preview(client, body="See the survey of families.")
    assert row_of(marked, "The proposal") == row_of(plain, "The proposal")
    assert row_of(plain, "The proposal") == ["10: within the aim", "0"]


async def test_the_advice_never_stops_a_hard_to_read_proposal_being_published(
    client: TestClient,
) -> None:
    await member("alice")
    await sign_in_as(client, "alice")
    response = await submit(client, "/proposals/new", {**FORM, "action": "publish"})
    assert response.status == 303, await response.text()
    assert await Object.filter(type="Article", summary__contains="close partnership").exists()


async def test_editing_a_proposal_previews_the_same_advice(client: TestClient) -> None:
    await member("alice")
    await sign_in_as(client, "alice")
    response = await submit(client, "/proposals/new", {**FORM, "action": "draft"})
    assert response.status == 303
    edit = f"{response.headers['Location']}/edit"
    html = await preview(client, edit, status="draft")
    assert "How easy is it to read?" in html and LONG in html
    assert row_of(html, "Summary")[0] == "over 18: above the aim"


async def test_a_refused_form_gives_its_errors_not_reading_advice(client: TestClient) -> None:
    await member("alice")
    await sign_in_as(client, "alice")
    response = await submit(client, "/proposals/new", {**FORM, "title": "", "action": "preview"})
    assert response.status == 400
    html = await response.text()
    assert "Give the proposal a title." in html and "How easy is it to read?" not in html
    assert "How easy is it to read?" not in await page(client, "/proposals/new")
