"""With JavaScript off: the 404 and 500 pages keep the site around them and their status, the
setup page says every problem at once, and a version diff shows formatted sections; each is
axe-clean at 1280 and 375 px."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, Site
from tests.browser.test_accessibility import check_with_axe
from tests.support.databases import fresh_database_url
from tests.support.nodes import execute_sql, post_outbox, running_node
from tests.support.processes import NodeProcess, cli_env

pytestmark = pytest.mark.browser

WIDTHS = (1280, 375)
CODE_LINE = re.compile(r"Setup code: ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})\b")


def pages(browser: Any, width: int) -> tuple[Any, Any]:
    """A page with JavaScript off (what a person uses) and one with it on (where axe runs)."""
    viewport = {"width": width, "height": 900}
    no_script = browser.new_context(java_script_enabled=False, viewport=viewport).new_page()
    return no_script, browser.new_context(viewport=viewport).new_page()


def assert_site_around(page: Any) -> None:
    assert (
        page.get_by_role("navigation", name="Main")
        .get_by_role("link", name="Proposals")
        .is_visible()
    )
    assert page.get_by_role("navigation", name="Language").is_visible()
    assert page.locator("footer").is_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_missing_page(browser: Any, site: Site, axe_source: str, width: int) -> None:
    for page in pages(browser, width):
        response = page.goto(site.url("/no/such/page"))
        assert response is not None and response.status == 404
        assert page.get_by_role("heading", level=1, name="Page not found").is_visible()
        assert_site_around(page)
    check_with_axe(page, axe_source, f"404 page at {width}")
    page.screenshot(path=str(SCREENSHOTS / f"not-found-{width}.png"), full_page=True)


@pytest.fixture(scope="module")
def broken_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A node whose proposal table has gone (as after a botched restore)."""
    with running_node(tmp_path_factory.mktemp("broken")) as node:
        with ThreadPoolExecutor(1) as thread:
            broken = "ALTER TABLE proposal RENAME TO proposal_gone"
            thread.submit(asyncio.run, execute_sql(node, broken)).result()
        yield node


@pytest.mark.parametrize("width", WIDTHS)
def test_a_crash(browser: Any, broken_node: Any, axe_source: str, width: int) -> None:
    for page in pages(browser, width):
        response = page.goto(broken_node.base + "/proposals")
        assert response is not None and response.status == 500
        assert page.get_by_role("heading", level=1, name="Something went wrong").is_visible()
        assert_site_around(page)
        text = page.content()
        assert "Traceback" not in text and "proposal_gone" not in text
    check_with_axe(page, axe_source, f"500 page at {width}")
    page.screenshot(path=str(SCREENSHOTS / f"crash-{width}.png"), full_page=True)


@contextmanager
def node_on_an_empty_data_dir(folder: Path) -> Iterator[NodeProcess]:
    """A node started on an empty data dir: it serves the setup page."""
    with fresh_database_url(folder) as database_url:
        env = {} if database_url.startswith("sqlite") else {"TOWNHALL_DATABASE_URL": database_url}
        process = NodeProcess(folder / "data", env=cli_env(env)).start()
        try:
            yield process
        finally:
            process.kill()


@pytest.fixture(scope="module")
def setup_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NodeProcess]:
    """One setup page for the tests that leave it unfinished."""
    with node_on_an_empty_data_dir(tmp_path_factory.mktemp("setup")) as process:
        yield process


def fill_setup_badly(page: Any, base: str) -> None:
    page.goto(base + "/")
    page.get_by_label("Setup code").fill("WRONG-CODE")
    page.get_by_label("Organisation name").fill("Hope Trust")
    page.get_by_label("Organisation handle").fill("Hope Trust")
    page.get_by_label("Public address").fill("talk.example.org/consult")
    page.get_by_label("Your handle (the first admin)").fill("hope_admin")
    page.get_by_label("Your password").fill("short")
    page.get_by_role("button", name="Set up the node").click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_setup_page_with_errors(
    browser: Any, setup_node: NodeProcess, axe_source: str, width: int
) -> None:
    for page in pages(browser, width):
        fill_setup_badly(page, setup_node.base)
        summary = page.locator(".error-summary")
        assert summary.get_by_role("heading", name="There is a problem").is_visible()
        for field in ("code", "handle", "url", "admin_password"):
            assert summary.locator(f'a[href="#{field}"]').is_visible(), field
        assert page.get_by_label("Organisation name").input_value() == "Hope Trust"
        assert page.get_by_label("Public address").input_value() == "talk.example.org/consult"
        assert page.get_by_label("Your password").input_value() == ""
        assert page.get_by_text("It cannot be changed later").is_visible()
    check_with_axe(page, axe_source, f"setup page with errors at {width}")
    page.screenshot(path=str(SCREENSHOTS / f"setup-errors-{width}.png"), full_page=True)


