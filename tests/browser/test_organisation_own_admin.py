"""An organisation's own admin in a browser, in English and in Welsh, at 1280 and 375 px: bo, a
plain member of the node whose role in @tenants is admin, runs it from
/admin/organisations/tenants (its members' roles, its profile, its settings, a member's request
to join waiting there, the invitation form and the link it makes) through the forms, each answer
a flash message; the page and its refused form are free of axe-core violations and
never scroll sideways. Its profile offers bo, not cy (a plain member), the way to run it; and
cy, a member of two organisations, chooses on /proposals/new which one a proposal is published
for, and its page says so. As its admin bo moderates @tenants' threads: the site's navigation
takes bo to the moderators' queues, which show the report about a post in @tenants' thread and
not the one about a post in the node's own organisation's.

The words looked for are the catalogue's (`said`), so the Welsh pages are checked against the
Welsh translation once it holds them, and against the English until then."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from node.i18n import gettext_, in_language, ngettext_
from tests.browser.conftest import SCREENSHOTS, Site, add_member, sign_in
from tests.browser.test_accessibility import check_with_axe
from tests.browser.test_admin_tables import TABLES
from tests.browser.test_welsh_pages import WELSH, sign_in_in_welsh
from tests.support.nodes import post_outbox

pytestmark = pytest.mark.browser

WIDTHS = [1280, 375]
LANGUAGES = ["en", "cy"]
TENANTS = "/admin/organisations/tenants"


def said(language: str, message: str, **words: str) -> str:
    """`message` as the pages say it in `language`."""
    with in_language(language):
        return gettext_(message) % words if words else gettext_(message)


@pytest.fixture(scope="module")
def tenants(browser: Any, site: Site) -> Iterator[Site]:
    """@tenants, hosted with the command line, has bo, cy and dee as members; the node's admin
    (ada) makes bo its admin through its page."""
    add_member(site.node, "dee", name="Dee")
    site.node.cli("organisation", "add", "tenants", "--name", "Tenants' Union")
    for handle in ("bo", "cy", "dee"):
        site.node.cli("organisation", "join", "tenants", handle)
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, site, "ada")
    page.goto(site.url(TENANTS))
    page.get_by_label("Role of @bo").select_option("admin")
    page.get_by_role("button", name="Change the role of @bo").click()
    page.wait_for_url(site.url(TENANTS))
    assert "@bo is now an admin of @tenants." in page.inner_text("main")
    # its admins approve who joins: eve asks, with a message
    page.get_by_label("Who may join it", exact=True).select_option("approval")
    page.get_by_role("button", name="Save the settings").click()
    page.wait_for_url(site.url(TENANTS))
    page.context.close()
    add_member(site.node, "eve", name="Eve")
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, site, "eve")
    page.goto(site.url("/actors/tenants"))
    page.get_by_label("A message to its admins (optional)").fill("I rent a flat on Elm Street.")
    page.get_by_role("button", name="Ask to join @tenants").click()
    page.wait_for_url(site.url("/actors/tenants"))
    assert "Your request to join @tenants is waiting for its admins." in page.inner_text("main")
    page.context.close()
    yield site


@pytest.fixture(scope="module")
def pages(browser: Any, tenants: Site) -> Iterator[dict[tuple[str, str, int], Any]]:
    """A signed-in page per (member, language, width), for bo (its admin) and cy."""
    opened = {}
    for language in LANGUAGES:
        for width in WIDTHS:
            for who in ("bo", "cy"):
                context = browser.new_context(
                    viewport={"width": width, "height": 800},
                    locale=WELSH if language == "cy" else "en-GB",
                )
                page = context.new_page()
                if language == "cy":
                    sign_in_in_welsh(page, tenants, who)
                else:
                    sign_in(page, tenants, who)
                opened[(who, language, width)] = page
    yield opened
    for page in opened.values():
        page.context.close()


async def _tenants_thread(site: Site) -> str:
    """dee's proposal for @tenants and dee's comment on it; the comment's report path."""
    token, tenants = site.node.token("dee"), site.url("/actors/tenants")
    proposal = {"type": "Article", "name": "Fix the boilers", "summary": "Before winter."}
    _, created = await post_outbox(site.node, "dee", token, {**proposal, "audience": tenants})
    note = {"type": "Note", "content": "<p>Rude words</p>", "inReplyTo": created["object"]["id"]}
    _, comment = await post_outbox(site.node, "dee", token, note)
    return "/objects/" + comment["object"]["id"].rsplit("/", 1)[1] + "/report"


