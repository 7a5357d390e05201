"""Proposals in two languages as documents: the maps we send, and the maps others send us,
read and sanitised (bad maps left out, never an error)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

import schemas
from node.proposal_documents import ProposalMeta, ProposalText, to_article, translated_texts
from node.services.errors import ServiceError
from node.services.proposal_languages import stored_translation, submitted_translation
from node.translations import (
    MAX_RECEIVED_LANGUAGES,
    Translation,
    received_languages,
    received_map,
    said_in,
    shown_text,
)

META = ProposalMeta(
    uri="https://n.example/objects/p",
    url="https://n.example/objects/p",
    author="https://n.example/actors/amina",
    author_followers="https://n.example/actors/amina/followers",
    organisation="https://n.example/actors/org",
    context="https://n.example/contexts/p",
    status="open",
    version=1,
    published=datetime(2026, 12, 1, tzinfo=UTC),
)
WELSH = Translation("cy", "Agor y llyfrgell", "Mae teuluoedd eisiau", "Mae **penwythnosau**", {
    "problem": "Mae ar gau."
})  # fmt: skip
TEXT = ProposalText(
    "Open the library", "Families want it", "Weekends **matter**", {"problem": "It is shut."},
    language="en", translation=WELSH,
)  # fmt: skip


def test_the_article_carries_both_languages_in_its_maps() -> None:
    article = to_article(TEXT, META, "https://n.example")
    schemas.validate("article", article)
    assert article["nameMap"] == {"en": "Open the library", "cy": "Agor y llyfrgell"}
    assert article["summaryMap"] == {"en": "Families want it", "cy": "Mae teuluoedd eisiau"}
    assert article["contentMap"]["en"] == article["content"]
    assert "<strong>penwythnosau</strong>" in article["contentMap"]["cy"]
    assert "Mae ar gau." in article["contentMap"]["cy"]
    assert article["name"] == "Open the library"  # the first language stays the plain fields


def test_a_proposal_in_one_language_says_which_and_one_without_one_sends_no_maps() -> None:
    english = to_article(ProposalText("Title", "Summary", "Body", language="en"), META, "")
    assert english["contentMap"] == {"en": english["content"]}
    assert english["nameMap"] == {"en": "Title"}
    unsaid = to_article(ProposalText("Title", "Summary", "Body"), META, "")
    assert not {"contentMap", "nameMap", "summaryMap"} & set(unsaid)


def test_the_second_language_is_stored_to_be_edited_again() -> None:
    stored = translated_texts(TEXT, META)
    assert stored_translation("en", stored) == WELSH
    assert stored_translation("", stored) is None  # a row before two languages


MASTODON_NOTE = {
    "id": "https://social.example/statuses/1",
    "type": "Note",
    "content": "<p>Good idea</p>",
    "contentMap": {
        "en": "<p>Good idea</p>",
        "cy": '<p onclick="x()">Syniad da</p><script>alert(1)</script>',
    },
}


def test_received_maps_keep_the_first_language_apart_and_sanitise_the_others() -> None:
    language, translations = received_languages(MASTODON_NOTE)
    assert language == "en"
    assert translations == {"cy": {"name": "", "summary": "", "content": "<p>Syniad da</p>"}}


@pytest.mark.parametrize(
    "value",
    ["<p>a string</p>", ["en", "<p>x</p>"], 42, None, {"en": 1}, {"en": ["<p>x</p>"]}],
)
def test_a_map_that_is_not_an_object_of_strings_is_left_out(value: Any) -> None:
    assert received_map(value) == {}
    assert received_languages({"content": "<p>x</p>", "contentMap": value}) == ("", {})


def test_tags_that_are_not_language_tags_are_left_out_and_many_are_cut() -> None:
    huge = "a" * 100_000
    value = {huge: "<p>x</p>", "not a tag": "<p>y</p>", "<b>": "z", "cy-GB": "<p>Helo</p>"}
    assert received_map(value) == {"cy-gb": "<p>Helo</p>"}
    many = {f"l{chr(97 + n // 26)}{chr(97 + n % 26)}": "t" for n in range(100)}
    assert len(received_map(many)) == MAX_RECEIVED_LANGUAGES


class Post:
    name, summary, content = "", "", "<p>Good idea</p>"
    language, translations = received_languages(MASTODON_NOTE)


def test_a_reader_is_shown_their_language_when_the_post_has_it() -> None:
    assert shown_text(Post(), "cy").content == "<p>Syniad da</p>"
    assert shown_text(Post(), "cy").language == "cy"
    assert shown_text(Post(), "en").content == "<p>Good idea</p>"
    assert shown_text(Post(), "fr").language == "en"


SUBMITTED: dict[str, Any] = {
    "nameMap": {"cy": "Agor"},
    "summaryMap": {"cy": ""},
    "sourceMap": {"cy": "Testun"},
}


def test_a_submitted_second_language_is_read_and_an_empty_one_takes_it_away() -> None:
    assert submitted_translation(SUBMITTED, "en", None) == Translation("cy", "Agor", "", "Testun")
    emptied = {
        "nameMap": {"cy": ""},
        "summaryMap": {"cy": ""},
        "sourceMap": {"cy": ""},
        "sectionsMap": {"cy": {"problem": ""}},
    }
    assert submitted_translation(emptied, "en", WELSH) is None
    assert submitted_translation({"name": "Only the title"}, "en", WELSH) == WELSH  # kept
    retitled = submitted_translation({"nameMap": {"cy": "Newydd"}}, "en", WELSH)
    assert retitled == Translation("cy", "Newydd", WELSH.summary, WELSH.body, WELSH.sections)
    assert submitted_translation({}, "cy", WELSH) is None  # now first in Welsh: no second


@pytest.mark.parametrize(
    ("submitted", "says"),
    [
        ({"nameMap": "Agor"}, "nameMap must be an object"),
        ({"nameMap": {"cy": 3}}, "nameMap must be text"),
        ({"sectionsMap": {"cy": "x"}}, "sectionsMap must be {section: Markdown}"),
        ({**SUBMITTED, "nameMap": {"cy": "Agor", "fr": "Ouvrir"}}, "two languages"),
        ({"nameMap": {"fr": "Ouvrir"}, "sourceMap": {"fr": "x"}}, "'fr' of the maps"),
        ({"nameMap": {"cy": "Agor"}}, "needs its text too"),
        ({"sourceMap": {"cy": "Testun"}}, "needs its title too"),
        ({**SUBMITTED, "nameMap": {"cy": "A" * 201}}, "title in the second language"),
    ],
)
def test_a_bad_second_language_is_refused_with_the_reason(
    submitted: dict[str, Any], says: str
) -> None:
    with pytest.raises(ServiceError) as refused:
        submitted_translation(submitted, "en", None)
    assert refused.value.status == 400
    assert says in str(refused.value)


def test_a_post_sending_only_its_maps_is_read_in_its_first_language() -> None:
    only_maps: dict[str, Any] = {
        "contentMap": {"cy": "<p>Helo</p>", "en": "<p>Hello</p>"},
        "nameMap": {"cy": "Enw"},
    }
    language, translations = received_languages(only_maps)
    assert language == "cy" and set(translations) == {"en"}
    assert said_in(only_maps, "content", language) == "<p>Helo</p>"
    assert said_in(only_maps, "name", language) == "Enw"
    assert said_in(only_maps, "summary", language) is None
