"""A proposal's page in each of its languages: its first language is what the page loads;
the others (node.translations) are read here into what the page swaps in for a reader who
reads one of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from node.markdown import render_markdown
from node.sections import shown_sections


@dataclass(frozen=True)
class TextInLanguage:
    """The proposal's title, summary, text and sections in one of its other languages."""

    language: str
    name: str
    summary: str  # HTML (escaped for ours, sanitised for others')
    body_html: str
    sections: tuple[tuple[str, str, str], ...] = ()  # (name, title, HTML) as shown_sections


def texts_in_other_languages(
    translations: dict[str, Any], *, is_local: bool
) -> tuple[TextInLanguage, ...]:
    """Each other language's texts: ours from the author's Markdown and sections, another
    node's from its contentMap (sections included, sanitised when stored)."""
    found = []
    for language, texts in translations.items():
        if not isinstance(texts, dict):
            continue
        if is_local:
            source = str(texts.get("source", ""))
            body = render_markdown(source) if source.strip() else ""
            sections = tuple(shown_sections(texts.get("sections")))
        else:
            body, sections = str(texts.get("content", "")), ()
        name, summary = str(texts.get("name", "")), str(texts.get("summary", ""))
        found.append(TextInLanguage(language, name, summary, body, sections))
    return tuple(found)