@pytest.fixture(scope="module")
def reported(browser: Any, tenants: Site) -> Iterator[Site]:
    """cy reports dee's comment in @tenants' thread, and ada's in the node's own
    organisation's (the seeded consultation's)."""
    with ThreadPoolExecutor(1) as thread:  # Playwright's sync API owns this thread's loop
        in_tenants = thread.submit(asyncio.run, _tenants_thread(tenants)).result()
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, tenants, "cy")
    for path, reason in ((in_tenants, "Rude to tenants"), (tenants.paths["report"], "Off topic")):
        page.goto(tenants.url(path))
        page.get_by_label("What is wrong?").fill(reason)
        page.get_by_role("button", name="Send report").click()
        page.wait_for_url(lambda url, path=path: path not in url)
    page.context.close()
    yield tenants


def fits(page: Any, width: int, what: str) -> None:
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll_width <= width, f"{what} scrolls sideways at {width}: {scroll_width}px"


def flash(page: Any) -> str:
    return " ".join(page.get_by_role("status").all_inner_texts())


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_its_page_is_accessible_and_fits(
    pages: dict[tuple[str, str, int], Any],
    tenants: Site,
    axe_source: str,
    language: str,
    width: int,
) -> None:
    page = pages[("bo", language, width)]
    response = page.goto(tenants.url(TENANTS))
    assert response is not None and response.status == 200
    assert page.get_attribute("html", "lang") == language
    assert page.title() == said(language, "Running @%(handle)s", handle="tenants")
    check_with_axe(page, axe_source, f"{TENANTS} as its admin in {language} at {width}")
    page.screenshot(
        path=str(SCREENSHOTS / f"organisation-own-admin-{language}-{width}.png"), full_page=True
    )
    fits(page, width, TENANTS)
    # its members, each with a labelled role select, in a labelled region a keyboard scrolls
    for handle in ("bo", "cy", "dee"):
        label = said(language, "Role of @%(member)s", member=handle)
        assert page.get_by_label(label, exact=True).count() == 1, label
    tables = page.evaluate(TABLES)  # its members, and its recent changes
    for table in tables:
        assert table["wrapped"] and table["role"] == "region" and table["tabindex"] == 0
        assert table["lastRight"] <= table["regionRight"] + 1 and table["lastLeft"] >= 0
    members = said(language, "Members of @%(handle)s", handle="tenants")
    assert members in [table["label"] for table in tables]
    # the profile's and the settings' forms
    assert page.get_by_label(said(language, "Name"), exact=True).input_value()
    for label in ("Who may reply to its proposals", "The language its proposals are written in"):
        assert page.get_by_label(said(language, label), exact=True).count() == 1, label
    # bo runs this organisation, not the node
    assert page.locator('main a[href="/admin/organisations"]').count() == 0
    assert page.locator('a[href="/admin"]').count() == 0


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_its_admin_changes_a_role_the_profile_and_the_settings(
    pages: dict[tuple[str, str, int], Any],
    tenants: Site,
    axe_source: str,
    language: str,
    width: int,
) -> None:
    page = pages[("bo", language, width)]
    page.goto(tenants.url(TENANTS))
    # When bo makes dee a moderator (or a member again) through the select and its button
    role = page.get_by_label(said(language, "Role of @%(member)s", member="dee"), exact=True)
    new_role = "member" if role.input_value() == "moderator" else "moderator"
    role.select_option(new_role)
    page.get_by_role(
        "button", name=said(language, "Change the role of @%(member)s", member="dee")
    ).click()
    page.wait_for_url(tenants.url(TENANTS))
    # Then the page says so, and shows it
    role_words = said(language, "a moderator" if new_role == "moderator" else "a member")
    assert flash(page) == said(
        language,
        "@%(member)s is now %(role)s of @%(handle)s.",
        member="dee",
        role=role_words,
        handle="tenants",
    )
    check_with_axe(page, axe_source, f"a role changed in {language} at {width}")
    fits(page, width, "the page after a role changed")
    row = page.locator("tbody tr", has=page.locator('a[href="/actors/dee"]'))
    assert row.locator("td").nth(1).inner_text().strip() == role_words
    assert role.input_value() == new_role

    # When bo renames the organisation
    name = f"Tenants' Union ({language}, {width} px)"
    page.get_by_label(said(language, "Name"), exact=True).fill(name)
    page.get_by_role("button", name=said(language, "Save the profile")).click()
    page.wait_for_url(tenants.url(TENANTS))
    assert flash(page) == said(language, "The profile of @%(handle)s is saved.", handle="tenants")
    assert page.get_by_label(said(language, "Name"), exact=True).input_value() == name

    # When bo sets who may reply to its proposals and their language
    replies = page.get_by_label(said(language, "Who may reply to its proposals"), exact=True)
    values = replies.locator("option").evaluate_all("options => options.map((o) => o.value)")
    choices = [value for value in values if value]  # not "as the node's settings say"
    chosen = choices[(LANGUAGES.index(language) * 2 + WIDTHS.index(width)) % len(choices)]
    replies.select_option(chosen)
    written_in = page.get_by_label(
        said(language, "The language its proposals are written in"), exact=True
    )
    written_in.select_option(language)
    page.get_by_role("button", name=said(language, "Save the settings")).click()
    page.wait_for_url(tenants.url(TENANTS))
    assert flash(page) == said(language, "The settings of @%(handle)s are saved.", handle="tenants")
    assert (replies.input_value(), written_in.input_value()) == (chosen, language)
    check_with_axe(page, axe_source, f"the settings saved in {language} at {width}")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refused_profile_shows_what_is_wrong_accessibly(
    pages: dict[tuple[str, str, int], Any],
    tenants: Site,
    axe_source: str,
    language: str,
    width: int,
) -> None:
    page = pages[("bo", language, width)]
    page.goto(tenants.url(TENANTS))
    name = page.get_by_label(said(language, "Name"), exact=True)
    before = name.input_value()
    name.fill("")
    with page.expect_response(tenants.url(f"{TENANTS}/profile")) as answer:
        page.get_by_role("button", name=said(language, "Save the profile")).click()
    assert answer.value.status == 422
    summary = page.get_by_role("alert")
    assert summary.get_by_role("heading").inner_text() == said(language, "There is a problem")
    assert name.get_attribute("aria-invalid") == "true"
    check_with_axe(page, axe_source, f"the refused profile in {language} at {width}")
    fits(page, width, "the refused profile")
    # its summary's link takes the keyboard to the field
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "name"
    page.goto(tenants.url(TENANTS))
    assert name.input_value() == before  # nothing was saved


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_its_profile_offers_its_admin_the_way_to_run_it_and_a_member_not(
    pages: dict[tuple[str, str, int], Any],
    tenants: Site,
    axe_source: str,
    language: str,
    width: int,
) -> None:
    run_it = said(language, "Run this organisation: its members, profile and settings")
    admin, member = pages[("bo", language, width)], pages[("cy", language, width)]
    admin.goto(tenants.url("/actors/tenants"))
    link = admin.get_by_role("link", name=run_it)
    assert link.get_attribute("href") == TENANTS
    check_with_axe(admin, axe_source, f"@tenants' profile for its admin in {language} at {width}")
    fits(admin, width, "@tenants' profile")
    member.goto(tenants.url("/actors/tenants"))
    assert member.get_by_role("heading", level=1).is_visible()
    assert member.get_by_role("link", name=run_it).count() == 0
    assert member.locator(f'a[href="{TENANTS}"]').count() == 0
    link.click()
    admin.wait_for_url(tenants.url(TENANTS))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_member_of_two_publishes_for_the_second(
    pages: dict[tuple[str, str, int], Any],
    tenants: Site,
    axe_source: str,
    language: str,
    width: int,
) -> None:
    page = pages[("cy", language, width)]
    page.goto(tenants.url("/proposals/new"))
    published_for = page.get_by_label(said(language, "Published for"), exact=True)
    options = published_for.locator("option")
    assert options.count() == 2  # the node's own organisation and @tenants
    second = options.nth(1)
    tenants_uri, tenants_name = second.get_attribute("value"), second.inner_text().strip()
    assert tenants_uri == tenants.url("/actors/tenants")
    check_with_axe(page, axe_source, f"a new proposal for two in {language} at {width}")
    fits(page, width, "/proposals/new")
    published_for.select_option(tenants_uri)
    title = f"Repair the lifts ({language}, {width} px)"
    # (the first of each: in Welsh, the fields for the proposal's other language are alike)
    page.get_by_label(said(language, "Title"), exact=True).first.fill(title)
    summary = page.get_by_label(said(language, "Summary in plain words"), exact=True).first
    summary.fill("Both lifts.")
    page.get_by_label(said(language, "Comments close on"), exact=True).fill("2099-06-30")
    page.get_by_role("button", name=said(language, "Publish"), exact=True).click()
    page.wait_for_url(re.compile(r"/objects/[^/]+$"))
    assert page.get_by_role("heading", level=1).inner_text() == title
    link = page.get_by_role("link", name=tenants_name, exact=True)
    said_for = page.locator("article p", has=link)
    assert (
        said_for.get_by_role("link").filter(has_text=tenants_name).get_attribute("href")
        == "/actors/tenants"
    )
    said_for = said_for.inner_text()
    assert f"{said(language, 'Published for')} {tenants_name}." in said_for
    check_with_axe(page, axe_source, f"the proposal for @tenants in {language} at {width}")
    fits(page, width, "the proposal for @tenants")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_its_admin_s_moderation_queues_show_its_threads_only(
    pages: dict[tuple[str, str, int], Any],
    reported: Site,
    axe_source: str,
    language: str,
    width: int,
) -> None:
    page = pages[("bo", language, width)]
    page.goto(reported.url("/"))
    # the site's navigation takes bo to the queues (the node's Admin is not bo's)
    page.get_by_role("navigation", name=said(language, "Main")).get_by_role(
        "link", name=said(language, "Moderation"), exact=True
    ).click()
    page.wait_for_url(reported.url("/admin/reports"))
    assert page.title() == said(language, "Reports")
    main = page.inner_text("main")
    assert "Rude to tenants" in main and "Off topic" not in main
    with in_language(language):
        waits = ngettext_(
            "%(num)d report waits for a moderator.", "%(num)d reports wait for a moderator.", 1
        )
    assert waits % {"num": 1} in page.get_by_role("status").all_inner_texts()  # @tenants' only
    # its administration links are the queues' alone, and blocking is not offered
    links = page.get_by_role("navigation", name=said(language, "Administration")).get_by_role(
        "link"
    )
    assert links.evaluate_all("links => links.map((a) => a.getAttribute('href'))") == [
        "/admin/reports",
        "/admin/held",
    ]
    assert page.locator('input[value="block"]').count() == 0
    check_with_axe(page, axe_source, f"@tenants' reports for its admin in {language} at {width}")
    page.screenshot(
        path=str(SCREENSHOTS / f"organisation-own-reports-{language}-{width}.png"), full_page=True
    )
    fits(page, width, "/admin/reports")
    links.nth(1).click()
    page.wait_for_url(reported.url("/admin/held"))
    assert page.get_by_role("heading", level=1).inner_text() == said(
        language, "Replies waiting for a moderator"
    )
    check_with_axe(
        page, axe_source, f"@tenants' held replies for its admin in {language} at {width}"
    )
    fits(page, width, "/admin/held")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_its_admin_sees_a_request_waiting_and_makes_an_invitation(
    pages: dict[tuple[str, str, int], Any],
    tenants: Site,
    axe_source: str,
    language: str,
    width: int,
) -> None:
    page = pages[("bo", language, width)]
    page.goto(tenants.url("/actors/tenants"))
    with in_language(language):
        waiting = ngettext_(
            "%(num)d request to join is waiting", "%(num)d requests to join are waiting", 1
        ) % {"num": 1}
    assert waiting in page.inner_text("main")  # its profile tells its admin
    page.goto(tenants.url(TENANTS))
    # eve's request, her message and the buttons that answer it, in a labelled region
    asking = said(language, "Members asking to join @%(handle)s", handle="tenants")
    tables = page.evaluate(TABLES)
    assert asking in [table["label"] for table in tables]
    row = page.locator("tbody tr", has=page.locator('a[href="/actors/eve"]'))
    assert "I rent a flat on Elm Street." in row.inner_text()
    for button in ("Approve @%(member)s", "Decline @%(member)s"):
        name = said(language, button, member="eve")
        assert row.get_by_role("button", name=name, exact=True).count() == 1, name
    # When bo makes an invitation link for two people, valid for a week
    page.get_by_label(said(language, "Valid for how many days"), exact=True).fill("7")
    page.get_by_label(said(language, "How many people can use it"), exact=True).fill("2")
    with page.expect_response(tenants.url(f"{TENANTS}/invites")) as answer:
        page.get_by_role("button", name=said(language, "Make an invitation link")).click()
    assert answer.value.status == 200
    # Then the link is shown once, and the invitation listed
    assert tenants.url("/join/") in flash(page)
    assert "0 / 2" in page.inner_text("main")
    check_with_axe(page, axe_source, f"an invitation made in {language} at {width}")
    fits(page, width, "the page with a new invitation")
    for table in page.evaluate(TABLES):
        assert table["wrapped"] and table["role"] == "region" and table["tabindex"] == 0
        assert table["lastRight"] <= table["regionRight"] + 1 and table["lastLeft"] >= 0
