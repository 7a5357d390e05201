"""A proposal's languages as an author submits them: the language it is written in first, and
optionally the same proposal in the other (English and Welsh here, node.translations).

A client sends the first language as `language` and the second as language maps keyed by its
tag: `nameMap`, `summaryMap`, and the body as `sourceMap` (Markdown) or `contentMap` (HTML,
read back into Markdown and sections like `content`), with `sectionsMap` for named sections.
Entries under the first language's tag are the first language's own fields and are ignored.
A second language needs both its title and its text; sending the maps with nothing in them
takes the second language away.
"""

from __future__ import annotations

from html import unescape
from typing import Any

from node.i18n import N_
from node.limits import MAX_BODY, MAX_SUMMARY, MAX_TITLE, check_length
from node.sanitize import plain_text
from node.sections import section_sources, split_html, submitted_sections
from node.services.errors import ServiceError
from node.translations import PROPOSAL_LANGUAGES, Translation

SECOND_LANGUAGE_FIELDS = {  # what a length refusal names
    "title": N_("title in the second language"),
    "summary": N_("summary in the second language"),
    "proposal": N_("proposal in the second language"),
}
SUBMITTED_MAPS = ("nameMap", "summaryMap", "sourceMap", "contentMap", "sectionsMap")


def submitted_language(submitted: dict[str, Any], current: str) -> str:
    """The language the proposal is written in first: as submitted, else as it was."""
    if "language" not in submitted:
        return current
    language = submitted["language"]
    if language not in PROPOSAL_LANGUAGES:
        choices = ", ".join(PROPOSAL_LANGUAGES)
        raise ServiceError(
            N_("language %(language)r is not one of %(choices)s"),
            language=str(language)[:40],
            choices=choices,
        )
    return str(language)


def submitted_translation(
    submitted: dict[str, Any], language: str, current: Translation | None
) -> Translation | None:
    """The proposal in its second language, as submitted on top of `current` (a map left out
    keeps what it held; no map at all keeps the second language as it was)."""
    if current is not None and current.language == language:
        current = None  # the first language is now the one the second was in
    if not any(key in submitted for key in SUBMITTED_MAPS):
        return current
    maps = {key: _map(key, submitted[key]) for key in SUBMITTED_MAPS if key in submitted}
    others = {tag for values in maps.values() for tag in values} - {language}
    if current is not None and not others:
        others = {current.language}  # maps that emptied it
    if not others:
        return None
    if len(others) > 1 or not language:
        raise ServiceError(N_("a proposal may be written in two languages: English and Welsh"))
    other = others.pop()
    if other not in PROPOSAL_LANGUAGES:
        choices = ", ".join(PROPOSAL_LANGUAGES)
        raise ServiceError(
            N_("language %(language)r of the maps is not one of %(choices)s"),
            language=other[:40],
            choices=choices,
        )
    base = current if current is not None and current.language == other else None
    return _translation(other, maps, base)


def _map(key: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or not all(isinstance(tag, str) for tag in value):
        raise ServiceError(N_("%(key)s must be an object keyed by language (en, cy)"), key=key)
    wanted = dict if key == "sectionsMap" else str
    if not all(isinstance(text, wanted) for text in value.values()):
        if key == "sectionsMap":
            raise ServiceError(
                N_("each language's value in %(key)s must be {section: Markdown}"), key=key
            )
        raise ServiceError(N_("each language's value in %(key)s must be text"), key=key)
    return dict(value)


def _translation(
    language: str, maps: dict[str, dict[str, Any]], base: Translation | None
) -> Translation | None:
    def given(key: str, kept: str) -> str:
        return str(maps[key].get(language, "")) if key in maps else kept

    title = plain_text(given("nameMap", base.title if base else "")).strip()
    summary = plain_text(given("summaryMap", base.summary if base else "")).strip()
    body = base.body if base else ""
    sections = dict(base.sections) if base else {}
    if "sourceMap" in maps:
        body = str(maps["sourceMap"].get(language, ""))
    elif "contentMap" in maps:
        body, sections = split_html(str(maps["contentMap"].get(language, "")))
    sections.update(submitted_sections(maps.get("sectionsMap", {}).get(language, {})))
    sections = {name: text for name, text in sections.items() if text.strip()}
    if not title and not body.strip() and not sections and not summary:
        return None
    if not title:
        raise ServiceError(
            N_("the proposal in %(language)s needs its title too (nameMap)"), language=language
        )
    if not body.strip() and not sections:
        raise ServiceError(
            N_("the proposal in %(language)s needs its text too (sourceMap)"), language=language
        )
    check_length(SECOND_LANGUAGE_FIELDS["title"], title, MAX_TITLE)
    check_length(SECOND_LANGUAGE_FIELDS["summary"], summary, MAX_SUMMARY)
    check_length(SECOND_LANGUAGE_FIELDS["proposal"], body + "".join(sections.values()), MAX_BODY)
    return Translation(language, title, summary, body, sections)


def stored_translation(language: str, translations: Any) -> Translation | None:
    """The second language of a local proposal, from its object's stored translations."""
    if not language or not isinstance(translations, dict):
        return None
    for tag, texts in translations.items():
        if tag != language and isinstance(texts, dict):
            return Translation(
                tag,
                str(texts.get("name", "")),
                unescape(str(texts.get("summary", ""))),
                str(texts.get("source", "")),
                section_sources(texts.get("sections")),
            )
    return None
