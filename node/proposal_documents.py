"""Proposals as ActivityStreams: the Article we publish and the fields we read back from one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from typing import Any

from federation.vocab import AS2_CONTEXT, PUBLIC, TOWNHALL_NS, as_list
from node.markdown import render_markdown
from node.sanitize import plain_text
from node.sections import SECTION_NAMES, SECTION_TITLES
from node.timestamps import format_time
from node.translations import Translation, outgoing_maps

PROPOSAL_CONTEXT: list[Any] = [
    AS2_CONTEXT,
    {
        "townhall": TOWNHALL_NS,
        "Hashtag": "as:Hashtag",
        "proposalStatus": "townhall:proposalStatus",
        "closesAt": {
            "@id": "townhall:closesAt",
            "@type": "http://www.w3.org/2001/XMLSchema#dateTime",
        },
        "sections": {"@id": "townhall:sections", "@container": "@list"},
        "version": "townhall:version",
        "answersVersion": "townhall:answersVersion",
        "amendment": "townhall:amendment",
        "section": "townhall:section",
        "suggestedText": "townhall:suggestedText",
        "history": "townhall:history",
        "acceptedAmendments": {"@id": "townhall:acceptedAmendments", "@type": "@id"},
        "closedAt": {
            "@id": "townhall:closedAt",
            "@type": "http://www.w3.org/2001/XMLSchema#dateTime",
        },
        "reopenReason": "townhall:reopenReason",
        "decidedAt": {
            "@id": "townhall:decidedAt",
            "@type": "http://www.w3.org/2001/XMLSchema#dateTime",
        },
        "decision": "townhall:decision",
        "outcome": "townhall:outcome",
        "decisionOf": {"@id": "townhall:decisionOf", "@type": "@id"},
        "amendmentAnswer": {"@id": "townhall:amendmentAnswer", "@type": "@id"},
    },
]

OUTCOME_HEADINGS = {
    "adopted": "Decision: adopted",
    "changed": "Decision: adopted with changes",
    "dropped": "Decision: dropped",
}


@dataclass(frozen=True)
class ProposalText:
    """What an author writes: title, plain-language summary, body and sections in Markdown."""

    title: str
    summary: str
    body: str = ""
    sections: dict[str, str] = field(default_factory=dict)
    hashtags: tuple[str, ...] = ()
    language: str = ""  # what the texts above are in ("" when unsaid)
    translation: Translation | None = None  # the same proposal in a second language


@dataclass(frozen=True)
class ProposalMeta:
    """Who, where and when: the ids and state around a proposal's text."""

    uri: str
    url: str
    author: str
    author_followers: str
    organisation: str
    context: str
    status: str
    version: int
    published: datetime
    updated: datetime | None = None
    closes_at: datetime | None = None
    accepted_amendments: tuple[str, ...] = ()
    closed_at: datetime | None = None
    reopen_reason: str = ""
    decided_at: datetime | None = None
    decision: Decision | None = None


@dataclass(frozen=True)
class Decision:
    """The published decision: outcome, the written response, and any per-section ones."""

    outcome: str  # adopted | changed | dropped
    source: str  # Markdown, as its author wrote it
    html: str  # sanitised
    sections: tuple[dict[str, str], ...] = ()  # {"section", "source", "content"}

    def as_json(self) -> dict[str, Any]:
        """The `decision` extension field of the Article."""
        return {
            "outcome": self.outcome,
            "content": self.html,
            "source": {"content": self.source, "mediaType": "text/markdown"},
            "sections": [
                {"section": part["section"], "content": part["content"]} for part in self.sections
            ],
        }

    def visible_html(self) -> str:
        """The decision as it heads the Article's content, for servers that know no
        extension fields (Mastodon shows the content)."""
        heading = escape(OUTCOME_HEADINGS.get(self.outcome, self.outcome))
        parts = [f"<h2>{heading}</h2>{self.html}"]
        for part in self.sections:
            title = escape(SECTION_TITLES.get(part["section"], part["section"]))
            parts.append(f"<h3>{title}</h3>{part['content']}")
        return "".join(parts)


def rendered_sections(text: ProposalText) -> list[dict[str, str]]:
    """The structured sections as name, Markdown source and safe HTML, in a fixed order."""
    return [
        {
            "name": name,
            "source": text.sections[name],
            "content": render_markdown(text.sections[name]),
        }
        for name in SECTION_NAMES
        if text.sections.get(name, "").strip()
    ]


