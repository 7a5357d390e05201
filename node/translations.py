"""Texts in more than one language: a proposal written in English and Welsh side by side, and
remote posts whose `contentMap`, `nameMap` and `summaryMap` hold several languages.

An object's `name`, `summary` and `content` columns hold its first language (`Object.language`,
"" when unsaid); `Object.translations` holds the others, keyed by language tag:
{"cy": {"name", "summary", "content"}}, and for our own proposals also the Markdown "source"
and rendered "sections" its edit form and page read. Received maps are read here, once: tags
that are not BCP 47-shaped, values that are not strings and maps that are not objects are
left out (never an error: the rest of the post still counts), and HTML is sanitised exactly as
`content` is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from node.i18n import language_name
from node.limits import MAX_BODY, MAX_NAME
from node.sanitize import plain_text, sanitise_html

PROPOSAL_LANGUAGES = ("en", "cy")  # what an author here may write a proposal in
MAX_LANGUAGE_TAG = 35  # a BCP 47 tag's longest sensible length (Object.language)
MAX_RECEIVED_LANGUAGES = 10  # languages read of a received map; more are left out
_TAG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")
MAPS = ("nameMap", "summaryMap", "contentMap")
# a link to the other language, in that language's own words (as the switcher names languages)
READ_IN = {"en": "Read in English", "cy": "Darllen yn Gymraeg"}


@dataclass(frozen=True)
class Translation:
    """A proposal's text in its second language, as its author wrote it (Markdown)."""

    language: str
    title: str
    summary: str
    body: str = ""
    sections: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ShownText:
    """An object's texts in one language, as a page shows them (HTML sanitised or ours)."""

    language: str
    name: str
    summary: str
    content: str
    sections: tuple[dict[str, str], ...] = ()  # our proposals': {"name", "content"}


def language_tag(value: Any) -> str:
    """`value` as a lower-case BCP 47-shaped language tag, or '' when it is not one."""
    if not isinstance(value, str) or len(value) > MAX_LANGUAGE_TAG:
        return ""
    return value.lower() if _TAG.fullmatch(value) else ""


def received_map(value: Any) -> dict[str, str]:
    """A language map as received: {tag: text} of its string values under well-formed tags,
    at most MAX_RECEIVED_LANGUAGES of them; {} for anything but an object."""
    found: dict[str, str] = {}
    if not isinstance(value, dict):
        return found
    for tag, text in value.items():
        if len(found) == MAX_RECEIVED_LANGUAGES:
            break
        if language_tag(tag) and isinstance(text, str):
            found.setdefault(language_tag(tag), text)
    return found


def received_languages(document: dict[str, Any]) -> tuple[str, dict[str, dict[str, str]]]:
    """(first language, translations) of a received object: its first language is the one
    whose map entry is its `content` (or `name`), else the map's first; the others are kept
    sanitised, name as plain text."""
    names, summaries, contents = (received_map(document.get(key)) for key in MAPS)
    first = _first_language(document, contents, names)
    translations: dict[str, dict[str, str]] = {}
    for tag in dict.fromkeys([*contents, *names]):
        if tag == first:
            continue
        translations[tag] = {
            "name": plain_text(names.get(tag, ""))[:MAX_NAME],
            "summary": sanitise_html(summaries.get(tag, ""))[:MAX_BODY],
            "content": sanitise_html(contents.get(tag, ""))[:MAX_BODY],
        }
    return first, translations


def _first_language(
    document: dict[str, Any], contents: dict[str, str], names: dict[str, str]
) -> str:
    for texts, key in ((contents, "content"), (names, "name")):
        said = document.get(key)
        for tag, text in texts.items():
            if text == said:
                return tag
    return next(iter([*contents, *names]), "")


def said_in(document: dict[str, Any], key: str, language: str) -> Any:
    """A received object's `key` (content, name, summary); when it sends only the map
    (contentMap without content), the map's entry in its first language."""
    value = document.get(key)
    if isinstance(value, str) or not language:
        return value
    return received_map(document.get(f"{key}Map")).get(language, value)


def outgoing_maps(
    first: str, texts: dict[str, str], others: dict[str, dict[str, str]]
) -> dict[str, dict[str, str]]:
    """nameMap, summaryMap and contentMap of a document whose `texts` (name, summary,
    content) are in the language `first`, with `others` ({tag: the same texts}) beside it."""
    maps: dict[str, dict[str, str]] = {}
    if not first:
        return maps
    for key, text_key in zip(MAPS, ("name", "summary", "content"), strict=True):
        entries = {first: texts[text_key]} if texts.get(text_key) else {}
        for tag, other in others.items():
            if other.get(text_key):
                entries[tag] = other[text_key]
        if entries:
            maps[key] = entries
    return maps


def chosen_language(first: str, others: dict[str, Any], asked: str) -> str:
    """Which of an object's languages a reader asking for `asked` is shown: it, when the
    object has it, else the first."""
    return asked if asked and asked in others and asked != first else first


def other_language(first: str, others: dict[str, Any], shown: str) -> str:
    """The language a reader shown `shown` may switch to ('' when there is none)."""
    languages = [first, *others] if first else list(others)
    return next((tag for tag in languages if tag != shown), "") if others else ""


def read_in(language: str) -> str:
    """The words of a link to read something in `language`."""
    return READ_IN.get(language) or language_name(language)


def shown_text(obj: Any, asked: str) -> ShownText:
    """A post's texts (anything with name, summary, content, language and translations) in
    the language `asked` when it has them, else in its first language."""
    first = getattr(obj, "language", "") or ""
    others = getattr(obj, "translations", None) or {}
    shown = chosen_language(first, others, asked)
    if shown == first or not isinstance(others.get(shown), dict):
        return ShownText(first, getattr(obj, "name", ""), obj.summary, obj.content)
    texts = others[shown]
    return ShownText(
        shown,
        str(texts.get("name") or getattr(obj, "name", "")),
        str(texts.get("summary", "")),
        str(texts.get("content") or obj.content),
    )
