"""What the stylesheet promises beyond axe-core: a focus ring a keyboard user sees (a 3px
outline, not a change of colour alone), and a print of a page without its menus and forms,
each link's address written after it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Site, sign_in

pytestmark = pytest.mark.browser

FOCUSED = """() => {
  const style = getComputedStyle(document.activeElement);
  return {tag: document.activeElement.tagName, outline: style.outlineStyle,
          width: parseFloat(style.outlineWidth)};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_keyboard_focus_shows_a_ring(browser: Any, site: Site, scheme: str) -> None:
    page = browser.new_context(viewport={"width": 375, "height": 800}, color_scheme=scheme)
    page = page.new_page()
    page.goto(site.url(site.paths["proposal"]))
    for _ in range(3):  # the skip link, the organisation's name, the first menu link
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["outline"] == "solid" and focused["width"] >= 3, focused
    page.context.close()


def test_a_printed_page_leaves_out_menus_and_forms_and_writes_out_links(
    browser: Any, site: Site
) -> None:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, site, "bo")
    page.goto(site.url(site.paths["proposal"]))
    assert page.locator("main form").count() > 0, "the page has no form to leave out"
    page.emulate_media(media="print")
    assert not page.get_by_role("navigation", name="Main").is_visible()
    assert all(not form.is_visible() for form in page.locator("form").all())
    report = page.locator("main a[href$='/report']").first
    written = report.evaluate("(link) => getComputedStyle(link, '::after').content")
    assert site.paths["what_we_heard"] in written
    page.context.close()
