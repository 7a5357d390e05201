"""The proposal page and "what we heard" with a computed opinion map: axe-core finds no
violation at 1280 and 375 px (and dark at 375), and the page fits a phone."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, add_member
from tests.browser.test_accessibility import VIEWS, check_with_axe
from tests.support.nodes import RunningNode, running_node
from tests.support.opinion_votes import map_computed, voted_proposal_on

pytestmark = pytest.mark.browser

QUICK = {"TOWNHALL_OPINION_DEBOUNCE_SECONDS": "0", "TOWNHALL_OPINION_POLL_SECONDS": "0.2"}


async def _seed(node: RunningNode) -> str:
    path = await voted_proposal_on(node, "ada")
    await map_computed(node)
    return path


@pytest.fixture(scope="module")
def mapped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningNode, str]]:
    """A running node with a proposal whose opinion map has been computed; its page's path."""
    folder: Path = tmp_path_factory.mktemp("opinion")
    with running_node(folder, extra_env=QUICK) as node:
        add_member(node, "ada", "admin", "Ada (advice centre)")
        with ThreadPoolExecutor(1) as thread:  # Playwright's sync API owns this thread's loop
            path = thread.submit(asyncio.run, _seed(node)).result()
        yield node, path


@pytest.mark.parametrize("view", VIEWS)
def test_the_opinion_map_is_accessible_on_the_proposal_page_and_in_the_report(
    browser: Any, mapped: tuple[RunningNode, str], axe_source: str, view: str
) -> None:
    node, path = mapped
    width, scheme = VIEWS[view]
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    try:
        page = context.new_page()
        response = page.goto(node.base + path)
        assert response is not None and response.status == 200
        assert page.locator("svg.opinion-chart path").count() == 30
        found = re.search(r'href="(/proposals/\d+/report)"', page.content())
        assert found
        for name, url in (("proposal", path), ("what-we-heard", found.group(1))):
            page.goto(node.base + url)
            heading = page.get_by_role("heading", name="Opinion groups")
            assert heading.count() == 1, name
            check_with_axe(page, axe_source, f"opinion map on the {name} page at {view}")
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, f"{name} is {scroll_width}px wide at {width}px"
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(
                path=str(SCREENSHOTS / f"opinion-map-{name}-{view}.png"), full_page=True
            )
    finally:
        context.close()