@pytest.fixture
def fresh_setup_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NodeProcess]:
    """A node of its own on an empty data dir, for a set-up that succeeds."""
    with node_on_an_empty_data_dir(tmp_path_factory.mktemp("fresh-setup")) as process:
        yield process


@pytest.mark.parametrize("width", WIDTHS)
def test_setting_up_leaves_the_admin_signed_in(
    browser: Any, fresh_setup_node: NodeProcess, axe_source: str, width: int
) -> None:
    # Given the setup page of a new node, and the code its console printed
    _, line = fresh_setup_node.wait_for_line(CODE_LINE.search)
    found = CODE_LINE.search(line)
    assert found is not None
    base = fresh_setup_node.base
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(base + "/")
    # When the admin fills it in rightly
    page.get_by_label("Setup code").fill(found.group(1))
    page.get_by_label("Organisation name").fill("Hope Trust")
    page.get_by_label("Organisation handle").fill("hope")
    page.get_by_label("Public address").fill(base)
    page.get_by_label("Your handle (the first admin)").fill("hope_admin")
    page.get_by_label("Your password").fill("a long admin password")
    page.get_by_role("button", name="Set up the node").click()
    page.wait_for_load_state("load")
    # Then the node is ready and they are signed in to it as its admin
    assert page.get_by_role("heading", level=1, name="Your node is ready").is_visible()
    check_with_axe(page, axe_source, f"setup done at {width}")
    fresh_setup_node.wait_for_line(lambda text: '"node.listening"' in text, stream="stderr")
    fresh_setup_node.wait_until_up()
    page.get_by_role("link", name="Continue to your node's administration").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert "/admin" in page.url and "sign-in" not in page.url
    check_with_axe(page, axe_source, f"the new node's admin page at {width}")


@pytest.fixture(scope="module")
def diff_path(site: Site) -> str:
    """A proposal of the site edited in its text and a section: its diff page's path."""

    async def edit() -> str:
        token = site.node.token("ada")
        article = {
            "type": "Article",
            "name": "Longer opening on Thursdays",
            "summary": "Open later one day a week.",
            "source": "We propose **late** opening.",
            "sections": {"problem": "Working people miss out."},
            "closesAt": "2099-03-31T23:59:59Z",
        }
        _, created = await post_outbox(site.node, "ada", token, article)
        uri = created["object"]["id"]
        update = {
            "id": uri,
            "type": "Article",
            "source": "We propose **late** opening *until 8pm*.",
            "sections": {"problem": "Working people and carers miss out."},
        }
        status, _ = await post_outbox(site.node, "ada", token, {"type": "Update", "object": update})
        assert status < 300
        return f"/objects/{uri.rsplit('/', 1)[1]}/versions?from=1&to=2"

    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, edit()).result()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_version_diff(
    browser: Any, site: Site, diff_path: str, axe_source: str, width: int
) -> None:
    for page in pages(browser, width):
        response = page.goto(site.url(diff_path))
        assert response is not None and response.status == 200
        text = page.locator("main")
        assert "**" not in text.inner_text()
        assert text.locator("strong", has_text="late").first.is_visible()
        assert text.locator("ins", has_text="until 8pm").first.is_visible()
        assert text.locator("ins", has_text="[added]").first.count() == 1
        problem = page.locator("section", has=page.get_by_role("heading", name="The problem"))
        assert problem.locator("ins", has_text="and carers").is_visible()
    check_with_axe(page, axe_source, f"version diff at {width}")
    page.screenshot(path=str(SCREENSHOTS / f"version-diff-{width}.png"), full_page=True)
