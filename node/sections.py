"""A proposal's sections, the one place that reads them: from a client's submission (Markdown
`sections`, or HTML `content` whose headings name them), from a stored or received Article, and
as the sources an editor or an amendment starts from."""

from __future__ import annotations

from typing import Any

from node.i18n import N_
from node.limits import MAX_BODY, MAX_SECTION_NAME
from node.markdown import Element, html_to_markdown, markdown_of, parse_html, text_of
from node.sanitize import sanitise_html

SECTION_NAMES = ("problem", "evidence", "proposed_change", "who_is_affected")
# in English in the documents (headings of the content); pages translate them where shown
SECTION_TITLES = {
    "problem": N_("The problem"),
    "evidence": N_("Evidence"),
    "proposed_change": N_("What we propose"),
    "who_is_affected": N_("Who is affected"),
}
_HEADINGS = frozenset({"h1", "h2", "h3"})
_BY_HEADING = {
    **{name.replace("_", " "): name for name in SECTION_NAMES},
    **{title.lower(): name for name, title in SECTION_TITLES.items()},
}


def source_of(value: Any) -> str:
    """The text of a `source` (a string, or an object with `content`), else ''."""
    if isinstance(value, dict):
        value = value.get("content")
    return value if isinstance(value, str) else ""


def section_sources(sections: Any) -> dict[str, str]:
    """{name: Markdown source} of a stored or received Article's `sections` list."""
    return {
        section["name"]: source_of(section.get("source"))
        for section in (sections if isinstance(sections, list) else [])
        if isinstance(section, dict) and isinstance(section.get("name"), str)
    }


def shown_sections(sections: Any) -> list[tuple[str, str, str]]:
    """(name, title, stored safe HTML) of each section of a stored Article, in its order."""
    return [
        (
            section["name"],
            SECTION_TITLES.get(section["name"]) or section["name"],
            section["content"],
        )
        for section in (sections if isinstance(sections, list) else [])
        if isinstance(section, dict)
        and isinstance(section.get("name"), str)
        and isinstance(section.get("content"), str)
    ]


def editable_sections(sections: Any) -> dict[str, str]:
    """Every known section's source, '' for an empty one (what forms and amendments offer)."""
    sources = section_sources(sections)
    return {name: sources.get(name, "") for name in SECTION_NAMES}


def submitted_sections(value: Any) -> dict[str, str]:
    """The known sections a client submitted: {name: Markdown} or a list of {name, source} (or
    {name, content} in HTML, read back into Markdown)."""
    if isinstance(value, dict):
        return {name: str(text) for name, text in value.items() if name in SECTION_NAMES}
    sections: dict[str, str] = {}
    for section in value if isinstance(value, list) else []:
        if isinstance(section, dict) and section.get("name") in SECTION_NAMES:
            if "source" in section:
                sections[section["name"]] = source_of(section["source"])
            else:
                sections[section["name"]] = html_to_markdown(str(section.get("content") or ""))
    return sections


def split_html(html: str) -> tuple[str, dict[str, str]]:
    """A whole proposal in HTML, as a client sends it in `content` (or as proposal_html writes
    it), read back into a Markdown body and sections: a heading (h1 to h3) naming a section by
    its title or name starts that section; what comes before the first is the body."""
    parts: dict[str, list[Element | str]] = {"": []}
    current = ""
    for node in parse_html(html):
        named = _section_named(node)
        if named:
            current = named
            parts.setdefault(current, [])
        else:
            parts[current].append(node)
    body = markdown_of(parts.pop(""))
    return body, {name: markdown_of(nodes) for name, nodes in parts.items()}


def _section_named(node: Element | str) -> str:
    if not isinstance(node, Element) or node.tag not in _HEADINGS:
        return ""
    return _BY_HEADING.get(text_of(node).strip().rstrip(":").lower(), "")


def received_sections(value: Any) -> list[dict[str, str]]:
    """The `sections` of an Article another node sent, made safe to store and show."""
    return [
        {
            "name": section["name"][:MAX_SECTION_NAME],
            "content": sanitise_html(str(section.get("content") or "")),
            "source": source_of(section.get("source"))[:MAX_BODY],
        }
        for section in (value if isinstance(value, list) else [])
        if isinstance(section, dict) and isinstance(section.get("name"), str)
    ]
