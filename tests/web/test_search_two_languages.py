"""Search finds a proposal written in English and Welsh side by side by a word of either
language, in its title or its text, and follows the Welsh as it is edited: on the search page
and in the proposal list's word filter, which ask the one index (the suite runs on SQLite and
PostgreSQL)."""

from __future__ import annotations

import re

from aiohttp.test_utils import TestClient

from node.models import Object
from node.services import remote_objects
from node.services.remote_actors import save_actor
from tests.support.api import BASE
from tests.support.pages import page, submit
from tests.web.test_member_pages import NEW
from tests.web.test_search import SNIPPET, decide, found
from tests.web.test_two_languages import WELSH, publish_in_two_languages

# Welsh words the English text does not hold: one in the title, one in the (bold) text
IN_WELSH = {
    "other_title": "Agor y llyfrgell gyda'r nos",
    "other_body": "Bydd **gwirfoddolwyr** yn helpu pobl sy'n gweithio yn y dydd.",
}
ENGLISH_TITLE = NEW["title"]
LISTED = re.compile(r"<h2><a href=\"" + re.escape(BASE) + r"([^\"]+)\">")


async def test_a_welsh_word_in_the_title_or_the_text_finds_the_proposal(
    client: TestClient,
) -> None:
    # Given a proposal in English with its Welsh beside it
    await publish_in_two_languages(client, **IN_WELSH)
    # Then a word of the Welsh title finds it, as a title match, among the proposals
    assert found(await page(client, "/search?q=llyfrgell"))["proposals"] == [ENGLISH_TITLE]
    # and a word of the Welsh text finds it too, markup left out, the word marked
    html = await page(client, "/search?q=gwirfoddolwyr")
    assert found(html)["proposals"] == [ENGLISH_TITLE]
    [snippet] = SNIPPET.findall(html)
    assert "<mark>gwirfoddolwyr</mark> yn helpu" in snippet and "strong" not in snippet
    # and the English still finds it; a word in neither finds nothing
    assert found(await page(client, "/search?q=evening"))["proposals"] == [ENGLISH_TITLE]
    assert found(await page(client, "/search?q=caerdydd"))["proposals"] == []


async def test_a_decided_proposal_is_found_among_decisions_by_its_welsh_title(
    client: TestClient,
) -> None:
    where = await publish_in_two_languages(client, **IN_WELSH)
    await decide(f"{BASE}{where}", "We will open on Thursday evenings.")
    results = found(await page(client, "/search?q=llyfrgell+thursday"))
    assert results["decisions"] == [ENGLISH_TITLE]


async def test_editing_the_welsh_finds_the_new_words_not_the_old(client: TestClient) -> None:
    # Given a proposal in two languages, found by its Welsh words
    where = await publish_in_two_languages(client, **IN_WELSH)
    assert found(await page(client, "/search?q=gwirfoddolwyr"))["proposals"] == [ENGLISH_TITLE]
    # When its author rewrites the Welsh title and text, the English left as it was
    fields = {
        **NEW, **WELSH, "language": "en", "status": "open", "action": "save",
        "other_title": "Agor yr amgueddfa gyda'r nos",
        "other_body": "Bydd **cymdogion** yn helpu pobl sy'n gweithio yn y dydd.",
    }  # fmt: skip
    response = await submit(client, f"{where}/edit", fields)
    assert response.status == 303, await response.text()
    # Then the new words find it and the old ones do not
    for word in ("amgueddfa", "cymdogion"):
        assert found(await page(client, f"/search?q={word}"))["proposals"] == [ENGLISH_TITLE]
    for word in ("llyfrgell", "gwirfoddolwyr"):
        assert found(await page(client, f"/search?q={word}"))["proposals"] == []


async def test_a_write_of_the_translations_alone_is_indexed(client: TestClient) -> None:
    # Given a proposal in two languages
    where = await publish_in_two_languages(client, **IN_WELSH)
    row = await Object.get(uri=f"{BASE}{where}")
    # When only its other languages' texts are written (no other column)
    welsh = {**row.translations["cy"], "name": "Agor y pwll nofio", "content": "<p>Nofio</p>"}
    await Object.filter(id=row.id).update(translations={"cy": welsh})
    # Then search reads them: the new words find it, the old ones do not
    assert found(await page(client, "/search?q=pwll+nofio"))["proposals"] == [ENGLISH_TITLE]
    assert found(await page(client, "/search?q=llyfrgell"))["proposals"] == []
    assert found(await page(client, "/search?q=gwirfoddolwyr"))["proposals"] == []


async def test_a_comment_from_elsewhere_in_two_languages_is_found_by_its_welsh(
    client: TestClient,
) -> None:
    where = await publish_in_two_languages(client, **IN_WELSH)
    actor = await save_actor(
        {"id": "https://social.example/users/dai", "type": "Person", "preferredUsername": "dai",
         "inbox": "https://social.example/users/dai/inbox"}
    )  # fmt: skip
    await remote_objects.store_object(
        {"id": "https://social.example/statuses/1", "type": "Note", "attributedTo": actor.uri,
         "inReplyTo": f"{BASE}{where}", "content": "<p>Good idea</p>",
         "contentMap": {"en": "<p>Good idea</p>", "cy": "<p>Syniad <b>ardderchog</b></p>"},
         "to": ["https://www.w3.org/ns/activitystreams#Public"]},
        actor,
    )  # fmt: skip
    # its snippet: the first language's text, then the Welsh, markup left out
    comments = found(await page(client, "/search?q=ardderchog"))["comments"]
    assert comments == ["Good idea Syniad ardderchog"]


async def test_the_proposal_list_finds_a_proposal_by_a_welsh_word_once(
    client: TestClient,
) -> None:
    # Given a proposal in English with its Welsh beside it, and one in English only
    where = await publish_in_two_languages(client, **IN_WELSH)
    other = await submit(
        client, "/proposals/new", {**NEW, "title": "Library books", "action": "publish"}
    )
    assert other.status == 303, await other.text()
    # Then a word of its Welsh title, or of its Welsh text, lists it alone, once
    for words in ("llyfrgell", "gwirfoddolwyr", "llyfrgell+evening"):
        listed = await page(client, f"/proposals?q={words}")
        assert LISTED.findall(listed) == [where], words
        assert "1 proposal found" in listed
    # and a word in both its summaries, and in the other proposal's, lists each of them once
    both = await page(client, "/proposals?q=8pm")
    assert sorted(LISTED.findall(both)) == sorted([where, other.headers["Location"]])
    assert "2 proposals found" in both
    assert LISTED.findall(await page(client, "/proposals?q=caerdydd")) == []
