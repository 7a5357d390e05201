"""Consultation questions in a real browser with JavaScript off: the author adds one from the
proposal's page (a refused form first), a member answers it, sees the results it allows, and
changes their answer; axe-core (which needs script: a second, signed-in page) finds nothing on
the way."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS, Site, sign_in
from tests.browser.test_accessibility import check_with_axe
from tests.browser.test_journey import no_script_page

pytestmark = pytest.mark.browser


def axe_page(browser: Any, site: Site, handle: str) -> Any:
    """A page with script on, signed in as `handle`, where axe-core runs."""
    page = browser.new_context(viewport={"width": 375, "height": 800}).new_page()
    sign_in(page, site, handle)
    return page


def test_an_author_adds_a_question_and_a_member_answers_it(
    browser: Any, site: Site, axe_source: str
) -> None:
    proposal_url = site.url(site.paths["proposal"])
    author = no_script_page(browser)
    sign_in(author, site, "ada")
    author.goto(proposal_url)
    author.get_by_role("link", name="Add a question").click()
    checker = axe_page(browser, site, "ada")
    checker.goto(author.url)
    check_with_axe(checker, axe_source, "the question form")
    author.get_by_label("Question", exact=True).fill("Which Saturday hours suit you?")
    author.get_by_label("One or more answers").check()
    author.get_by_label("Answers to choose from").fill("Only one")
    author.get_by_role("button", name="Publish the question").click()
    # refused: the reason on the page, tied to the field, and the text kept
    assert author.get_by_role("heading", name="There is a problem").is_visible()
    assert author.locator("#options-error", has_text="not 1").is_visible()
    assert author.get_by_label("Question", exact=True).input_value() == (
        "Which Saturday hours suit you?"
    )
    checker.get_by_label("Question", exact=True).fill("Which Saturday hours suit you?")
    checker.get_by_label("Answers to choose from").fill("Only one")
    checker.get_by_role("button", name="Publish the question").click()
    checker.locator("#options-error").wait_for()
    check_with_axe(checker, axe_source, "the question form with an error")
    author.get_by_label("Answers to choose from").fill("9 to 11\n11 to 1\nAfternoons")
    author.get_by_label("Once they have answered").check()
    author.get_by_role("button", name="Publish the question").click()
    assert author.get_by_text("Your question is published.").is_visible()
    assert author.get_by_text("Which Saturday hours suit you?").is_visible()

    member = no_script_page(browser)
    sign_in(member, site, "cy")
    member.goto(proposal_url)
    question = member.locator(".panel", has_text="Which Saturday hours suit you?")
    assert question.get_by_text("You see the results once you have answered.").is_visible()
    question.get_by_label("9 to 11").check()
    question.get_by_label("Afternoons").check()
    question.get_by_role("button", name="Answer").click()
    assert member.get_by_text("Thank you: your answer is counted.").is_visible()
    question = member.locator(".panel", has_text="Which Saturday hours suit you?")
    assert question.get_by_text("Your answer: 9 to 11, Afternoons").is_visible()
    assert question.get_by_text("50% (1)").first.is_visible()  # results, now they answered
    assert question.get_by_role("table", name="Answers by kind of respondent").is_visible()
    checker = axe_page(browser, site, "cy")
    checker.goto(proposal_url)
    check_with_axe(checker, axe_source, "the proposal with a question answered")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    member.screenshot(path=str(SCREENSHOTS / "question-answered-375.png"), full_page=True)
    # they change their mind before the close
    question.get_by_role("checkbox", name="Afternoons").uncheck()
    question.get_by_role("button", name="Change my answer").click()
    question = member.locator(".panel", has_text="Which Saturday hours suit you?")
    assert question.get_by_text("Your answer: 9 to 11").is_visible()
    assert question.get_by_text("100% (1)").is_visible()

    visitor = no_script_page(browser)
    visitor.goto(proposal_url)
    question = visitor.locator(".panel", has_text="Which Saturday hours suit you?")
    assert question.get_by_text("1 person answered.").is_visible()
    assert question.get_by_text("100% (1)").count() == 0
