"""Plain-language help in a real browser with JavaScript off: the compose preview gives each
part's reading age, quotes a long sentence, and still lets the author publish."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, Site, sign_in
from tests.browser.test_accessibility import check_with_axe
from tests.browser.test_journey import no_script_page

pytestmark = pytest.mark.browser

LONG = (
    "This proposal, which has been developed over many months in close partnership with "
    "service users, carers, practitioners and the wider community across the whole county, "
    "aims to change how we work."
)


def preview_a_hard_proposal(page: Any, site: Site) -> None:
    """Sign in as cy and preview a proposal whose summary is one 31-word sentence."""
    sign_in(page, site, "cy")
    page.goto(site.url("/proposals/new"))
    page.get_by_label("Title").fill("Longer hours at the library")
    page.get_by_label("Summary in plain words").fill(LONG)
    page.get_by_label("Comments close on").fill("2099-01-31")
    page.get_by_label("The proposal", exact=True).fill(
        "Families who work on weekdays cannot use the library. We want it open on **Sundays**."
    )
    page.get_by_role("button", name="Preview").click()


def test_the_preview_gives_reading_ages_and_quotes_a_long_sentence_but_never_blocks(
    browser: Any, site: Site
) -> None:
    author = no_script_page(browser)
    preview_a_hard_proposal(author, site)
    assert author.get_by_role("heading", name="How easy is it to read?").is_visible()
    assert author.get_by_text("a reading age of about 9 to 11").is_visible()
    table = author.get_by_role("table", name="Reading age of each part")
    summary = table.get_by_role("row", name=re.compile(r"^Summary"))
    assert "above the aim" in summary.inner_text()
    body = table.get_by_role("row", name=re.compile(r"^The proposal"))
    assert "within the aim" in body.inner_text()
    assert table.get_by_role("row", name=re.compile(r"^Title")).is_visible()
    quoted = author.locator("blockquote", has_text="developed over many months")
    assert quoted.inner_text().strip() == LONG
    assert author.get_by_text("31 words").is_visible()
    assert author.evaluate("document.documentElement.scrollWidth") <= 375
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    author.screenshot(path=str(SCREENSHOTS / "compose-readability-375.png"), full_page=True)

    author.get_by_role("button", name="Publish").click()  # advice only: publishing goes ahead
    assert author.get_by_role("heading", name="Longer hours at the library").is_visible()
    assert author.get_by_text("Your proposal is published.").is_visible()
    author.context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_the_preview_with_its_reading_advice_is_accessible(
    browser: Any, site: Site, axe_source: str, width: int
) -> None:
    # axe-core runs as a script: this page has JavaScript on, the story above has it off
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    preview_a_hard_proposal(page, site)
    assert page.get_by_role("heading", name="Long sentences").is_visible()
    check_with_axe(page, axe_source, f"the compose preview at {width}px")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
