"""A version diff shows the text as the proposal's page formats it, section by section, with
what was added and removed marked in words for screen readers, never raw Markdown."""

from __future__ import annotations

import re

from aiohttp.test_utils import TestClient

from node.html_diff import html_diff
from node.i18n import use_language
from tests.support.pages import member, page, sign_in_as, submit
from tests.web.test_member_pages import NEW, publish


def test_the_newer_markup_is_kept_and_each_change_says_what_it_is() -> None:
    use_language("en")
    marked = html_diff(
        "<p>Open <em>late</em> on Thursdays.</p>", "<p>Open <strong>late</strong> on Fridays.</p>"
    )
    assert marked.count("<p>") == 1 and "<em>" not in marked  # the old markup is gone
    assert '<ins><span class="visually-hidden">[added] </span>Fridays.</ins>' in marked
    assert '<del><span class="visually-hidden">[removed] </span>Thursdays.</del>' in marked
    assert "<strong>late</strong>" in marked


def section(diff: str, heading: str) -> str:
    found = re.search(rf">{heading}</h2>(.*?)</section>", diff, re.S)
    assert found, heading
    return found.group(1)


async def test_the_diff_page_shows_each_section_formatted(client: TestClient) -> None:
    await member("amina")
    await sign_in_as(client, "amina")
    where = await publish(
        client, body="People who work **days** cannot come.", problem="Working people miss out."
    )
    changed = {
        **NEW,
        "body": "People who work **days** or *nights* cannot come.",
        "problem": "Working people and carers miss out.",
        "evidence": "A survey of 120 people.",
        "status": "open",
        "action": "save",
    }
    assert (await submit(client, f"{where}/edit", changed)).status == 303
    diff = await page(client, f"{where}/versions?from=1&to=2")
    assert "**" not in diff  # no raw Markdown
    text = section(diff, "Text")
    assert "<strong>days</strong>" in text and "<p>" in text
    assert (
        "[added] </span>or </ins><em><ins>" in text and "[added] </span>nights</ins></em>" in text
    )
    problem = section(diff, "The problem")
    assert "[added] </span> and carers</ins> miss out.</p>" in problem
    evidence = section(diff, "Evidence")  # a section that was empty before
    assert "[added] </span>A survey of 120 people.</ins>" in evidence
    assert "No change." in section(diff, "Title")
