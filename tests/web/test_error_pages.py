"""A missing page and a crash are pages of the site (its header, footer and language switcher,
in the page's language) that keep their status; a crash never shows its traceback; API and
federation clients still get their plain JSON errors."""

from __future__ import annotations

from aiohttp.test_utils import TestClient
from tortoise import connections

from tests.support.pages import page

AS2 = "application/activity+json"
WELSH = {"Cookie": "townhall_language=cy", "Accept": "text/html"}


def assert_site_page(html: str, language: str = "en") -> None:
    assert f'<html lang="{language}">' in html
    assert '<header class="site-header">' in html and '<nav aria-label="' in html
    assert 'href="/proposals"' in html and 'href="/sign-in"' in html  # the navigation
    assert 'class="languages"' in html and "<footer>" in html  # the switcher, the footer


async def break_table(table: str) -> None:
    """A realistic fault: a table the pages read is gone (a botched restore, say)."""
    await connections.get("default").execute_script(
        f'ALTER TABLE "{table}" RENAME TO "{table}_gone"'
    )


async def test_a_missing_page_is_a_page_of_the_site_in_its_language(client: TestClient) -> None:
    html = await page(client, "/nowhere/at/all", status=404)
    assert_site_page(html)
    assert "<h1>Page not found</h1>" in html and "There is no page at this address." in html
    assert "404: Not Found" not in html  # aiohttp's words give way to ours
    assert '<a href="/">Home page</a>' in html
    welsh = await client.get("/nowhere/at/all", headers=WELSH)
    assert welsh.status == 404
    welsh_html = await welsh.text()
    assert_site_page(welsh_html, "cy")
    assert "Neidio i\u2019r cynnwys" in welsh_html  # the header's words are Welsh too


async def test_a_handlers_reason_is_kept(client: TestClient) -> None:
    html = await page(client, "/actors/nobody", status=404)
    assert_site_page(html)
    assert "There is no one here by that name." in html


async def test_a_crash_is_a_page_of_the_site_without_its_traceback(client: TestClient) -> None:
    await page(client, "/")  # the site's settings are read (and cached) first
    await break_table("proposal")
    response = await client.get("/proposals", headers={"Accept": "text/html"})
    html = await response.text()
    assert response.status == 500
    assert_site_page(html)
    assert "Something went wrong on our side" in html and "Test Org" in html
    for leak in ("Traceback", "proposal_gone", "no such table", "does not exist", 'File "'):
        assert leak not in html, leak
    as_json = await client.get("/proposals", headers={"Accept": "application/json"})
    assert as_json.status == 500
    assert await as_json.json() == {"error": "Something went wrong on our side."}


async def test_with_the_database_broken_the_crash_page_still_has_the_site_around_it(
    client: TestClient,
) -> None:
    await break_table("node_setting")  # every page's context reads it first
    response = await client.get("/", headers=WELSH)
    html = await response.text()
    assert response.status == 500
    assert_site_page(html, "cy")
    assert "node_setting" not in html and "Traceback" not in html


async def test_federation_and_api_clients_get_plain_errors(client: TestClient) -> None:
    response = await client.get("/nowhere", headers={"Accept": AS2})
    assert response.status == 404 and "error" in await response.json()
    api = await client.get("/nowhere", headers={"Authorization": "Bearer nothing"})
    assert api.status == 404 and api.content_type == "application/json"
