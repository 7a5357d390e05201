"""A proposal's languages as the open data tables carry them: `language` says what its
`title`, `summary` and `text` are in ('' when unsaid: proposals written before there were two),
and the `second_…` columns hold the same texts in its second language (all '' when it has
none). Flat columns, so a row stays the same in CSV and JSON; appended after the older ones."""

from __future__ import annotations

from typing import Any

from node.markdown import html_to_markdown
from node.proposal_documents import ProposalText, proposal_markdown
from node.services.proposal_languages import stored_translation
from node.translations import received_languages

COLUMNS = ("language", "second_language", "second_title", "second_summary", "second_text")
_NONE = {"second_language": "", "second_title": "", "second_summary": "", "second_text": ""}


def stored_languages(language: str, translations: Any) -> dict[str, str]:
    """The language columns of a proposal's row, from its object's `language` and
    `translations` (the second language's Markdown, sections under their headings as the first
    language's `text` has them)."""
    other = stored_translation(language, translations)
    if other is None:
        return {"language": language or "", **_NONE}
    written = ProposalText(other.title, other.summary, other.body, other.sections)
    return {
        "language": language,
        "second_language": other.language,
        "second_title": other.title,
        "second_summary": other.summary,
        "second_text": proposal_markdown(written),
    }


def document_languages(document: dict[str, Any]) -> dict[str, str]:
    """The language columns of a version's row, from its document's nameMap, summaryMap and
    contentMap (a version keeps no Markdown of its second language: its HTML as Markdown)."""
    first, translations = received_languages(document)
    for tag, texts in translations.items():
        return {
            "language": first,
            "second_language": tag,
            "second_title": texts["name"],
            "second_summary": html_to_markdown(texts["summary"]),
            "second_text": html_to_markdown(texts["content"]),
        }
    return {"language": first, **_NONE}
