"""Which language a page speaks: the browser's Accept-Language, outranked by the switcher's
cookie, outranked by a signed-in member's own choice (saved in their settings or by the
switcher); the site's language when none of them names one with a catalogue. Mail to a member
goes in their language."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_string, policy
from email.message import EmailMessage

from aiohttp.test_utils import TestClient

from node.models import Account, OutgoingMail
from node.page_generation import page_generation
from node.services.settings import change_setting
from tests.support.pages import member, sign_in_as, submit

WELSH_BROWSER = {"Accept": "text/html", "Accept-Language": "cy-GB,cy;q=0.9,en-GB;q=0.5"}
ENGLISH_BROWSER = {"Accept": "text/html", "Accept-Language": "en-GB,en;q=0.9"}


async def html(client: TestClient, path: str, headers: dict[str, str]) -> str:
    response = await client.get(path, headers=headers, allow_redirects=False)
    assert response.status == 200, (response.status, (await response.text())[:500])
    return await response.text()


async def test_a_browser_that_asks_for_welsh_gets_welsh_pages(client: TestClient) -> None:
    # When a Welsh browser opens the sign-in page
    welsh = await html(client, "/sign-in", WELSH_BROWSER)
    # Then it is in Welsh, and says so, with a way to English in the footer
    assert '<html lang="cy">' in welsh
    assert "<h1>Mewngofnodi</h1>" in welsh and "Neidio i\u2019r cynnwys" in welsh
    assert '<a href="/language/en?next=/sign-in" lang="en" hreflang="en">English</a>' in welsh
    assert '<span lang="cy" aria-current="true">Cymraeg</span>' in welsh
    # And an English browser gets English, with the way to Welsh
    english = await html(client, "/sign-in", ENGLISH_BROWSER)
    assert '<html lang="en">' in english and "<h1>Sign in</h1>" in english
    assert '<a href="/language/cy?next=/sign-in" lang="cy" hreflang="cy">Cymraeg</a>' in english


async def test_a_browser_asking_for_no_language_here_gets_the_sites(client: TestClient) -> None:
    # Given a site whose admins chose Welsh
    await change_setting("language", "cy")
    # Then a browser asking for French (or nothing) reads Welsh; one asking for English, English
    french = {"Accept": "text/html", "Accept-Language": "fr-FR,fr;q=0.9"}
    assert '<html lang="cy">' in await html(client, "/sign-in", french)
    assert '<html lang="cy">' in await html(client, "/sign-in", {"Accept": "text/html"})
    assert '<html lang="en">' in await html(client, "/sign-in", ENGLISH_BROWSER)
    # And a range the browser refuses (q=0) is not chosen
    refused = {"Accept": "text/html", "Accept-Language": "en;q=0, cy;q=0.1"}
    assert '<html lang="cy">' in await html(client, "/sign-in", refused)


async def test_the_switcher_sets_a_cookie_that_outranks_the_browser_and_writes_nothing(
    client: TestClient,
) -> None:
    before = await page_generation()
    # When an English browser follows the footer's link to Welsh
    switched = await client.get(
        "/language/cy?next=/proposals%3Fpage%3D1", headers=ENGLISH_BROWSER, allow_redirects=False
    )
    # Then it goes back where it was, with a cookie, and its pages are Welsh from then on
    assert switched.status == 303 and switched.headers["Location"] == "/proposals?page=1"
    assert switched.cookies["townhall_language"].value == "cy"
    assert switched.cookies["townhall_language"]["httponly"]
    assert '<html lang="cy">' in await html(client, "/proposals", ENGLISH_BROWSER)
    # And back to English the same way
    await client.get("/language/en?next=/", headers=ENGLISH_BROWSER, allow_redirects=False)
    assert '<html lang="en">' in await html(client, "/proposals", WELSH_BROWSER)
    # And nothing was written here
    assert (await page_generation()).number == before.number


async def test_the_switcher_refuses_an_unknown_language_and_another_sites_address(
    client: TestClient,
) -> None:
    unknown = await client.get("/language/xx?next=/", allow_redirects=False)
    assert unknown.status == 404
    assert "townhall_language" not in unknown.cookies
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        away = await client.get(f"/language/cy?next={target}", allow_redirects=False)
        assert away.status == 303 and away.headers["Location"] == "/", target


async def test_visitors_pages_are_cached_apart_for_each_language(client: TestClient) -> None:
    # The home page is a cached visitor's page: each language gets its own copy
    for _ in range(2):
        welsh = await client.get("/", headers=WELSH_BROWSER)
        english = await client.get("/", headers=ENGLISH_BROWSER)
        assert '<html lang="cy">' in await welsh.text()
        assert '<html lang="en">' in await english.text()
    assert "Accept-Language" in welsh.headers["Vary"]
    assert welsh.headers["ETag"] != english.headers["ETag"]
    # And a browser carrying the switcher's cookie is still served from the cache, in its language
    await client.get("/language/cy?next=/", allow_redirects=False)
    cached = await client.get("/", headers=ENGLISH_BROWSER)
    assert cached.headers["ETag"] == welsh.headers["ETag"]
    assert cached.headers["Cache-Control"].startswith("public")


async def test_a_members_own_language_outranks_the_cookie_and_the_browser(
    client: TestClient,
) -> None:
    # Given alice, signed in from an English browser whose cookie also says English
    account = await member("alice")
    await sign_in_as(client, "alice")
    await client.get("/language/en?next=/", allow_redirects=False)
    # When she chooses Welsh in her settings
    saved = await submit(client, "/settings/language", {"language": "cy"})
    assert saved.status == 303 and saved.headers["Location"] == "/settings/language"
    assert (await Account.get(id=account.id)).language == "cy"
    # Then her pages are Welsh whatever the browser and the cookie say, with the message too
    settings = await html(client, "/settings/language", ENGLISH_BROWSER)
    assert '<html lang="cy">' in settings and "Mae eich iaith wedi\u2019i chadw." in settings
    assert '<option value="cy" selected>Cymraeg</option>' in settings
    # And choosing "the one your browser asks for" gives the choice back to the browser
    reset = await submit(client, "/settings/language", {"language": ""})
    assert reset.status == 303 and "townhall_language" in reset.cookies  # forgotten
    assert (await Account.get(id=account.id)).language == ""
    assert '<html lang="cy">' in await html(client, "/settings/profile", WELSH_BROWSER)
    assert '<html lang="en">' in await html(client, "/settings/profile", ENGLISH_BROWSER)


async def test_a_members_switcher_saves_their_choice_and_goes_back(client: TestClient) -> None:
    account = await member("alice")
    await sign_in_as(client, "alice")
    # The footer of a member's page posts the switch, with the page to come back to
    page_html = await html(client, "/proposals", ENGLISH_BROWSER)
    assert 'action="/settings/language"' in page_html
    assert '<input type="hidden" name="next" value="/proposals">' in page_html
    switched = await submit(
        client, "/settings/language", {"language": "cy", "next": "/proposals"}, token_from="/"
    )
    assert switched.status == 303 and switched.headers["Location"] == "/proposals"
    assert (await Account.get(id=account.id)).language == "cy"
    assert '<html lang="cy">' in await html(client, "/proposals", ENGLISH_BROWSER)


async def test_an_unknown_language_in_the_settings_is_refused_and_nothing_saved(
    client: TestClient,
) -> None:
    account = await member("alice")
    await sign_in_as(client, "alice")
    refused = await submit(client, "/settings/language", {"language": "xx"})
    assert refused.status == 400
    text = await refused.text()
    assert "Choose a language from the list." in text and 'aria-invalid="true"' in text
    assert (await Account.get(id=account.id)).language == ""
    visitor = await client.post("/settings/language", data={"language": "cy"})
    assert visitor.status == 403  # no form token: no write


async def test_mail_to_a_member_goes_in_their_language_else_the_pages(
    client: TestClient,
) -> None:
    # Given gwen, who chose Welsh, and ed, who did not, on an English site
    for handle, language in (("gwen", "cy"), ("ed", "")):
        account = await member(handle)
        await Account.filter(id=account.id).update(
            email=f"{handle}@example.org", email_verified_at=datetime.now(UTC), language=language
        )
    # When both forget their password
    for handle in ("gwen", "ed"):
        asked = await submit(client, "/forgot-password", {"address": f"{handle}@example.org"})
        assert asked.status == 303
    # Then gwen's mail is Welsh and says so; ed's is English
    gwen, ed = [await mail_to(f"{handle}@example.org") for handle in ("gwen", "ed")]
    assert gwen["Content-Language"] == "cy" and ed["Content-Language"] == "en"
    assert str(gwen["Subject"]).startswith("Dewiswch gyfrinair newydd ar gyfer")
    assert "Gofynnodd rhywun (chi, gobeithio)" in text_of(gwen)
    assert str(ed["Subject"]).startswith("Choose a new password for")
    # And ed, asking again from a browser switched to Welsh, gets the next one in Welsh
    await client.get("/language/cy?next=/", allow_redirects=False)
    asked = await submit(client, "/forgot-password", {"address": "ed@example.org"})
    assert asked.status == 303
    rows = await OutgoingMail.filter(recipient="ed@example.org").order_by("id")
    again = message_from_string(rows[-1].message, policy=policy.default)
    assert again["Content-Language"] == "cy"
    assert str(again["Subject"]).startswith("Dewiswch gyfrinair newydd ar gyfer")


async def mail_to(address: str) -> EmailMessage:
    (row,) = await OutgoingMail.filter(recipient=address).values_list("message", flat=True)
    message = message_from_string(str(row), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())
