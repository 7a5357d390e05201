"""A proposal in English and Welsh from the form (JavaScript off): each reader sees their
language with the other a link away, visitors' cached pages kept apart per language, and the
AS2 document carries both; remote posts' contentMap shown the same way."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from node.models import Object
from node.services import remote_objects
from node.services.remote_actors import save_actor
from tests.support.api import AS2, BASE
from tests.support.pages import member, page, sign_in_as, submit
from tests.web.test_member_pages import NEW
from tests.web.test_remote_proposals import article, remote

WELSH = {
    "language": "en",
    "other_title": "Agor gyda'r nos",
    "other_summary": "Agor y ganolfan tan 8pm ar ddydd Iau.",
    "other_body": "Ni all pobl sy'n gweithio **yn y dydd** ddod.",
    "other_problem": "Mae pobl sy'n gweithio yn colli allan.",
}
WELSH_BROWSER = {"Accept": "text/html", "Accept-Language": "cy-GB,cy;q=0.9"}


async def publish_in_two_languages(client: TestClient, **changes: str) -> str:
    await member("amina")
    await sign_in_as(client, "amina")
    fields = {**NEW, **WELSH, **changes, "action": "publish"}
    response = await submit(client, "/proposals/new", fields, token_from="/proposals/new")
    assert response.status == 303, await response.text()
    return str(response.headers["Location"])


async def visitor_page(client: TestClient, path: str, headers: dict[str, str]) -> str:
    response = await client.get(path, headers=headers, allow_redirects=False)
    assert response.status == 200
    return await response.text()


async def test_each_reader_sees_their_language_with_the_other_a_link_away(
    client: TestClient,
) -> None:
    where = await publish_in_two_languages(client)
    await submit(client, "/sign-out", {}, token_from="/")
    english = await visitor_page(client, where, {"Accept": "text/html"})
    assert "Evening opening</h1>" in english and "Agor gyda&#39;r nos" not in english
    assert 'href="?lang=cy" hreflang="cy" lang="cy"' in english and "Darllen yn Gymraeg" in english
    welsh = await visitor_page(client, where, WELSH_BROWSER)
    assert "Agor gyda&#39;r nos</h1>" in welsh and "<strong>yn y dydd</strong>" in welsh
    assert "Evening opening</h1>" not in welsh and "Read in English" in welsh
    # the link: Welsh for an English page, the page itself still in English
    linked = await visitor_page(client, f"{where}?lang=cy", {"Accept": "text/html"})
    assert "Agor gyda&#39;r nos</h1>" in linked and 'lang="cy">Agor' in linked
    # the cached English page is still English after the Welsh ones were cached
    again = await visitor_page(client, where, {"Accept": "text/html"})
    assert "Evening opening</h1>" in again


async def test_the_document_carries_both_languages_and_the_edit_form_reads_them_back(
    client: TestClient,
) -> None:
    where = await publish_in_two_languages(client)
    response = await client.get(where, headers={"Accept": AS2})
    document: dict[str, Any] = await response.json(content_type=None)
    assert document["nameMap"] == {"en": "Evening opening", "cy": "Agor gyda'r nos"}
    assert set(document["contentMap"]) == set(document["summaryMap"]) == {"en", "cy"}
    edit = await page(client, f"{where}/edit")
    assert "Agor gyda&#39;r nos" in edit and "Ni all pobl sy&#39;n gweithio" in edit
    assert '<label for="other_title" lang="cy">Teitl</label>' in edit  # labelled in Welsh
    # taking the Welsh away: the next version is in English only
    fields = {**NEW, **{name: "" for name in WELSH}, "language": "en", "status": "open"}
    response = await submit(client, f"{where}/edit", {**fields, "action": "save"})
    assert response.status == 303, await response.text()
    row = await Object.get(uri=f"{BASE}{where}")
    assert (row.language, row.translations) == ("en", {})
    assert set(row.document["contentMap"]) == {"en"}


async def test_a_title_without_its_text_is_refused_and_nothing_is_published(
    client: TestClient,
) -> None:
    await member("amina")
    await sign_in_as(client, "amina")
    fields = {**NEW, **WELSH, "other_body": "", "other_problem": "", "action": "publish"}
    response = await submit(client, "/proposals/new", fields)
    assert response.status == 400
    assert "Write the proposal in the other language too" in await response.text()
    assert not await Object.filter(type="Article").exists()


async def test_a_remote_proposal_and_comment_are_shown_in_the_readers_language(
    client: TestClient,
) -> None:
    author = await remote("https://far.example/users/erin")
    proposal = {
        **article("https://far.example/p/1", author, "https://far.example/groups/g"),
        "contentMap": {"en": "<p>Close it.</p>", "cy": "<p>Caewch hi.</p><script>x</script>"},
        "nameMap": {"en": "Close the library", "cy": "Cau'r llyfrgell", "x" * 5000: "huge"},
    }
    stored = await remote_objects.store_object(proposal, author)
    assert stored.row is not None
    comment_author = await save_actor(
        {"id": "https://social.example/users/dai", "type": "Person", "preferredUsername": "dai",
         "inbox": "https://social.example/users/dai/inbox"}
    )  # fmt: skip
    await remote_objects.store_object(
        {"id": "https://social.example/statuses/1", "type": "Note",
         "attributedTo": comment_author.uri, "inReplyTo": proposal["id"],
         "context": proposal.get("context", ""), "content": "<p>Good idea</p>",
         "contentMap": {"en": "<p>Good idea</p>", "cy": "<p>Syniad da</p>"},
         "to": ["https://www.w3.org/ns/activitystreams#Public"]},
        comment_author,
    )  # fmt: skip
    path = f"/remote/objects/{stored.row.id}"
    welsh = await visitor_page(client, path, WELSH_BROWSER)
    assert "Cau&#39;r llyfrgell</h1>" in welsh and "<p>Caewch hi.</p>" in welsh
    assert "<script>x" not in welsh and "Syniad da" in welsh
    english = await visitor_page(client, path, {"Accept": "text/html"})
    assert "Close the library</h1>" in english and "Good idea" in english
    assert "Darllen yn Gymraeg" in english
