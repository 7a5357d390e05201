"""Browser tests: Debian's Chromium driven by Playwright, a real node process, axe-core.

Chromium comes from Debian (`apt-get install chromium`); axe-core from the npm registry
(`npm ci --prefix tests/browser`); `make test` installs both. Without them these tests fail,
saying which is missing: never a silent skip.
"""

from __future__ import annotations

import asyncio
import os
import re
import tomllib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from node.services.unsubscribe import unsubscribe_token
from tests.support.nodes import RunningNode, execute_sql, fetch_value, post_outbox, running_node
from tests.support.pages import PASSWORD

CHROMIUM = Path(os.environ.get("TOWNHALL_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"


def _missing(reason: str) -> None:
    pytest.fail(f"the browser tests cannot run: {reason} (`make test` installs what they need)")


@pytest.fixture(scope="session")
def axe_source() -> str:
    """The axe-core script, to inject into pages under test."""
    if not AXE.is_file():
        _missing(f"{AXE} is missing: run `npm ci --prefix tests/browser`")
    return AXE.read_text()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium per test process."""
    if not CHROMIUM.is_file():
        _missing(f"no Chromium at {CHROMIUM}: install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield chromium
        chromium.close()


@dataclass
class Site:
    """A node seeded with members and a consultation, and the paths of its pages."""

    node: RunningNode
    paths: dict[str, str] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.node.base + path


def add_member(node: RunningNode, handle: str, role: str = "member", name: str = "") -> None:
    """A member who signs in with PASSWORD."""
    node.cli(
        "user", "add", handle, "--role", role, "--name", name or handle.title(),
        "--password-stdin", stdin=PASSWORD,
    )  # fmt: skip


async def _seed(node: RunningNode, site: Site) -> None:
    token = node.token("ada")
    # ada lets search find her posts (a member's are left out until they say yes)
    await execute_sql(
        node,
        "UPDATE account SET indexable = TRUE"
        " WHERE actor_id IN (SELECT id FROM actor WHERE handle = 'ada' AND is_local)",
    )
    proposal = {
        "type": "Article",
        "name": "Open the advice centre on Saturdays",
        "summary": "People who work weekdays cannot reach us.",
        "source": "We propose **Saturday mornings**, 9 to 1.",
        "sections": {
            "problem": "Working people miss out on advice.",
            "evidence": "40 of 120 people asked said weekdays are impossible.",
            "proposed_change": "Open 9:00 to 13:00 on Saturdays.",
            "who_is_affected": "Clients, volunteers and staff.",
        },
        "tag": ["advice", "access"],
        "closesAt": "2099-03-31T23:59:59Z",
    }
    _, created = await post_outbox(node, "ada", token, proposal)
    article = created["object"]
    note = {"type": "Note", "content": "<p>Yes please, I work weekdays.</p>"}
    _, comment = await post_outbox(node, "ada", token, {**note, "inReplyTo": article["id"]})
    warned = {
        "type": "Note",
        "content": "<p>Weekend shifts were hard on me after the assault.</p>",
        "summary": "assault",
        "sensitive": True,
        "inReplyTo": comment["object"]["id"],
    }
    await post_outbox(node, "ada", token, warned)  # folded behind its content warning
    options = [{"type": "Note", "name": "Yes"}, {"type": "Note", "name": "No"}]
    question = {"type": "Question", "name": "Should we try it for 3 months?"}
    await post_outbox(
        node, "ada", token, {**question, "inReplyTo": article["id"], "oneOf": options}
    )
    bo = node.token("bo")
    amendment = {
        "type": "Note",
        "inReplyTo": article["id"],
        "content": "Carers too.",
        "amendment": {"section": "problem", "suggestedText": "Working people and carers miss out."},
    }
    await post_outbox(node, "bo", bo, amendment)
    update = {
        "id": article["id"],
        "type": "Article",
        "summary": "Many cannot reach us on weekdays.",
    }
    await post_outbox(node, "ada", token, {"type": "Update", "object": update})
    edited = {
        **note,
        "id": comment["object"]["id"],
        "content": "<p>Yes please: I work weekdays.</p>",
    }
    await post_outbox(node, "ada", token, {"type": "Update", "object": edited})  # a history
    key = article["id"].rsplit("/", 1)[1]
    async with aiohttp.ClientSession() as session, session.get(article["id"]) as response:
        found = re.search(r'href="(/proposals/\d+/report)"', await response.text())
    assert found, "the proposal page links to no report"
    note_key = comment["object"]["id"].rsplit("/", 1)[1]
    bo_account = await fetch_value(
        node, "SELECT id FROM account WHERE actor_id = (SELECT id FROM actor WHERE handle = 'bo')"
    )
    config = tomllib.loads((node.process.data_dir / "townhall.toml").read_text())
    unsubscribe = unsubscribe_token(config["node"]["secret_key"], int(bo_account), "weekly")
    site.paths.update(
        unsubscribe=f"/mail/unsubscribe/{unsubscribe}",
        proposal=f"/objects/{key}",
        versions=f"/objects/{key}/versions?from=1&to=2",
        note=f"/objects/{note_key}",
        edit=f"/objects/{key}/edit",
        amend=f"/objects/{key}/amend",
        new_question=f"/objects/{key}/questions/new",
        reply=f"/objects/{key}/reply?to={comment['object']['id']}",
        report=f"/objects/{note_key}/report",
        what_we_heard=found.group(1),
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A running node with an admin (ada), members (bo, cy) and a moderator (mo)."""
    with seeded_site(tmp_path_factory.mktemp("site")) as site:
        yield site


@contextmanager
def seeded_site(folder: Path) -> Iterator[Site]:
    """The `site` fixture's node, seeded, in `folder` (tools/screenshots.py uses it too)."""
    with running_node(folder) as node:
        add_member(node, "ada", "admin", "Ada (advice centre)")
        add_member(node, "bo", name="Bo")
        add_member(node, "cy", name="Cy")
        add_member(node, "mo", "moderator", "Mo")
        site = Site(node)
        with ThreadPoolExecutor(1) as thread:  # Playwright's sync API owns this thread's loop
            thread.submit(asyncio.run, _seed(node, site)).result()
        yield site


def sign_in(page: Any, site: Site, handle: str) -> None:
    """Sign in through the form, as a person would."""
    page.goto(site.url("/sign-in"))
    page.get_by_label("Handle").fill(handle)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)