def proposal_html(text: ProposalText) -> str:
    """The whole proposal as one HTML document: body, then each section under its heading."""
    parts = [render_markdown(text.body)] if text.body.strip() else []
    for section in rendered_sections(text):
        parts.append(f"<h2>{escape(SECTION_TITLES[section['name']])}</h2>{section['content']}")
    return "".join(parts)


def proposal_markdown(text: ProposalText) -> str:
    """The whole proposal as Markdown (the `source` other Townhall nodes can re-render)."""
    parts = [text.body.strip()] if text.body.strip() else []
    for name in SECTION_NAMES:
        if text.sections.get(name, "").strip():
            parts.append(f"## {SECTION_TITLES[name]}\n\n{text.sections[name].strip()}")
    return "\n\n".join(parts)


def to_article(text: ProposalText, meta: ProposalMeta, base_url: str) -> dict[str, Any]:
    """The Article other servers see: Mastodon shows name, summary and a link."""
    document: dict[str, Any] = {
        "@context": PROPOSAL_CONTEXT,
        "id": meta.uri,
        "type": "Article",
        "name": text.title,
        "summary": escape(text.summary),
        "content": (meta.decision.visible_html() if meta.decision else "") + proposal_html(text),
        "mediaType": "text/html",
        "source": {"content": proposal_markdown(text), "mediaType": "text/markdown"},
        "preview": {"type": "Note", "content": escape(text.summary)},
        "url": meta.url,
        "attributedTo": meta.author,
        "audience": meta.organisation,
        "context": meta.context,
        "to": [PUBLIC],
        "cc": sorted({meta.author_followers, meta.organisation}),
        "tag": [
            {"type": "Hashtag", "name": f"#{tag}", "href": f"{base_url}/tags/{tag}"}
            for tag in text.hashtags
        ],
        "replies": f"{meta.uri}/replies",
        "likes": f"{meta.uri}/likes",
        "shares": f"{meta.uri}/shares",
        "history": f"{meta.uri}/history",
        "published": format_time(meta.published),
        "proposalStatus": meta.status,
        "version": meta.version,
        "sections": rendered_sections(text),
    }
    document.update(outgoing_maps(text.language, document, translated_texts(text, meta)))
    if meta.updated is not None:
        document["updated"] = format_time(meta.updated)
    if meta.closes_at is not None:
        document["closesAt"] = format_time(meta.closes_at)
    if meta.accepted_amendments:
        document["acceptedAmendments"] = list(meta.accepted_amendments)
    if meta.closed_at is not None:
        document["closedAt"] = format_time(meta.closed_at)
    if meta.reopen_reason:
        document["reopenReason"] = meta.reopen_reason
    if meta.decided_at is not None and meta.decision is not None:
        document["decidedAt"] = format_time(meta.decided_at)
        document["decision"] = meta.decision.as_json()
    return document


def translated_texts(text: ProposalText, meta: ProposalMeta) -> dict[str, dict[str, Any]]:
    """The proposal in its second language, as stored and sent: {tag: {name, summary, content
    (HTML, headed by the decision like the first language's), source, sections}}."""
    other = text.translation
    if not text.language or other is None:
        return {}
    written = ProposalText(other.title, other.summary, other.body, other.sections)
    decided = meta.decision.visible_html() if meta.decision else ""
    return {
        other.language: {
            "name": other.title,
            "summary": escape(other.summary),
            "content": decided + proposal_html(written),
            "source": other.body,
            "sections": rendered_sections(written),
        }
    }


def hashtags_of(document: dict[str, Any]) -> list[str]:
    """The hashtag names of an object, lower-case without '#'."""
    names = []
    for tag in as_list(document.get("tag")):
        if (
            isinstance(tag, dict)
            and tag.get("type") == "Hashtag"
            and isinstance(tag.get("name"), str)
        ):
            name = plain_text(tag["name"]).lstrip("#").strip().lower()
            if name and len(name) <= 100:
                names.append(name)
    return sorted(set(names))


def clean_hashtag(value: str) -> str:
    """A hashtag as we store it: letters, digits and underscores, lower-case, no '#'."""
    cleaned = "".join(ch for ch in value.lstrip("#").lower() if ch.isalnum() or ch == "_")
    return cleaned[:100]
